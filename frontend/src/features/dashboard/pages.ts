// The pages of /dashboard routes, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
export { ImportPage } from './ImportPage';
export { OrganisationPage } from './OrganisationPage';
export { RegionPage } from './RegionPage';
export { TeamDashboardPage } from './TeamDashboardPage';
