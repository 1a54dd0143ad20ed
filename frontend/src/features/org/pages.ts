// The pages of /teams routes, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
export { AgendaPage } from '../spaces/AgendaPage';
export { DocumentsPage } from '../spaces/DocumentsPage';
export { PostPage } from '../spaces/PostPage';
export { TeamLayout } from './TeamLayout';
export { TeamOverview } from './TeamOverview';
export { TeamAbout, TeamFigures, TeamMembers, TeamPosts } from './TeamSections';
export { TeamsPage } from './TeamsPage';
