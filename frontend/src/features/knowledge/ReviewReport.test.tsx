import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../api/types';
import { anouk, baseTable, editorArticle, editorMeta, feedback, ilse, mockApi, renderKnowledge, report, summary } from './testing';
import type { Article } from './types';

const ARTICLE = '/api/v1/knowledge/articles/decubitus';

const henk: Session = {
  user: { id: 'u-henk', name: 'Henk Bakker', email: 'henk@noorderkwartier.example', roles: ['ondersteunende_dienst'], teams: [] },
  csrfToken: 'csrf-henk',
};

function inReview(): Article {
  const a = editorArticle();
  return { ...a, draft: { ...a.draft!, status: 'review', changeNote: 'Nieuwe richtlijn.', major: true } };
}

const diff = {
  from: '2.1',
  to: 'draft',
  lines: [
    { op: 'eq', text: '## Doel' },
    { op: 'del', text: 'Elke 4 uur wisselligging.' },
    { op: 'add', text: 'Elke 3 uur wisselligging.' },
  ],
};

describe('review', () => {
  it('lists the articles waiting for review', async () => {
    mockApi({
      ...baseTable(henk, editorMeta),
      '/api/v1/knowledge/review': { body: { items: [{ ...summary({ status: 'review' }), author: { id: 'u-ilse', name: 'Ilse Dekker' } }] } },
    });
    renderKnowledge('/kennisbank/review');
    const item = await screen.findByTestId('kb-review-item');
    expect(within(item).getByRole('link', { name: 'Decubitus: preventie en wondzorg' })).toHaveAttribute('href', '/kennisbank/decubitus/review');
    expect(item).toHaveTextContent('door Ilse Dekker');
  });

  it('shows the diff to the draft and disables approving your own change', async () => {
    const api = mockApi({ ...baseTable(ilse, editorMeta), [ARTICLE]: { body: inReview() }, [`${ARTICLE}/diff`]: { body: diff } });
    renderKnowledge('/kennisbank/decubitus/review');
    const view = await screen.findByTestId('kb-diff');
    expect(api.calls('GET', `${ARTICLE}/diff`)[0]!.url.search).toBe('?from=2.1&to=draft');
    const lines = within(view).getAllByRole('listitem');
    expect(lines[1]).toHaveClass('kb-diff__line--del');
    expect(lines[1]).toHaveTextContent('verwijderd: Elke 4 uur wisselligging.');
    expect(lines[2]).toHaveClass('kb-diff__line--add');
    expect(lines[2]).toHaveTextContent('toegevoegd: Elke 3 uur wisselligging.');
    expect(screen.getByText('Grote wijziging van versie 2.1: iedereen bevestigt opnieuw')).toBeInTheDocument();

    const approve = screen.getByRole('button', { name: 'Goedkeuren en publiceren' });
    expect(approve).toBeDisabled();
    expect(approve).toHaveAccessibleDescription(/Dit is je eigen wijziging/);
    expect(screen.getByTestId('kb-own-change')).toBeInTheDocument();
  });

  it('requires a comment to reject, then rejects', async () => {
    const a = inReview();
    const api = mockApi({
      ...baseTable(henk, editorMeta),
      [ARTICLE]: { body: a },
      [`${ARTICLE}/diff`]: { body: diff },
      [`POST ${ARTICLE}/reject`]: { body: { ...a, draft: { ...a.draft!, status: 'concept', reviewComment: 'Bron ontbreekt.' } } },
      '/api/v1/knowledge/review': { body: { items: [] } },
    });
    const { router } = renderKnowledge('/kennisbank/decubitus/review');
    await screen.findByTestId('kb-diff');
    expect(screen.getByRole('button', { name: 'Goedkeuren en publiceren' })).toBeEnabled();

    await userEvent.click(screen.getByRole('button', { name: 'Afkeuren' }));
    const comment = screen.getByRole('textbox', { name: 'Toelichting' });
    expect(comment).toHaveAttribute('aria-invalid', 'true');
    expect(comment).toHaveFocus();
    expect(screen.getByTestId('kb-review-comment-error')).toHaveTextContent('Schrijf waarom je afkeurt');
    expect(api.calls('POST', `${ARTICLE}/reject`)).toHaveLength(0);

    await userEvent.type(comment, 'Bron ontbreekt.');
    await userEvent.click(screen.getByRole('button', { name: 'Afkeuren' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/kennisbank/review'));
    expect(api.calls('POST', `${ARTICLE}/reject`)[0]!.json).toEqual({ comment: 'Bron ontbreekt.' });
  });

  it('approves with an optional comment and opens the published article', async () => {
    const a = inReview();
    const api = mockApi({
      ...baseTable(henk, editorMeta),
      [ARTICLE]: { body: a },
      [`${ARTICLE}/diff`]: { body: diff },
      [`POST ${ARTICLE}/approve`]: { body: { ...a, version: '3.0', draft: { ...a.draft!, status: 'published' } } },
    });
    const { router } = renderKnowledge('/kennisbank/decubitus/review');
    await screen.findByTestId('kb-diff');
    await userEvent.click(screen.getByRole('button', { name: 'Goedkeuren en publiceren' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/kennisbank/decubitus'));
    expect(api.calls('POST', `${ARTICLE}/approve`)[0]!.json).toEqual({});
  });
});

describe('reports', () => {
  it('shows the confirmation rate per team and who is missing, with a CSV download', async () => {
    mockApi({ ...baseTable(ilse, editorMeta), [`${ARTICLE}/report`]: { body: report } });
    renderKnowledge('/kennisbank/decubitus/rapportage');
    const table = await screen.findByTestId('kb-report-table');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Leesbevestigingen: Decubitus: preventie en wondzorg');
    expect(screen.getByTestId('kb-report-total')).toHaveTextContent('4 van 5 collega\'s hebben bevestigd');
    expect(screen.getByTestId('kb-report-total')).toHaveTextContent('80%');

    const rows = within(table).getAllByTestId('kb-report-team');
    expect(rows).toHaveLength(2);
    const centrum = rows[0]!;
    expect(within(centrum).getByRole('rowheader')).toHaveTextContent('Den Helder-CentrumDen Helder');
    expect(centrum).toHaveTextContent('67%');
    expect(centrum.querySelector('.kb-rate')).toHaveAttribute('data-rate', String(2 / 3));
    expect(rows[1]).toHaveTextContent('100%');
    expect(rows[1]).toHaveTextContent('Iedereen');

    const toggle = within(centrum).getByRole('button', { name: 'Toon 1 naam' });
    const list = within(centrum).getByTestId('kb-missing-list');
    expect(list).not.toBeVisible();
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(list).toBeVisible();
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Bram Jansen']);

    expect(screen.getByTestId('kb-report-csv')).toHaveAttribute('href', '/api/v1/knowledge/articles/decubitus/report.csv');

    await userEvent.type(screen.getByRole('searchbox', { name: 'Zoek een team' }), 'julia');
    expect(within(table).getAllByTestId('kb-report-team').map((r) => r.getAttribute('data-team-id'))).toEqual(['julianadorp']);
  });

  it('explains when the report is not for you (403)', async () => {
    mockApi({ ...baseTable(anouk), [`${ARTICLE}/report`]: { status: 403, body: { title: 'Forbidden', status: 403 } } });
    renderKnowledge('/kennisbank/decubitus/rapportage');
    expect(await screen.findByTestId('kb-no-access')).toHaveTextContent('Je kunt de leesbevestigingen van dit artikel niet inzien.');
  });

  it('lists overdue articles and confirmation rates, lowest first', async () => {
    mockApi({
      ...baseTable(ilse, editorMeta),
      '/api/v1/knowledge/reports/overdue': { body: { items: [summary({ id: 'oud', title: 'Oude hygiënerichtlijn', overdue: true, reviewDue: '2026-01-01' })] } },
      '/api/v1/knowledge/reports/confirmations': {
        body: {
          items: [
            { article: summary(), members: 10, confirmed: 9, rate: 0.9 },
            { article: summary({ id: 'insuline', title: 'Insuline toedienen' }), members: 10, confirmed: 3, rate: 0.3 },
          ],
        },
      },
    });
    renderKnowledge('/kennisbank/rapportage');
    expect(await screen.findByTestId('kb-overdue-list')).toHaveTextContent('herzien vóór 1 januari 2026');
    const rows = await screen.findAllByTestId('kb-confirmation-row');
    expect(rows.map((r) => r.getAttribute('data-id'))).toEqual(['insuline', 'decubitus']);
    expect(rows[0]).toHaveTextContent('3 van 10');
    expect(within(rows[0]!).getByRole('link', { name: 'Insuline toedienen' })).toHaveAttribute('href', '/kennisbank/insuline/rapportage');
  });

  it('keeps readers out of the reports overview', async () => {
    mockApi(baseTable(anouk));
    renderKnowledge('/kennisbank/rapportage');
    expect(await screen.findByTestId('kb-no-access')).toBeInTheDocument();
  });
});

describe('feedback inbox', () => {
  it('answers an open question', async () => {
    const api = mockApi({
      ...baseTable(ilse, editorMeta),
      '/api/v1/knowledge/feedback': { body: { items: [feedback()] } },
      'POST /api/v1/knowledge/feedback/fb1/answer': {
        body: feedback({ answer: { text: 'Ja.', author: { id: 'u-ilse', name: 'Ilse Dekker' }, at: '2026-04-02T10:00:00Z' } }),
      },
    });
    renderKnowledge('/kennisbank/vragen');
    const item = await screen.findByTestId('kb-feedback-item');
    expect(item).toHaveTextContent('Geldt dit ook voor de nacht?');
    expect(within(item).getByRole('link', { name: 'Decubitus: preventie en wondzorg' })).toHaveAttribute('href', '/kennisbank/decubitus');
    expect(api.calls('GET', '/api/v1/knowledge/feedback')[0]!.url.search).toBe('?open=true');
    await userEvent.type(within(item).getByRole('textbox', { name: 'Antwoord aan Anouk de Vries' }), 'Ja.');
    await userEvent.click(within(item).getByRole('button', { name: 'Antwoord versturen' }));
    expect(await screen.findByText('Je antwoord aan Anouk de Vries is verstuurd.')).toBeInTheDocument();
    expect(api.calls('POST', '/api/v1/knowledge/feedback/fb1/answer')[0]!.json).toEqual({ text: 'Ja.' });
  });
});
