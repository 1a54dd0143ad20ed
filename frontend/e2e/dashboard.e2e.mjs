// End-to-end dashboard flow for Plein with two people in two browser contexts:
// Ilse Dekker (support services, desktop) imports a month of team figures
// from a CSV file — first with a percentage over 100, which the preview
// flags per row while "Importeren" stays disabled, then corrected, committed
// — and Anouk de Vries (care worker, a 360 px phone) sees the new month on
// her team's dashboard with a trend chart and its table alternative.
// Includes axe scans (wcag2a, wcag2aa) of /dashboard and the import page.
//
//   PLEIN_URL=http://127.0.0.1:8080 node e2e/dashboard.e2e.mjs
//   node e2e/dashboard.e2e.mjs --launch-only   # only check that Chromium starts
//
// Env: PLEIN_URL (default http://127.0.0.1:8080), CHROMIUM_PATH (default
// /usr/bin/chromium), E2E_IMPORTER (default "Ilse Dekker"), E2E_USER (default
// "Anouk de Vries"), E2E_TEAM_ID (default den-helder-centrum), E2E_MONTH
// (yyyy-mm, default the current month, which the demo seed does not have
// yet), E2E_SCREENSHOTS=dir to save PNGs after each step.
// Uses Debian's Chromium through playwright-core; never downloads a browser.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appNow, assert, axeScan, BASE_URL, createRunner, desktopAndPhone, EXECUTABLE, log, login, visible, waitUntil } from './lib.mjs';

const IMPORTER = process.env.E2E_IMPORTER || 'Ilse Dekker';
const USER = process.env.E2E_USER || 'Anouk de Vries';
const TEAM_ID = process.env.E2E_TEAM_ID || 'den-helder-centrum';

const now = appNow();
const MONTH = process.env.E2E_MONTH || `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
const MONTH_NAMES = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];
const MONTH_TEXT = `${MONTH_NAMES[Number(MONTH.slice(5, 7)) - 1]} ${MONTH.slice(0, 4)}`;
// A productivity figure unique to this run (60,0–69,9), so a re-run against
// the same server still changes something and can be recognised.
const PRODUCTIVITY = (600 + (Math.floor(Date.now() / 1000) % 100)).toString().replace(/(\d)$/, ',$1');

const HEADER = 'team;maand;verzuim;productiviteit;rapportcijfer;cijfer medewerkers;medewerkers;fte';
const BAD_CSV = [HEADER, `${TEAM_ID};${MONTH};104,5;${PRODUCTIVITY};7,9;7,4;14;10,3`, `julianadorp;${MONTH};6,1;62,5;8,0;7,2;14;9,1`, ''].join('\r\n');
const GOOD_CSV = [HEADER, `${TEAM_ID};${MONTH};4,5;${PRODUCTIVITY};7,9;7,4;14;10,3`, `julianadorp;${MONTH};6,1;62,5;8,0;7,2;14;9,1`, ''].join('\r\n');

const { step, launch, run } = createRunner({
  label: 'e2e dashboard',
  screenshotPrefix: 'dashboard-',
  summary: (r) => [...(r.skipped ? [`${r.skipped} skipped`] : []), `${r.passed} passed, ${r.failed} failed`],
});

async function path(page) {
  return new URL(page.url()).pathname;
}

/** Choose a file, ask for the preview and wait until it is there. */
async function preview(page, file) {
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-preview-button').click();
  await visible(page.getByTestId('import-preview'), 'import preview');
}

async function main() {
  const browser = await launch();

  const dir = mkdtempSync(join(tmpdir(), 'plein-dashboard-e2e-'));
  const badFile = join(dir, `teamcijfers-${MONTH}-fout.csv`);
  const goodFile = join(dir, `teamcijfers-${MONTH}.csv`);
  writeFileSync(badFile, `\ufeff${BAD_CSV}`);
  writeFileSync(goodFile, `\ufeff${GOOD_CSV}`);

  // Ilse on a desktop, Anouk on a small phone (360 px, touch).
  const { a: ilse, b: anouk, problems } = await desktopAndPhone(browser, [IMPORTER, USER], { width: 1280, height: 900 });

  log(`e2e dashboard: Plein at ${BASE_URL} with ${EXECUTABLE}; importing ${MONTH} (productiviteit ${PRODUCTIVITY}%)`);

  await step(`${IMPORTER} logs in and opens the import page from the dashboard menu`, [ilse], async () => {
    await login(ilse, IMPORTER);
    await ilse.getByTestId('nav-dashboard').first().click();
    await waitUntil('dashboard URL', () => path(ilse), (p) => p.startsWith('/dashboard'));
    await visible(ilse.getByTestId('dashboard-import-link'), '"Cijfers importeren" link (importer role)');
    await ilse.getByTestId('dashboard-import-link').click();
    await waitUntil('import URL', () => path(ilse), (p) => p === '/dashboard/import');
    await visible(ilse.getByTestId('import-file'), 'file input');
    await visible(ilse.getByTestId('import-history'), 'import history');
    assert(await ilse.getByTestId('import-commit').isDisabled(), '"Importeren" should be disabled before a preview');
    await axeScan(ilse, 'the import page');
  });

  await step('a file with a percentage over 100 shows a row error and keeps "Importeren" disabled', [ilse], async () => {
    await preview(ilse, badFile);
    const errors = ilse.getByTestId('import-error');
    await visible(errors, 'row error');
    const count = await errors.count();
    const text = await errors.first().innerText();
    assert(count === 1, `expected 1 row error, got ${count}`);
    assert(/Rij 2/.test(text) && /100/.test(text), `row error should name row 2 and 100%, got "${text}"`);
    assert((await errors.first().getAttribute('data-field')) === 'rows[2].absencePct', 'error should be on rows[2].absencePct');
    assert((await ilse.locator('#import-row-2.row--error').count()) === 1, 'row 2 should be highlighted in the preview table');
    assert(await ilse.getByTestId('import-commit').isDisabled(), '"Importeren" should be disabled while the preview has errors');
    await axeScan(ilse, 'the import page with errors');
  });

  let importId = '';
  await step('the corrected file previews clean and is imported', [ilse], async () => {
    await preview(ilse, goodFile);
    await waitUntil('clean preview', () => ilse.getByTestId('import-preview').getAttribute('data-valid'), (v) => v === 'true');
    assert((await ilse.getByTestId('import-error').count()) === 0, 'the corrected file should have no errors');
    const commit = ilse.getByTestId('import-commit');
    await waitUntil('"Importeren" enabled', () => commit.isEnabled(), Boolean);
    await commit.click();
    const success = ilse.getByTestId('import-success');
    await visible(success, 'import success message');
    importId = (await success.getAttribute('data-import-id')) ?? '';
    const text = await success.innerText();
    assert(importId && text.includes(importId), `success should show the import id, got "${text}"`);
    assert(/toegevoegd|gewijzigd/.test(text), `success should say what changed, got "${text}"`);
    await waitUntil('import in the history', () => ilse.getByTestId('import-history').innerText(), (t) => t.includes(importId));
  });

  await step(`${USER} (360 px phone) sees ${MONTH_TEXT} on her team dashboard with a chart`, [anouk], async () => {
    await login(anouk, USER);
    // On a phone the dashboard is in the "Meer" menu of the bottom bar.
    if (await anouk.getByTestId('nav-dashboard').first().isVisible()) {
      await anouk.getByTestId('nav-dashboard').first().click();
    } else {
      await anouk.getByTestId('nav-more').click();
      await anouk.getByTestId('nav-more-dashboard').click();
    }
    await waitUntil('dashboard URL', () => path(anouk), (p) => p === '/dashboard');
    const month = anouk.getByTestId('dashboard-month');
    await visible(month, 'month line');
    await waitUntil('month of the dashboard', () => month.getAttribute('data-month'), (m) => m === MONTH);
    const monthText = await month.innerText();
    assert(monthText.includes(MONTH_TEXT), `dashboard should say "${MONTH_TEXT}", got "${monthText}"`);
    const card = anouk.locator('[data-testid="dashboard-card"][data-indicator="productivityPct"]');
    await visible(card, 'productivity card');
    const value = await card.getByTestId('dashboard-card-value').innerText();
    assert(value.trim() === `${PRODUCTIVITY}%`, `productivity should be ${PRODUCTIVITY}%, got "${value}"`);
    const status = await card.locator('.status__text').first().innerText();
    assert(status.trim().length > 0, 'traffic light should have text');
    await visible(card.getByTestId('dashboard-chart'), 'trend chart');
    assert((await card.locator('svg.chart__svg path.chart__line--team').count()) >= 1, 'chart should draw the team line');
    const width = await anouk.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 360, `page is ${width}px wide on a 360px screen (horizontal scrolling)`);
    await axeScan(anouk, '/dashboard on a phone');
  });

  await step('the chart has a table alternative with the new month', [anouk], async () => {
    const card = anouk.locator('[data-testid="dashboard-card"][data-indicator="productivityPct"]');
    await card.getByTestId('dashboard-table-toggle').click();
    const table = card.locator('table');
    await visible(table, 'chart table');
    const firstRow = await table.locator('tbody tr').first().innerText();
    assert(firstRow.includes(MONTH_TEXT) && firstRow.includes(`${PRODUCTIVITY}%`), `newest table row should be ${MONTH_TEXT} with ${PRODUCTIVITY}%, got "${firstRow}"`);
    assert((await anouk.getByTestId('dashboard-chart').count()) >= 5, 'one chart per indicator');
    await axeScan(anouk, '/dashboard with a chart table open');
    await card.getByTestId('dashboard-table-toggle').click();
    await visible(card.locator('svg.chart__svg'), 'chart back');
  });

  await step('the organisation view sorts by an indicator (aria-sort)', [anouk], async () => {
    await anouk.goto(`${BASE_URL}/dashboard/organisation`, { waitUntil: 'domcontentloaded' });
    const table = anouk.getByTestId('org-table');
    await visible(table, 'organisation table');
    const header = table.locator('thead th').filter({ hasText: 'Productiviteit' });
    await header.getByRole('button').click();
    await waitUntil('aria-sort ascending', () => header.getAttribute('aria-sort'), (v) => v === 'ascending');
    await header.getByRole('button').click();
    await waitUntil('aria-sort descending', () => header.getAttribute('aria-sort'), (v) => v === 'descending');
    const csv = await anouk.getByTestId('org-csv').getAttribute('href');
    assert(csv?.startsWith('/api/v1/dashboard/organisation.csv'), `CSV link should point at the export, got ${csv}`);
    await axeScan(anouk, '/dashboard/organisation on a phone');
  });

  await step('no CSP violations or page errors', [ilse, anouk], async () => {
    assert(problems.length === 0, `the pages reported:\n${problems.join('\n')}`);
  });

  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}

await run(main);
