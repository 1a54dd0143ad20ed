import type { RouteObject } from 'react-router';
import { lazyPages } from '../../lib/lazyPages';

const page = lazyPages(() => import('./pages'), ['dashboard']);
const ImportPage = page('ImportPage');
const OrganisationPage = page('OrganisationPage');
const RegionPage = page('RegionPage');
const TeamDashboardPage = page('TeamDashboardPage');

/** /dashboard routes, added under the root route's children in App.tsx. */
export const dashboardRoute: RouteObject = {
  path: 'dashboard',
  children: [
    { index: true, element: <TeamDashboardPage /> },
    { path: 'teams/:teamId', element: <TeamDashboardPage /> },
    { path: 'organisation', element: <OrganisationPage /> },
    { path: 'regions/:regionId', element: <RegionPage /> },
    { path: 'import', element: <ImportPage /> },
  ],
};
