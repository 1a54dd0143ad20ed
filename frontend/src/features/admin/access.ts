import type { SessionUser } from '../../api/types';
import { isAdministrator } from '../accesslog/access';

/**
 * Who sees Beheer. The server lets only administrators (beheerder) change
 * the organisation and people's roles (region managers cannot change their
 * region's teams), so only they get the navigation entry; the server stays
 * the authority and answers 403 admin_only to anyone else.
 */
export function canAdminister(user: Pick<SessionUser, 'roles'>): boolean {
  return isAdministrator(user);
}

export const ADMIN_PATH = '/beheer';
export const adminPaths = {
  teams: '/beheer',
  team: (id: string) => `/beheer/teams/${encodeURIComponent(id)}`,
  regions: '/beheer/regios',
  people: '/beheer/mensen',
  person: (id: string) => `/beheer/mensen/${encodeURIComponent(id)}`,
  changes: '/beheer/wijzigingen',
  accessLog: '/beheer/toegangslog',
  /** The erasure page (features/privacy, from another branch). */
  privacy: '/beheer/privacy',
};
