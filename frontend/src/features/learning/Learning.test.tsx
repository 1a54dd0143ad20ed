import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { anouk } from '../../test/fixtures';
import { mockFetch, renderApp } from '../../test/utils';
import { board, orgYield, peter, questions, scan, teamLearning } from './testing';

async function expectNoViolations() {
  const results = await axe.run(document.body, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

describe('learning programme', () => {
  it("a coach's home page is the coach board, with signals, sorting and filters", async () => {
    const fetch = mockFetch({ '/api/v1/session': { body: peter }, '/api/v1/learning/board?sort=signals': { body: board }, '/api/v1/learning/board?sort=signals&filter=signals': { body: { ...board, teams: [board.teams[1]] } } });
    renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Coachbord' })).toBeInTheDocument();
    const rows = await screen.findAllByTestId('board-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[1]!).getByTestId('board-signal')).toHaveTextContent('Cliënttevredenheid daalt al drie maanden');
    expect(rows[1]).toHaveTextContent('Scan te laat');
    expect(rows[0]).toHaveTextContent('gevorderd');
    await userEvent.selectOptions(screen.getByTestId('board-filter'), 'signals');
    await waitFor(() => expect(screen.getAllByTestId('board-row')).toHaveLength(1));
    expect(fetch.mock.calls.some(([u]) => String(u).includes('filter=signals'))).toBe(true);
    await expectNoViolations();
  });

  it("a team member sees the team's programme: phase, next session, modules, scan profile", async () => {
    mockFetch({
      '/api/v1/session': { body: anouk },
      '/api/v1/learning/teams/den-helder-centrum': { body: teamLearning() },
      '/api/v1/learning/teams/den-helder-centrum/reflections': { body: { items: [] } },
      '/api/v1/learning/scan-questions': { body: questions },
    });
    renderApp('/leren/team/den-helder-centrum');
    expect(await screen.findByRole('heading', { level: 1, name: 'Leertraject Den Helder-Centrum' })).toBeInTheDocument();
    expect(screen.getByTestId('learning-phase')).toHaveTextContent('Fase: gevorderd (begonnen als beginnend, gegroeid)');
    expect(screen.getByTestId('next-session')).toHaveTextContent('Terugkomsessie: Teamrollen');
    expect(screen.getAllByTestId('learning-module')).toHaveLength(2);
    expect(await screen.findByTestId('scan-profile')).toHaveTextContent('Samenwerking');
    expect(screen.getByText('Alleen jullie team en jullie coach kunnen de reflecties lezen.')).toBeInTheDocument();
    await expectNoViolations();
  });

  it('a closed scan with too few answers shows no profile', async () => {
    mockFetch({
      '/api/v1/session': { body: anouk },
      '/api/v1/learning/teams/den-helder-centrum': { body: teamLearning({ scans: [scan({ profile: null, tooFew: true, respondents: 2 })] }) },
      '/api/v1/learning/teams/den-helder-centrum/reflections': { body: { items: [] } },
      '/api/v1/learning/scan-questions': { body: questions },
    });
    renderApp('/leren/team/den-helder-centrum');
    const closed = await screen.findByTestId('scan-closed');
    expect(closed).toHaveAttribute('data-has-profile', 'false');
    expect(closed).toHaveTextContent('Te weinig antwoorden (minder dan 3)');
  });

  it('the scan on a phone: one tap per question, then send', async () => {
    const open = scan({ open: true, closedAt: undefined, profile: null, respondents: 1, canAnswer: true });
    const fetch = mockFetch({
      '/api/v1/session': { body: anouk },
      '/api/v1/learning/teams/den-helder-centrum': { body: teamLearning({ scans: [open] }) },
      '/api/v1/learning/scan-questions': { body: questions },
      [`POST /api/v1/learning/scans/${encodeURIComponent(open.id)}/answers`]: { body: { ...open, answeredByMe: true, canAnswer: false, respondents: 2 } },
    });
    renderApp('/leren/team/den-helder-centrum/scan');
    await screen.findByTestId('scan-form');
    await expectNoViolations();
    await userEvent.click(screen.getByTestId('scan-submit'));
    expect(screen.getByRole('alert')).toHaveTextContent('Beantwoord alle vragen.');
    await userEvent.click(screen.getByRole('radio', { name: 'We verdelen het werk samen en spreken elkaar aan op afspraken.' }));
    await userEvent.click(screen.getByRole('radio', { name: 'We praten mee, maar besluiten blijven vaak liggen.' }));
    await userEvent.click(screen.getByTestId('scan-submit'));
    await screen.findByTestId('scan-done');
    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ answers: { samenwerking: 3, besluitvorming: 2 } });
  });

  it('the yield: note, chart with a table alternative, CSV link, small teams left out', async () => {
    mockFetch({ '/api/v1/session': { body: anouk }, '/api/v1/learning/yield': { body: orgYield } });
    renderApp('/leren/opbrengsten');
    expect(await screen.findByTestId('yield-note')).toHaveTextContent('samenhang, geen bewijs');
    expect(screen.getByTestId('yield-maturity-change')).toHaveTextContent('+1,5');
    expect(screen.getByTestId('yield-chart')).toHaveAttribute('aria-hidden', 'true');
    const table = screen.getByTestId('yield-table');
    expect(within(table).getByRole('link', { name: 'Den Helder' })).toHaveAttribute('href', '/leren/opbrengsten?level=region&id=den-helder');
    expect(table).toHaveTextContent('2 teams niet meegeteld (klein team)');
    expect(screen.getByTestId('yield-csv')).toHaveAttribute('href', '/api/v1/learning/yield.csv');
    await expectNoViolations();
  });

  it("the programme and its cohorts, with each team's coach", async () => {
    mockFetch({
      '/api/v1/session': { body: anouk },
      '/api/v1/learning/programmes': { body: { items: [{ id: 'zelfsturing', name: 'Leertraject zelfsturing', version: 2, moduleCount: 1 }] } },
      '/api/v1/learning/programmes/zelfsturing': {
        body: { id: 'zelfsturing', version: 2, name: 'Leertraject zelfsturing', description: 'Twee jaar.', createdAt: '2025-12-01T00:00:00Z', modules: [{ key: 'teamrollen', title: 'Teamrollen', goals: ['Taakrollen verdelen'], materials: [], assignments: [] }] },
      },
      '/api/v1/learning/cohorts': {
        body: { items: [{ id: 'cohort-1', name: 'Cohort 1', programmeId: 'zelfsturing', programmeVersion: 1, programmeName: 'Leertraject zelfsturing', startMonth: '2024-12', teams: [{ teamId: 'den-helder-centrum', teamName: 'Den Helder-Centrum', coach: { id: 'u-peter', name: 'Peter Smit' } }] }] },
      },
    });
    renderApp('/leren/programma');
    expect(await screen.findByTestId('programme')).toHaveTextContent('Leertraject zelfsturing · versie 2');
    const cohort = await screen.findByTestId('cohort');
    expect(cohort).toHaveTextContent('start dec 2024, 1 teams, programmaversie 1');
    expect(cohort).toHaveTextContent('Peter Smit');
    await expectNoViolations();
  });

  it("a team's yield month by month: a chart and the same in a table", async () => {
    const series = ['2026-08', '2026-09', '2026-10'].map((month, i) => ({
      month,
      maturity: 2 + i * 0.5,
      figures: { clientSatisfiedPct: 85 + i, employeeGrade: 7, absencePct: null, productivityPct: 62, businessResult: 1000 },
    }));
    mockFetch({
      '/api/v1/session': { body: anouk },
      '/api/v1/learning/yield?level=team&id=den-helder-centrum': {
        body: { ...orgYield, level: 'team', id: 'den-helder-centrum', name: 'Den Helder-Centrum', rows: [], series },
      },
    });
    renderApp('/leren/opbrengsten?level=team&id=den-helder-centrum');
    expect(await screen.findByTestId('yield-name')).toHaveTextContent('Team: Den Helder-Centrum');
    expect(screen.getByTestId('yield-series-chart')).toHaveAttribute('aria-hidden', 'true');
    const table = screen.getByTestId('yield-series');
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    expect(table).toHaveTextContent('okt 2026');
    expect(screen.getByTestId('yield-csv')).toHaveAttribute('href', '/api/v1/learning/yield.csv?level=team&id=den-helder-centrum');
    await expectNoViolations();
  });
});
