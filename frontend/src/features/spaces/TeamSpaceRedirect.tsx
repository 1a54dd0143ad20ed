import type { ReactNode } from 'react';
import { Navigate, useLocation, useParams } from 'react-router';
import { isCommunityId } from './paths';

/**
 * /ruimtes/:spaceId/… of a team → the same section of its team page
 * (/teams/:spaceId/…): one page per team. Old links (notifications, search
 * results, bookmarks) keep working. A community renders `children`.
 */
export function TeamSpaceRedirect({ children }: { children: ReactNode }) {
  const { spaceId = '' } = useParams();
  const location = useLocation();
  if (isCommunityId(spaceId)) return <>{children}</>;
  const prefix = `/ruimtes/${encodeURIComponent(spaceId)}`;
  const raw = location.pathname.startsWith(prefix) ? location.pathname.slice(prefix.length) : '';
  // The profile is edited under "over" on the team page.
  const rest = raw.replace(/^\/profiel(?=\/|$)/, '/over');
  return <Navigate to={`/teams/${encodeURIComponent(spaceId)}${rest}${location.search}${location.hash}`} replace />;
}
