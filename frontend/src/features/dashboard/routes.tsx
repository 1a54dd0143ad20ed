import type { RouteObject } from 'react-router';
import { ImportPage } from './ImportPage';
import { OrganisationPage } from './OrganisationPage';
import { RegionPage } from './RegionPage';
import { TeamDashboardPage } from './TeamDashboardPage';

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
