// Fixtures for the dashboard tests (shapes as the server sends them).
import type { Session } from '../../api/types';
import type { Indicator, OrgView, TeamRow, TeamView } from './types';

export const ilse: Session = {
  user: {
    id: 'u-ilse',
    name: 'Ilse Dekker',
    email: 'ilse.dekker@noorderkwartier.example',
    roles: ['ondersteunende_dienst'],
    teams: [],
  },
  csrfToken: 'csrf-ilse',
};

const ind = (key: string, name: string, unit: string, direction: 'higher' | 'lower', target: number, extra: Partial<Indicator> = {}): Indicator => ({
  key,
  name,
  unit,
  direction,
  target,
  min: 0,
  max: 100,
  aggregate: 'weighted_mean',
  builtin: true,
  private: false,
  restricted: false,
  ...extra,
});

export const indicators: Indicator[] = [
  ind('clientGrade', 'Rapportcijfer cliënten', 'grade', 'higher', 8),
  ind('productivityPct', 'Productiviteit', '%', 'higher', 64),
  ind('absencePct', 'Ziekteverzuim', '%', 'lower', 6, { private: true }),
];

const months = ['2026-08', '2026-09', '2026-10'];

export function teamView(overrides: Partial<TeamView> = {}): TeamView {
  return {
    team: { id: 'den-helder-centrum', name: 'Den Helder-Centrum', regionId: 'den-helder', regionName: 'Den Helder' },
    month: '2026-10',
    size: { headcount: 14, fte: 10.3 },
    minGroupSize: 8,
    indicators,
    latest: [
      { key: 'clientGrade', value: 7.6, previous: 7.5, change: 0.1, target: 8, status: 'red', region: 7.95, organisation: 8.2 },
      { key: 'productivityPct', value: 68.6, previous: 68.4, change: 0.2, target: 64, status: 'green', region: 65.97, organisation: 64.8 },
      { key: 'absencePct', value: 5.6, previous: 5.8, change: -0.2, target: 6, status: 'green', region: 6.18, organisation: 5.9 },
    ],
    series: months.map((month, i) => ({
      month,
      team: { clientGrade: 7.5 + i * 0.05, productivityPct: 68 + i * 0.3, absencePct: 4.7 + i * 0.45 },
      region: { clientGrade: 7.9, productivityPct: 66, absencePct: 6 },
      organisation: { clientGrade: 8.2, productivityPct: 64.7, absencePct: 5.9 },
    })),
    signals: [
      {
        team: 'den-helder-centrum',
        teamName: 'Den Helder-Centrum',
        key: 'clientGrade',
        kind: 'off_target',
        months: 24,
        message: 'Den Helder-Centrum: rapportcijfer cliënten 24 maanden op rij onder de norm.',
      },
    ],
    ...overrides,
  };
}

/** A small team: sickness absence withheld. */
export function smallTeamView(): TeamView {
  const v = teamView({ size: { headcount: 6, fte: 4.2 } });
  v.latest = v.latest.map((tile) =>
    tile.key === 'absencePct' ? { ...tile, value: null, previous: null, change: null, status: 'none', suppressed: 'small_team' } : tile,
  );
  v.series = v.series.map((p) => ({
    ...p,
    team: { ...p.team, absencePct: null },
    suppressed: { absencePct: 'small_team' },
  }));
  return v;
}

function row(id: string, name: string, regionId: string, regionName: string, productivity: number | null, change: number | null): TeamRow {
  return {
    id,
    name,
    regionId,
    regionName,
    size: { headcount: 12, fte: 9 },
    values: { clientGrade: 8, productivityPct: productivity, absencePct: 5 },
    changes: { clientGrade: 0, productivityPct: change, absencePct: 0.1 },
    status: { clientGrade: 'green', productivityPct: productivity !== null && productivity >= 64 ? 'green' : 'red', absencePct: 'green' },
    signals: [],
  };
}

export function orgView(): OrgView {
  const agg = (id: string, name: string) => ({
    id,
    name,
    teams: 2,
    values: { clientGrade: 8, productivityPct: 64, absencePct: 5.5 },
    changes: { clientGrade: 0, productivityPct: 0.1, absencePct: -0.1 },
    status: { clientGrade: 'green' as const, productivityPct: 'green' as const, absencePct: 'green' as const },
  });
  return {
    month: '2026-10',
    firstMonth: '2024-11',
    lastMonth: '2026-10',
    minGroupSize: 8,
    indicators,
    organisation: agg('', 'Organisatie'),
    regions: [agg('den-helder', 'Den Helder'), agg('hoorn', 'Hoorn')],
    teams: [
      row('abbekerk', 'Abbekerk', 'hoorn', 'Hoorn', 58.1, -0.9),
      row('den-helder-centrum', 'Den Helder-Centrum', 'den-helder', 'Den Helder', 68.6, 0.2),
      row('julianadorp', 'Julianadorp', 'den-helder', 'Den Helder', null, null),
      row('zwaag', 'Zwaag', 'hoorn', 'Hoorn', 63.2, 1.5),
    ],
    series: [],
    sort: 'name',
    order: 'asc',
  };
}
