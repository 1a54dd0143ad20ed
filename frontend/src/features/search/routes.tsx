import type { RouteObject } from 'react-router';
import { lazyPages } from '../../lib/lazyPages';

const page = lazyPages(() => import('./pages'), ['spaces']);
const SearchPage = page('SearchPage');

/** /zoeken?q=…: global search results. */
export const searchRoute: RouteObject = { path: 'zoeken', element: <SearchPage /> };
