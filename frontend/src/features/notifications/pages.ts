// The pages of /meldingen, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
// Styles: the feature's own and those of other features whose parts these pages show.
import '../spaces/spaces.css';
export { NotificationsPage } from './NotificationsPage';
