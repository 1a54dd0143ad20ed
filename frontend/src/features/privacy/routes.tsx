import type { RouteObject } from 'react-router';
import { lazyPages } from '../../lib/lazyPages';

const page = lazyPages(() => import('./pages'), ['accesslog', 'privacy']);
const MyDataPage = page('MyDataPage');
const PrivacyAdminPage = page('PrivacyAdminPage');

/** /mijn-gegevens (everyone) and /beheer/privacy (administrators; the page tells anyone else). Added in App.tsx. */
export const privacyRoutes: RouteObject[] = [
  { path: 'mijn-gegevens', element: <MyDataPage /> },
  { path: 'beheer/privacy', element: <PrivacyAdminPage /> },
];
