// The pages of /ruimtes and /mededelingen routes, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
// Styles: the feature's own and those of other features whose parts these pages show.
import '../chat/chat.css';
import './spaces.css';
export { AckReportPage } from './AckReportPage';
export { AgendaPage } from './AgendaPage';
export { AnnouncementsPage } from './AnnouncementsPage';
export { DocumentsPage } from './DocumentsPage';
export { PostPage } from './PostPage';
export { ProfilePage } from './ProfilePage';
export { SpaceHome } from './SpaceHome';
export { SpaceLayout } from './SpaceLayout';
export { SpacesPage } from './SpacesPage';
