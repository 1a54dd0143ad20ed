import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { anouk, denHelderCentrum } from '../../test/fixtures';
import { mockFetch, renderApp, type MockHandler } from '../../test/utils';
import type { TeamView } from '../dashboard/types';
import { daan, post, space } from '../spaces/testing';
import { addDays, localDay } from '../spaces/format';

const API = '/api/v1';
const SPACE = `${API}/spaces/den-helder-centrum`;

function eventsUrl() {
  const today = new Date();
  return `${SPACE}/events?from=${localDay(today)}&to=${localDay(addDays(today, 14))}`;
}

const figures: TeamView = {
  team: { id: 'den-helder-centrum', name: 'Den Helder-Centrum', regionId: 'den-helder', regionName: 'Den Helder' },
  month: '2026-10',
  size: { headcount: 12, fte: 9.5 },
  minGroupSize: 5,
  indicators: [
    { key: 'sickness', name: 'Ziekteverzuim', unit: '%', direction: 'lower', target: 5, min: 0, max: 100, aggregate: 'weighted_mean', builtin: true, private: false, restricted: false },
  ],
  latest: [{ key: 'sickness', value: 7.2, previous: 6.1, change: 1.1, target: 5, status: 'red', region: 6, organisation: 5.9 }],
  series: [],
  signals: [{ team: 'den-helder-centrum', teamName: 'Den Helder-Centrum', key: 'sickness', kind: 'off_target', months: 3, message: '' }],
};

function mockTeam(session = anouk, extra: Record<string, MockHandler> = {}) {
  return mockFetch({
    [`${API}/session`]: { body: session },
    [SPACE]: { body: space({ member: session === anouk, canPost: session === anouk, canEdit: session === anouk }) },
    [`${API}/teams/den-helder-centrum`]: { body: denHelderCentrum },
    [`${SPACE}/posts?limit=20`]: {
      body: {
        items: [
          post({ id: 'p-1', body: 'Wie heeft de **sleutel** van de kast?', createdAt: '2026-11-21T08:00:00Z' }),
          post({ id: 'p-pin', body: 'Overdracht om 14:00', pinned: true, agreement: true }),
          post({ id: 'p-2', body: 'Nieuwe collega begint maandag' }),
        ],
      },
    },
    [`${SPACE}/posts?pinned=true&limit=20`]: { body: { items: [post({ id: 'p-pin', body: 'Overdracht om 14:00', pinned: true, agreement: true })] } },
    [eventsUrl()]: {
      body: {
        items: [
          {
            id: 'e1', spaceId: 'den-helder-centrum', title: 'Teamoverleg', start: new Date(Date.now() + 86_400_000).toISOString(),
            end: new Date(Date.now() + 90_000_000).toISOString(), allDay: false, location: 'Buurthuis', description: '',
            visibility: 'team', createdBy: { id: 'u-anouk', name: 'Anouk de Vries' }, canDelete: false,
          },
        ],
      },
    },
    [`${API}/dashboard/teams/den-helder-centrum?months=24`]: { body: figures },
    [`${API}/announcements?limit=50`]: {
      body: { items: [{ id: 'a1', title: 'Nieuw rooster', requiresAck: true, acknowledged: false }, { id: 'a2', title: 'Al gelezen', requiresAck: true, acknowledged: true }] },
    },
    [`${API}/knowledge/confirmations/pending`]: { body: { items: [{ id: 'k1', title: 'Protocol insuline' }] } },
    [`${API}/learning/teams/den-helder-centrum/panel`]: {
      body: { team: { id: 'den-helder-centrum', name: 'Den Helder-Centrum' }, hasTrajectory: false, phase: null, nextSession: null, modulesDone: 0, modulesTotal: 0 },
    },
    [`${API}/audits/teams/den-helder-centrum`]: {
      body: { teamId: 'den-helder-centrum', teamName: 'Den Helder-Centrum', audits: [], openFindings: [], actions: [] },
    },
    ...extra,
  });
}

describe('team page', () => {
  it('opens on the overview: what is new first, then figures, agreements, the slots, and the profile last', async () => {
    mockTeam();
    renderApp('/teams/den-helder-centrum');

    expect(await screen.findByRole('heading', { level: 1, name: 'Den Helder-Centrum' })).toBeInTheDocument();
    expect(screen.getByText('Jouw team')).toBeInTheDocument();
    expect(document.title).toBe('Team Den Helder-Centrum · Plein');

    const tabs = screen.getByRole('navigation', { name: 'Onderdelen van het team' });
    expect(within(tabs).getAllByRole('link').map((a) => a.textContent)).toEqual([
      'Overzicht', 'Berichten', 'Documenten', 'Agenda', 'Cijfers', 'Leden en taakrollen', 'Teamchat',
    ]);
    expect(within(tabs).getByRole('link', { name: 'Teamchat' })).toHaveAttribute('href', '/chat/t-den-helder-centrum');

    // To do for me, in short: the article to confirm and the announcement not yet acknowledged.
    const todos = await screen.findByTestId('team-todos');
    expect(await within(todos).findByRole('link', { name: 'Protocol insuline' })).toHaveAttribute('href', '/kennisbank/k1');
    expect(await within(todos).findByRole('link', { name: 'Nieuw rooster' })).toHaveAttribute('href', '/mededelingen/a1');
    expect(within(todos).queryByText('Al gelezen')).not.toBeInTheDocument();
    // It comes after what is new in the team.
    expect(screen.getByTestId('team-latest-posts').compareDocumentPosition(todos) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

    // Latest posts as one plain line each (no markdown marks), pinned ones not repeated.
    const latest = screen.getByTestId('team-latest-posts');
    const first = await within(latest).findByRole('link', { name: 'Wie heeft de sleutel van de kast?' });
    expect(first).toHaveAttribute('href', '/teams/den-helder-centrum/berichten/p-1');
    expect(within(latest).queryByText('Overdracht om 14:00')).not.toBeInTheDocument();

    const events = screen.getByTestId('team-next-events');
    expect(await within(events).findByRole('link', { name: 'Teamoverleg' })).toHaveAttribute('href', '/teams/den-helder-centrum/agenda/e1');

    const fig = screen.getByTestId('team-overview-figures');
    expect(await within(fig).findByText('7,2%', { exact: false })).toBeInTheDocument();
    expect(within(fig).getByTestId('team-signal-count')).toHaveTextContent('1 signaal');

    expect(await within(screen.getByTestId('team-agreements')).findByText('Overdracht om 14:00')).toBeInTheDocument();
    // The steering cycle beside the figures: the learning and audits panels.
    expect(await screen.findByRole('heading', { name: 'Leertraject' })).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Audits van team Den Helder-Centrum' })).toBeInTheDocument();
    expect(screen.getByText('Geen open bevindingen.')).toBeInTheDocument();

    // "Over dit team" comes last and is short: the text is folded away.
    const about = screen.getByTestId('team-about');
    expect(within(about).getByRole('link', { name: /0223 - 12 34 56/ })).toHaveAttribute('href', 'tel:0223123456');
    expect(within(about).getByText('Lees wat het team over zichzelf schrijft')).toBeInTheDocument();
    expect(latest.compareDocumentPosition(about) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('shows members with function and taakrollen, and the one profile', async () => {
    mockTeam();
    renderApp('/teams/den-helder-centrum/leden');
    const members = await screen.findByTestId('team-members');
    const items = await within(members).findAllByTestId('team-member');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('Anouk de Vries (jij)');
    expect(within(items[1]!).getByText('Wijkverpleegkundige')).toBeInTheDocument();
    expect(within(items[1]!).getByText('Financiën')).toBeInTheDocument();
    // Description, working area and contact come from the space profile (sanitised HTML).
    expect(screen.getByTestId('space-description').innerHTML).toBe('<p>Wij zijn een <strong>zelfsturend</strong> team.</p>');
    expect(document.title).toBe('Leden en taakrollen – Den Helder-Centrum · Plein');
  });

  it('shows this month’s figures with signals and links to the dashboard', async () => {
    mockTeam();
    renderApp('/teams/den-helder-centrum/cijfers');
    const section = await screen.findByTestId('team-figures');
    expect(await within(section).findByText('Ziekteverzuim')).toBeInTheDocument();
    expect(within(section).getByText('Norm niet gehaald', { exact: false })).toBeInTheDocument();
    expect(within(section).getByRole('link', { name: /dashboard/ })).toHaveAttribute('href', '/dashboard/teams/den-helder-centrum');
  });

  it('redirects a team’s old space links to the team page', async () => {
    mockTeam();
    const { router } = renderApp('/ruimtes/den-helder-centrum/profiel');
    await waitFor(() => expect(router.state.location.pathname).toBe('/teams/den-helder-centrum/over'));
    expect(await screen.findByTestId('profile-form')).toBeInTheDocument();
  });

  it('shows an outsider no documents and no team chat', async () => {
    mockTeam(daan);
    renderApp('/teams/den-helder-centrum');
    const tabs = await screen.findByRole('navigation', { name: 'Onderdelen van het team' });
    expect(within(tabs).queryByRole('link', { name: 'Documenten' })).not.toBeInTheDocument();
    expect(within(tabs).queryByRole('link', { name: 'Teamchat' })).not.toBeInTheDocument();
    expect(screen.queryByTestId('team-todos')).not.toBeInTheDocument();
  });

  it('shows a not-found message for an unknown team', async () => {
    mockFetch({
      [`${API}/session`]: { body: anouk },
      [`${API}/spaces/bestaat-niet`]: { status: 404, body: { title: 'Not Found', status: 404 } },
    });
    renderApp('/teams/bestaat-niet');
    expect(await screen.findByRole('heading', { level: 1, name: 'Team niet gevonden' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Terug naar alle teams' })).toHaveAttribute('href', '/teams');
  });
});

describe('main navigation', () => {
  it('reaches my team, and through "Meer" the spaces, announcements and all teams', async () => {
    mockTeam();
    renderApp('/');
    const nav = await screen.findByRole('navigation', { name: 'Hoofdmenu' });
    expect(within(nav).getByTestId('nav-my-team')).toHaveAttribute('href', '/teams/den-helder-centrum');
    const more = within(nav).getByRole('button', { name: 'Meer' });
    expect(more).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(more);
    expect(more).toHaveAttribute('aria-expanded', 'true');
    const list = within(nav).getByRole('list', { name: 'Meer onderdelen' });
    expect(within(list).getByRole('link', { name: 'Ruimtes' })).toHaveAttribute('href', '/ruimtes');
    expect(within(list).getByRole('link', { name: 'Mededelingen' })).toHaveAttribute('href', '/mededelingen');
    expect(within(list).getByRole('link', { name: 'Alle teams' })).toHaveAttribute('href', '/teams');
    await userEvent.keyboard('{Escape}');
    expect(more).toHaveAttribute('aria-expanded', 'false');
    expect(more).toHaveFocus();
  });
});
