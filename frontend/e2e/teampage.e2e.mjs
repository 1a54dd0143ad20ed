// End-to-end: a care worker's day starts at home and everything is reachable
// (issue 14, parts 1 and 2). Anouk de Vries (care worker) at 360 px (phone,
// touch) and at 1366 px: home "Vandaag" → her team page through the main
// navigation → every section (overzicht, berichten, documenten, agenda,
// cijfers, leden en taakrollen, teamchat) → communities (/ruimtes) and
// announcements (/mededelingen) through the "Meer" menu. A team's old space
// link redirects to the team page. Ilse Dekker (support services, no team)
// gets her starting points, not "no team". axe (wcag2a, wcag2aa) on every
// page, also with the "Meer" menu open; no horizontal scrolling at 360 px.
//
//   PLEIN_URL=http://127.0.0.1:8080 E2E_SCREENSHOTS=/tmp/shots node e2e/teampage.e2e.mjs
//   E2E_ONLY=teampage bash .ci/e2e.sh ./bin/plein
//
// Env: PLEIN_URL, CHROMIUM_PATH, E2E_SCREENSHOTS (see lib.mjs); E2E_USER
// (default "Anouk de Vries"), E2E_TEAM_ID (default den-helder-centrum).

import { assert, axeScan, BASE_URL, createRunner, EXECUTABLE, log, login, TIMEOUT, visible, waitUntil, watchProblems } from './lib.mjs';

const USER = process.env.E2E_USER || 'Anouk de Vries';
const SUPPORT = 'Ilse Dekker';
const TEAM_ID = process.env.E2E_TEAM_ID || 'den-helder-centrum';
const TEAM_PATH = `/teams/${encodeURIComponent(TEAM_ID)}`;

const { step, launch, run } = createRunner({
  label: 'e2e teampage',
  screenshotPrefix: 'teampage-',
  summary: (r) => [...(r.skipped ? [`${r.skipped} skipped`] : []), `${r.passed} passed, ${r.failed} failed`],
});

const pathOf = (page) => new URL(page.url()).pathname;

async function noSideScroll(page, width) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(w <= width, `page is ${w}px wide on a ${width}px screen (horizontal scrolling) at ${pathOf(page)}`);
}

async function toPath(page, path) {
  await waitUntil(`URL ${path}`, async () => pathOf(page), (p) => p === path);
}

/** Open "Meer" in the main navigation and click one of its links. */
async function viaMore(page, testId, path) {
  const more = page.getByTestId('nav-more');
  await more.click();
  await visible(page.getByTestId(testId), `"${testId}" in the Meer menu`);
  await page.getByTestId(testId).click();
  await toPath(page, path);
}

const SECTIONS = [
  ['team-tab-posts', `${TEAM_PATH}/berichten`, 'team-posts', 'Berichten'],
  ['team-tab-documents', `${TEAM_PATH}/documenten`, 'documents', 'Documenten'],
  ['team-tab-agenda', `${TEAM_PATH}/agenda`, 'agenda', 'Agenda'],
  ['team-tab-figures', `${TEAM_PATH}/cijfers`, 'team-figures', 'Cijfers'],
  ['team-tab-members', `${TEAM_PATH}/leden`, 'team-members', 'Leden en taakrollen'],
];

async function day(browser, width, height, mobile) {
  const context = await browser.newContext({
    locale: 'nl-NL',
    viewport: { width, height },
    ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const problems = [];
  watchProblems(page, `${USER} ${width}px`, problems);
  const at = `${width}px`;

  await step(`${at}: ${USER} logs in and lands on home "Vandaag"`, page, async () => {
    await login(page, USER);
    await visible(page.getByTestId('home-today'), '"Vandaag" line');
    await visible(page.getByTestId('home-start'), 'starting points');
    await visible(page.getByTestId('home-todo'), 'to do');
    await visible(page.getByTestId('home-posts'), 'new posts in my teams and communities');
    await visible(page.getByTestId('home-news'), 'news from the support services');
    const text = await page.locator('main').innerText();
    assert(!/teamleider/i.test(text), 'home mentions a "teamleider"');
    await noSideScroll(page, width);
    await axeScan(page, `home at ${at}`);
  });

  await step(`${at}: the main navigation leads to her team page (overview)`, page, async () => {
    await page.getByTestId('nav-my-team').click();
    await toPath(page, TEAM_PATH);
    await visible(page.getByTestId('team-overview'), 'team overview');
    await visible(page.getByTestId('team-latest-posts'), 'latest posts');
    await visible(page.getByTestId('team-next-events'), 'next events');
    await visible(page.getByTestId('team-overview-figures'), 'figures of this month');
    await visible(page.getByTestId('team-agreements'), 'pinned agreements');
    await visible(page.getByTestId('team-learning-panel'), 'learning panel (phase, next session)');
    await visible(page.getByTestId('team-audits-panel'), 'audits panel (open findings and actions)');
    // What is new comes first; "Over dit team" does not fill the first screen.
    const latest = await page.getByTestId('team-latest-posts').boundingBox();
    const about = await page.getByTestId('team-about').boundingBox();
    assert(latest && latest.y < height, `latest posts start at ${latest?.y}px, below the first screen (${height}px)`);
    assert(about && about.y > height, `"Over dit team" starts at ${about?.y}px, inside the first screen (${height}px)`);
    await noSideScroll(page, width);
    await axeScan(page, `team overview at ${at}`);
  });

  for (const [tab, path, testId, label] of SECTIONS) {
    await step(`${at}: team section ${label}`, page, async () => {
      await page.getByTestId(tab).click();
      await toPath(page, path);
      await visible(page.getByTestId(testId), label);
      await noSideScroll(page, width);
      await axeScan(page, `${label} at ${at}`);
    });
  }

  await step(`${at}: the Teamchat tab opens the team channel`, page, async () => {
    await page.getByTestId('team-tab-chat').click();
    await toPath(page, `/chat/t-${TEAM_ID}`);
    await page.goBack({ waitUntil: 'domcontentloaded' });
    await toPath(page, `${TEAM_PATH}/leden`);
  });

  await step(`${at}: the "Meer" menu opens (axe with the menu open)`, page, async () => {
    const more = page.getByTestId('nav-more');
    await more.click();
    await visible(page.getByTestId('nav-spaces'), 'Ruimtes in the menu');
    assert((await more.getAttribute('aria-expanded')) === 'true', 'Meer is not aria-expanded');
    await axeScan(page, `Meer menu open at ${at}`);
  });

  await step(`${at}: Escape closes the "Meer" menu, focus back on its button`, page, async () => {
    const more = page.getByTestId('nav-more');
    await page.keyboard.press('Escape');
    await waitUntil('menu closed', () => more.getAttribute('aria-expanded'), (v) => v === 'false');
    assert(await more.evaluate((el) => el === document.activeElement), 'focus is not on Meer');
  });

  await step(`${at}: communities (/ruimtes) through the navigation`, page, async () => {
    await viaMore(page, 'nav-spaces', '/ruimtes');
    await visible(page.locator('[data-testid="space-card"]'), 'space cards');
    await noSideScroll(page, width);
    await axeScan(page, `/ruimtes at ${at}`);
  });

  await step(`${at}: announcements (/mededelingen) through the navigation`, page, async () => {
    await viaMore(page, 'nav-announcements', '/mededelingen');
    await visible(page.locator('main h1'), 'announcements heading');
    await noSideScroll(page, width);
    await axeScan(page, `/mededelingen at ${at}`);
  });

  await step(`${at}: home links to communities and announcements too`, page, async () => {
    await page.getByRole('link', { name: 'Home' }).first().click();
    await toPath(page, '/');
    await page.getByTestId('home-spaces-link').click();
    await toPath(page, '/ruimtes');
    await page.goBack({ waitUntil: 'domcontentloaded' });
    await page.getByTestId('home-announcements-link').click();
    await toPath(page, '/mededelingen');
  });

  await step(`${at}: a team's old space link opens the team page`, page, async () => {
    await page.goto(`${BASE_URL}/ruimtes/${encodeURIComponent(TEAM_ID)}/agenda`, { waitUntil: 'domcontentloaded' });
    await toPath(page, `${TEAM_PATH}/agenda`);
    await visible(page.getByTestId('agenda'), 'agenda on the team page');
  });

  await step(`${at}: no CSP violations or page errors`, page, async () => {
    assert(problems.length === 0, `the pages reported:\n${problems.join('\n')}`);
  });
  await context.close();
}

async function main() {
  const browser = await launch();
  log(`e2e teampage: Plein at ${BASE_URL} with ${EXECUTABLE}`);
  await day(browser, 360, 740, true);
  await day(browser, 1366, 860, false);

  const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const ilse = await context.newPage();
  ilse.setDefaultTimeout(TIMEOUT);
  await step(`${SUPPORT} (support services, no team) starts at her work queue`, ilse, async () => {
    await login(ilse, SUPPORT);
    await visible(ilse.getByTestId('start-review'), 'articles to review');
    await visible(ilse.getByTestId('start-import'), 'import figures');
    const text = await ilse.locator('main').innerText();
    assert(!/nog niet aan een team gekoppeld/i.test(text), 'home still says "nog niet aan een team gekoppeld"');
    await axeScan(ilse, 'home of support services');
  });
  await context.close();
}

await run(main);
