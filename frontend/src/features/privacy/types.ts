/** GET /me/export and /users/{id}/export: one section per domain, each its own shape. */
export interface PersonalDataExport {
  generatedAt: string;
  subject: { id: string; name: string };
  sections: Record<string, unknown>;
}

export interface ErasureJob {
  userId: string;
  pseudonym: string;
  requestedBy: string;
  startedAt: string;
  finishedAt?: string;
  steps: string[];
  runs: number;
}

export type RetentionKind = 'chat' | 'posts' | 'documents' | 'notifications' | 'access_log' | 'login_attempts';

export interface RetentionRule {
  kind: RetentionKind;
  days: number;
}
