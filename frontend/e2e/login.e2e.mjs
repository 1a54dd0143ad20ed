// End-to-end smoke test for Plein: login via the dev identity provider,
// home, accessibility scan, language switch, team page, logout.
//
//   PLEIN_URL=http://127.0.0.1:8080 node e2e/login.e2e.mjs
//   node e2e/login.e2e.mjs --launch-only   # only check that Chromium starts
//
// Env: PLEIN_URL (default http://127.0.0.1:8080), CHROMIUM_PATH (default
// /usr/bin/chromium), E2E_USER (default "Anouk de Vries"), E2E_TEAM (default
// "Den Helder-Centrum"), E2E_SCREENSHOTS=dir to save a PNG after each step.
// Uses Debian's Chromium through playwright-core; never downloads a browser.

import {
  assert,
  axeScan,
  BASE_URL,
  chooseIdentity,
  createRunner,
  EXECUTABLE,
  log,
  openUserMenu,
  TIMEOUT,
  visible,
  waitUntil,
  watchProblems,
} from './lib.mjs';

const USER_NAME = process.env.E2E_USER || 'Anouk de Vries';
const TEAM_NAME = process.env.E2E_TEAM || 'Den Helder-Centrum';

const { step, launch, run } = createRunner({
  label: 'e2e',
  fullPage: true,
  summary: (r) => [`e2e: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`],
});

async function main() {
  const browser = await launch();

  const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);

  // Collect CSP violations and uncaught errors: the app must run under the strict CSP.
  const problems = [];
  watchProblems(page, '', problems);

  log(`e2e: Plein at ${BASE_URL} with ${EXECUTABLE}`);

  await step('login screen is shown when logged out', page, async () => {
    const response = await page.goto(`${BASE_URL}/`, { waitUntil: 'domcontentloaded' });
    assert(response && response.ok(), `GET / answered ${response?.status()}`);
    await visible(page.getByTestId('login-button'), 'login button');
    await waitUntil('html[lang=nl]', () => page.getAttribute('html', 'lang'), (v) => v === 'nl');
    await axeScan(page, 'the login screen');
  });

  await step(`log in as ${USER_NAME} through the identity provider`, page, async () => {
    await chooseIdentity(page, USER_NAME);
    await visible(page.getByTestId('user-name'), 'user name in header');
    await waitUntil('user name in header', () => page.getByTestId('user-name').innerText(), (t) => t.trim() === USER_NAME);
  });

  await step(`home shows team card "${TEAM_NAME}"`, page, async () => {
    const card = page.getByTestId('team-card').filter({ hasText: TEAM_NAME });
    await visible(card, `team card "${TEAM_NAME}"`);
    const heading = await page.locator('h1').first().innerText();
    assert(heading.includes(USER_NAME.split(' ')[0]), `greeting should contain the first name, got "${heading}"`);
  });

  await step('home has no serious or critical axe violations (wcag2a, wcag2aa)', page, async () => {
    await axeScan(page, 'the home page');
  });

  await step('language toggle switches to English', page, async () => {
    await page.getByTestId('lang-toggle').click();
    await waitUntil('html[lang=en]', () => page.getAttribute('html', 'lang'), (v) => v === 'en');
    await waitUntil('English logout button', () => page.getByTestId('logout-button').innerText(), (t) => t.trim() === 'Log out');
    const heading = await page.locator('h1').first().innerText();
    assert(/^Good (morning|afternoon|evening)/.test(heading), `expected an English greeting, got "${heading}"`);
    await visible(page.getByRole('link', { name: 'Home', exact: true }), 'English nav link "Home"');
  });

  await step('team page opens from the card', page, async () => {
    await page.getByTestId('team-card').filter({ hasText: TEAM_NAME }).getByRole('link').first().click();
    await waitUntil('team page URL', async () => page.url(), (url) => /\/teams\/[^/]+$/.test(url));
    await waitUntil(
      `heading "${TEAM_NAME}"`,
      () => page.getByRole('heading', { level: 1 }).first().innerText(),
      (t) => t.trim() === TEAM_NAME,
    );
    await waitUntil('document title', () => page.title(), (t) => t === `Team ${TEAM_NAME} · Plein`);
    await axeScan(page, 'the team page');
  });

  await step('teams overview lists regions and filters', page, async () => {
    await page.getByRole('link', { name: 'Teams', exact: true }).first().click();
    await waitUntil('teams URL', async () => new URL(page.url()).pathname, (p) => p === '/teams');
    await visible(page.getByRole('main').getByRole('searchbox'), 'team filter');
    await visible(page.getByRole('link', { name: TEAM_NAME, exact: true }), `team link "${TEAM_NAME}"`);
    await page.getByRole('main').getByRole('searchbox').fill(TEAM_NAME.toUpperCase());
    await visible(page.getByRole('link', { name: TEAM_NAME, exact: true }), `filtered team link "${TEAM_NAME}"`);
    await axeScan(page, 'the teams page');
  });

  await step('no CSP violations or page errors', page, async () => {
    assert(problems.length === 0, `the page reported:\n${problems.join('\n')}`);
  });

  await step('logout returns to the login screen', page, async () => {
    await openUserMenu(page);
    await page.getByTestId('logout-button').click();
    await waitUntil(`back on Plein (${BASE_URL})`, async () => page.url(), (url) => url.startsWith(BASE_URL));
    await visible(page.getByTestId('login-button'), 'login button after logout');
  });

  await browser.close();
}

await run(main);
