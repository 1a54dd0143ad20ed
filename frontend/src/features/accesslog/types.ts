// Wire types for GET /api/v1/access-log (NEN 7513 review). Keep in sync with the server.

/** The recorded kinds of access, as the server names them. */
export const ACCESS_ACTIONS = ['read', 'search', 'export', 'change', 'delete', 'print', 'copy'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

export function isAccessAction(value: string): value is AccessAction {
  return (ACCESS_ACTIONS as readonly string[]).includes(value);
}

/** One access-log entry as the review shows it. */
export interface AccessLogEntry {
  id: string;
  /** RFC 3339. */
  at: string;
  userId: string;
  /** Empty when the user is no longer known. */
  userName: string;
  /** The first 12 hex characters of the session's hash. */
  session: string;
  onBehalfOf?: string;
  action: string;
  subject: string;
  route: string;
  requestId: string;
  ip: string;
}

/** A page of entries, newest first; `next` goes into `before` for older ones (empty on the last page). */
export interface AccessLogPage {
  items: AccessLogEntry[];
  next?: string;
}

/** The server's query parameters (dates YYYY-MM-DD, `to` inclusive). Empty strings are left out. */
export interface AccessLogQuery {
  from: string;
  to: string;
  user: string;
  action: string;
  subject: string;
}
