// Wire types of /api/v1/audits (see docs/openapi.yaml). Keep in sync with server/audits.

export type Score = 'voldoet' | 'deels' | 'voldoet_niet' | 'nvt';
export const SCORES: Score[] = ['voldoet', 'deels', 'voldoet_niet', 'nvt'];
export type AuditStatus = 'assigned' | 'in_progress' | 'finished';
export type ActionStatus = 'open' | 'in_progress' | 'closed' | 'confirmed';

export interface Criterion {
  key: string;
  text: string;
  guidance: string;
}

export interface Theme {
  key: string;
  name: string;
  criteria: Criterion[];
}

export interface Template {
  id: string;
  key: string;
  version: number;
  name: string;
  themes: Theme[];
}

export interface Answer {
  criterion: string;
  score: Score;
  note: string;
  clientId: string;
  answeredAt: string;
}

export interface Photo {
  id: string;
  criterion: string;
  name: string;
  contentType: string;
  size: number;
  at: string;
}

export interface Finding {
  id: string;
  auditId: string;
  teamId: string;
  teamName: string;
  roundLabel: string;
  criterion: string;
  criterionText: string;
  themeKey: string;
  themeName: string;
  score: Score;
  note: string;
  corrected: boolean;
  open: boolean;
}

export interface Action {
  id: string;
  auditId: string;
  findingId: string;
  criterion: string;
  criterionText: string;
  teamId: string;
  teamName: string;
  regionId: string;
  title: string;
  ownerUserId?: string;
  ownerName?: string;
  ownerTeamRole?: string;
  due: string;
  status: ActionStatus;
  evidence: string;
  reopenNote?: string;
  auditorId: string;
  auditorName: string;
  roundLabel: string;
  overdue: boolean;
  canWork: boolean;
  canConfirm: boolean;
}

export interface Correction {
  id: string;
  criterion: string;
  score: Score;
  note: string;
  reason: string;
  at: string;
}

export interface Audit {
  id: string;
  roundId: string;
  roundLabel: string;
  type: 'peer' | 'internal';
  quarter: string;
  templateId: string;
  teamId: string;
  teamName: string;
  regionId: string;
  regionName: string;
  auditorId: string;
  auditorName: string;
  status: AuditStatus;
  summary: string;
  finishedAt?: string;
  answered: number;
  total: number;
  findings: number;
  openActions: number;
  template?: Template;
  answers?: Answer[];
  photos?: Photo[];
  findingList?: Finding[];
  actions?: Action[];
  corrections?: Correction[];
  can?: { conduct: boolean; addAction: boolean; correct: boolean };
}

export interface AuditHome {
  audits: Audit[];
  actions: Action[];
  toConfirm: Action[];
  regionId?: string;
  planner: boolean;
}

export interface TeamAudits {
  teamId: string;
  teamName: string;
  audits: Audit[];
  openFindings: Finding[];
  actions: Action[];
}

export interface ThemeRef {
  key: string;
  name: string;
}

export interface Round {
  id: string;
  type: 'peer' | 'internal';
  quarter: string;
  label: string;
  status: 'planning' | 'open' | 'closed';
}

export interface RoundSummary {
  round: Round;
  audits: number;
  finished: number;
  findings: number;
  openActions: number;
  themes: Record<string, number | null>;
}

export interface RegionOverview {
  regionId: string;
  regionName: string;
  teams: {
    teamId: string;
    teamName: string;
    openActions: number;
    overdueActions: number;
    openFindings: number;
    lastScore: number | null;
    lastRound: string;
  }[];
  overdue: Action[];
  rounds: RoundSummary[];
  themes: ThemeRef[];
}

export interface HeatRow {
  teamId: string;
  teamName: string;
  regionId: string;
  regionName: string;
  auditId: string;
  status: AuditStatus;
  scores: Record<string, number | null>;
  total: number | null;
  findings: number;
}

export interface Heatmap {
  round: Round;
  themes: ThemeRef[];
  rows: HeatRow[];
}

export interface AnswerInput {
  clientId: string;
  criterion: string;
  score: Score;
  note: string;
}

export interface RoundView extends Round {
  templateId: string;
  assignments: {
    teamId: string;
    teamName: string;
    regionId: string;
    regionName: string;
    auditorId: string;
    auditorName: string;
    auditId?: string;
    status?: string;
  }[];
  violations: { index: number; teamId: string; rule: string; message: string }[];
  warnings: { teamId?: string; rule: string; message: string }[];
  auditors: { userId: string; name: string; regionId: string; load: number }[];
  progress: { audits: number; finished: number };
}

export interface CriterionReport {
  criterion: { key: string; text: string };
  themeKey: string;
  points: { roundId: string; label: string; type: string; counts: Partial<Record<Score, number>> }[];
}
