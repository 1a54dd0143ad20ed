import type { RouteObject } from 'react-router';
import { lazyPages } from '../../lib/lazyPages';

const page = lazyPages(() => import('./pages'), ['spaces']);
const NotificationsPage = page('NotificationsPage');

/** /meldingen: the notification centre. */
export const notificationsRoute: RouteObject = { path: 'meldingen', element: <NotificationsPage /> };
