// Web Push (issue 15), in Chromium: the settings section "Meldingen op dit
// apparaat" at 360 and 1366 px (axe clean); a push delivered to the service
// worker (CDP ServiceWorker.deliverPushMessage: Chromium cannot reach a real
// push service here) is shown as a notification with its page; and, with
// Sanne Bakker's app closed, a mention Anouk de Vries types in the team
// channel reaches a push service on loopback that this script runs: the
// POST is decrypted here (RFC 8291 aes128gcm, with the subscription's own
// keys) and holds who and where, never the message. Switching the app to
// English switches her push language on the server; logging out turns push
// off on that device.
//
//   PLEIN_URL=http://127.0.0.1:8080 node e2e/push.e2e.mjs
//
// The server must be the production build (make build: the service worker
// is registered only there) started with PLEIN_TEST_PUSH_LOOPBACK=on
// (.ci/e2e.sh does), so a loopback endpoint is accepted.

import { createECDH, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { assert, axeScan, BASE_URL, createRunner, EXECUTABLE, log, login, openUserMenu, TIMEOUT, visible, waitUntil, watchProblems } from './lib.mjs';

const USER_A = 'Anouk de Vries';
const USER_B = 'Sanne Bakker';
const TEAM_NAME = 'Den Helder-Centrum';
const RUN = new Date().toISOString().slice(11, 19);
const SECRET = `mevrouw Jansen heeft haar insuline niet genomen (${RUN})`;

const { step, launch, run } = createRunner({
  label: 'e2e push',
  screenshotPrefix: 'push-',
  summary: (r) => [`${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`],
});

/** A push service on loopback: keeps every POST body and answers 201. */
function startPushService() {
  const received = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') received.push({ path: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(req.method === 'POST' ? 201 : 405).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, received, url: `http://127.0.0.1:${server.address().port}` })));
}

/** Opens an aes128gcm body (RFC 8188 framing, RFC 8291 keys) with the device's key pair and auth secret. */
function decrypt(body, ecdh, auth) {
  const salt = body.subarray(0, 16);
  const idlen = body[20];
  const senderKey = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const secret = ecdh.computeSecret(senderKey);
  const info = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', secret, auth, info, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const plain = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  assert(plain[end] === 2, 'no last-record delimiter in the decrypted push');
  return plain.subarray(0, end).toString('utf8');
}

/** Wait until the service worker controls the page. */
async function controlled(page) {
  await waitUntil('the page controlled by the service worker', () => page.evaluate(() => !!navigator.serviceWorker?.controller), Boolean, 30_000);
}

/** Deliver a push message to the page's service worker through CDP, as a push service would. */
async function deliverPush(context, page, data) {
  const cdp = await context.newCDPSession(page);
  const registrations = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  await waitUntil('the service worker registration over CDP', async () => registrations.filter((r) => !r.isDeleted).length, (n) => n > 0);
  const reg = registrations.find((r) => !r.isDeleted);
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(BASE_URL).origin, registrationId: reg.registrationId, data });
  await cdp.detach();
}

/** The notifications the service worker shows. */
function shownNotifications(page) {
  return page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return (await reg.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data?.url }));
  });
}

async function main() {
  const browser = await launch();
  const pushService = await startPushService();
  const desktop = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1366, height: 800 } });
  const phone = await browser.newContext({ locale: 'nl-NL', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await desktop.grantPermissions(['notifications'], { origin: BASE_URL });
  let sanne = await desktop.newPage();
  const anouk = await phone.newPage();
  sanne.setDefaultTimeout(TIMEOUT);
  anouk.setDefaultTimeout(TIMEOUT);
  const problems = [];
  watchProblems(sanne, USER_B, problems);
  watchProblems(anouk, USER_A, problems);
  log(`e2e push: Plein at ${BASE_URL} with ${EXECUTABLE}; push service at ${pushService.url}`);

  await step(`${USER_B} (1366 px) sees "Meldingen op dit apparaat" on /meldingen (axe)`, sanne, async () => {
    await login(sanne, USER_B);
    await controlled(sanne);
    await sanne.goto(`${BASE_URL}/meldingen`, { waitUntil: 'domcontentloaded' });
    const section = sanne.getByTestId('push-settings');
    await visible(section.getByRole('heading', { name: 'Meldingen op dit apparaat' }), 'the push section');
    await visible(sanne.getByTestId('push-toggle'), 'the on/off button');
    await visible(sanne.getByTestId('push-quiet'), 'the quiet hours');
    const status = await sanne.getByTestId('push-this-device').innerText();
    assert(status.includes('geen pushmeldingen'), `this device starts without push: "${status}"`);
    await axeScan(sanne, 'the push settings at 1366 px');
  });

  await step(`${USER_A} (360 px) sees the same section fit the phone (axe)`, anouk, async () => {
    await login(anouk, USER_A);
    await anouk.goto(`${BASE_URL}/meldingen`, { waitUntil: 'domcontentloaded' });
    await visible(anouk.getByTestId('push-settings'), 'the push section');
    const overflow = await anouk.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert(overflow <= 0, `the page is ${overflow} px wider than the phone`);
    await axeScan(anouk, 'the push settings at 360 px');
  });

  await step(`${USER_B} sets quiet hours and they are kept`, sanne, async () => {
    await sanne.getByTestId('push-quiet-on').check();
    await sanne.getByTestId('push-quiet-from').fill('22:00');
    await sanne.getByTestId('push-quiet-to').fill('07:00');
    await sanne.getByTestId('push-quiet-save').click();
    await visible(sanne.getByText('Je stille uren zijn opgeslagen.'), 'saved');
    const settings = await sanne.evaluate(async () => (await fetch('/api/v1/push/settings')).json());
    assert(settings.quietHours.enabled && settings.quietHours.from === '22:00' && settings.quietHours.to === '07:00', JSON.stringify(settings));
    // Off again: the mention below must be pushed whatever the time of day.
    await sanne.getByTestId('push-quiet-on').uncheck();
    await sanne.getByTestId('push-quiet-save').click();
    await waitUntil('quiet hours off', () => sanne.evaluate(async () => (await (await fetch('/api/v1/push/settings')).json()).quietHours.enabled), (v) => v === false);
  });

  await step('a push delivered to the service worker is shown with its page', sanne, async () => {
    const data = JSON.stringify({ title: 'Nieuw bericht van Anouk', body: `in ${TEAM_NAME}`, url: '/chat/t-den-helder-centrum?m=1', tag: 'plein:/chat/t-den-helder-centrum' });
    await deliverPush(desktop, sanne, data);
    const shown = await waitUntil('the notification shown', () => shownNotifications(sanne), (l) => l.some((n) => n.title === 'Nieuw bericht van Anouk'));
    const n = shown.find((x) => x.title === 'Nieuw bericht van Anouk');
    assert(n.body === `in ${TEAM_NAME}` && n.url === '/chat/t-den-helder-centrum?m=1' && n.tag === 'plein:/chat/t-den-helder-centrum', JSON.stringify(n));
  });

  const device = { ecdh: createECDH('prime256v1'), auth: randomBytes(16) };
  device.ecdh.generateKeys();
  await step(`${USER_B}'s device subscribes (a loopback push service) and she closes the app`, sanne, async () => {
    const result = await sanne.evaluate(
      async ({ endpoint, p256dh, auth }) => {
        const { csrfToken } = await (await fetch('/api/v1/session')).json();
        const res = await fetch('/api/v1/push/subscriptions', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
          body: JSON.stringify({ endpoint, keys: { p256dh, auth }, label: 'Testapparaat', language: 'nl' }),
        });
        return { status: res.status, body: await res.json() };
      },
      { endpoint: `${pushService.url}/sanne`, p256dh: device.ecdh.getPublicKey('base64url'), auth: device.auth.toString('base64url') },
    );
    assert(result.status === 201, `subscribe: ${JSON.stringify(result)}`);
    await sanne.reload({ waitUntil: 'domcontentloaded' });
    await visible(sanne.getByTestId('push-device').filter({ hasText: 'Testapparaat' }), 'the device in her list');
    await sanne.close();
  });

  let payload = '';
  await step(`${USER_A} mentions ${USER_B} in the team channel; the push reaches the push service without the text`, anouk, async () => {
    await anouk.getByRole('link', { name: /^Chat/ }).first().click();
    const item = anouk.getByTestId('chat-channel-item').filter({ hasText: TEAM_NAME });
    await visible(item, 'the team channel');
    await item.getByRole('link').click();
    const composer = anouk.getByTestId('chat-composer');
    await visible(composer, 'composer');
    await composer.pressSequentially(`@${USER_B.split(' ')[0].slice(0, 4)}`);
    await visible(anouk.getByRole('listbox'), 'mention suggestions');
    await composer.press('Enter');
    await composer.pressSequentially(SECRET);
    await composer.press('Enter');
    await visible(anouk.getByTestId('chat-message').filter({ hasText: SECRET }), 'the message');
    await waitUntil('a POST at the push service', async () => pushService.received.length, (n) => n >= 1);
    const got = pushService.received[0];
    assert(got.path === '/sanne' && got.headers['content-encoding'] === 'aes128gcm', `${got.path} ${got.headers['content-encoding']}`);
    assert(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/.test(got.headers.authorization ?? ''), `Authorization: ${got.headers.authorization}`);
    payload = decrypt(got.body, device.ecdh, device.auth);
    const m = JSON.parse(payload);
    assert(m.title === 'Anouk noemde je' && m.body === `in ${TEAM_NAME}` && /^\/chat\/[^/?]+\?m=\d+$/.test(m.url), payload);
    for (const leak of ['Jansen', 'insuline', 'de Vries']) assert(!payload.includes(leak), `the push carries "${leak}": ${payload}`);
  });

  await step(`${USER_B} opens the app again: the same push shown by her service worker`, [], async () => {
    sanne = await desktop.newPage();
    sanne.setDefaultTimeout(TIMEOUT);
    watchProblems(sanne, USER_B, problems);
    await sanne.goto(`${BASE_URL}/meldingen`, { waitUntil: 'domcontentloaded' });
    await controlled(sanne);
    await deliverPush(desktop, sanne, payload);
    await waitUntil('the mention notification shown', () => shownNotifications(sanne), (l) => l.some((n) => n.title === 'Anouk noemde je'));
  });

  await step(`${USER_B} switches to English: her pushes follow (the server keeps the language)`, sanne, async () => {
    const language = () => sanne.evaluate(async () => (await (await fetch('/api/v1/push/settings')).json()).language);
    assert((await language()) === 'nl', 'push language before the switch');
    await sanne.getByTestId('lang-toggle').click();
    await waitUntil('the push language English', language, (l) => l === 'en');
    await sanne.getByTestId('lang-toggle').click();
    await waitUntil('the push language Dutch again', language, (l) => l === 'nl');
  });

  await step(`${USER_B} logs out: push is off on that device`, sanne, async () => {
    await openUserMenu(sanne);
    await sanne.getByTestId('logout-button').click();
    await visible(sanne.getByTestId('login-button'), 'login button after logout');
    await login(sanne, USER_B);
    await sanne.goto(`${BASE_URL}/meldingen`, { waitUntil: 'domcontentloaded' });
    await visible(sanne.getByTestId('push-settings'), 'the push section');
    await visible(sanne.getByText('Nog geen apparaten.'), 'no devices after the logout');
  });

  await step('no console errors or failed requests', [], async () => {
    assert(problems.length === 0, problems.join('\n'));
  });
  pushService.server.close();
}

await run(main);
