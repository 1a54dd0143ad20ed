import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { anouk, denHelderCentrum } from '../../test/fixtures';
import { mockFetch, renderApp } from '../../test/utils';

describe('team page', () => {
  it('shows the team with contact links, members and badges', async () => {
    mockFetch({
      '/api/v1/session': { body: anouk },
      '/api/v1/teams/den-helder-centrum': { body: denHelderCentrum },
    });
    renderApp('/teams/den-helder-centrum');

    expect(await screen.findByRole('heading', { level: 1, name: 'Den Helder-Centrum' })).toBeInTheDocument();
    expect(document.title).toBe('Team Den Helder-Centrum · Plein');
    expect(screen.getByText('Jouw team')).toBeInTheDocument();
    expect(screen.getAllByText('Den Helder').length).toBeGreaterThan(0);
    expect(screen.getByText('1781')).toBeInTheDocument();

    // Description is plain text: HTML is shown literally, paragraphs preserved.
    expect(screen.getByText('Wij zijn een zelfsturend team.').tagName).toBe('P');
    expect(screen.getByText('We werken <b>dag en avond</b> in het centrum.')).toBeInTheDocument();
    expect(document.querySelector('.prose b')).toBeNull();

    expect(screen.getByRole('link', { name: /0223 - 12 34 56/ })).toHaveAttribute('href', 'tel:0223123456');
    expect(screen.getByRole('link', { name: /centrum@noorderkwartier.example/ })).toHaveAttribute(
      'href',
      'mailto:centrum@noorderkwartier.example',
    );

    const members = screen.getByRole('region', { name: /Teamleden/ });
    const items = within(members).getAllByRole('listitem').filter((li) => li.classList.contains('member'));
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('Anouk de Vries (jij)');
    expect(within(items[1]!).getByText('Wijkverpleegkundige')).toBeInTheDocument();
    expect(within(items[1]!).getByText('Financiën')).toBeInTheDocument();
    expect(within(items[1]!).getByText('Kwaliteit')).toBeInTheDocument();
  });

  it('shows a not-found message for an unknown team', async () => {
    mockFetch({
      '/api/v1/session': { body: anouk },
      '/api/v1/teams/bestaat-niet': { status: 404, body: { title: 'Not Found', status: 404 } },
    });
    renderApp('/teams/bestaat-niet');
    expect(await screen.findByRole('heading', { level: 1, name: 'Team niet gevonden' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Terug naar alle teams' })).toHaveAttribute('href', '/teams');
  });
});
