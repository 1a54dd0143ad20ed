// The pages of /mijn-gegevens and /beheer/privacy, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
export { MyDataPage } from './MyDataPage';
export { PrivacyAdminPage } from './PrivacyAdminPage';
