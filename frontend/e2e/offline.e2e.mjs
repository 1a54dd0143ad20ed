// Offline reading and the installable app (issue 14 §6), in Chromium with
// the network cut (context.setOffline): the manifest and its icons; a
// protocol read before opens after a reload without a network, with
// "Bijgewerkt op …" and the offline notice; the team's agenda too; a chat
// message sent offline waits ("Wacht op verbinding"), survives a reload
// while offline (IndexedDB outbox) and reaches the other person exactly once
// after reconnecting; after logout the kept copies, Workbox's expiration
// index and the outbox are gone. Anouk de Vries works on a 360 px phone, Sanne Bakker (same team) on
// a 1366 px desktop; screenshots of the offline pages at both widths.
//
//   PLEIN_URL=http://127.0.0.1:8080 node e2e/offline.e2e.mjs
//
// Env: PLEIN_URL, CHROMIUM_PATH, E2E_SCREENSHOTS (see lib.mjs).
// The server must be the production build (make build): the service worker
// is registered only there. Service workers are allowed on 127.0.0.1.

import { assert, axeScan, BASE_URL, chooseIdentity, createRunner, EXECUTABLE, log, login, openUserMenu, SCREENSHOTS, TIMEOUT, visible, waitUntil, watchProblems } from './lib.mjs';

const USER_A = 'Anouk de Vries';
const USER_B = 'Sanne Bakker';
const TEAM_NAME = 'Den Helder-Centrum';
const RUN = new Date().toISOString().slice(11, 19);
const MESSAGE = `Bericht zonder bereik, bij mevrouw thuis (${RUN})`;
const OFFLINE_NOTICE = 'Je bent offline — je ziet de laatst bewaarde versie';

const { step, launch, run } = createRunner({
  label: 'e2e offline',
  screenshotPrefix: 'offline-',
  summary: (r) => [`${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`],
});

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(buffer) {
  assert(buffer.subarray(1, 4).toString('latin1') === 'PNG', 'not a PNG');
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

/** In the page: every row of an IndexedDB store, or null when the database or store does not exist (never creates it). */
function storedRows([dbName, store]) {
  return new Promise((resolve) => {
    const req = indexedDB.open(dbName);
    req.onupgradeneeded = () => req.transaction.abort();
    req.onerror = () => resolve(null);
    req.onsuccess = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(store)) {
        db.close();
        resolve(null);
        return;
      }
      const all = db.transaction(store).objectStore(store).getAll();
      all.onsuccess = () => {
        db.close();
        resolve(all.result);
      };
      all.onerror = () => resolve(null);
    };
  });
}

function messageWith(page, text) {
  return page.getByTestId('chat-message').filter({ hasText: text });
}

/** Open the team channel from /chat (client-side, so the page keeps its state). */
async function openTeamChannel(page) {
  await page.getByRole('link', { name: /^Chat/ }).first().click();
  const item = page.getByTestId('chat-channel-item').filter({ hasText: TEAM_NAME });
  await visible(item, `channel item "${TEAM_NAME}"`);
  await item.getByRole('link').click();
  await visible(page.getByTestId('chat-composer'), 'composer');
}

/** Wait until the service worker controls the page; the value says how far it got (for a failure message). */
async function controlledByServiceWorker(page) {
  await waitUntil(
    'the page controlled by the service worker',
    () =>
      page.evaluate(async () => {
        if (!navigator.serviceWorker) return 'no serviceWorker API';
        if (navigator.serviceWorker.controller) return 'controlled';
        const reg = await navigator.serviceWorker.getRegistration();
        if (!reg) return 'not registered';
        const state = (w) => (w ? w.state : '-');
        return `installing ${state(reg.installing)}, waiting ${state(reg.waiting)}, active ${state(reg.active)}`;
      }),
    (v) => v === 'controlled',
    30_000,
  );
}

async function main() {
  const browser = await launch();
  const phone = await browser.newContext({ locale: 'nl-NL', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const desktop = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1366, height: 800 } });
  const anouk = await phone.newPage();
  const sanne = await desktop.newPage();
  anouk.setDefaultTimeout(TIMEOUT);
  sanne.setDefaultTimeout(TIMEOUT);
  const problems = [];
  watchProblems(anouk, USER_A, problems);
  watchProblems(sanne, USER_B, problems);
  const both = [anouk, sanne];
  log(`e2e offline: Plein at ${BASE_URL} with ${EXECUTABLE}`);

  await step('the web app manifest is valid and its icons load', anouk, async () => {
    const res = await anouk.request.get(`${BASE_URL}/manifest.webmanifest`);
    assert(res.ok(), `manifest answered ${res.status()}`);
    assert(res.headers()['content-type'] === 'application/manifest+json', `manifest type ${res.headers()['content-type']}`);
    const m = await res.json();
    assert(m.name && m.name.startsWith('Plein'), `name "${m.name}"`);
    assert(m.short_name === 'Plein', `short_name "${m.short_name}"`);
    assert(m.lang === 'nl', `lang "${m.lang}"`);
    assert(m.start_url === '/' && m.scope === '/', `start_url "${m.start_url}", scope "${m.scope}"`);
    assert(m.display === 'standalone', `display "${m.display}"`);
    assert(/^#[0-9a-f]{6}$/i.test(m.theme_color) && /^#[0-9a-f]{6}$/i.test(m.background_color), 'theme and background colours');
    const pngs = m.icons.filter((i) => i.type === 'image/png');
    for (const need of ['192x192', '512x512']) assert(pngs.some((i) => i.sizes === need && i.purpose.includes('any')), `an "any" icon of ${need}`);
    assert(pngs.some((i) => i.purpose.includes('maskable')), 'a maskable icon');
    for (const icon of pngs) {
      const r = await anouk.request.get(new URL(icon.src, BASE_URL).href);
      assert(r.ok() && r.headers()['content-type'] === 'image/png', `${icon.src}: ${r.status()} ${r.headers()['content-type']}`);
      const { width, height } = pngSize(await r.body());
      assert(`${width}x${height}` === icon.sizes, `${icon.src} is ${width}x${height}, manifest says ${icon.sizes}`);
    }
    const sw = await anouk.request.get(`${BASE_URL}/sw.js`);
    assert(sw.ok() && /javascript/.test(sw.headers()['content-type']), `sw.js: ${sw.status()} ${sw.headers()['content-type']}`);
    assert(sw.headers()['cache-control'] === 'no-cache', `sw.js Cache-Control "${sw.headers()['cache-control']}"`);
    assert(/script-src 'self'/.test(sw.headers()['content-security-policy'] ?? ''), 'sw.js is served under the CSP');
  });

  let article = { id: '', title: '' };
  let teamId = '';
  await step(`${USER_A} (phone) and ${USER_B} (desktop) log in; the service worker takes over`, both, async () => {
    await login(anouk, USER_A);
    await login(sanne, USER_B);
    await controlledByServiceWorker(anouk);
    const html = await anouk.content();
    assert(html.includes('rel="manifest"'), 'index.html links the manifest');
    // Chromium's own parse of the manifest. (Its installability check is not
    // asked: a test context is incognito, which it reports before anything else.)
    const cdp = await phone.newCDPSession(anouk);
    const { url: manifestUrl, errors: manifestErrors } = await cdp.send('Page.getAppManifest');
    assert(manifestUrl.endsWith('/manifest.webmanifest') && manifestErrors.length === 0, `manifest errors: ${JSON.stringify(manifestErrors)}`);
    await cdp.detach();
    const found = await anouk.evaluate(async () => {
      const session = await (await fetch('/api/v1/session')).json();
      const list = await (await fetch('/api/v1/knowledge/articles?limit=1')).json();
      return { team: session.user.teams[0]?.id ?? '', article: list.items[0] };
    });
    assert(found.article && found.team, `an article and a team, got ${JSON.stringify(found)}`);
    article = { id: found.article.id, title: found.article.title };
    teamId = found.team;
  });

  await step(`${USER_A} reads "${article.title}" and the team agenda online`, anouk, async () => {
    await anouk.goto(`${BASE_URL}/kennisbank/${encodeURIComponent(article.id)}`, { waitUntil: 'domcontentloaded' });
    await visible(anouk.getByTestId('kb-article'), 'the article');
    assert((await anouk.getByTestId('saved-copy').count()) === 0, '"bijgewerkt op" shows while online with fresh data');
    await anouk.goto(`${BASE_URL}/teams/${encodeURIComponent(teamId)}/agenda`, { waitUntil: 'domcontentloaded' });
    await visible(anouk.getByTestId('agenda'), 'the agenda');
    await waitUntil(
      'the article and the agenda kept in the offline cache',
      () =>
        anouk.evaluate(async (id) => {
          const cache = await caches.open('plein-api');
          const keys = (await cache.keys()).map((r) => new URL(r.url).pathname);
          return keys.includes(`/api/v1/knowledge/articles/${encodeURIComponent(id)}`) && keys.some((k) => k.endsWith('/events'));
        }, article.id),
      (v) => v === true,
    );
    const kept = await anouk.evaluate(async () => (await caches.open('plein-api')).keys().then((k) => k.map((r) => new URL(r.url).pathname)));
    assert(!kept.some((p) => p === '/api/v1/session' || p.startsWith('/api/v1/auth')), `the session is never kept: ${kept.join(', ')}`);
  });

  await step('both open the team channel', both, async () => {
    await anouk.goto(`${BASE_URL}/`, { waitUntil: 'domcontentloaded' });
    await openTeamChannel(anouk);
    await openTeamChannel(sanne);
    await waitUntil('connection banner empty', () => anouk.getByTestId('chat-connection-banner').innerText(), (t) => t.trim() === '');
  });

  await step(`offline, ${USER_A} sends a message: it waits for the connection, also across a reload`, both, async () => {
    await phone.setOffline(true);
    await visible(anouk.getByTestId('offline-notice'), 'offline notice');
    const notice = await anouk.getByRole('status').filter({ hasText: OFFLINE_NOTICE }).count();
    assert(notice === 1, 'the offline notice is a status region with the Dutch text');
    await anouk.getByTestId('chat-composer').fill(MESSAGE);
    await anouk.getByTestId('chat-composer').press('Enter');
    const mine = messageWith(anouk, MESSAGE);
    await visible(mine, 'own message');
    await waitUntil('"Wacht op verbinding"', () => mine.first().getAttribute('data-pending'), (v) => v === 'waiting');
    const text = await mine.first().innerText();
    assert(text.includes('Wacht op verbinding'), `status text: "${text}"`);
    assert((await messageWith(sanne, MESSAGE).count()) === 0, `${USER_B} got the message while ${USER_A} was offline`);
    await axeScan(anouk, 'the chat offline (phone)');
    // The tab is reloaded while still offline: the message waits in IndexedDB
    // (features/chat/outbox.ts), not only in the page's memory.
    const kept = await anouk.evaluate(storedRows, ['plein-chat-outbox', 'sends']);
    assert(Array.isArray(kept) && kept.some((r) => r.body === MESSAGE), `outbox before the reload: ${JSON.stringify(kept)}`);
    await anouk.reload({ waitUntil: 'domcontentloaded' });
    await visible(anouk.getByTestId('offline-notice'), 'offline notice after the reload');
  });

  await step(`back online, the message reaches ${USER_B} exactly once`, both, async () => {
    await phone.setOffline(false);
    const mine = messageWith(anouk, MESSAGE);
    await waitUntil('own message stored (seq, no longer pending)', async () => ({
      seq: await mine.first().getAttribute('data-seq'),
      pending: await mine.first().getAttribute('data-pending'),
    }), (v) => !!v.seq && !v.pending);
    await visible(messageWith(sanne, MESSAGE), `the message at ${USER_B}`);
    assert((await messageWith(sanne, MESSAGE).count()) === 1, 'the message shows once live');
    assert((await mine.count()) === 1, `the message shows ${await mine.count()} times at the sender`);
    // The store's truth: a fresh load of the channel history has it once.
    await sanne.reload({ waitUntil: 'domcontentloaded' });
    await visible(messageWith(sanne, MESSAGE), 'the message after reloading');
    assert((await messageWith(sanne, MESSAGE).count()) === 1, 'the message is stored once');
    await waitUntil('offline notice gone', () => anouk.getByTestId('offline-notice').count(), (n) => n === 0);
  });

  await step(`offline, a reload opens "${article.title}" with "Bijgewerkt op" (360 px)`, anouk, async () => {
    await phone.setOffline(true);
    const articleApi = `/api/v1/knowledge/articles/${encodeURIComponent(article.id)}`;
    const answer = anouk.waitForResponse((r) => new URL(r.url()).pathname === articleApi);
    await anouk.goto(`${BASE_URL}/kennisbank/${encodeURIComponent(article.id)}`, { waitUntil: 'domcontentloaded' });
    await visible(anouk.getByTestId('kb-article'), 'the article, offline');
    // The article came from the service worker's copy, not from the network.
    const res = await answer;
    assert(res.fromServiceWorker() && !!res.headers()['x-plein-offline-copy'], `article answer: from service worker ${res.fromServiceWorker()}, copy ${res.headers()['x-plein-offline-copy']}`);
    const title = await anouk.locator('.kb-article__title').innerText();
    assert(title.trim() === article.title, `title "${title}"`);
    await visible(anouk.getByTestId('saved-copy'), '"Bijgewerkt op"');
    const saved = await anouk.getByTestId('saved-copy').innerText();
    assert(/^Bijgewerkt op \d{1,2} \S+ (om )?\d{2}:\d{2}$/.test(saved.trim()), `saved copy text "${saved}"`);
    await visible(anouk.getByTestId('offline-notice'), 'offline notice');
    const width = await anouk.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 360, `page is ${width}px wide on a 360px screen`);
    await axeScan(anouk, 'the article offline (phone)');
  });

  await step('offline, the article at 1366 px', anouk, async () => {
    await anouk.setViewportSize({ width: 1366, height: 800 });
    await visible(anouk.getByTestId('saved-copy'), '"Bijgewerkt op"');
    await visible(anouk.getByTestId('offline-notice'), 'offline notice');
  });

  await step('back online, the article is asked again and "Bijgewerkt op" goes away', anouk, async () => {
    await phone.setOffline(false);
    await waitUntil('offline notice and "Bijgewerkt op" gone', async () => ({
      notice: await anouk.getByTestId('offline-notice').count(),
      saved: await anouk.getByTestId('saved-copy').count(),
    }), (v) => v.notice === 0 && v.saved === 0);
    await visible(anouk.getByTestId('kb-article'), 'the article');
  });

  await step('offline, the team agenda opens too', anouk, async () => {
    await phone.setOffline(true);
    await anouk.setViewportSize({ width: 360, height: 740 });
    await anouk.goto(`${BASE_URL}/teams/${encodeURIComponent(teamId)}/agenda`, { waitUntil: 'domcontentloaded' });
    await visible(anouk.getByTestId('agenda'), 'the agenda, offline');
    await visible(anouk.getByTestId('agenda').getByTestId('saved-copy'), '"Bijgewerkt op" on the agenda');
  });

  await step('offline, home opens in the shell (the installed app starts here)', anouk, async () => {
    await anouk.goto(`${BASE_URL}/`, { waitUntil: 'domcontentloaded' });
    await visible(anouk.getByTestId('user-name'), 'the shell');
    await visible(anouk.getByTestId('offline-notice'), 'offline notice');
    await axeScan(anouk, 'home offline (phone)');
  });

  await step('an article never read is not there offline: an error, not "laden" forever', anouk, async () => {
    await anouk.goto(`${BASE_URL}/kennisbank/nooit-gelezen-${RUN.replace(/:/g, '')}`, { waitUntil: 'domcontentloaded' });
    await visible(anouk.getByRole('alert'), 'an error alert');
  });

  await step(`${USER_A} logs out; offline the article is no longer readable`, anouk, async () => {
    await phone.setOffline(false);
    const indexed = await anouk.evaluate(storedRows, ['workbox-expiration', 'cache-entries']);
    assert(Array.isArray(indexed) && indexed.length > 0, `workbox-expiration before logout: ${JSON.stringify(indexed)}`);
    await anouk.goto(`${BASE_URL}/`, { waitUntil: 'domcontentloaded' });
    await openUserMenu(anouk);
    await anouk.getByTestId('logout-button').click();
    await waitUntil(`back on Plein (${BASE_URL})`, async () => anouk.url(), (url) => url.startsWith(BASE_URL));
    await visible(anouk.getByTestId('login-button'), 'login button after logout');
    const left = await anouk.evaluate(async () => ({
      caches: await caches.keys(),
      user: localStorage.getItem('plein.offline.user'),
    }));
    assert(!left.caches.includes('plein-api') && left.user === null, `after logout: ${JSON.stringify(left)}`);
    // Workbox's index of the kept answers (URLs naming teams and articles)
    // and the chat outbox are emptied too.
    const index = await anouk.evaluate(storedRows, ['workbox-expiration', 'cache-entries']);
    const outbox = await anouk.evaluate(storedRows, ['plein-chat-outbox', 'sends']);
    assert(index === null || index.length === 0, `workbox-expiration after logout: ${JSON.stringify(index)}`);
    assert(outbox === null || outbox.length === 0, `chat outbox after logout: ${JSON.stringify(outbox)}`);
    await phone.setOffline(true);
    await anouk.goto(`${BASE_URL}/kennisbank/${encodeURIComponent(article.id)}`, { waitUntil: 'domcontentloaded' });
    // The app shell still opens (precache), but it has nobody's data to show.
    await visible(anouk.getByRole('alert'), 'the "not reachable" alert');
    assert((await anouk.getByTestId('kb-article').count()) === 0, 'the article is readable after logout');
    assert((await anouk.getByTestId('user-name').count()) === 0, 'a user is shown after logout');
    await phone.setOffline(false);
  });

  await step(`on the same phone, ${USER_B} logs in through the provider with the service worker in control`, anouk, async () => {
    await controlledByServiceWorker(anouk);
    await anouk.goto(`${BASE_URL}/`, { waitUntil: 'domcontentloaded' });
    await visible(anouk.getByTestId('login-button'), 'login button');
    await chooseIdentity(anouk, USER_B);
    await waitUntil('user name in header', () => anouk.getByTestId('user-name').innerText(), (t) => t.trim() === USER_B);
    const remembered = await anouk.evaluate(() => JSON.parse(localStorage.getItem('plein.offline.user') ?? 'null')?.user?.name);
    assert(remembered === USER_B, `remembered person "${remembered}"`);
  });

  await step('no CSP violations or page errors', both, async () => {
    assert(problems.length === 0, `the pages reported:\n${problems.join('\n')}`);
  });
  if (SCREENSHOTS) log(`e2e offline: screenshots in ${SCREENSHOTS}`);
  await browser.close();
}

await run(main);
