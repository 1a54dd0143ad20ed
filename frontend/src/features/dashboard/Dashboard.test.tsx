import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { anouk } from '../../test/fixtures';
import { mockFetch, renderApp } from '../../test/utils';
import { niceTicks } from './TrendChart';
import { ilse, orgView, smallTeamView, teamView } from './testing';

const TEAM_URL = '/api/v1/dashboard/teams/den-helder-centrum?months=24';

function card(indicator: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-testid="dashboard-card"][data-indicator="${indicator}"]`);
  if (!el) throw new Error(`no card for ${indicator}`);
  return el;
}

describe('team dashboard', () => {
  it("shows the user's team with a card per indicator: value, change, target, traffic light, comparison", async () => {
    mockFetch({ '/api/v1/session': { body: anouk }, [TEAM_URL]: { body: teamView() } });
    renderApp('/dashboard');
    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard Den Helder-Centrum' })).toBeInTheDocument();
    expect(screen.getByTestId('dashboard-month')).toHaveTextContent('Cijfers over oktober 2026');
    expect(screen.getAllByTestId('dashboard-card')).toHaveLength(3);

    const grade = card('clientGrade');
    expect(within(grade).getByRole('heading', { name: 'Rapportcijfer cliënten' })).toBeInTheDocument();
    expect(within(grade).getByTestId('dashboard-card-value')).toHaveTextContent('7,6');
    // Traffic light as text (and a symbol), not colour alone.
    expect(within(grade).getByText('Norm niet gehaald')).toBeInTheDocument();
    expect(grade.querySelector('[data-status="red"] .status__icon')).toHaveTextContent('✕');
    expect(grade).toHaveTextContent('Gestegen met 0,1 ten opzichte van vorige maand, toen 7,5, een verbetering');
    expect(grade).toHaveTextContent('Normminimaal 8,0');
    expect(grade).toHaveTextContent('Regio Den Helder8,0');
    expect(grade).toHaveTextContent('Organisatie8,2');

    const absence = card('absencePct');
    expect(within(absence).getByTestId('dashboard-card-value')).toHaveTextContent('5,6%');
    expect(within(absence).getByText('Norm gehaald')).toBeInTheDocument();
    // Lower is better: a fall is an improvement, in percentage points.
    expect(absence).toHaveTextContent('Gedaald met 0,2 procentpunt ten opzichte van vorige maand, toen 5,8%, een verbetering');
    expect(absence).toHaveTextContent('Normmaximaal 6,0%');

    // Signals as callouts.
    expect(screen.getByRole('heading', { name: 'Aandachtspunten' })).toBeInTheDocument();
    expect(screen.getByTestId('dashboard-signal')).toHaveTextContent(
      'Den Helder-Centrum: rapportcijfer cliënten 24 maanden op rij onder de norm.',
    );
    expect(document.title).toBe('Dashboard Den Helder-Centrum · Plein');
  });

  it('explains that sickness absence is hidden for a small team', async () => {
    mockFetch({ '/api/v1/session': { body: anouk }, [TEAM_URL]: { body: smallTeamView() } });
    renderApp('/dashboard');
    await screen.findByRole('heading', { level: 1 });
    const absence = card('absencePct');
    expect(within(absence).getByText('Niet getoond')).toBeInTheDocument();
    expect(within(absence).getByTestId('dashboard-hidden-note')).toHaveTextContent(
      'Verzuim wordt niet getoond bij teams kleiner dan 8 personen, om privacyredenen.',
    );
    expect(within(absence).queryByTestId('dashboard-card-value')).not.toBeInTheDocument();
    // Other indicators are still shown.
    expect(within(card('productivityPct')).getByTestId('dashboard-card-value')).toHaveTextContent('68,6%');
  });

  it('switches a chart to a table and back', async () => {
    mockFetch({ '/api/v1/session': { body: anouk }, [TEAM_URL]: { body: teamView() } });
    renderApp('/dashboard');
    await screen.findByRole('heading', { level: 1 });
    const productivity = card('productivityPct');
    const chart = within(productivity).getByTestId('dashboard-chart');
    expect(within(chart).getByRole('img', { name: /Verloop Productiviteit/ })).toHaveAccessibleName(
      expect.stringContaining('Den Helder-Centrum: van 68,0% in augustus 2026 naar 68,6% in oktober 2026.'),
    );
    expect(within(chart).queryByRole('table')).not.toBeInTheDocument();

    await userEvent.click(within(chart).getByRole('button', { name: 'Toon als tabel' }));
    const table = within(chart).getByRole('table', { name: 'Productiviteit per maand' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(4); // header + 3 months, newest first
    expect(rows[1]).toHaveTextContent('oktober 2026');
    expect(rows[1]).toHaveTextContent('68,6%');
    expect(within(table).getByRole('columnheader', { name: 'Regio Den Helder' })).toBeInTheDocument();
    expect(within(chart).queryByRole('img')).not.toBeInTheDocument();

    await userEvent.click(within(chart).getByTestId('dashboard-table-toggle'));
    expect(within(chart).queryByRole('table')).not.toBeInTheDocument();
    expect(within(chart).getByRole('img')).toBeInTheDocument();
  });

  it('lets someone with several teams switch between them', async () => {
    const twoTeams = {
      ...anouk,
      user: { ...anouk.user, teams: [...anouk.user.teams, { id: 'julianadorp', name: 'Julianadorp', regionId: 'den-helder', teamRoles: [] }] },
    };
    const julianadorp = teamView({ team: { id: 'julianadorp', name: 'Julianadorp', regionId: 'den-helder', regionName: 'Den Helder' } });
    mockFetch({
      '/api/v1/session': { body: twoTeams },
      [TEAM_URL]: { body: teamView() },
      '/api/v1/dashboard/teams/julianadorp?months=24': { body: julianadorp },
    });
    const { router } = renderApp('/dashboard');
    await screen.findByRole('heading', { level: 1, name: 'Dashboard Den Helder-Centrum' });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Team' }), 'julianadorp');
    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard Julianadorp' })).toBeInTheDocument();
    expect(router.state.location.search).toBe('?team=julianadorp');
  });

  it('redirects people without a team to the organisation view', async () => {
    mockFetch({ '/api/v1/session': { body: ilse }, '/api/v1/dashboard/organisation?months=24': { body: orgView() } });
    const { router } = renderApp('/dashboard');
    expect(await screen.findByRole('heading', { level: 1, name: 'Alle teams' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/dashboard/organisation');
  });

  it('computes round y-axis ticks', () => {
    expect(niceTicks(3.1, 6.2)).toEqual([3, 4, 5, 6, 7]);
    expect(niceTicks(5, 5).length).toBeGreaterThan(1);
  });
});

describe('organisation dashboard', () => {
  function setup() {
    mockFetch({ '/api/v1/session': { body: anouk }, '/api/v1/dashboard/organisation?months=24': { body: orgView() } });
    return renderApp('/dashboard/organisation');
  }

  function teamOrder(): string[] {
    const table = screen.getByTestId('org-table');
    return within(table)
      .getAllByRole('rowheader')
      .map((th) => th.textContent ?? '');
  }

  it('sorts the teams by a column and sets aria-sort', async () => {
    const { router } = setup();
    const table = await screen.findByTestId('org-table');
    const nameHeader = within(table).getByRole('columnheader', { name: /^Team/ });
    expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
    expect(teamOrder()).toEqual(['Abbekerk', 'Den Helder-Centrum', 'Julianadorp', 'Zwaag']);

    const productivity = within(table).getByRole('columnheader', { name: /^Productiviteit/ });
    expect(productivity).not.toHaveAttribute('aria-sort');
    await userEvent.click(within(productivity).getByRole('button'));
    expect(productivity).toHaveAttribute('aria-sort', 'ascending');
    expect(nameHeader).not.toHaveAttribute('aria-sort');
    // Missing values last in either order.
    expect(teamOrder()).toEqual(['Abbekerk', 'Zwaag', 'Den Helder-Centrum', 'Julianadorp']);
    expect(screen.getByText('Gesorteerd op Productiviteit, oplopend')).toBeInTheDocument();
    expect(router.state.location.search).toBe('?sort=productivityPct');

    await userEvent.click(within(productivity).getByRole('button'));
    expect(productivity).toHaveAttribute('aria-sort', 'descending');
    expect(teamOrder()).toEqual(['Den Helder-Centrum', 'Zwaag', 'Abbekerk', 'Julianadorp']);
    expect(screen.getByTestId('org-csv')).toHaveAttribute(
      'href',
      '/api/v1/dashboard/organisation.csv?month=2026-10&sort=productivityPct&order=desc',
    );
  });

  it('filters by region and highlights month-on-month changes', async () => {
    setup();
    await screen.findByTestId('org-table');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Regio' }), 'hoorn');
    expect(teamOrder()).toEqual(['Abbekerk', 'Zwaag']);
    const zwaag = screen.getByRole('row', { name: /Zwaag/ });
    expect(zwaag).toHaveTextContent('Gestegen met 1,5 procentpunt ten opzichte van vorige maand, een verbetering');
    expect(zwaag.querySelector('.change--better')).not.toBeNull();
    expect(screen.getByRole('button', { name: 'Afdrukken / opslaan als PDF' })).toBeInTheDocument();
  });
});

describe('import page', () => {
  const badPreview = {
    fileName: 'oktober.csv',
    delimiter: ';',
    valid: false,
    rows: 2,
    columns: [],
    errors: [
      {
        row: 2,
        field: 'rows[2].absencePct',
        column: 'verzuim',
        code: 'percentage_over_100',
        message: 'Rij 2, kolom "verzuim": 112,5 is meer dan 100%.',
      },
    ],
  };
  const csv = 'team;maand;verzuim;productiviteit\nden-helder-centrum;2026-10;112,5;64\njulianadorp;2026-10;5;64\n';

  function setup(preview: { status?: number; body: unknown }) {
    const fetch = mockFetch({
      '/api/v1/session': { body: ilse },
      '/api/v1/dashboard/imports': { body: { items: [] } },
      'POST /api/v1/dashboard/imports/preview': preview,
    });
    renderApp('/dashboard/import');
    return fetch;
  }

  async function choose() {
    const input = await screen.findByLabelText('CSV-bestand');
    await userEvent.upload(input, new File([csv], 'oktober.csv', { type: 'text/csv' }));
    await userEvent.click(screen.getByRole('button', { name: 'Voorbeeld bekijken' }));
  }

  it('lists row errors from the preview, highlights the row and keeps "Importeren" disabled', async () => {
    const fetch = setup({ body: badPreview });
    expect(screen.queryByTestId('import-commit')).not.toBeInTheDocument();
    expect(await screen.findByTestId('import-commit')).toBeDisabled();
    await choose();
    const errors = await screen.findAllByTestId('import-error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toHaveTextContent('Rij 2, kolom "verzuim": 112,5 is meer dan 100%.');
    expect(screen.getByRole('alert')).toHaveTextContent('1 probleem gevonden');
    expect(screen.getByTestId('import-commit')).toBeDisabled();
    const row2 = document.getElementById('import-row-2');
    expect(row2).toHaveClass('row--error');
    expect(row2).toHaveTextContent('1 fout in deze rij');
    expect(row2?.querySelector('.cell--error')).toHaveTextContent('112,5');
    expect(document.getElementById('import-row-3')).not.toHaveClass('row--error');

    const [, init] = fetch.mock.calls.find(([url]) => String(url).endsWith('/imports/preview')) ?? [];
    expect(init?.body).toBeInstanceOf(FormData);
    expect((init?.headers as Record<string, string>)['X-CSRF-Token']).toBe('csrf-ilse');
  });

  it('shows a refused file at the file field and in the summary above the form', async () => {
    setup({
      status: 413,
      body: { title: 'Payload too large', status: 413, code: 'too_large', errors: [{ field: 'file', code: 'file_too_large', message: 'at most 5 MB', params: { maxMb: 5 } }] },
    });
    await choose();
    const summary = await screen.findByTestId('import-problem');
    expect(summary).toHaveFocus();
    const input = screen.getByLabelText('CSV-bestand');
    expect(within(summary).getByRole('link', { name: 'Dit bestand is te groot: maximaal 5 MB.' })).toHaveAttribute('href', `#${input.id}`);
    expect(screen.getByTestId('error-file')).toHaveTextContent('Dit bestand is te groot: maximaal 5 MB.');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(summary.textContent).not.toMatch(/Payload|at most/);
    expect(screen.queryByTestId('import-error')).not.toBeInTheDocument();
  });

  it('shows errors from a 422 problem response per row and disables commit', async () => {
    setup({
      status: 422,
      body: {
        type: '/problems/validation',
        title: 'Invalid input',
        status: 422,
        code: 'validation',
        errors: [{ field: 'rows[3].team', code: 'import_issue', message: 'Rij 3: team "onbekend" bestaat niet.', params: { issue: 'unknown_team', row: 3 } }],
      },
    });
    await choose();
    const errors = await screen.findAllByTestId('import-error');
    expect(errors[0]).toHaveTextContent('Rij 3: team "onbekend" bestaat niet.');
    expect(errors[0]).toHaveAttribute('data-row', '3');
    expect(document.getElementById('import-row-3')).toHaveClass('row--error');
    expect(screen.getByTestId('import-commit')).toBeDisabled();
  });

  it('commits a clean preview and reports the import id and what changed', async () => {
    mockFetch({
      '/api/v1/session': { body: ilse },
      '/api/v1/dashboard/imports': { body: { items: [] } },
      'POST /api/v1/dashboard/imports/preview': {
        body: {
          fileName: 'oktober.csv',
          valid: true,
          rows: 2,
          columns: ['absencePct', 'productivityPct'],
          errors: [],
          summary: { teamMonths: 2, newTeamMonths: 2, added: 4, changed: 0, cleared: 0, unchanged: 0 },
          figures: [
            { row: 2, team: 'den-helder-centrum', teamName: 'Den Helder-Centrum', month: '2026-10', values: { absencePct: 5 } },
          ],
        },
      },
      'POST /api/v1/dashboard/imports': {
        status: 201,
        body: {
          import: { id: '20261105T101500.123Z-9f3a1c', committed: true, at: '2026-11-05T10:15:00Z', by: 'u-ilse', byName: 'Ilse Dekker', kind: 'csv', fileName: 'oktober.csv', source: 'oktober.csv', hash: 'x', rows: 2, columns: [], firstMonth: '2026-10', lastMonth: '2026-10', summary: { teamMonths: 2, newTeamMonths: 2, added: 4, changed: 0, cleared: 0, unchanged: 0 } },
          unchanged: false,
          summary: { teamMonths: 2, newTeamMonths: 2, added: 4, changed: 0, cleared: 0, unchanged: 0 },
        },
      },
    });
    renderApp('/dashboard/import');
    await choose();
    await waitFor(() => expect(screen.getByTestId('import-commit')).toBeEnabled());
    expect(screen.getByTestId('import-preview')).toHaveTextContent('Geen fouten gevonden in 2 rijen.');
    expect(screen.getByTestId('import-preview')).toHaveTextContent('4 cijfers toegevoegd');
    await userEvent.click(screen.getByTestId('import-commit'));
    const success = await screen.findByTestId('import-success');
    expect(success).toHaveTextContent('Geïmporteerd: import 20261105T101500.123Z-9f3a1c');
    expect(success).toHaveTextContent('2 nieuwe team-maanden');
    expect(screen.getByTestId('import-commit')).toBeDisabled();
  });

  it('tells people who may not import that they have no access', async () => {
    mockFetch({ '/api/v1/session': { body: anouk } });
    renderApp('/dashboard/import');
    expect(await screen.findByTestId('import-no-access')).toHaveTextContent('Geen toegang');
    expect(screen.queryByTestId('import-file')).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Cijfers importeren' })).not.toBeInTheDocument();
  });
});
