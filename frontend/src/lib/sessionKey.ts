/** The session query's key: lib's query client re-checks the session on any 401. */
export const SESSION_QUERY_KEY = ['session'] as const;
