// End-to-end knowledge base flow for Plein with two people in two browser
// contexts: Anouk de Vries (care worker, a 360 px phone) searches the
// knowledge base for "wond" as she types, sees a wound-care protocol among
// the highlighted results, opens the first hit that still needs her
// confirmation and clicks "Gelezen en begrepen"; then Ilse Dekker (support
// services, the author, desktop) opens that article's confirmation report
// and sees team Den Helder-Centrum with at least one confirmation and Anouk
// no longer among the people missing. Includes axe scans (wcag2a, wcag2aa)
// of the knowledge home, the article page and the report.
//
//   PLEIN_URL=http://127.0.0.1:8080 node e2e/knowledge.e2e.mjs
//   node e2e/knowledge.e2e.mjs --launch-only   # only check that Chromium starts
//
// Env: PLEIN_URL (default http://127.0.0.1:8080), CHROMIUM_PATH (default
// /usr/bin/chromium), E2E_USER (default "Anouk de Vries"), E2E_AUTHOR
// (default "Ilse Dekker"), E2E_TEAM (default "Den Helder-Centrum"), E2E_QUERY
// (default "wond"), E2E_SCREENSHOTS=dir to save PNGs after each step.
// The demo seed has several wound-care articles that ask for confirmation;
// each run confirms one, so a re-run against the same server uses the next.
// Uses Debian's Chromium through playwright-core; never downloads a browser.

import { assert, axeScan, BASE_URL, createRunner, EXECUTABLE, log, login, TIMEOUT, visible, waitUntil, watchProblems } from './lib.mjs';

const READER = process.env.E2E_USER || 'Anouk de Vries';
const AUTHOR = process.env.E2E_AUTHOR || 'Ilse Dekker';
const TEAM = process.env.E2E_TEAM || 'Den Helder-Centrum';
const QUERY = process.env.E2E_QUERY || 'wond';

const { step, launch, run } = createRunner({
  label: 'e2e knowledge',
  screenshotPrefix: 'knowledge-',
  summary: (r) => [...(r.skipped ? [`${r.skipped} skipped`] : []), `${r.passed} passed, ${r.failed} failed`],
});

function url(page) {
  return new URL(page.url());
}

async function noHorizontalScroll(page, width) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(scrollWidth <= width, `page is ${scrollWidth}px wide on a ${width}px screen (horizontal scrolling)`);
}

async function main() {
  const browser = await launch();

  // Anouk on a small phone (360 px, touch), Ilse on a desktop.
  const phone = await browser.newContext({
    locale: 'nl-NL',
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  const desktop = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 900 } });
  const anouk = await phone.newPage();
  const ilse = await desktop.newPage();
  anouk.setDefaultTimeout(TIMEOUT);
  ilse.setDefaultTimeout(TIMEOUT);
  const problems = [];
  watchProblems(anouk, READER, problems);
  watchProblems(ilse, AUTHOR, problems);

  log(`e2e knowledge: Plein at ${BASE_URL} with ${EXECUTABLE}; ${READER} searches "${QUERY}", ${AUTHOR} checks team ${TEAM}`);

  await step(`${READER} (360 px phone) logs in and opens the knowledge base`, [anouk], async () => {
    await login(anouk, READER);
    const nav = anouk.getByTestId('nav-knowledge');
    if ((await nav.count()) > 0) await nav.first().click();
    else await anouk.goto(`${BASE_URL}/kennisbank`, { waitUntil: 'domcontentloaded' });
    await waitUntil('knowledge URL', async () => url(anouk).pathname, (p) => p === '/kennisbank');
    await visible(anouk.getByTestId('kb-search-input'), 'knowledge search box');
    await noHorizontalScroll(anouk, 360);
    await axeScan(anouk, '/kennisbank on a phone');
  });

  const results = anouk.locator('[data-testid="kb-search-results"]');
  await step(`typing "${QUERY}" shows highlighted results with a wound-care protocol`, [anouk], async () => {
    const input = anouk.getByTestId('kb-search-input');
    await input.click();
    await input.pressSequentially(QUERY, { delay: 60 });
    await waitUntil('query in the URL', async () => url(anouk).searchParams.get('q'), (q) => q === QUERY);
    await visible(results, 'search results');
    await waitUntil(
      `results for "${QUERY}"`,
      async () => ({ ready: await results.getAttribute('data-ready'), query: await results.getAttribute('data-query') }),
      (r) => r.ready === 'true' && (r.query ?? '').toLowerCase().includes(QUERY),
    );
    const count = await anouk.getByTestId('kb-result-count').innerText();
    assert(/resulta(at|ten) voor/.test(count), `result count should be announced, got "${count}"`);
    const cards = results.locator('[data-testid="kb-result"]');
    const n = await cards.count();
    assert(n > 0, `expected results for "${QUERY}", got none ("${count}")`);
    const protocols = results.locator('[data-testid="kb-result"][data-type="protocol"][data-category="wondzorg"]');
    assert((await protocols.count()) > 0, `expected a wound-care protocol among ${n} result(s)`);
    const marks = await results.locator('mark').allInnerTexts();
    assert(
      marks.some((m) => m.toLowerCase().startsWith(QUERY)),
      `expected <mark> highlights starting with "${QUERY}", got ${JSON.stringify(marks.slice(0, 5))}`,
    );
    await noHorizontalScroll(anouk, 360);
    await axeScan(anouk, '/kennisbank with search results on a phone');
  });

  let articleId = '';
  let articleTitle = '';
  await step('opens the first result that still needs confirmation', [anouk], async () => {
    const pending = results.locator('[data-testid="kb-result"][data-pending="true"]');
    const n = await pending.count();
    assert(n > 0, `no result for "${QUERY}" needs ${READER}'s confirmation (all confirmed already? re-seed the demo data)`);
    const card = pending.first();
    articleId = (await card.getAttribute('data-id')) ?? '';
    articleTitle = (await card.locator('.kb-card__link').innerText()).trim();
    assert((await card.getByTestId('kb-pending-badge').innerText()).includes('Bevestigen nodig'), 'card should say "Bevestigen nodig"');
    await card.locator('.kb-card__link').click();
    await waitUntil('article URL', async () => url(anouk).pathname, (p) => p === `/kennisbank/${encodeURIComponent(articleId)}`);
    await visible(anouk.getByTestId('kb-body'), 'article body');
    const h1 = (await anouk.locator('h1').first().innerText()).trim();
    assert(h1 === articleTitle, `article heading should be "${articleTitle}", got "${h1}"`);
    await visible(anouk.getByTestId('kb-confirm-button'), '"Gelezen en begrepen" button');
    await noHorizontalScroll(anouk, 360);
    await axeScan(anouk, 'the article page on a phone');
  });

  await step('"Gelezen en begrepen" shows the confirmed state', [anouk], async () => {
    await anouk.getByTestId('kb-confirm-button').click();
    const done = anouk.getByTestId('kb-confirmed');
    await visible(done, 'confirmation message');
    const text = await done.innerText();
    assert(/Bevestigd op/.test(text), `expected "Bevestigd op …", got "${text}"`);
    assert((await anouk.getByTestId('kb-confirm-button').count()) === 0, 'the confirm button should be gone');
    // After a reload the server still says confirmed.
    await anouk.reload({ waitUntil: 'domcontentloaded' });
    await visible(anouk.getByTestId('kb-confirmed'), 'confirmation message after reload');
  });

  await step(`${AUTHOR} sees ${TEAM} with a confirmation and ${READER} not missing`, [ilse], async () => {
    await login(ilse, AUTHOR);
    await ilse.goto(`${BASE_URL}/kennisbank/${encodeURIComponent(articleId)}/rapportage`, { waitUntil: 'domcontentloaded' });
    const table = ilse.getByTestId('kb-report-table');
    await visible(table, 'report table');
    const row = table.locator(`[data-testid="kb-report-team"][data-team-name=${JSON.stringify(TEAM)}]`);
    assert((await row.count()) === 1, `report should have a row for ${TEAM}`);
    const confirmed = Number(await row.getAttribute('data-confirmed'));
    assert(confirmed >= 1, `${TEAM} should have at least 1 confirmation, has ${confirmed}`);
    const toggle = row.getByTestId('kb-missing-toggle');
    let missing = [];
    if ((await toggle.count()) > 0) {
      await toggle.click();
      await visible(row.getByTestId('kb-missing-list'), 'list of people missing');
      missing = (await row.getByTestId('kb-missing-list').locator('li').allInnerTexts()).map((s) => s.trim());
    }
    assert(!missing.includes(READER), `${READER} should not be missing any more, missing: ${missing.join(', ')}`);
    const csv = await ilse.getByTestId('kb-report-csv').getAttribute('href');
    assert(csv === `/api/v1/knowledge/articles/${encodeURIComponent(articleId)}/report.csv`, `CSV link should point at the export, got ${csv}`);
    await axeScan(ilse, 'the confirmation report');
  });

  await step('no CSP violations or page errors', [anouk, ilse], async () => {
    assert(problems.length === 0, `the pages reported:\n${problems.join('\n')}`);
  });

  await browser.close();
}

await run(main);
