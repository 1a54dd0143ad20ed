// Fixtures for the audits tests (shapes as the server sends them).
import type { Session } from '../../api/types';
import type { Action, Audit, Heatmap, TeamAudits } from './types';

export const johan: Session = {
  user: { id: 'u-johan', name: 'Johan Mulder', email: 'johan.mulder@noorderkwartier.example', roles: ['regiomanager'], teams: [] },
  csrfToken: 'csrf-johan',
};

export const AUDIT_ID = 'peer-2026-q4:den-helder-centrum';

export function audit(overrides: Partial<Audit> = {}): Audit {
  return {
    id: AUDIT_ID,
    roundId: 'peer-2026-q4',
    roundLabel: 'Q4 2026',
    type: 'peer',
    quarter: '2026-Q4',
    templateId: 'randvoorwaarden:v1',
    teamId: 'den-helder-centrum',
    teamName: 'Den Helder-Centrum',
    regionId: 'den-helder',
    regionName: 'Den Helder',
    auditorId: 'u-johan',
    auditorName: 'Johan Mulder',
    status: 'assigned',
    summary: '',
    answered: 0,
    total: 2,
    findings: 0,
    openActions: 0,
    template: {
      id: 'randvoorwaarden:v1',
      key: 'randvoorwaarden',
      version: 1,
      name: 'Randvoorwaarden',
      themes: [
        {
          key: 'rooster',
          name: 'Eigen rooster en cliëntplanning',
          criteria: [
            { key: 'rooster-eigen', text: 'Het team maakt zijn eigen rooster.', guidance: 'Wie maakt het rooster?' },
            { key: 'rooster-clientplanning', text: 'Het team plant zelf de zorg bij cliënten.', guidance: '' },
          ],
        },
      ],
    },
    answers: [],
    photos: [],
    findingList: [],
    actions: [],
    corrections: [],
    can: { conduct: true, addAction: false, correct: false },
    ...overrides,
  };
}

export function action(overrides: Partial<Action> = {}): Action {
  return {
    id: `${AUDIT_ID}:rooster-eigen:a1`,
    auditId: AUDIT_ID,
    findingId: `${AUDIT_ID}:rooster-eigen`,
    criterion: 'rooster-eigen',
    criterionText: 'Het team maakt zijn eigen rooster.',
    teamId: 'den-helder-centrum',
    teamName: 'Den Helder-Centrum',
    regionId: 'den-helder',
    title: 'Rooster samen maken',
    ownerTeamRole: 'kwaliteit',
    due: '2027-01-31',
    status: 'open',
    evidence: '',
    auditorId: 'u-johan',
    auditorName: 'Johan Mulder',
    roundLabel: 'Q4 2026',
    overdue: false,
    canWork: true,
    canConfirm: false,
    ...overrides,
  };
}

export function teamAudits(overrides: Partial<TeamAudits> = {}): TeamAudits {
  return {
    teamId: 'den-helder-centrum',
    teamName: 'Den Helder-Centrum',
    audits: [audit({ status: 'finished', findings: 1, answered: 2 })],
    openFindings: [
      {
        id: `${AUDIT_ID}:rooster-eigen`,
        auditId: AUDIT_ID,
        teamId: 'den-helder-centrum',
        teamName: 'Den Helder-Centrum',
        roundLabel: 'Q4 2026',
        criterion: 'rooster-eigen',
        criterionText: 'Het team maakt zijn eigen rooster.',
        themeKey: 'rooster',
        themeName: 'Eigen rooster en cliëntplanning',
        score: 'voldoet_niet',
        note: '',
        corrected: false,
        open: true,
      },
    ],
    actions: [action()],
    ...overrides,
  };
}

export const heatmap: Heatmap = {
  round: { id: 'peer-2026-q4', type: 'peer', quarter: '2026-Q4', label: 'Q4 2026', status: 'open' },
  themes: [
    { key: 'rooster', name: 'Eigen rooster en cliëntplanning' },
    { key: 'coaching', name: 'Coaching' },
  ],
  rows: [
    {
      teamId: 'den-helder-centrum',
      teamName: 'Den Helder-Centrum',
      regionId: 'den-helder',
      regionName: 'Den Helder',
      auditId: AUDIT_ID,
      status: 'finished',
      scores: { rooster: 50, coaching: 90 },
      total: 70,
      findings: 2,
    },
  ],
};
