// The pages of /dashboard routes, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
// Styles: the feature's own and those of other features whose parts these pages show.
import './dashboard.css';
import '../knowledge/knowledge.css';
export { ImportPage } from './ImportPage';
export { OrganisationPage } from './OrganisationPage';
export { RegionPage } from './RegionPage';
export { TeamDashboardPage } from './TeamDashboardPage';
