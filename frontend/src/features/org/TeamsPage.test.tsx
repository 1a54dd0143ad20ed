import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { anouk, regions, teams } from '../../test/fixtures';
import { mockFetch, renderApp } from '../../test/utils';

function setup(path = '/teams') {
  mockFetch({
    '/api/v1/session': { body: anouk },
    '/api/v1/regions': { body: { items: regions } },
    '/api/v1/teams': { body: { items: teams } },
  });
  return renderApp(path);
}

describe('teams page', () => {
  it('lists teams grouped by region with links', async () => {
    setup();
    const denHelder = await screen.findByRole('region', { name: /Den Helder/ });
    expect(within(denHelder).getByRole('link', { name: 'Den Helder-Centrum' })).toHaveAttribute(
      'href',
      '/teams/den-helder-centrum',
    );
    expect(within(denHelder).getByRole('link', { name: 'Julianadorp' })).toBeInTheDocument();
    expect(within(denHelder).getByText('Jouw team')).toBeInTheDocument();
    const westFriesland = screen.getByRole('region', { name: /West-Friesland/ });
    expect(within(westFriesland).getAllByRole('listitem')).toHaveLength(2);
    expect(within(westFriesland).getByText('1 teamlid')).toBeInTheDocument();
    expect(document.title).toBe('Teams · Plein');
  });

  it('filters by name, ignoring diacritics and case', async () => {
    const { router } = setup();
    const input = await screen.findByRole('searchbox', { name: 'Zoek een team' });

    await userEvent.type(input, 'URSEM cafe');
    expect(screen.getByRole('link', { name: 'Zwaagdijk-Ürsem Café' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Den Helder-Centrum' })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: /Den Helder/ })).not.toBeInTheDocument();
    expect(screen.getByText('1 team gevonden')).toHaveAttribute('role', 'status');
    expect(router.state.location.search).toBe('?q=URSEM+cafe');

    await userEvent.clear(input);
    await userEvent.type(input, 'café');
    expect(screen.getByRole('link', { name: 'Zwaagdijk-Ürsem Café' })).toBeInTheDocument();

    await userEvent.clear(input);
    await userEvent.type(input, 'xyz');
    expect(screen.getByText('Geen teams gevonden voor ‘xyz’.')).toHaveAttribute('role', 'status');
    expect(screen.queryAllByRole('link', { name: /Den Helder-Centrum|Julianadorp|Hoogwoud|Zwaagdijk/ })).toHaveLength(0);
  });

  it('also finds teams by postcode and restores the filter from the URL', async () => {
    setup('/teams?q=1787');
    expect(await screen.findByRole('link', { name: 'Julianadorp' })).toBeInTheDocument();
    expect(within(screen.getByRole('main')).getByRole('searchbox')).toHaveValue('1787');
    expect(screen.queryByRole('link', { name: 'Den Helder-Centrum' })).not.toBeInTheDocument();
  });

  it('shows an alert in Dutch from the problem code when loading fails', async () => {
    mockFetch({
      '/api/v1/session': { body: anouk },
      '/api/v1/regions': { body: { items: regions } },
      '/api/v1/teams': { status: 500, body: { code: 'internal', title: 'Internal error', status: 500 } },
    });
    renderApp('/teams');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Er ging iets mis');
    expect(alert).toHaveTextContent('Er ging aan onze kant iets mis. Probeer het later opnieuw.');
    expect(alert).not.toHaveTextContent('Internal error');
  });
});
