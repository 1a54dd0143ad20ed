import type { RouteObject } from 'react-router';
import { notificationsRoute } from '../notifications/routes';
import { searchRoute } from '../search/routes';
import { TeamSpaceRedirect } from './TeamSpaceRedirect';
import { lazyPages } from '../../lib/lazyPages';

const page = lazyPages(() => import('./pages'), ['spaces']);
const AckReportPage = page('AckReportPage');
const AgendaPage = page('AgendaPage');
const AnnouncementsPage = page('AnnouncementsPage');
const DocumentsPage = page('DocumentsPage');
const PostPage = page('PostPage');
const ProfilePage = page('ProfilePage');
const SpaceHome = page('SpaceHome');
const SpaceLayout = page('SpaceLayout');
const SpacesPage = page('SpacesPage');

/**
 * /ruimtes: overview, and per community its home, documents, agenda, profile
 * and single posts. A team's /ruimtes/:id/… redirects to its team page.
 */
export const spacesRoute: RouteObject = {
  path: 'ruimtes',
  children: [
    { index: true, element: <SpacesPage /> },
    {
      path: ':spaceId/berichten/:postId',
      element: (
        <TeamSpaceRedirect>
          <PostPage />
        </TeamSpaceRedirect>
      ),
    },
    {
      path: ':spaceId',
      // A team's space is part of its team page (/teams/:id, org/routes.tsx).
      element: (
        <TeamSpaceRedirect>
          <SpaceLayout />
        </TeamSpaceRedirect>
      ),
      children: [
        { index: true, element: <SpaceHome /> },
        { path: 'documenten', element: <DocumentsPage /> },
        { path: 'documenten/:docId', element: <DocumentsPage /> },
        { path: 'agenda', element: <AgendaPage /> },
        { path: 'agenda/:eventId', element: <AgendaPage /> },
        { path: 'profiel', element: <ProfilePage /> },
      ],
    },
  ],
};

/** /mededelingen: announcements, and the acknowledgement report of one. */
export const announcementsRoute: RouteObject = {
  path: 'mededelingen',
  children: [
    { index: true, element: <AnnouncementsPage /> },
    { path: ':announcementId', element: <AnnouncementsPage /> },
    { path: ':announcementId/rapportage', element: <AckReportPage /> },
  ],
};

/** Everything this feature adds under the root route's children in App.tsx: `...spacesRoutes`. */
export const spacesRoutes: RouteObject[] = [spacesRoute, announcementsRoute, notificationsRoute, searchRoute];
