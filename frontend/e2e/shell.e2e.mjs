// End-to-end: the app shell is phone-first (issue 14, part 4). Anouk de Vries
// (care worker) at 360×780 (phone, touch): the header is one row of at most
// 48 px, the bottom bar about 56 px, together at most 14 % of the screen;
// every header control is a 44×44 target; the user menu (initials button)
// holds her name, "Mijn gegevens" and "Uitloggen", has aria-expanded and
// aria-controls, and Escape closes it and gives focus back; axe with the user
// menu and with "Meer" open; at 320 px still one row. At 768×1024, 900×700,
// 1024×768, 1280×800 and 1366×768 the header is one row (element heights
// measured), also for the administrator Yvonne Kramer, whose "Meer" holds
// "Beheer" (at 768 and 1280 px). A reload sends GET /api/v1/session once,
// preloaded by index.html before the entry script has loaded.
//
//   PLEIN_URL=http://127.0.0.1:8080 E2E_SCREENSHOTS=/tmp/shots node e2e/shell.e2e.mjs
//   E2E_ONLY=shell bash .ci/e2e.sh ./bin/plein

import { readFileSync } from 'node:fs';
import { assert, axeScan, createRunner, EXECUTABLE, log, login, openUserMenu, TIMEOUT, visible, waitUntil, watchProblems } from './lib.mjs';

const WORKER = 'Anouk de Vries';
const ADMIN = 'Yvonne Kramer';

const { step, launch, run } = createRunner({
  label: 'e2e shell',
  screenshotPrefix: 'shell-',
  summary: (r) => [...(r.skipped ? [`${r.skipped} skipped`] : []), `${r.passed} passed, ${r.failed} failed`],
});

async function newPage(browser, width, height, mobile, who, problems) {
  const context = await browser.newContext({
    locale: 'nl-NL',
    viewport: { width, height },
    ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  watchProblems(page, `${who} ${width}px`, problems);
  return { context, page };
}

/** Heights and rows of the shell, measured in the page. */
function measure(page) {
  return page.evaluate(() => {
    const box = (el) => (el ? el.getBoundingClientRect() : null);
    const header = box(document.querySelector('.shell__header'));
    const nav = document.querySelector('.main-nav');
    const navFixed = nav ? getComputedStyle(nav).position === 'fixed' : false;
    const bar = document.querySelector('.shell__bar');
    // The bar's visible children (brand, nav unless it is the bottom bar, actions).
    const parts = [...(bar?.children ?? [])]
      .filter((el) => !(navFixed && el === nav))
      .map((el) => box(el))
      .filter((r) => r && r.height > 0);
    const items = [...document.querySelectorAll('.main-nav__list > li')]
      .map((el) => box(el))
      .filter((r) => r.height > 0);
    const tops = (rects) => rects.map((r) => Math.round(r.top));
    const controls = [
      ...document.querySelectorAll('.shell__bar a, .shell__bar button'),
    ]
      .filter((el) => el.getClientRects().length > 0 && !el.closest('[hidden]') && !el.closest('.sp-gsearch__form'))
      .map((el) => ({ name: el.getAttribute('data-testid') || el.textContent.trim().slice(0, 20), w: Math.round(box(el).width), h: Math.round(box(el).height) }));
    return {
      header: Math.round(header?.height ?? 0),
      bottom: navFixed ? Math.round(box(nav).height) : 0,
      partTops: tops(parts),
      partBottoms: parts.map((r) => Math.round(r.bottom)),
      itemTops: tops(items),
      itemHeights: items.map((r) => Math.round(r.height)),
      controls,
      scrollWidth: document.documentElement.scrollWidth,
    };
  });
}

async function phone(browser, problems) {
  const { context, page } = await newPage(browser, 360, 780, true, WORKER, problems);

  await step(`360×780: ${WORKER} logs in; header one row ≤ 48px, bottom bar ≈ 56px, together ≤ 14 %`, page, async () => {
    await login(page, WORKER);
    await visible(page.getByRole('heading', { level: 1 }), 'the home heading');
    const m = await measure(page);
    log(`    360×780: header ${m.header}px, bottom bar ${m.bottom}px, together ${m.header + m.bottom}px = ${(((m.header + m.bottom) / 780) * 100).toFixed(1)} %`);
    assert(m.header <= 49, `header is ${m.header}px high`);
    assert(m.bottom > 0 && m.bottom <= 58, `bottom bar is ${m.bottom}px high`);
    assert(m.header + m.bottom <= 0.14 * 780, `header and bottom bar take ${m.header + m.bottom}px of 780`);
    assert(m.scrollWidth <= 360, `page is ${m.scrollWidth}px wide`);
    const small = m.controls.filter((c) => c.w < 44 || c.h < 44);
    assert(small.length === 0, `touch targets under 44×44: ${JSON.stringify(small)}`);
    const items = await page.locator('.main-nav__list > li > *').evaluateAll((els) =>
      els.filter((el) => el.getClientRects().length > 0).map((el) => ({ w: el.getBoundingClientRect().width, h: el.getBoundingClientRect().height })),
    );
    assert(items.length >= 5 && items.every((i) => i.w >= 44 && i.h >= 44), `bottom bar items ${JSON.stringify(items)}`);
  });

  await step('360: a reload asks for the session once, started with the page, not after the scripts ran, and for home\'s own requests once', page, async () => {
    // index.html preloads GET /api/v1/session (docs/performance.md, "The
    // session with the page"): the request goes out while the scripts still
    // load, and the app's own request for it is answered by that preload.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const sent = new Map();
    const finished = new Map();
    cdp.on('Network.requestWillBeSent', (e) => sent.set(e.requestId, { url: e.request.url, at: e.timestamp }));
    cdp.on('Network.loadingFinished', (e) => finished.set(e.requestId, e.timestamp));
    const warnings = [];
    const onConsole = (m) => {
      if (/preloaded using link preload but not used/i.test(m.text())) warnings.push(m.text());
    };
    page.on('console', onConsole);
    await page.reload({ waitUntil: 'load' });
    await visible(page.getByTestId('home-todo'), 'home after the reload');
    page.off('console', onConsole);
    await cdp.detach();
    const sessions = [...sent].filter(([, r]) => new URL(r.url).pathname === '/api/v1/session');
    assert(sessions.length === 1, `GET /api/v1/session was sent ${sessions.length} times`);
    const entry = [...sent].find(([, r]) => /\/assets\/index-[^/]*\.js$/.test(new URL(r.url).pathname));
    assert(entry && finished.has(entry[0]), 'the entry script (assets/index-*.js) was loaded');
    assert(sessions[0][1].at <= finished.get(entry[0]), 'the session was asked for only after the entry script had loaded');
    assert(warnings.length === 0, `preload warnings: ${warnings.join('; ')}`);
    // On home, public/home-early.js preloads home's own first requests too.
    // Each is sent once: the app took the preloaded answer (a request that
    // differs from the preload, or comes before it, is sent a second time).
    // That home asks for each is src/features/home/homeEarly.test.ts's check;
    // when they leave is cold-load.mjs's measure (on loopback a reload has
    // the entry script from the cache before the small script has run).
    const early = [...readFileSync(new URL('../public/home-early.js', import.meta.url), 'utf8').matchAll(/'(\/api\/v1\/[^']+)'/g)].map((m) => m[1]);
    assert(early.length >= 3, `home-early.js lists ${early.length} requests`);
    for (const url of early) {
      const sends = [...sent].filter(([, r]) => { const u = new URL(r.url); return u.pathname + u.search === url; });
      assert(sends.length === 1, `${url} was sent ${sends.length} times`);
    }
  });

  await step('360: every header function is reachable (search, notifications, language, user menu, Meer)', page, async () => {
    await visible(page.getByTestId('global-search-toggle'), 'search toggle');
    await visible(page.getByTestId('notification-bell'), 'notification bell');
    await visible(page.getByTestId('lang-toggle'), 'language toggle');
    await visible(page.getByTestId('nav-more'), '"Meer" in the bottom bar');
    await visible(page.getByTestId('nav-chat').or(page.locator('.main-nav a[href="/chat"]')), 'chat in the bottom bar');
    assert((await page.locator('.offline-status').count()) === 1, 'the offline status region is in the page');
  });

  await step('360: the user menu opens with name, "Mijn gegevens" and "Uitloggen"; axe with it open', page, async () => {
    const button = page.getByTestId('user-menu-button');
    const controls = await button.getAttribute('aria-controls');
    assert(controls, 'the user menu button has aria-controls');
    await openUserMenu(page);
    assert((await button.getAttribute('aria-expanded')) === 'true', 'aria-expanded is not true on the open menu');
    const panel = page.locator(`[id="${controls}"]`);
    await visible(panel.getByText(WORKER, { exact: true }), 'the name in the user menu');
    await visible(panel.getByRole('link', { name: 'Mijn gegevens' }), '"Mijn gegevens"');
    await visible(panel.getByRole('button', { name: 'Uitloggen' }), '"Uitloggen"');
    const inside = await panel.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.left >= 0 && r.right <= window.innerWidth;
    });
    assert(inside, 'the user menu sticks out of the screen');
    await axeScan(page, 'home with the user menu open (360 px)');
  });

  await step('360: Escape closes the user menu and gives focus back to the button', page, async () => {
    await page.getByTestId('nav-mydata').focus();
    await page.keyboard.press('Escape');
    const button = page.getByTestId('user-menu-button');
    await waitUntil('aria-expanded false', () => button.getAttribute('aria-expanded'), (v) => v === 'false');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    assert(focused === 'user-menu-button', `focus is on ${focused}`);
  });

  await step('360: "Meer" opens above the bottom bar; axe with it open; Escape closes it', page, async () => {
    await page.getByTestId('nav-more').click();
    await visible(page.getByTestId('nav-learning'), '"Leren" in the Meer menu');
    await axeScan(page, 'home with "Meer" open (360 px)');
    await page.keyboard.press('Escape');
    await waitUntil('Meer closed', () => page.getByTestId('nav-more').getAttribute('aria-expanded'), (v) => v === 'false');
  });

  await step('360: "Mijn gegevens" through the user menu', page, async () => {
    await openUserMenu(page);
    await page.getByTestId('nav-mydata').click();
    await waitUntil('URL /mijn-gegevens', async () => new URL(page.url()).pathname, (p) => p === '/mijn-gegevens');
    await visible(page.getByRole('heading', { level: 1, name: 'Mijn gegevens' }), 'the page heading');
  });

  await context.close();
}

/** The smallest phones (320 px): still one header row, no sideways scrolling. */
async function smallPhone(browser, problems) {
  const { context, page } = await newPage(browser, 320, 640, true, WORKER, problems);
  await step(`320×640: ${WORKER}: one header row, no horizontal scrolling`, page, async () => {
    await login(page, WORKER);
    await visible(page.getByRole('heading', { level: 1 }), 'the home heading');
    const m = await measure(page);
    log(`    320×640: header ${m.header}px, bottom bar ${m.bottom}px`);
    assert(m.header <= 49, `header is ${m.header}px high`);
    assert(m.scrollWidth <= 320, `page is ${m.scrollWidth}px wide`);
    const brand = await page.locator('.brand').evaluate((el) => el.textContent.trim());
    assert(brand === 'Plein', `the logo link's text is "${brand}"`);
    await axeScan(page, 'home at 320 px');
  });
  await context.close();
}

async function desktop(browser, width, height, who, problems) {
  const { context, page } = await newPage(browser, width, height, false, who, problems);
  await step(`${width}×${height}: ${who}: the header is one row`, page, async () => {
    await login(page, who);
    await visible(page.getByRole('heading', { level: 1 }), 'the home heading');
    const m = await measure(page);
    log(`    ${width}×${height} ${who}: header ${m.header}px; parts at top ${m.partTops.join('/')}; nav items ${m.itemHeights.join('/')}px high`);
    assert(m.bottom === 0, 'the navigation is a bottom bar on a wide screen');
    assert(m.header <= 64, `header is ${m.header}px high (two rows?)`);
    const spread = Math.max(...m.partTops) - Math.min(...m.partTops);
    assert(spread <= 12, `header parts start at ${m.partTops.join(', ')} (wrapped)`);
    assert(new Set(m.itemTops).size === 1, `nav items on more than one row: ${m.itemTops.join(', ')}`);
    assert(m.itemHeights.every((h) => h <= 48), `a nav item wraps its label: ${m.itemHeights.join(', ')}`);
    assert(m.scrollWidth <= width, `page is ${m.scrollWidth}px wide`);
  });

  await step(`${width}: user menu and "Meer" open; axe with each open`, page, async () => {
    await openUserMenu(page);
    await visible(page.getByTestId('user-menu-button').locator('xpath=..').getByText(who, { exact: true }), 'the name in the menu');
    await axeScan(page, `home with the user menu open (${width} px)`);
    await page.keyboard.press('Escape');
    await page.getByTestId('nav-more').click();
    await visible(page.getByTestId('nav-spaces'), '"Ruimtes" in the Meer menu');
    if (who === ADMIN) await visible(page.getByTestId('nav-admin'), '"Beheer" in the Meer menu');
    await axeScan(page, `home with "Meer" open (${width} px)`);
    await page.keyboard.press('Escape');
  });
  await context.close();
}

await run(async () => {
  const browser = await launch();
  log(`e2e shell: Chromium ${browser.version()} (${EXECUTABLE})`);
  const problems = [];
  await phone(browser, problems);
  await smallPhone(browser, problems);
  await desktop(browser, 768, 1024, ADMIN, problems);
  await desktop(browser, 900, 700, WORKER, problems);
  await desktop(browser, 1024, 768, WORKER, problems);
  await desktop(browser, 1366, 768, WORKER, problems);
  await desktop(browser, 1280, 800, WORKER, problems);
  await desktop(browser, 1280, 800, ADMIN, problems);
  await step('no CSP violations or page errors', null, async () => {
    assert(problems.length === 0, `the pages reported:\n${problems.join('\n')}`);
  });
});
