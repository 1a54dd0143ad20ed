import type { SessionTeam } from '../../api/types';

/** A person as an administrator sees them (GET /users, GET /users/:id). */
export interface AdminUser {
  id: string;
  name: string;
  email: string;
  /** Effective roles: claimRoles and assignedRoles less deniedRoles. */
  roles: string[];
  /** From the identity provider's group claims (refreshed at each login). */
  claimRoles: string[];
  /** Given in Plein by an administrator. */
  assignedRoles: string[];
  /** Claimed by the identity provider but taken away in Plein. */
  deniedRoles: string[];
  active: boolean;
  lastLoginAt?: string;
  teams?: SessionTeam[];
}

/** Values in a change's before/after. */
export type ChangeValue = string | boolean | number | string[] | null;

/** One entry of the administrators' change log (GET /admin/changes). */
export interface ChangeEntry {
  id: string;
  at: string;
  actorId: string;
  actorName: string;
  action: string;
  subject: string;
  subjectName: string;
  before?: Record<string, ChangeValue>;
  after?: Record<string, ChangeValue>;
}

export interface ChangePage {
  items: ChangeEntry[];
  next: string;
}
