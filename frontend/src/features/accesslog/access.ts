import type { SessionUser } from '../../api/types';

/** Only administrators review the access log (the server answers 403 to anyone else). */
export const ADMIN_ROLE = 'beheerder';

export function isAdministrator(user: Pick<SessionUser, 'roles'>): boolean {
  return user.roles.includes(ADMIN_ROLE);
}

export const ACCESS_LOG_PATH = '/beheer/toegangslog';
