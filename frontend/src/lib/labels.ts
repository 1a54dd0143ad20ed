import type { TFunction } from 'i18next';
import { ROLE_KEYS, TEAM_ROLE_KEYS, type RoleKey, type TeamRoleKey } from '../api/types';

function isRoleKey(value: string): value is RoleKey {
  return (ROLE_KEYS as readonly string[]).includes(value);
}

function isTeamRoleKey(value: string): value is TeamRoleKey {
  return (TEAM_ROLE_KEYS as readonly string[]).includes(value);
}

/** Translated label for an organisation role; unknown keys are shown as-is. */
export function roleLabel(t: TFunction, role: string): string {
  return isRoleKey(role) ? t(`roles.${role}`) : role;
}

/** Translated label for a team task role (taakrol); unknown keys are shown as-is. */
export function teamRoleLabel(t: TFunction, role: string): string {
  return isTeamRoleKey(role) ? t(`teamRoles.${role}`) : role;
}
