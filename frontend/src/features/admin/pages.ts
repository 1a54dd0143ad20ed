// The pages of /beheer, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
export { AdminLayout } from './AdminLayout';
export { ChangesPage } from './ChangesPage';
export { PeoplePage } from './PeoplePage';
export { PersonPage } from './PersonPage';
export { RegionsPage } from './RegionsPage';
export { TeamAdminPage } from './TeamAdminPage';
export { TeamsAdminPage } from './TeamsAdminPage';
