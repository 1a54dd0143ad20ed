import type { RouteObject } from 'react-router';
import { AgendaPage } from '../spaces/AgendaPage';
import { DocumentsPage } from '../spaces/DocumentsPage';
import { PostPage } from '../spaces/PostPage';
import { TeamLayout } from './TeamLayout';
import { TeamOverview } from './TeamOverview';
import { TeamAbout, TeamFigures, TeamMembers, TeamPosts } from './TeamSections';
import { TeamsPage } from './TeamsPage';

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
