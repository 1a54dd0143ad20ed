import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { anouk } from '../../test/fixtures';
import { mockFetch, renderApp } from '../../test/utils';
import { render } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { createQueryClient } from '../../lib/queryClient';
import { enqueue, flush, pending } from './offline';
import { TeamAuditsPanel } from './TeamAuditsPanel';
import { AUDIT_ID, audit, heatmap, johan, teamAudits } from './testing';

const enc = encodeURIComponent(AUDIT_ID);
const AUDIT_URL = `/api/v1/audits/${enc}`;
const ANSWERS_URL = `POST /api/v1/audits/${enc}/answers`;

describe('offline answer queue', () => {
  it('keeps answers on the device while the network is away and sends each exactly once', async () => {
    const bodies: { answers: { clientId: string }[] }[] = [];
    let network = false;
    const fetchFn = mockFetch({});
    fetchFn.mockImplementation(async (_input: RequestInfo | URL, init: RequestInit = {}) => {
      if (!network) throw new TypeError('Failed to fetch');
      bodies.push(JSON.parse(String(init.body)));
      return new Response(JSON.stringify({ applied: 1, duplicates: 0, audit: audit() }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    enqueue(AUDIT_ID, { clientId: 'client-0001', criterion: 'rooster-eigen', score: 'deels', note: '' });
    enqueue(AUDIT_ID, { clientId: 'client-0002', criterion: 'rooster-clientplanning', score: 'voldoet', note: '' });
    // A newer answer to the same criterion replaces the unsent older one.
    enqueue(AUDIT_ID, { clientId: 'client-0003', criterion: 'rooster-eigen', score: 'voldoet_niet', note: 'nee' });
    expect(await flush(AUDIT_ID)).toBeNull();
    expect(pending(AUDIT_ID).map((a) => a.clientId)).toEqual(['client-0002', 'client-0003']);
    network = true;
    expect(await flush(AUDIT_ID)).not.toBeNull();
    expect(pending(AUDIT_ID)).toEqual([]);
    expect(await flush(AUDIT_ID)).toBeNull(); // nothing left: nothing sent again
    expect(bodies).toHaveLength(1);
    expect(bodies[0]!.answers.map((a) => a.clientId)).toEqual(['client-0002', 'client-0003']);
  });
});

describe('conducting an audit', () => {
  it('goes criterion by criterion, warns about photos, and sends the answer with a device id', async () => {
    const sent: { answers: { clientId: string; criterion: string; score: string; note: string }[] }[] = [];
    mockFetch({
      '/api/v1/session': { body: johan },
      [AUDIT_URL]: { body: audit() },
      [ANSWERS_URL]: ({ init }) => {
        const body = JSON.parse(String(init.body));
        sent.push(body);
        return { body: { applied: 1, duplicates: 0, audit: audit({ answered: 1, answers: [{ ...body.answers[0], answeredAt: '2026-11-01T10:00:00Z' }] }) } };
      },
    });
    renderApp(`/audits/${enc}/uitvoeren`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Audit Den Helder-Centrum' })).toBeInTheDocument();
    expect(screen.getByText('Criterium 1 van 2 · Eigen rooster en cliëntplanning')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Het team maakt zijn eigen rooster.' })).toHaveFocus();
    expect(screen.getByTestId('photo-warning')).toHaveTextContent('fotografeer nooit cliënten');

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Opslaan en verder' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Kies eerst een oordeel.');
    expect(screen.getByRole('alert')).toHaveFocus();
    expect(screen.getByTestId('error-score')).toHaveTextContent('Kies eerst een oordeel.');
    await user.click(screen.getByRole('link', { name: 'Kies eerst een oordeel.' }));
    expect(screen.getAllByRole('radio')[0]).toHaveFocus();
    await user.click(screen.getByRole('radio', { name: 'Voldoet deels' }));
    await user.type(screen.getByLabelText('Toelichting (optioneel)'), 'Rooster deels centraal');
    await user.click(screen.getByRole('button', { name: 'Opslaan en verder' }));

    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]!.answers[0]).toMatchObject({ criterion: 'rooster-eigen', score: 'deels', note: 'Rooster deels centraal' });
    expect(sent[0]!.answers[0]!.clientId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(await screen.findByRole('heading', { level: 2, name: 'Het team plant zelf de zorg bij cliënten.' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('audit-sync')).toHaveTextContent('Alle antwoorden zijn opgeslagen.'));
  });

  it('tells someone who is not the auditor that they cannot conduct it', async () => {
    mockFetch({ '/api/v1/session': { body: anouk }, [AUDIT_URL]: { body: audit({ can: { conduct: false, addAction: false, correct: false } }) } });
    renderApp(`/audits/${enc}/uitvoeren`);
    expect(await screen.findByText('Alleen de auditor voert deze audit uit.')).toBeInTheDocument();
  });
});

describe('reports', () => {
  it('shows the heat map with words beside the colours, and a plain table alternative', async () => {
    mockFetch({
      '/api/v1/session': { body: johan },
      '/api/v1/audits/rounds': { body: { items: [heatmap.round] } },
      '/api/v1/audits/reports/heatmap': { body: heatmap },
      '/api/v1/audits/reports/rounds': { body: { items: [], themes: heatmap.themes } },
      '/api/v1/audits/templates': { body: { items: [audit().template] } },
    });
    renderApp('/audits/rapportage');
    const map = await screen.findByTestId('heatmap');
    const row = within(map).getByRole('row', { name: /Den Helder-Centrum/ });
    expect(row).toHaveTextContent('50 Aandacht nodig (onder 55)');
    expect(row).toHaveTextContent('90 Op orde (80 of hoger)');
    expect(screen.getByRole('link', { name: 'Download als CSV' })).toHaveAttribute('href', '/api/v1/audits/reports/export.csv?round=peer-2026-q4');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Toon als gewone tabel' }));
    expect(screen.getByTestId('heat-table')).toBeInTheDocument();
    expect(screen.queryByTestId('heatmap')).not.toBeInTheDocument();
  });
});

describe('TeamAuditsPanel', () => {
  function renderPanel() {
    const client = createQueryClient();
    client.setDefaultOptions({ queries: { retry: false } });
    return render(
      <QueryClientProvider client={client}>
        <MemoryRouter>
          <TeamAuditsPanel teamId="den-helder-centrum" />
        </MemoryRouter>
      </QueryClientProvider>,
    );
  }

  it("shows the team's open findings and actions", async () => {
    mockFetch({ '/api/v1/audits/teams/den-helder-centrum': { body: teamAudits() } });
    renderPanel();
    expect(await screen.findByRole('heading', { name: 'Audits van team Den Helder-Centrum' })).toBeInTheDocument();
    expect(screen.getByTestId('team-finding')).toHaveTextContent('Het team maakt zijn eigen rooster. · Voldoet niet · Q4 2026');
    const act = screen.getByTestId('audit-action');
    expect(act).toHaveTextContent('Rooster samen maken');
    expect(act).toHaveTextContent('Taakrol Kwaliteit');
    expect(within(act).getByRole('button', { name: 'Afronden' })).toBeInTheDocument();
  });

  it('shows nothing to someone who may not see the team', async () => {
    const fetchFn = mockFetch({ '/api/v1/audits/teams/den-helder-centrum': { status: 403, body: { title: 'Not allowed', status: 403 } } });
    const { container } = renderPanel();
    await waitFor(() => expect(fetchFn).toHaveBeenCalled());
    await waitFor(() => expect(container).toBeEmptyDOMElement());
  });
});

describe('planning', () => {
  it('shows the proposal and sends an adjustment; a refusal names the assignment', async () => {
    const round = {
      id: 'peer-2027-q1',
      type: 'peer',
      quarter: '2027-Q1',
      label: 'Q1 2027',
      status: 'planning',
      templateId: 'randvoorwaarden:v1',
      assignments: [{ teamId: 'den-helder-centrum', teamName: 'Den Helder-Centrum', regionId: 'den-helder', regionName: 'Den Helder', auditorId: 'u-johan', auditorName: 'Johan Mulder' }],
      violations: [],
      warnings: [],
      auditors: [
        { userId: 'u-johan', name: 'Johan Mulder', regionId: 'hoorn', load: 1 },
        { userId: 'u-dh', name: 'Regiomanager Den Helder', regionId: 'den-helder', load: 0 },
      ],
      progress: { audits: 0, finished: 0 },
    };
    const puts: unknown[] = [];
    mockFetch({
      '/api/v1/session': { body: { ...johan, user: { ...johan.user, roles: ['ondersteunende_dienst'] } } },
      '/api/v1/audits/rounds/peer-2027-q1': { body: round },
      'PUT /api/v1/audits/rounds/peer-2027-q1/assignments': ({ init }) => {
        puts.push(JSON.parse(String(init.body)));
        return {
          status: 422,
          body: { title: 'Invalid input', status: 422, errors: [{ field: 'assignments[0].auditorId', code: 'assignment_rule', message: 'own_region: nobody audits their own region', params: { rule: 'own_region' } }] },
        };
      },
    });
    renderApp('/audits/rondes/peer-2027-q1');
    const select = await screen.findByRole('combobox', { name: 'Auditor voor Den Helder-Centrum' });
    const user = userEvent.setup();
    await user.selectOptions(select, 'u-dh');
    await user.click(screen.getByRole('button', { name: 'Wijzigingen controleren en opslaan' }));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toEqual({ assignments: [{ teamId: 'den-helder-centrum', auditorId: 'u-dh' }] });
    expect(await screen.findByRole('alert')).toHaveTextContent('De wijziging is niet opgeslagen: 1 toewijzing breekt de regels.');
    expect(screen.getByTestId('assignment-error')).toHaveTextContent('niemand audit de eigen regio');
  });

  it('shows a refused new round at the quarter field and in the summary above the form', async () => {
    mockFetch({
      '/api/v1/session': { body: { ...johan, user: { ...johan.user, roles: ['ondersteunende_dienst'] } } },
      '/api/v1/audits/rounds': { body: { items: [] } },
      'POST /api/v1/audits/rounds': {
        status: 422,
        body: { code: 'validation', title: 'Invalid input', status: 422, errors: [{ field: 'quarter', code: 'invalid', message: 'use 2027-Q1' }] },
      },
    });
    renderApp('/audits/planning');
    const user = userEvent.setup();
    const quarter = await screen.findByLabelText('Kwartaal');
    await user.type(quarter, '2027');
    await user.click(screen.getByRole('button', { name: 'Verdeling voorstellen' }));
    const summary = await screen.findByTestId('audit-plan-problem');
    expect(summary).toHaveFocus();
    expect(summary).toHaveTextContent('Niet alles is goed ingevuld.');
    expect(within(summary).getByRole('link', { name: 'Deze waarde klopt niet.' })).toHaveAttribute('href', `#${quarter.id}`);
    expect(quarter).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('error-quarter')).toHaveTextContent('Deze waarde klopt niet.');
    expect(quarter).toHaveAccessibleDescription(/Deze waarde klopt niet\./);
    expect(screen.getByTestId('audit-plan-form').textContent).not.toMatch(/Invalid input|use 2027/);
    // Above the fields, not below them.
    expect(summary.compareDocumentPosition(quarter) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});
