// Wire types for the Plein JSON API (/api/v1). Keep in sync with the server.

/** Organisation-wide roles (functies). Unknown future roles are passed through as strings. */
export const ROLE_KEYS = [
  'zorgmedewerker',
  'wijkverpleegkundige',
  'coordinerend_wijkverpleegkundige',
  'teamcoach',
  'ondersteunende_dienst',
  'regiomanager',
  'beheerder',
] as const;
export type RoleKey = (typeof ROLE_KEYS)[number];

/** Task roles (taakrollen) a member holds within a self-directed team. */
export const TEAM_ROLE_KEYS = ['planning', 'scholing', 'kwaliteit', 'financien', 'personeel', 'ict'] as const;
export type TeamRoleKey = (typeof TEAM_ROLE_KEYS)[number];

export interface SessionTeam {
  id: string;
  name: string;
  regionId: string;
  teamRoles: string[];
}

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  roles: string[];
  teams: SessionTeam[];
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
  /** Set by the app (never the server) when the network is gone and this is the last signed-in person. */
  offline?: boolean;
}

export interface RegionSummary {
  id: string;
  name: string;
  teamCount: number;
}

export interface TeamSummary {
  id: string;
  name: string;
  regionId: string;
  workingArea: string[];
  memberCount: number;
  /** An archived team (only in the administrators' list, ?archived=true). */
  archived?: boolean;
}

export interface RegionDetail {
  id: string;
  name: string;
  teams: TeamSummary[];
}

export interface TeamMember {
  userId: string;
  name: string;
  roles: string[];
  teamRoles: string[];
  /** Where the membership comes from: "claims" (the identity provider's groups own it), "admin" or "seed". */
  source?: string;
}

export interface TeamContact {
  phone?: string;
  email?: string;
}

export interface TeamDetail {
  id: string;
  name: string;
  regionId: string;
  regionName: string;
  workingArea: string[];
  description: string;
  contact: TeamContact;
  members: TeamMember[];
  updatedAt: string;
  /** When the team was archived (it stopped); absent for a current team. */
  archivedAt?: string;
}

export interface ListResponse<T> {
  items: T[];
}

export interface LogoutResponse {
  redirect: string;
}

/** RFC 9457 problem details as sent by the server. */
/** Values a translation fills in, e.g. `{ max: 200 }` for "Maximaal 200 tekens". */
export type ProblemParams = Record<string, string | number | boolean>;

/**
 * One refused field. `code` is stable and translated as `field.<code>`
 * (see src/lib/problemText.ts); `message` is English, for logs only.
 */
export interface ProblemFieldError {
  field: string;
  code?: string;
  message: string;
  params?: ProblemParams;
}

/** A likely client identifier the server found in a field (code identifier_suspected); never the text. */
export interface IdentifierFinding {
  field: string;
  kind: 'bsn' | 'birthdate' | 'address' | string;
}

/** An RFC 9457 problem document; `code` is translated as `problem.<code>`. */
export interface ProblemDetails {
  type?: string;
  code?: string;
  params?: ProblemParams;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: ProblemFieldError[];
  /** With code identifier_suspected: where likely client identifiers were found. */
  findings?: IdentifierFinding[];
}
