// The pages of /mijn-gegevens and /beheer/privacy, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
// Styles: the feature's own and those of other features whose parts these pages show.
import '../dashboard/dashboard.css';
export { MyDataPage } from './MyDataPage';
export { PrivacyAdminPage } from './PrivacyAdminPage';
