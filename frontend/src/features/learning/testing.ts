// Fixtures for the learning tests (shapes as the server sends them).
import type { Session as AppSession } from '../../api/types';
import type { Board, Questionnaire, Scan, Session, TeamLearning, Yield } from './types';

export const peter: AppSession = {
  user: { id: 'u-peter', name: 'Peter Smit', email: 'peter.smit@noorderkwartier.example', roles: ['teamcoach'], teams: [] },
  csrfToken: 'csrf-peter',
};

export function session(over: Partial<Session> = {}): Session {
  return {
    id: 's1',
    moduleKey: 'teamrollen',
    moduleTitle: 'Teamrollen',
    title: 'Terugkomsessie: Teamrollen',
    teamIds: ['den-helder-centrum'],
    coachId: 'u-peter',
    start: '2026-12-08T12:30:00Z',
    end: '2026-12-08T14:30:00Z',
    place: 'Wijkcentrum Den Helder-Centrum',
    link: '',
    capacity: 30,
    coach: { id: 'u-peter', name: 'Peter Smit' },
    teams: [{ id: 'den-helder-centrum', name: 'Den Helder-Centrum' }],
    invited: 13,
    present: 0,
    absent: 0,
    invitee: true,
    canCheckIn: false,
    canManage: false,
    past: false,
    ...over,
  };
}

export function scan(over: Partial<Scan> = {}): Scan {
  return {
    id: 'cohort-1:den-helder-centrum:08',
    teamId: 'den-helder-centrum',
    seq: 8,
    kind: 'quarter',
    open: false,
    openedAt: '2026-08-03T07:00:00Z',
    closedAt: '2026-08-17T07:00:00Z',
    respondents: 6,
    minRespondents: 3,
    answeredByMe: false,
    profile: { themes: { samenwerking: 3.2, besluitvorming: 2.8 }, mean: 3, phase: 3, respondents: 6 },
    tooFew: false,
    observation: 'Het team neemt meer zelf het initiatief.',
    observedPhase: 3,
    phase: 3,
    canAnswer: false,
    canManage: false,
    ...over,
  };
}

export function teamLearning(over: Partial<TeamLearning> = {}): TeamLearning {
  return {
    team: { id: 'den-helder-centrum', name: 'Den Helder-Centrum' },
    hasTrajectory: true,
    cohortId: 'cohort-1',
    cohortName: 'Cohort 1 (start dec 2024)',
    programme: 'Leertraject zelfsturing',
    programmeVersion: 1,
    coach: { id: 'u-peter', name: 'Peter Smit' },
    startMonth: '2024-12',
    endMonth: '2026-11',
    modules: [
      { key: 'zelfsturend-werken', title: 'Werken als zelfsturend team', plannedMonth: '2024-12', status: 'done', goals: ['Weten wat zelfsturing vraagt'], materials: [], assignments: [], hasReflection: true, hasReply: true },
      { key: 'teamrollen', title: 'Teamrollen', plannedMonth: '2026-09', status: 'planned', goals: [], materials: [], assignments: [], hasReflection: false, hasReply: false },
    ],
    phase: { current: 3, start: 1, trend: [{ date: '2024-12-17T08:00:00Z', phase: 1, score: 1.4 }, { date: '2026-08-17T07:00:00Z', phase: 3, score: 3 }] },
    nextSession: session(),
    sessions: [session()],
    scans: [scan()],
    scanStatus: 'due',
    attendanceRate: 84.5,
    canManage: false,
    canReflect: true,
    seesPrivate: true,
    ...over,
  };
}

export const board: Board = {
  coach: { id: 'u-peter', name: 'Peter Smit' },
  total: 2,
  teams: [
    {
      team: { id: 'den-helder-centrum', name: 'Den Helder-Centrum' },
      regionId: 'den-helder',
      regionName: 'Den Helder',
      cohortId: 'cohort-1',
      phase: 3,
      phaseStart: 1,
      modulesDone: 7,
      modulesSkipped: 0,
      modulesTotal: 8,
      modulesBehind: 0,
      lastSession: { id: 's0', title: 'Kwaliteit van zorg', start: '2026-09-10T11:30:00Z' },
      nextSession: { id: 's1', title: 'Terugkomsessie', start: '2026-12-08T12:30:00Z' },
      attendanceRate: 84.5,
      scanStatus: 'due',
      signals: [],
    },
    {
      team: { id: 'visbuurt', name: 'Visbuurt' },
      regionId: 'den-helder',
      regionName: 'Den Helder',
      cohortId: 'cohort-1',
      phase: 1,
      phaseStart: 1,
      modulesDone: 5,
      modulesSkipped: 1,
      modulesTotal: 8,
      modulesBehind: 2,
      lastSession: null,
      nextSession: null,
      attendanceRate: 55,
      scanStatus: 'overdue',
      signals: [{ key: 'satisfaction_falling_no_session', text: 'Cliënttevredenheid daalt al drie maanden en er was 90 dagen geen sessie' }],
    },
  ],
};

export const questions: Questionnaire = {
  minRespondents: 3,
  phases: ['beginnend', 'lerend', 'gevorderd', 'zelfsturend'],
  themes: [
    { key: 'samenwerking', title: 'Samenwerking', question: 'Hoe werken we samen?', statements: ['a1', 'a2', 'a3', 'a4'] },
    { key: 'besluitvorming', title: 'Besluitvorming', question: 'Hoe nemen we besluiten?', statements: ['b1', 'b2', 'b3', 'b4'] },
  ],
};

const mv = (start: number, end: number, teams = 1, withheld = 0) => ({ start, end, change: Math.round((end - start) * 100) / 100, teams, withheld });

export const orgYield: Yield = {
  level: 'organisation',
  id: '',
  name: 'Organisatie',
  figures: ['clientSatisfiedPct', 'employeeGrade', 'absencePct', 'productivityPct', 'businessResult'],
  note: 'Deze cijfers tonen samenhang, geen bewijs.',
  total: {
    id: '',
    name: 'Organisatie',
    kind: 'organisation',
    teams: 54,
    maturity: mv(1.4, 2.9, 54),
    figures: {
      clientSatisfiedPct: mv(81, 92, 54),
      employeeGrade: mv(6.9, 7.2, 54),
      absencePct: mv(8.1, 6, 52, 2),
      productivityPct: mv(61, 64.5, 54),
      businessResult: mv(-12000, 96000, 54),
    },
  },
  rows: [
    {
      id: 'den-helder',
      name: 'Den Helder',
      kind: 'region',
      teams: 10,
      maturity: mv(1.3, 3.1, 10),
      figures: {
        clientSatisfiedPct: mv(80, 93, 10),
        employeeGrade: mv(6.8, 7.3, 10),
        absencePct: { start: null, end: null, change: null, teams: 0, withheld: 2 },
        productivityPct: mv(61, 65, 10),
        businessResult: mv(-1000, 9000, 10),
      },
    },
  ],
};
