import type { RouteObject } from 'react-router';
import { NotificationsPage } from './NotificationsPage';

/** /meldingen: the notification centre. */
export const notificationsRoute: RouteObject = { path: 'meldingen', element: <NotificationsPage /> };
