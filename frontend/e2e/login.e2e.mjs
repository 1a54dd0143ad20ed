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

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.PLEIN_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const EXECUTABLE = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const USER_NAME = process.env.E2E_USER || 'Anouk de Vries';
const TEAM_NAME = process.env.E2E_TEAM || 'Den Helder-Centrum';
const SCREENSHOTS = process.env.E2E_SCREENSHOTS || '';
const TIMEOUT = 15_000;
const LAUNCH_ONLY = process.argv.includes('--launch-only');

const LAUNCH_OPTIONS = {
  executablePath: EXECUTABLE,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

const results = { passed: 0, failed: 0, skipped: 0 };
let aborted = false;
let openBrowser = null;

function log(message) {
  process.stdout.write(`${message}\n`);
}

class CheckError extends Error {}

function assert(condition, message) {
  if (!condition) throw new CheckError(message);
}

/** Runs one named check; after the first failure the remaining ones are skipped (they depend on each other). */
async function step(name, page, fn) {
  if (aborted) {
    results.skipped += 1;
    log(`  - ${name} (skipped)`);
    return;
  }
  const started = Date.now();
  try {
    await fn();
    results.passed += 1;
    log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.failed += 1;
    aborted = true;
    log(`  ✗ ${name}`);
    log(`    ${error instanceof Error ? error.message : String(error)}`.replace(/\n/g, '\n    '));
    if (page) log(`    at ${page.url()}`);
  }
  if (SCREENSHOTS && page) {
    const file = join(SCREENSHOTS, `${String(results.passed + results.failed).padStart(2, '0')}-${slug(name)}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
  }
}

function slug(text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Poll until `read()` satisfies `predicate`, else fail with the last value. */
async function waitUntil(description, read, predicate, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await read();
      if (predicate(last)) return last;
    } catch (error) {
      last = `error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    }
    if (Date.now() > deadline) {
      throw new CheckError(`timed out after ${timeout} ms waiting for ${description}; last value: ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function visible(locator, description) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: TIMEOUT });
  } catch {
    throw new CheckError(`${description} did not become visible within ${TIMEOUT} ms`);
  }
}

async function axeScan(page, label) {
  const analysis = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const blocking = analysis.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = analysis.violations.filter((v) => !blocking.includes(v));
  for (const v of minor) {
    log(`    note (${v.impact ?? 'minor'}) ${v.id}: ${v.help} [${v.nodes.length} node(s)]`);
  }
  if (blocking.length > 0) {
    const lines = blocking.flatMap((v) => [
      `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})`,
      ...v.nodes.slice(0, 5).map((n) => `   ${n.target.join(' ')} — ${n.failureSummary?.split('\n').join(' ') ?? ''}`),
    ]);
    throw new CheckError(`axe found ${blocking.length} serious/critical violation(s) on ${label}:\n${lines.join('\n')}`);
  }
}

async function main() {
  if (!existsSync(EXECUTABLE)) {
    throw new CheckError(`Chromium not found at ${EXECUTABLE} (install Debian's chromium package or set CHROMIUM_PATH)`);
  }
  if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });

  const browser = await chromium.launch(LAUNCH_OPTIONS);
  openBrowser = browser;
  if (LAUNCH_ONLY) {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>ok</title><h1>ok</h1>');
    const heading = await page.textContent('h1');
    await browser.close();
    log(`e2e: Chromium ${browser.version()} started (${heading === 'ok' ? 'page rendered' : 'render check failed'})`);
    process.exit(heading === 'ok' ? 0 : 1);
  }

  const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);

  // Collect CSP violations and uncaught errors: the app must run under the strict CSP.
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));

  log(`e2e: Plein at ${BASE_URL} with ${EXECUTABLE}`);

  await step('login screen is shown when logged out', page, async () => {
    const response = await page.goto(`${BASE_URL}/`, { waitUntil: 'domcontentloaded' });
    assert(response && response.ok(), `GET / answered ${response?.status()}`);
    await visible(page.getByTestId('login-button'), 'login button');
    await waitUntil('html[lang=nl]', () => page.getAttribute('html', 'lang'), (v) => v === 'nl');
    await axeScan(page, 'the login screen');
  });

  await step(`log in as ${USER_NAME} through the identity provider`, page, async () => {
    await page.getByTestId('login-button').click();
    const userButton = page
      .locator(`button:has-text(${JSON.stringify(USER_NAME)}), input[type="submit"][value*=${JSON.stringify(USER_NAME)}]`)
      .first();
    await visible(userButton, `identity provider button for "${USER_NAME}"`);
    await userButton.click();
    await waitUntil(`back on Plein (${BASE_URL})`, async () => page.url(), (url) => url.startsWith(BASE_URL));
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
    await visible(page.getByRole('searchbox'), 'team filter');
    await visible(page.getByRole('link', { name: TEAM_NAME, exact: true }), `team link "${TEAM_NAME}"`);
    await page.getByRole('searchbox').fill(TEAM_NAME.toUpperCase());
    await visible(page.getByRole('link', { name: TEAM_NAME, exact: true }), `filtered team link "${TEAM_NAME}"`);
    await axeScan(page, 'the teams page');
  });

  await step('no CSP violations or page errors', page, async () => {
    assert(problems.length === 0, `the page reported:\n${problems.join('\n')}`);
  });

  await step('logout returns to the login screen', page, async () => {
    await page.getByTestId('logout-button').click();
    await waitUntil(`back on Plein (${BASE_URL})`, async () => page.url(), (url) => url.startsWith(BASE_URL));
    await visible(page.getByTestId('login-button'), 'login button after logout');
  });

  await browser.close();
}

try {
  await main();
} catch (error) {
  results.failed += 1;
  const detail = error instanceof CheckError ? error.message : error instanceof Error ? error.stack || error.message : String(error);
  log(`e2e: aborted: ${detail}`);
} finally {
  if (openBrowser?.isConnected()) await openBrowser.close().catch(() => {});
}

log('');
log(`e2e: ${results.passed} passed, ${results.failed} failed${results.skipped ? `, ${results.skipped} skipped` : ''}`);
process.exit(results.failed > 0 ? 1 : 0);
