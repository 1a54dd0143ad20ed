// The pages of /teams routes, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
// Styles: the feature's own and those of other features whose parts these pages show.
import '../chat/chat.css';
import '../dashboard/dashboard.css';
import '../knowledge/knowledge.css';
import './teampage.css';
import '../spaces/spaces.css';
export { AgendaPage } from '../spaces/AgendaPage';
export { DocumentsPage } from '../spaces/DocumentsPage';
export { PostPage } from '../spaces/PostPage';
export { TeamLayout } from './TeamLayout';
export { TeamOverview } from './TeamOverview';
export { TeamAbout, TeamFigures, TeamMembers, TeamPosts } from './TeamSections';
export { TeamsPage } from './TeamsPage';
