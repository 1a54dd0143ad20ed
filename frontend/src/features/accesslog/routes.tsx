import type { RouteObject } from 'react-router';
import { lazyPages } from '../../lib/lazyPages';

const page = lazyPages(() => import('./pages'), ['accesslog']);
const AccessLogPage = page('AccessLogPage');

/** /beheer/toegangslog (administrators; the page itself tells anyone else). Added in App.tsx. */
export const accessLogRoute: RouteObject = { path: 'beheer/toegangslog', element: <AccessLogPage /> };
