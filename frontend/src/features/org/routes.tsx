import type { RouteObject } from 'react-router';
import { lazyPages } from '../../lib/lazyPages';

const page = lazyPages(() => import('./pages'), ['audits', 'dashboard', 'learning', 'spaces']);
const AgendaPage = page('AgendaPage');
const DocumentsPage = page('DocumentsPage');
const PostPage = page('PostPage');
const TeamLayout = page('TeamLayout');
const TeamOverview = page('TeamOverview');
const TeamAbout = page('TeamAbout');
const TeamFigures = page('TeamFigures');
const TeamMembers = page('TeamMembers');
const TeamPosts = page('TeamPosts');
const TeamsPage = page('TeamsPage');

/**
 * /teams: all teams; /teams/:teamId/…: one page per team with its sections.
 * The team's space (posts, documents, agenda, profile) lives here too;
 * /ruimtes/<team>/… redirects (spaces/TeamSpaceRedirect). The chat section
 * is the team channel in /chat.
 */
export const teamRoutes: RouteObject[] = [
  { path: 'teams', element: <TeamsPage /> },
  // One post with its comments: a page of its own (param named as on /ruimtes).
  { path: 'teams/:spaceId/berichten/:postId', element: <PostPage /> },
  {
    path: 'teams/:teamId',
    element: <TeamLayout />,
    children: [
      { index: true, element: <TeamOverview /> },
      { path: 'berichten', element: <TeamPosts /> },
      { path: 'documenten', element: <DocumentsPage /> },
      { path: 'documenten/:docId', element: <DocumentsPage /> },
      { path: 'agenda', element: <AgendaPage /> },
      { path: 'agenda/:eventId', element: <AgendaPage /> },
      { path: 'cijfers', element: <TeamFigures /> },
      { path: 'leden', element: <TeamMembers /> },
      { path: 'over', element: <TeamAbout /> },
    ],
  },
];
