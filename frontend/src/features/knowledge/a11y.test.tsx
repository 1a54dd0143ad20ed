import { screen } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { article, baseTable, editorArticle, editorMeta, hit, ilse, mockApi, renderKnowledge, report, summary } from './testing';

// Structural accessibility checks in jsdom (labels, landmarks, ARIA). Colour
// contrast needs a real browser: the e2e axe scan covers it.
async function expectNoViolations() {
  const results = await axe.run(document.body, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  const summaryLines = results.violations.map((v) => `${v.id}: ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summaryLines).toEqual([]);
}

describe('knowledge base accessibility (axe-core, jsdom)', () => {
  it('home with search results and pending block', async () => {
    mockApi({
      ...baseTable(),
      '/api/v1/knowledge/confirmations/pending': { body: { items: [summary()] } },
      '/api/v1/knowledge/search': { body: { items: [hit()], total: 1, query: 'wond' } },
    });
    renderKnowledge('/kennisbank?q=wond');
    await screen.findByText('1 resultaat voor ‘wond’');
    await screen.findByTestId('kb-pending');
    await expectNoViolations();
  });

  it('article page', async () => {
    mockApi({ ...baseTable(), '/api/v1/knowledge/articles/decubitus': { body: article() } });
    renderKnowledge('/kennisbank/decubitus');
    await screen.findByTestId('kb-confirm-button');
    await expectNoViolations();
  });

  it('editor', async () => {
    mockApi({ ...baseTable(ilse, editorMeta), '/api/v1/knowledge/articles/decubitus': { body: editorArticle() } });
    renderKnowledge('/kennisbank/decubitus/bewerken');
    await screen.findByTestId('kb-editor-form');
    await expectNoViolations();
  });

  it('report', async () => {
    mockApi({ ...baseTable(ilse, editorMeta), '/api/v1/knowledge/articles/decubitus/report': { body: report } });
    renderKnowledge('/kennisbank/decubitus/rapportage');
    await screen.findByTestId('kb-report-table');
    await expectNoViolations();
  });
});
