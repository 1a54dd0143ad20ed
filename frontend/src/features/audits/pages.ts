// The pages of /audits routes, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
// Styles: the feature's own and those of other features whose parts these pages show.
import '../dashboard/dashboard.css';
export { ActionPage } from './ActionPage';
export { AuditPage } from './AuditPage';
export { AuditsHome } from './AuditsHome';
export { ConductPage } from './ConductPage';
export { PlanningPage, RoundPage } from './PlanningPage';
export { RegionPage } from './RegionPage';
export { ReportsPage } from './ReportsPage';
