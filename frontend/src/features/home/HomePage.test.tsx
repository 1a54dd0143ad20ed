import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../api/types';
import { anouk, regions } from '../../test/fixtures';
import { mockFetch, renderApp } from '../../test/utils';

const API = '/api/v1';

/** Today at the given local hour, and tomorrow as a date, as the API gives them. */
function todayAt(hour: number): string {
  const d = new Date();
  d.setHours(hour, 0, 0, 0);
  return d.toISOString();
}
function tomorrow(): string {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function as(roles: string[], teams = anouk.user.teams): Session {
  return { ...anouk, user: { ...anouk.user, roles, teams } };
}

describe('home page "Vandaag"', () => {
  it('greets a care worker, starts at the team, and lists what to do and what is new', async () => {
    mockFetch({
      [`${API}/session`]: { body: anouk },
      [`${API}/regions`]: { body: { items: regions } },
      [`${API}/knowledge/confirmations/pending`]: { body: { items: [{ id: 'k1', title: 'Protocol insuline' }] } },
      [`${API}/announcements?limit=50`]: {
        body: {
          items: [
            { id: 'a1', title: 'Nieuw rooster', requiresAck: true, acknowledged: false, author: { id: 'u-ilse', name: 'Ilse Dekker' }, createdAt: '2026-11-19T12:00:00Z' },
            { id: 'a2', title: 'Kerstborrel', requiresAck: false, acknowledged: false, author: { id: 'u-ilse', name: 'Ilse Dekker' }, createdAt: '2026-11-18T12:00:00Z' },
          ],
        },
      },
      [`${API}/agenda?days=2`]: {
        body: {
          items: [
            { id: 'e1', spaceId: 'den-helder-centrum', title: 'Teamoverleg', start: todayAt(14), end: todayAt(15), allDay: false, location: 'Teampost', visibility: 'team' },
            { id: 'e2', spaceId: 'den-helder-centrum', title: 'Scholing wondzorg', start: tomorrow(), end: tomorrow(), allDay: true, location: '', visibility: 'organisation' },
          ],
        },
      },
      [`${API}/spaces/den-helder-centrum/posts?limit=20`]: {
        body: { items: [{ id: 'p1', spaceId: 'den-helder-centrum', body: 'Wie heeft de **sleutel**?', author: { id: 'u-sanne', name: 'Sanne Bakker' }, createdAt: '2026-11-21T08:00:00Z' }] },
      },
    });
    renderApp('/');

    expect(await screen.findByRole('heading', { level: 1, name: /Anouk$/ })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toMatch(/^(Goedemorgen|Goedemiddag|Goedenavond), Anouk$/);
    expect(screen.getByTestId('home-today')).toHaveTextContent(/^Vandaag, /);
    expect(document.title).toBe('Home · Plein');

    const start = screen.getByTestId('home-start');
    expect(within(start).getByRole('link', { name: 'Team Den Helder-Centrum' })).toHaveAttribute('href', '/teams/den-helder-centrum');
    expect(within(start).getByRole('link', { name: 'Teamchat' })).toHaveAttribute('href', '/chat/t-den-helder-centrum');

    const todo = await screen.findByTestId('home-todo');
    expect(await within(todo).findByRole('link', { name: 'Protocol insuline' })).toHaveAttribute('href', '/kennisbank/k1');
    expect(await within(todo).findByRole('link', { name: 'Nieuw rooster' })).toHaveAttribute('href', '/mededelingen/a1');
    expect(within(todo).queryByText('Kerstborrel')).not.toBeInTheDocument();
    expect(within(todo).getByTestId('home-todo-count')).toHaveTextContent('2');

    const posts = screen.getByTestId('home-posts');
    expect(await within(posts).findByRole('link', { name: 'Wie heeft de sleutel?' })).toHaveAttribute('href', '/teams/den-helder-centrum/berichten/p1');
    expect(within(posts).getByRole('link', { name: /Alle ruimtes/ })).toHaveAttribute('href', '/ruimtes');
    const news = screen.getByTestId('home-news');
    expect(await within(news).findByRole('link', { name: 'Kerstborrel' })).toBeInTheDocument();
    expect(within(news).getByRole('link', { name: 'Alle mededelingen' })).toHaveAttribute('href', '/mededelingen');
    const agenda = screen.getByTestId('home-agenda');
    expect(await within(agenda).findByRole('link', { name: 'Teamoverleg' })).toHaveAttribute('href', '/teams/den-helder-centrum/agenda/e1');
    expect(within(agenda).getByRole('link', { name: 'Teamoverleg' }).parentElement).toHaveTextContent(/Vandaag · 14:00 · Teampost/);
    expect(within(agenda).getByRole('link', { name: 'Scholing wondzorg' }).parentElement).toHaveTextContent('Morgen');
    expect(screen.getByTestId('home-chat')).toBeInTheDocument();

    const cards = screen.getAllByTestId('team-card');
    expect(cards).toHaveLength(1);
    expect(within(cards[0]!).getByText('Planning')).toBeInTheDocument();
    expect(screen.getByText('Zorgmedewerker')).toBeInTheDocument();
  });

  it('gives roles without a team their starting point, not "no team" as the main message', async () => {
    const cases: [string, string[], string, string][] = [
      ['support services', ['ondersteunende_dienst'], 'start-review', '/kennisbank/review'],
      ['administrator', ['beheerder'], 'start-org-health', '/dashboard/organisation'],
      ['coordinating district nurse', ['coordinerend_wijkverpleegkundige'], 'start-follow-teams', '/dashboard/organisation'],
    ];
    for (const [, roles, testId, href] of cases) {
      mockFetch({ [`${API}/session`]: { body: as(roles, []) }, [`${API}/regions`]: { body: { items: regions } } });
      const { unmount } = renderApp('/');
      expect(await screen.findByTestId(testId)).toHaveAttribute('href', href);
      expect(screen.queryByText(/nog niet aan een team gekoppeld/)).not.toBeInTheDocument();
      expect(screen.queryByTestId('team-card')).not.toBeInTheDocument();
      unmount();
    }
  });

  it("makes a coach's home the coach board over their teams", async () => {
    mockFetch({ [`${API}/session`]: { body: as(['teamcoach'], []) }, [`${API}/regions`]: { body: { items: regions } } });
    renderApp('/');
    expect(await screen.findByTestId('plan-session-toggle')).toBeInTheDocument();
    expect(screen.queryByTestId('home-today')).not.toBeInTheDocument();
  });

  it('leads a region manager to the region they chose', async () => {
    localStorage.setItem('plein.myRegion', 'west-friesland');
    mockFetch({ [`${API}/session`]: { body: as(['regiomanager'], []) }, [`${API}/regions`]: { body: { items: regions } } });
    renderApp('/');
    expect(await screen.findByTestId('start-region')).toHaveAttribute('href', '/dashboard/regions/west-friesland');
    expect(screen.getByTestId('start-region')).toHaveTextContent('Dashboard regio West-Friesland');
    expect(screen.getByText('Regiomanager')).toBeInTheDocument();
    localStorage.removeItem('plein.myRegion');
  });

  it('opens the dashboard on the region manager’s own region', async () => {
    localStorage.setItem('plein.myRegion', 'west-friesland');
    mockFetch({ [`${API}/session`]: { body: as(['regiomanager'], []) }, [`${API}/regions`]: { body: { items: regions } } });
    const { router } = renderApp('/dashboard');
    await waitFor(() => expect(router.state.location.pathname).toBe('/dashboard/regions/west-friesland'));
    localStorage.removeItem('plein.myRegion');
  });

  it('says when the monthly figures are due to be imported', async () => {
    mockFetch({
      [`${API}/session`]: { body: as(['ondersteunende_dienst'], []) },
      [`${API}/regions`]: { body: { items: regions } },
      [`${API}/dashboard/imports`]: { body: { items: [{ id: 'i1', committed: true, lastMonth: '2020-01' }] } },
    });
    renderApp('/');
    const todo = await screen.findByTestId('home-todo');
    expect(await within(todo).findByText('Cijfers importeren')).toBeInTheDocument();
    expect(within(todo).getByRole('link', { name: /Maandcijfers van/ })).toHaveAttribute('href', '/dashboard/import');
  });
});
