// Shared helpers for the Plein browser end-to-end scripts (*.e2e.mjs):
// Chromium launch, the step/check reporter with its summary line and exit
// code, polling and visibility helpers, the axe scan, CSP-violation and
// page-error collection, and login through the development identity provider.
//
// Env: PLEIN_URL (default http://127.0.0.1:8080), CHROMIUM_PATH (default
// /usr/bin/chromium), E2E_SCREENSHOTS=dir to save PNGs after each step,
// PLEIN_TEST_NOW=YYYY-MM-DD to move the browser's calendar to the same date
// as the server's (see docs/operations.md, "Proving tests do not depend on
// the date").
// Uses Debian's Chromium through playwright-core; never downloads a browser.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.PLEIN_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const EXECUTABLE = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SCREENSHOTS = process.env.E2E_SCREENSHOTS || '';
export const TIMEOUT = 15_000;
export const LAUNCH_ONLY = process.argv.includes('--launch-only');

/**
 * The moved calendar under PLEIN_TEST_NOW, with the server's meaning: a bare
 * date is that day at the wall clock's UTC time of day; an RFC 3339 time is
 * that moment. Null when unset.
 */
export function testNow(value = process.env.PLEIN_TEST_NOW) {
  if (!value) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const now = new Date();
    return new Date(Date.parse(`${value}T00:00:00Z`) + (now.getTime() % 86_400_000));
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`PLEIN_TEST_NOW=${value} is not a date`);
  return new Date(t);
}

/** The app's calendar: the moved one under PLEIN_TEST_NOW, else the wall clock. */
export function appNow() {
  return testNow() ?? new Date();
}

export const LAUNCH_OPTIONS = {
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

export function log(message) {
  process.stdout.write(`${message}\n`);
}

export class CheckError extends Error {}

export function assert(condition, message) {
  if (!condition) throw new CheckError(message);
}

export function slug(text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Poll until `read()` satisfies `predicate`, else fail with the last value. */
export async function waitUntil(description, read, predicate, timeout = TIMEOUT) {
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

export async function visible(locator, description) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: TIMEOUT });
  } catch {
    throw new CheckError(`${description} did not become visible within ${TIMEOUT} ms`);
  }
}

/** axe scan (wcag2a, wcag2aa): serious/critical violations fail, others are printed as notes. */
export async function axeScan(page, label) {
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

/**
 * Collect CSP violations and uncaught errors into `problems`: the app must run
 * under the strict CSP. `who` (optional) prefixes each entry.
 */
export function watchProblems(page, who, problems) {
  const prefix = who ? `${who} ` : '';
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`${prefix}console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`${prefix}pageerror: ${error.message}`));
}

/**
 * Two people side by side, as the multi-user suites use them: the first on a
 * desktop (`desktop`: viewport and extra context options), the second on a
 * small phone (360 px, touch), both in Dutch, with the default timeout and
 * their CSP violations and page errors collected in `problems`.
 */
export async function desktopAndPhone(browser, [desktopUser, phoneUser], desktop = {}) {
  const { width = 1366, height = 800, ...options } = desktop;
  const contextA = await browser.newContext({ locale: 'nl-NL', viewport: { width, height }, ...options });
  const contextB = await browser.newContext({
    locale: 'nl-NL',
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  const a = await contextA.newPage();
  const b = await contextB.newPage();
  a.setDefaultTimeout(TIMEOUT);
  b.setDefaultTimeout(TIMEOUT);
  const problems = [];
  watchProblems(a, desktopUser, problems);
  watchProblems(b, phoneUser, problems);
  return { a, b, problems };
}

/** From the login screen: click "log in", pick `name` on the identity provider page, wait to be back on Plein. */
export async function chooseIdentity(page, name) {
  await page.getByTestId('login-button').click();
  const userButton = page
    .locator(`button:has-text(${JSON.stringify(name)}), input[type="submit"][value*=${JSON.stringify(name)}]`)
    .first();
  await visible(userButton, `identity provider button for "${name}"`);
  await userButton.click();
  await waitUntil(`back on Plein (${BASE_URL})`, async () => page.url(), (url) => url.startsWith(BASE_URL));
}

/** Open Plein logged out and log in as `name` through the development identity provider. */
export async function login(page, name) {
  const response = await page.goto(`${BASE_URL}/`, { waitUntil: 'domcontentloaded' });
  assert(response && response.ok(), `GET / answered ${response?.status()}`);
  await visible(page.getByTestId('login-button'), 'login button');
  await chooseIdentity(page, name);
  await waitUntil('user name in header', () => page.getByTestId('user-name').innerText(), (t) => t.trim() === name);
}

/**
 * Open the user menu in the header (the initials button) unless it is open:
 * "Mijn gegevens" and "Uitloggen" live there.
 */
export async function openUserMenu(page) {
  const button = page.getByTestId('user-menu-button');
  await visible(button, 'user menu button');
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  await visible(page.getByTestId('logout-button'), 'the open user menu');
}

/**
 * The reporter for one script.
 *
 *   label             prefix of the script's own log lines ("e2e chat")
 *   screenshotPrefix  prefix of screenshot file names ("chat-")
 *   fullPage          full-page screenshots
 *   summary(results)  the lines printed after the blank line at the end
 *
 * step(name, pages, fn): runs one named check; after the first failure the
 * remaining ones are skipped (they depend on each other). `pages` is a page
 * (screenshots NN-slug.png) or an array of pages (NN-a-slug.png, NN-b-…).
 */
export function createRunner({ label, screenshotPrefix = '', fullPage = false, summary }) {
  const results = { passed: 0, failed: 0, skipped: 0 };
  let aborted = false;
  let openBrowser = null;

  async function step(name, pages, fn) {
    if (aborted) {
      results.skipped += 1;
      log(`  - ${name} (skipped)`);
      return;
    }
    const list = Array.isArray(pages) ? pages : pages ? [pages] : [];
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
      for (const page of list) log(`    at ${page.url()}`);
    }
    if (SCREENSHOTS) {
      const n = String(results.passed + results.failed).padStart(2, '0');
      for (const [index, page] of list.entries()) {
        const who = Array.isArray(pages) ? `${index === 0 ? 'a' : 'b'}-` : '';
        const file = join(SCREENSHOTS, `${screenshotPrefix}${n}-${who}${slug(name)}.png`);
        await page.screenshot({ path: file, fullPage }).catch(() => {});
      }
    }
  }

  /** Check for Chromium, launch it; with --launch-only render a test page, report and exit. */
  async function launch() {
    if (!existsSync(EXECUTABLE)) {
      throw new CheckError(`Chromium not found at ${EXECUTABLE} (install Debian's chromium package or set CHROMIUM_PATH)`);
    }
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });

    const browser = await chromium.launch(LAUNCH_OPTIONS);
    openBrowser = browser;
    const moved = testNow();
    if (moved) {
      // Every context's clock starts at the server's moved date and runs on
      // at normal speed (timers fire as usual).
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => {
        const context = await newContext(options);
        await context.clock.install({ time: moved });
        return context;
      };
      log(`${label}: calendar moved to ${moved.toISOString()}`);
    }
    if (LAUNCH_ONLY) {
      const page = await browser.newPage();
      await page.setContent('<!doctype html><title>ok</title><h1>ok</h1>');
      const heading = await page.textContent('h1');
      await browser.close();
      log(`${label}: Chromium ${browser.version()} started (${heading === 'ok' ? 'page rendered' : 'render check failed'})`);
      process.exit(heading === 'ok' ? 0 : 1);
    }
    return browser;
  }

  /** Run `main`, report an abort, close the browser, print the summary and exit (1 if anything failed). */
  async function run(main) {
    try {
      await main();
    } catch (error) {
      results.failed += 1;
      const detail = error instanceof CheckError ? error.message : error instanceof Error ? error.stack || error.message : String(error);
      log(`${label}: aborted: ${detail}`);
    } finally {
      if (openBrowser?.isConnected()) await openBrowser.close().catch(() => {});
    }

    log('');
    for (const line of summary(results)) log(line);
    process.exit(results.failed > 0 ? 1 : 0);
  }

  return { results, step, launch, run };
}
