// End-to-end flow for team spaces, notifications and global search with
// three people in three browser contexts:
//   Anouk de Vries (desktop) and Sanne Bakker (a 360 px phone), both in team
//   Den Helder-Centrum, and Daan Visser (desktop) in team Julianadorp.
// Anouk writes a team-only post marked as a team agreement with a small PNG
// attachment (generated here) and pins it. Sanne, who has the space open,
// sees the bell's unread count go up, opens the notification and lands on
// the post with its image. Daan searches the post's unique word and finds
// nothing under Berichten; the post's direct URL shows "niet gevonden".
// Anouk finds one of the team's PDFs by a word in its text and previews it
// in the browser's PDF viewer; Daan does not find it.
// Anouk uploads a file whose bytes are not what its name says and reads the
// refusal in Dutch, with no English sentence from the server.
// Includes axe scans (wcag2a, wcag2aa) of the space home and the
// notification centre.
//
//   PLEIN_URL=http://127.0.0.1:8080 node e2e/spaces.e2e.mjs
//   node e2e/spaces.e2e.mjs --launch-only   # only check that Chromium starts
//
// Env: PLEIN_URL (default http://127.0.0.1:8080), CHROMIUM_PATH (default
// /usr/bin/chromium), E2E_USER_A (default "Anouk de Vries"), E2E_USER_B
// (default "Sanne Bakker"), E2E_USER_C (default "Daan Visser", not in the
// team), E2E_TEAM_ID (default "den-helder-centrum"), E2E_SCREENSHOTS=dir.
// Uses Debian's Chromium through playwright-core; never downloads a browser.

import { deflateSync } from 'node:zlib';
import { assert, axeScan, BASE_URL, createRunner, EXECUTABLE, log, login, TIMEOUT, visible, waitUntil, watchProblems } from './lib.mjs';

const USER_A = process.env.E2E_USER_A || 'Anouk de Vries';
const USER_B = process.env.E2E_USER_B || 'Sanne Bakker';
const USER_C = process.env.E2E_USER_C || 'Daan Visser';
const TEAM_ID = process.env.E2E_TEAM_ID || 'den-helder-centrum';
// A team's space is part of its team page: /teams/:id (overview), /teams/:id/berichten (posts).
const TEAM_PATH = `/teams/${encodeURIComponent(TEAM_ID)}`;
const SPACE_PATH = `${TEAM_PATH}/berichten`;
const OLD_SPACE_PATH = `/ruimtes/${encodeURIComponent(TEAM_ID)}`;

// A word nobody else wrote: letters only, so every analyser keeps it whole.
const LETTERS = 'bcdfghjklmnpqrstvwxz';
const WORD = `sleutelkast${Array.from({ length: 8 }, () => LETTERS[Math.floor(Math.random() * LETTERS.length)]).join('')}`;
const POST_TEXT = `Teamafspraak: de ${WORD} hangt vanaf nu naast de voordeur. Sleutels na de dienst terugleggen.`;
// A seeded PDF of the team (server/demo/spaces.go) and a word only in its text.
const PDF_NAME = 'Werkafspraken weekenddiensten.pdf';
const PDF_WORD = 'sleutelkluizen';
// How long to wait for a notification: live frames are instant, the bell's poll runs every 30 s.
const NOTIFY_TIMEOUT = 45_000;

const { step, launch, run } = createRunner({
  label: 'e2e spaces',
  screenshotPrefix: 'spaces-',
  summary: (r) => [`${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`],
});

// ---------- A small PNG, made here ----------

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    let c = (crc ^ byte) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A width×height RGB PNG: a coloured square with a lighter diagonal. */
function makePng(width, height, [r, g, b]) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3); // filter byte 0 (none)
    for (let x = 0; x < width; x++) {
      const light = Math.abs(x - y) < 3;
      row[1 + x * 3] = light ? 255 : r;
      row[2 + x * 3] = light ? 255 : g;
      row[3 + x * 3] = light ? 255 : b;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------- Page helpers ----------

async function bellCount(page) {
  const badge = page.getByTestId('notification-count');
  if ((await badge.count()) === 0) return 0;
  return Number(await badge.first().getAttribute('data-count'));
}

function postWith(page, text, scope = page) {
  return scope.getByTestId('post').filter({ hasText: text });
}

async function imageLoaded(locator) {
  return locator.first().evaluate((img) => img.complete && img.naturalWidth > 0);
}

async function pageWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

async function main() {
  const browser = await launch();

  const contextA = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 860 } });
  const contextB = await browser.newContext({
    locale: 'nl-NL',
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  const contextC = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 860 } });
  const anouk = await contextA.newPage();
  const sanne = await contextB.newPage();
  const daan = await contextC.newPage();
  for (const page of [anouk, sanne, daan]) page.setDefaultTimeout(TIMEOUT);
  const problems = [];
  watchProblems(anouk, USER_A, problems);
  watchProblems(sanne, USER_B, problems);
  watchProblems(daan, USER_C, problems);

  log(`e2e spaces: Plein at ${BASE_URL} with ${EXECUTABLE}; unique word "${WORD}"`);

  await step(`${USER_A}, ${USER_B} and ${USER_C} log in through the identity provider`, [anouk, sanne], async () => {
    await login(anouk, USER_A);
    await login(sanne, USER_B);
    await login(daan, USER_C);
  });

  let countBefore = 0;
  await step(`${USER_B} opens her team space on a 360 px phone`, sanne, async () => {
    // Read the count only after the bell's first answer has arrived.
    const firstCount = sanne.waitForResponse((r) => r.url().includes('/api/v1/notifications?limit=1') && r.ok());
    await sanne.goto(`${BASE_URL}${SPACE_PATH}`, { waitUntil: 'domcontentloaded' });
    await visible(sanne.getByTestId('team-posts'), 'the team page, Berichten');
    await visible(sanne.getByTestId('notification-bell'), 'notification bell in the header');
    await visible(sanne.getByTestId('space-composer'), 'composer (member)');
    await firstCount;
    countBefore = await bellCount(sanne);
    const width = await pageWidth(sanne);
    assert(width <= 360, `space home is ${width}px wide on a 360px screen (horizontal scrolling)`);
  });

  await step(`${USER_A} opens her space from /ruimtes (axe scan of the space home)`, anouk, async () => {
    await anouk.goto(`${BASE_URL}/ruimtes`, { waitUntil: 'domcontentloaded' });
    const card = anouk.locator(`[data-testid="space-card"][data-space-id="${TEAM_ID}"]`);
    await visible(card, `space card ${TEAM_ID}`);
    await card.getByRole('link').first().click();
    await waitUntil('team page URL', async () => new URL(anouk.url()).pathname, (p) => p === TEAM_PATH);
    await visible(anouk.getByTestId('team-overview'), 'team overview');
    await anouk.getByTestId('team-tab-posts').click();
    await waitUntil('posts URL', async () => new URL(anouk.url()).pathname, (p) => p === SPACE_PATH);
    await visible(anouk.getByTestId('space-agreements'), 'Afspraken section');
    await visible(anouk.getByTestId('space-composer'), 'composer');
    await axeScan(anouk, 'the space home');
  });

  let postId = '';
  await step(`${USER_A} writes a team-only team agreement with a PNG attachment`, anouk, async () => {
    const composer = anouk.getByTestId('space-composer');
    await composer.getByTestId('composer-body').fill(POST_TEXT);
    await composer.getByTestId('composer-visibility').selectOption('team');
    await composer.getByTestId('composer-agreement').check();
    await composer.getByTestId('composer-files').setInputFiles({
      name: 'sleutelkast.png',
      mimeType: 'image/png',
      buffer: makePng(48, 32, [15, 76, 92]),
    });
    await visible(composer.getByTestId('composer-file-list'), 'chosen file');
    await composer.getByTestId('composer-submit').click();
    await waitUntil('"geplaatst" status', () => composer.getByTestId('composer-status').innerText(), (t) => /geplaatst/i.test(t));
    const post = postWith(anouk, WORD);
    await visible(post, 'the new post in the stream');
    postId = (await post.first().getAttribute('data-post-id')) || '';
    assert(postId, 'the post has a data-post-id');
    const text = await post.first().innerText();
    assert(/Teamafspraak/.test(text), `post should be labelled "Teamafspraak", got "${text}"`);
    assert(/Alleen team/.test(text), `post should be labelled "Alleen team", got "${text}"`);
    const image = post.first().getByTestId('post-attachment-image');
    await visible(image, 'inline image attachment');
    await waitUntil('image loaded', () => imageLoaded(image), Boolean);
  });

  await step(`${USER_A} types a valid BSN in a team post: a Dutch warning; "Aanpassen" keeps the text`, anouk, async () => {
    const composer = anouk.getByTestId('space-composer');
    const text = `Mevrouw belt over BSN 111222333 ${WORD}-bsn`;
    await composer.getByTestId('composer-body').fill(text);
    await composer.getByTestId('composer-submit').click();
    const dialog = anouk.getByRole('alertdialog');
    await visible(dialog, 'the client-data warning');
    const warning = await dialog.innerText();
    assert(/Dit lijkt een BSN\. Cliëntgegevens horen in het zorgdossier, niet in Plein\./.test(warning), `warning text: "${warning}"`);
    await waitUntil('focus on "Aanpassen"', () => anouk.evaluate(() => document.activeElement?.textContent ?? ''), (t) => t === 'Aanpassen');
    await axeScan(anouk, 'the client-data warning');
    await dialog.getByRole('button', { name: 'Aanpassen' }).click();
    await waitUntil('the warning closes', () => anouk.getByRole('alertdialog').count(), (n) => n === 0);
    const kept = await composer.getByTestId('composer-body').inputValue();
    assert(kept === text, `the text should be kept, got "${kept}"`);
    assert((await anouk.getByText(`${WORD}-bsn`, { exact: false }).count()) <= 1, 'nothing was posted'); // only the textarea
    await composer.getByTestId('composer-body').fill('');
  });

  await step(`${USER_A} pins the post: it moves to Afspraken`, anouk, async () => {
    await postWith(anouk, WORD).first().getByTestId('post-pin').click();
    const agreements = anouk.getByTestId('space-agreements');
    await visible(postWith(anouk, WORD, agreements), 'the post under Afspraken');
    await waitUntil(
      'pinned state',
      () => postWith(anouk, WORD, agreements).first().getAttribute('data-pinned'),
      (v) => v === 'true',
    );
  });

  await step(`${USER_B} sees the bell's unread count go up`, sanne, async () => {
    await waitUntil(
      `unread count above ${countBefore}`,
      () => bellCount(sanne),
      (n) => n > countBefore,
      NOTIFY_TIMEOUT,
    );
  });

  await step(`${USER_B} opens the notification and lands on the post with its image`, sanne, async () => {
    await sanne.getByTestId('notification-bell').click();
    const popover = sanne.getByTestId('notification-popover');
    await visible(popover, 'notification popover');
    const item = popover.locator(`[data-testid="notification-item"]:has(a[href*="${postId}"])`);
    await visible(item, `a notification linking to post ${postId}`);
    await item.first().getByRole('link').click();
    await waitUntil(
      'post URL',
      async () => new URL(sanne.url()).pathname,
      (p) => p === `${TEAM_PATH}/berichten/${postId}`,
    );
    const post = postWith(sanne, WORD);
    await visible(post, 'the post on its own page');
    const image = post.first().getByTestId('post-attachment-image');
    await visible(image, 'the image attachment');
    await waitUntil('image loaded', () => imageLoaded(image), Boolean);
    const width = await pageWidth(sanne);
    assert(width <= 360, `post page is ${width}px wide on a 360px screen (horizontal scrolling)`);
  });

  await step(`${USER_B} sees the post in her open space too`, sanne, async () => {
    await sanne.goBack({ waitUntil: 'domcontentloaded' }).catch(() => {});
    if (new URL(sanne.url()).pathname !== SPACE_PATH) await sanne.goto(`${BASE_URL}${SPACE_PATH}`, { waitUntil: 'domcontentloaded' });
    await visible(postWith(sanne, WORD, sanne.getByTestId('space-agreements')), 'the pinned post under Afspraken');
  });

  await step(`${USER_B} opens the notification centre (axe scan)`, sanne, async () => {
    await sanne.goto(`${BASE_URL}/meldingen`, { waitUntil: 'domcontentloaded' });
    await visible(sanne.getByTestId('notifications-page'), 'notification centre');
    await visible(sanne.locator(`[data-testid="notification-item"]:has(a[href*="${postId}"])`), 'the notification in the list');
    await visible(sanne.getByTestId('notification-preferences').getByTestId('prefs-save'), 'preferences form');
    await axeScan(sanne, 'the notification centre on a phone');
  });

  await step(`${USER_A} finds the post by "${WORD}" in global search (control)`, anouk, async () => {
    await waitUntil(
      'the post under Berichten',
      async () => {
        await anouk.goto(`${BASE_URL}/zoeken?q=${encodeURIComponent(WORD)}`, { waitUntil: 'domcontentloaded' });
        await visible(anouk.getByTestId('search-results'), 'search results');
        return anouk.locator('[data-testid="search-group"][data-type="post"] [data-testid="search-item"]').filter({ hasText: WORD }).count();
      },
      (n) => n > 0,
    );
  });

  await step(`${USER_A} finds a PDF by its contents ("${PDF_WORD}") and previews it in the browser`, anouk, async () => {
    await anouk.goto(`${BASE_URL}/zoeken?q=${encodeURIComponent(PDF_WORD)}`, { waitUntil: 'domcontentloaded' });
    const hit = anouk.locator('[data-testid="search-group"][data-type="document"] [data-testid="search-item"]').filter({ hasText: PDF_NAME });
    await visible(hit, `${PDF_NAME} under Documenten`);
    const mark = await hit.locator('mark').first().innerText();
    assert(/sleutelkluizen/i.test(mark), `the snippet highlights the contents, got "${mark}"`);
    await hit.getByRole('link', { name: PDF_NAME }).click();
    await visible(anouk.getByTestId('document-details'), 'the document details');
    await anouk.locator('.sp-pdf-preview-button').click();
    // The browser's PDF viewer runs in a frame of its own inside ours; it
    // loads the file only when the response's policy lets it render.
    const viewer = await waitUntil(
      "the browser's PDF viewer with the file",
      async () => anouk.frames().filter((f) => f.url().includes('/content') && (f.parentFrame()?.url() ?? '').startsWith('chrome-extension://')).length,
      (n) => n > 0,
    );
    log(`PDF viewer frames: ${viewer}`);
  });

  await step(`${USER_A} uploads a file whose contents are not what its name says: refused in Dutch, no English`, anouk, async () => {
    await anouk.goto(`${BASE_URL}${TEAM_PATH}/documenten`, { waitUntil: 'domcontentloaded' });
    const form = anouk.getByTestId('document-upload');
    await visible(form, 'the upload form');
    // A Windows program dressed up as a PDF: the server sniffs the bytes and refuses it (file_type_refused).
    await form.getByTestId('document-file').setInputFiles({
      name: 'rooster-december.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(512, 0)]),
    });
    await form.getByTestId('document-upload-submit').click();
    const alert = form.getByRole('alert');
    await visible(alert, 'the refusal');
    const text = await alert.innerText();
    log(`refusal: ${text.replace(/\s+/g, ' ')}`);
    assert(/Dit soort bestand kan hier niet/.test(text), `the refusal says in Dutch what is wrong, got "${text}"`);
    // The summary above the form links to the field, where the same sentence stands.
    const link = alert.getByRole('link', { name: /Dit soort bestand kan hier niet/ });
    await visible(link, 'the link to the file field');
    const fieldError = form.getByTestId('error-file');
    assert(/Dit soort bestand kan hier niet/.test(await fieldError.innerText()), 'the refusal stands at the file field');
    assert((await form.getByTestId('document-file').getAttribute('aria-invalid')) === 'true', 'the file field is marked invalid');
    assert(
      !/\b(the|not|invalid|input|fields?|file|type|accepted|contents|use)\b/i.test(text),
      `no English sentence on a Dutch screen, got "${text}"`,
    );
  });

  await step(`${USER_C} searches "${PDF_WORD}" and does not find the other team's PDF`, daan, async () => {
    await daan.goto(`${BASE_URL}/zoeken?q=${encodeURIComponent(PDF_WORD)}`, { waitUntil: 'domcontentloaded' });
    await visible(daan.getByTestId('search-results'), 'search results');
    const found = await daan.getByTestId('search-item').filter({ hasText: PDF_NAME }).count();
    assert(found === 0, `${USER_C} sees ${found} result(s) for ${PDF_NAME}`);
  });

  await step(`${USER_C} (team Julianadorp) searches "${WORD}" and finds nothing under Berichten`, daan, async () => {
    await daan.goto(`${BASE_URL}/ruimtes`, { waitUntil: 'domcontentloaded' });
    const box = daan.getByTestId('global-search-input');
    await visible(box, 'global search field in the header');
    await box.fill(WORD);
    await box.press('Enter');
    await waitUntil('search URL', async () => new URL(daan.url()), (u) => u.pathname === '/zoeken' && u.searchParams.get('q') === WORD);
    await visible(daan.getByTestId('search-results'), 'search results');
    const posts = daan.locator('[data-testid="search-group"][data-type="post"]');
    if ((await posts.count()) > 0) {
      const found = await posts.getByTestId('search-item').filter({ hasText: WORD }).count();
      assert(found === 0, `${USER_C} sees ${found} post(s) with "${WORD}" in search`);
    }
    const anywhere = await daan.getByTestId('search-item').filter({ hasText: WORD }).count();
    assert(anywhere === 0, `${USER_C} sees ${anywhere} result(s) with "${WORD}" in any group`);
  });

  await step(`${USER_C} opens the post's direct URL and gets "niet gevonden"`, daan, async () => {
    // The old /ruimtes link (bookmarks, older notifications) redirects to the team page.
    await daan.goto(`${BASE_URL}${OLD_SPACE_PATH}/berichten/${encodeURIComponent(postId)}`, { waitUntil: 'domcontentloaded' });
    await waitUntil('redirect to the team page', async () => new URL(daan.url()).pathname, (p) => p === `${TEAM_PATH}/berichten/${postId}`);
    const notFound = daan.getByTestId('post-not-found');
    await visible(notFound, '"niet gevonden" message');
    const text = await notFound.innerText();
    assert(/niet gevonden/i.test(text), `expected "niet gevonden", got "${text}"`);
    assert((await daan.getByText(WORD).count()) === 0, `${USER_C} must not see the post text`);
  });

  // ---------- #14 §7: one outcome, counters, markdown cards (both widths) ----------
  await anouk.setViewportSize({ width: 1366, height: 860 });
  const REFUSED_WORD = `${WORD}geweigerd`;

  await step(`a post with a refused attachment leaves nothing; the text stays (1366 and 360 px)`, [anouk, sanne], async () => {
    for (const [page, who] of [[anouk, 'anouk'], [sanne, 'sanne']]) {
      await page.goto(`${BASE_URL}${SPACE_PATH}`, { waitUntil: 'domcontentloaded' });
      const composer = page.getByTestId('space-composer');
      await visible(composer, 'composer');
      const text = `Rooster en foto ${REFUSED_WORD}${who}`;
      await composer.getByTestId('composer-body').fill(text);
      await composer.getByTestId('composer-files').setInputFiles([
        { name: 'rooster.png', mimeType: 'image/png', buffer: makePng(24, 24, [92, 15, 76]) },
        { name: 'foto.png', mimeType: 'image/png', buffer: Buffer.from('Dit is geen afbeelding maar tekst.') },
      ]);
      await composer.getByTestId('composer-submit').click();
      const refused = composer.getByTestId('composer-refused');
      await visible(refused, 'the refusal');
      const message = await refused.innerText();
      assert(/niet geplaatst/.test(message) && /foto\.png/.test(message), `refusal says "${message}"`);
      assert((await composer.getByTestId('composer-body').inputValue()) === text, 'the text was kept');
      // The server has no such post: not in the stream, not through the API.
      const stored = await page.evaluate(async (path) => (await (await fetch(path)).text()), `/api/v1/spaces/${TEAM_ID}/posts?limit=50`);
      assert(!stored.includes(`${REFUSED_WORD}${who}`), 'a post with a refused attachment was stored');
      assert((await postWith(page, `${REFUSED_WORD}${who}`).count()) === 0, 'the refused post is in the stream');
      await refused.evaluate((el) => el.scrollIntoView({ block: 'center' })); // for the screenshot
    }
  });

  await step('the composer counts characters left and refuses an over-long post (1366 and 360 px)', [anouk, sanne], async () => {
    for (const page of [anouk, sanne]) {
      const composer = page.getByTestId('space-composer');
      const body = composer.getByTestId('composer-body');
      await body.fill('a'.repeat(9_988));
      await waitUntil('counter', () => composer.getByTestId('char-count').innerText(), (t) => t === '12 tekens over');
      await body.fill('a'.repeat(10_003));
      assert((await body.inputValue()).length === 10_003, 'the text was cut at the limit');
      await waitUntil('counter over', () => composer.getByTestId('char-count').innerText(), (t) => /^3 tekens te veel/.test(t));
      await composer.getByTestId('composer-submit').click();
      const fieldError = composer.getByTestId('composer-body-error');
      await visible(fieldError, 'the refusal under the field');
      assert((await fieldError.innerText()).includes('Een bericht mag hoogstens 10000 tekens hebben.'), 'the field error text');
      await visible(composer.getByTestId('composer-problem'), 'the summary above the form');
      await body.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    }
    await axeScan(sanne, 'the composer with a counter over the limit');
  });

  await step('space cards show the description as text, not **markdown** (1366 and 360 px)', [anouk, sanne], async () => {
    for (const page of [anouk, sanne]) {
      await page.goto(`${BASE_URL}/ruimtes`, { waitUntil: 'domcontentloaded' });
      const card = page.locator(`[data-testid="space-card"][data-space-id="${TEAM_ID}"]`);
      await visible(card, `space card ${TEAM_ID}`);
      const text = await card.innerText();
      assert(/Wij zijn team Den Helder-Centrum/.test(text) && !text.includes('**'), `card text: "${text}"`);
    }
  });

  await step('no CSP violations or page errors', [anouk, sanne], async () => {
    assert(problems.length === 0, `the pages reported:\n${problems.join('\n')}`);
  });

  await browser.close();
}

await run(main);
