import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { ACCESS_LOG, BRAM_ID, PEOPLE, anouk, baseTable, firstPage, mockApi, renderApp } from './testing';

// Structural accessibility checks in jsdom (labels, landmarks, ARIA). Colour
// contrast needs a real browser: the e2e axe scan covers it.
async function expectNoViolations() {
  const results = await axe.run(document.body, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  const lines = results.violations.map((v) => `${v.id}: ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(lines).toEqual([]);
}

describe('access log accessibility (axe-core, jsdom)', () => {
  it('the review with entries and "Meer laden"', async () => {
    mockApi({ ...baseTable(), [ACCESS_LOG]: { body: firstPage } });
    renderApp('/beheer/toegangslog');
    await screen.findByTestId('al-table');
    await screen.findByTestId('al-more');
    await expectNoViolations();
  });

  it('people search results and a chosen person', async () => {
    const user = userEvent.setup();
    mockApi({
      ...baseTable(),
      [ACCESS_LOG]: { body: firstPage },
      [PEOPLE]: { body: { items: [{ id: BRAM_ID, name: 'Bram Jansen', teams: ['Julianadorp'] }] } },
    });
    renderApp('/beheer/toegangslog');
    await screen.findByTestId('al-table');
    await user.type(screen.getByLabelText('Zoek een medewerker'), 'bram');
    const pick = await screen.findByRole('button', { name: 'Kies Bram Jansen' });
    await expectNoViolations();
    fireEvent.click(pick);
    await screen.findByTestId('al-person-chosen');
    await expectNoViolations();
  });

  it('field errors of a 422', async () => {
    mockApi({
      ...baseTable(),
      [ACCESS_LOG]: { status: 422, body: { title: 'Validation failed', status: 422, errors: [{ field: 'to', message: 'choose at most 31 days' }] } },
    });
    renderApp('/beheer/toegangslog?van=2026-11-01&tot=2026-11-23');
    await screen.findByTestId('al-error-to');
    await expectNoViolations();
  });

  it('the message for someone who is no administrator', async () => {
    mockApi(baseTable(anouk));
    renderApp('/beheer/toegangslog');
    await screen.findByTestId('al-no-access');
    await expectNoViolations();
  });
});
