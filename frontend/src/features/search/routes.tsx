import type { RouteObject } from 'react-router';
import { SearchPage } from './SearchPage';

/** /zoeken?q=…: global search results. */
export const searchRoute: RouteObject = { path: 'zoeken', element: <SearchPage /> };
