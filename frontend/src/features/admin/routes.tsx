import type { RouteObject } from 'react-router';
import { lazyPages } from '../../lib/lazyPages';

const page = lazyPages(() => import('./pages'), ['admin']);
const AdminLayout = page('AdminLayout');
const ChangesPage = page('ChangesPage');
const PeoplePage = page('PeoplePage');
const PersonPage = page('PersonPage');
const RegionsPage = page('RegionsPage');
const TeamAdminPage = page('TeamAdminPage');
const TeamsAdminPage = page('TeamsAdminPage');

/**
 * /beheer (administrators; the layout tells anyone else). The access log
 * (/beheer/toegangslog) and the privacy page (/beheer/privacy) have routes of
 * their own and are reached from the layout's sub-navigation. Added in App.tsx.
 */
export const adminRoute: RouteObject = {
  path: 'beheer',
  element: <AdminLayout />,
  children: [
    { index: true, element: <TeamsAdminPage /> },
    { path: 'teams/:teamId', element: <TeamAdminPage /> },
    { path: 'regios', element: <RegionsPage /> },
    { path: 'mensen', element: <PeoplePage /> },
    { path: 'mensen/:userId', element: <PersonPage /> },
    { path: 'wijzigingen', element: <ChangesPage /> },
  ],
};
