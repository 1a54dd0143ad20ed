// The pages of /beheer/toegangslog, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
// Styles: the feature's own and those of other features whose parts these pages show.
import '../dashboard/dashboard.css';
export { AccessLogPage } from './AccessLogPage';
