import type { RouteObject } from 'react-router';
import { AccessLogPage } from './AccessLogPage';

/** /beheer/toegangslog (administrators; the page itself tells anyone else). Added in App.tsx. */
export const accessLogRoute: RouteObject = { path: 'beheer/toegangslog', element: <AccessLogPage /> };
