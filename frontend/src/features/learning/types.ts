// Wire types of /api/v1/learning (see server/learning and docs/openapi.yaml).

export interface Ref {
  id: string;
  name: string;
}

export interface LearningMe {
  designer: boolean;
  coach: boolean;
  coachedTeams: string[];
  teams: string[];
}

export type ModuleStatus = 'planned' | 'done' | 'skipped';

export interface Material {
  title: string;
  articleId?: string;
  url?: string;
}

export interface ModuleView {
  key: string;
  title: string;
  plannedMonth: string;
  status: ModuleStatus;
  reason?: string;
  doneAt?: string;
  goals: string[];
  materials: Material[];
  assignments: string[];
  hasReflection: boolean;
  hasReply: boolean;
}

export interface PhasePoint {
  date: string;
  phase: number;
  score: number;
}

export interface PhaseInfo {
  current: number;
  start: number;
  trend: PhasePoint[];
}

export interface Attendance {
  status: 'present' | 'absent';
  self: boolean;
  at: string;
}

export interface Session {
  id: string;
  moduleKey: string;
  moduleTitle: string;
  title: string;
  teamIds: string[];
  coachId: string;
  start: string;
  end: string;
  place: string;
  link: string;
  capacity: number;
  makeUpFor?: string;
  coach: Ref;
  teams: Ref[];
  invited: number;
  present: number;
  absent: number;
  mine?: Attendance;
  invitee: boolean;
  canCheckIn: boolean;
  canManage: boolean;
  attendees?: { person: Ref; status: '' | 'present' | 'absent'; self: boolean }[];
  makeUp?: { sessionId: string; start: string; place: string };
  past: boolean;
}

export interface Profile {
  themes: Record<string, number>;
  mean: number;
  phase: number;
  respondents: number;
}

export interface Scan {
  id: string;
  teamId: string;
  seq: number;
  kind: 'start' | 'quarter' | 'end';
  open: boolean;
  openedAt: string;
  closedAt?: string;
  respondents: number;
  minRespondents: number;
  answeredByMe: boolean;
  profile: Profile | null;
  tooFew: boolean;
  observation: string;
  observedPhase: number;
  phase: number;
  canAnswer: boolean;
  canManage: boolean;
}

export type ScanStatus = 'ok' | 'due' | 'overdue' | 'open' | '';

export interface TeamLearning {
  team: Ref;
  hasTrajectory: boolean;
  cohortId: string;
  cohortName: string;
  programme: string;
  programmeVersion: number;
  coach: Ref;
  startMonth: string;
  endMonth: string;
  modules: ModuleView[];
  phase: PhaseInfo;
  nextSession: Session | null;
  sessions: Session[];
  scans: Scan[];
  scanStatus: ScanStatus;
  attendanceRate: number | null;
  canManage: boolean;
  canReflect: boolean;
  seesPrivate: boolean;
}

export interface TeamPanel {
  team: Ref;
  hasTrajectory: boolean;
  phase: PhaseInfo;
  nextSession: Session | null;
  modulesDone: number;
  modulesTotal: number;
}

export interface Reflection {
  moduleKey: string;
  moduleTitle: string;
  body: string;
  bodyHtml: string;
  author: Ref;
  updatedAt: string | null;
  reply: string;
  replyHtml: string;
  replyBy: Ref;
  replyAt: string | null;
}

export interface Theme {
  key: string;
  title: string;
  question: string;
  statements: [string, string, string, string];
}

export interface Questionnaire {
  themes: Theme[];
  phases: string[];
  minRespondents: number;
}

export interface Signal {
  key: string;
  text: string;
}

export interface SessionRef {
  id: string;
  title: string;
  start: string;
}

export interface BoardRow {
  team: Ref;
  regionId: string;
  regionName: string;
  cohortId: string;
  phase: number;
  phaseStart: number;
  modulesDone: number;
  modulesSkipped: number;
  modulesTotal: number;
  modulesBehind: number;
  lastSession: SessionRef | null;
  nextSession: SessionRef | null;
  attendanceRate: number | null;
  scanStatus: ScanStatus;
  signals: Signal[];
}

export interface Board {
  coach: Ref;
  teams: BoardRow[];
  total: number;
}

export interface Movement {
  start: number | null;
  end: number | null;
  change: number | null;
  teams: number;
  withheld: number;
}

export interface YieldRow {
  id: string;
  name: string;
  kind: 'team' | 'region' | 'cohort' | 'organisation';
  teams: number;
  startMonth?: string;
  endMonth?: string;
  phaseStart?: number;
  phaseEnd?: number;
  maturity: Movement;
  figures: Record<string, Movement>;
}

export interface YieldMonth {
  month: string;
  maturity: number | null;
  figures: Record<string, number | null>;
}

export interface Yield {
  level: 'organisation' | 'region' | 'cohort' | 'team';
  id: string;
  name: string;
  figures: string[];
  total: YieldRow;
  rows: YieldRow[];
  series?: YieldMonth[];
  note: string;
}

export interface Module {
  key: string;
  title: string;
  goals: string[];
  materials: Material[];
  assignments: string[];
}

export interface Programme {
  id: string;
  version: number;
  name: string;
  description: string;
  modules: Module[];
  createdAt: string;
}

export interface ProgrammeSummary {
  id: string;
  name: string;
  version: number;
  moduleCount: number;
}

export interface Cohort {
  id: string;
  name: string;
  programmeId: string;
  programmeVersion: number;
  programmeName: string;
  startMonth: string;
  teams: { teamId: string; teamName: string; coach: Ref }[];
}
