// The pages of /meldingen, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
export { NotificationsPage } from './NotificationsPage';
