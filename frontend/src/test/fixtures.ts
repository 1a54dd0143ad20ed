import type { RegionSummary, Session, TeamDetail, TeamSummary } from '../api/types';

export const anouk: Session = {
  user: {
    id: 'u-anouk',
    name: 'Anouk de Vries',
    email: 'anouk.devries@noorderkwartier.example',
    roles: ['zorgmedewerker'],
    teams: [{ id: 'den-helder-centrum', name: 'Den Helder-Centrum', regionId: 'den-helder', teamRoles: ['planning'] }],
  },
  csrfToken: 'csrf-test-token',
};

export const regions: RegionSummary[] = [
  { id: 'den-helder', name: 'Den Helder', teamCount: 2 },
  { id: 'west-friesland', name: 'West-Friesland', teamCount: 2 },
];

export const teams: TeamSummary[] = [
  { id: 'den-helder-centrum', name: 'Den Helder-Centrum', regionId: 'den-helder', workingArea: ['1781', 'Centrum'], memberCount: 12 },
  { id: 'julianadorp', name: 'Julianadorp', regionId: 'den-helder', workingArea: ['1787'], memberCount: 9 },
  { id: 'hoogwoud-opmeer', name: 'Hoogwoud-Opmeer', regionId: 'west-friesland', workingArea: ['1718'], memberCount: 1 },
  { id: 'zwaagdijk-ursem', name: 'Zwaagdijk-Ürsem Café', regionId: 'west-friesland', workingArea: ['1684'], memberCount: 8 },
];

export const denHelderCentrum: TeamDetail = {
  id: 'den-helder-centrum',
  name: 'Den Helder-Centrum',
  regionId: 'den-helder',
  regionName: 'Den Helder',
  workingArea: ['1781', 'Centrum'],
  description: 'Wij zijn een zelfsturend team.\n\nWe werken <b>dag en avond</b> in het centrum.',
  contact: { phone: '0223 - 12 34 56', email: 'centrum@noorderkwartier.example' },
  members: [
    { userId: 'u-anouk', name: 'Anouk de Vries', roles: ['zorgmedewerker'], teamRoles: ['planning'] },
    { userId: 'u-bram', name: 'Bram Jansen', roles: ['wijkverpleegkundige'], teamRoles: ['kwaliteit', 'financien'] },
  ],
  updatedAt: '2026-11-01T09:30:00Z',
};
