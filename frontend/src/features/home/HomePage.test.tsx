import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { anouk, regions } from '../../test/fixtures';
import { mockFetch, renderApp } from '../../test/utils';

describe('home page', () => {
  it("greets the user by first name and shows their teams and roles", async () => {
    mockFetch({
      '/api/v1/session': { body: anouk },
      '/api/v1/regions': { body: { items: regions } },
    });
    renderApp('/');

    expect(await screen.findByRole('heading', { level: 1, name: /Anouk$/ })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toMatch(/^(Goedemorgen|Goedemiddag|Goedenavond), Anouk$/);
    expect(screen.getByTestId('user-name')).toHaveTextContent('Anouk de Vries');

    const cards = screen.getAllByTestId('team-card');
    expect(cards).toHaveLength(1);
    const link = within(cards[0]!).getByRole('link', { name: 'Den Helder-Centrum' });
    expect(link).toHaveAttribute('href', '/teams/den-helder-centrum');
    expect(within(cards[0]!).getByText('Planning')).toBeInTheDocument();
    expect(await within(cards[0]!).findByText('Den Helder')).toBeInTheDocument();

    expect(screen.getByRole('heading', { level: 2, name: 'Mijn team' })).toBeInTheDocument();
    expect(screen.getByText('Zorgmedewerker')).toBeInTheDocument();
    expect(document.title).toBe('Home · Plein');
  });

  it('shows a friendly message when the user has no team', async () => {
    mockFetch({
      '/api/v1/session': { body: { ...anouk, user: { ...anouk.user, teams: [], roles: ['regiomanager'] } } },
      '/api/v1/regions': { body: { items: regions } },
    });
    renderApp('/');

    expect(await screen.findByText('Je bent nog niet aan een team gekoppeld')).toBeInTheDocument();
    expect(screen.queryByTestId('team-card')).not.toBeInTheDocument();
    expect(screen.getByText('Regiomanager')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Alle teams bekijken' })).toHaveAttribute('href', '/teams');
  });
});
