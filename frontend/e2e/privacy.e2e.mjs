// End-to-end: AVG rights (issue 16). A care worker (Anouk de Vries) opens
// "Mijn gegevens" from the user menu at 360 px (phone, touch) and at 1366 px,
// reads what Plein holds about her and downloads the export (JSON, about
// her). Peter Smit (team coach) writes a post in a community; the
// administrator (Yvonne Kramer) opens /beheer/privacy through "Meer" →
// "Beheer" → "Privacy", finds him, types his name to confirm and erases him; his post still
// shows, under the pseudonym, a colleague's post that mentions him reads
// "@Oud-medewerker …", and the erasure is listed. axe (wcag2a,
// wcag2aa) on every page; no horizontal scrolling at 360 px.
//
// Peter Smit is erased for good on the server this runs against: the suites
// that run after this one (alphabetically) do not use him.
//
//   PLEIN_URL=http://127.0.0.1:8080 E2E_SCREENSHOTS=/tmp/shots node e2e/privacy.e2e.mjs
//   E2E_ONLY=privacy bash .ci/e2e.sh ./bin/plein

import { readFile } from 'node:fs/promises';
import { assert, axeScan, BASE_URL, createRunner, EXECUTABLE, log, login, openUserMenu, TIMEOUT, visible, waitUntil, watchProblems } from './lib.mjs';

const WORKER = 'Anouk de Vries';
const LEAVER = 'Peter Smit';
const ADMIN = 'Yvonne Kramer';
const COMMUNITY = 'c-palliatieve-zorg';

const { step, launch, run } = createRunner({
  label: 'e2e privacy',
  screenshotPrefix: 'privacy-',
  summary: (r) => [...(r.skipped ? [`${r.skipped} skipped`] : []), `${r.passed} passed, ${r.failed} failed`],
});

const pathOf = (page) => new URL(page.url()).pathname;

async function noSideScroll(page, width) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(w <= width, `page is ${w}px wide on a ${width}px screen (horizontal scrolling) at ${pathOf(page)}`);
}

async function newPage(browser, width, height, mobile, who, problems) {
  const context = await browser.newContext({
    locale: 'nl-NL',
    viewport: { width, height },
    acceptDownloads: true,
    ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  watchProblems(page, `${who} ${width}px`, problems);
  return { context, page };
}

async function myData(browser, width, height, mobile, problems) {
  const at = `${width}px`;
  const { context, page } = await newPage(browser, width, height, mobile, WORKER, problems);
  await step(`${at}: ${WORKER} opens "Mijn gegevens" from the user menu`, page, async () => {
    await login(page, WORKER);
    await openUserMenu(page);
    await page.getByTestId('nav-mydata').click();
    await waitUntil('URL /mijn-gegevens', async () => pathOf(page), (p) => p === '/mijn-gegevens');
    await visible(page.getByRole('heading', { level: 1, name: 'Mijn gegevens' }), 'the page heading');
    await visible(page.getByTestId('mydata-section-account'), 'the account section');
    await visible(page.getByTestId('mydata-section-chat'), 'the chat section');
    await visible(page.getByTestId('mydata-section-accessLog'), 'the access-log section');
    const text = await page.locator('main').innerText();
    assert(text.includes(WORKER), 'the page does not name her');
    assert(!/readMarkers|kb_confirmations|aboutThem|createdAt/.test(text), 'field names of the export reach the Dutch page');
    await noSideScroll(page, width);
    await axeScan(page, `Mijn gegevens at ${at}`);
  });
  await step(`${at}: ${WORKER} downloads her export (JSON about her)`, page, async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('mydata-download').click()]);
    assert(/^plein-mijn-gegevens-\d{4}-\d{2}-\d{2}\.json$/.test(download.suggestedFilename()), `file name ${download.suggestedFilename()}`);
    const file = await download.path();
    const x = JSON.parse(await readFile(file, 'utf8'));
    assert(x.subject?.name === WORKER, `the export is about ${x.subject?.name}`);
    for (const section of ['account', 'teams', 'chat', 'teamSpaces', 'knowledge', 'notifications', 'accessLog']) {
      assert(section in x.sections, `the export has no ${section} section`);
    }
    log(`    export: ${(await readFile(file)).length} bytes, ${Object.keys(x.sections).length} sections`);
  });
  await context.close();
}

async function main() {
  const browser = await launch();
  log(`e2e privacy: Plein at ${BASE_URL} with ${EXECUTABLE}`);
  const problems = [];
  await myData(browser, 360, 740, true, problems);
  await myData(browser, 1366, 860, false, problems);

  // Peter Smit writes a post for the whole organisation in a community.
  const word = `afscheid${Date.now() % 100000}`;
  const body = `Bedankt voor de fijne samenwerking! (${word})`;
  let postId = '';
  let leaverId = '';
  let thanksId = '';
  const leaver = await newPage(browser, 1366, 860, false, LEAVER, problems);
  await step(`${LEAVER} writes a post in a community`, leaver.page, async () => {
    await login(leaver.page, LEAVER);
    leaverId = await leaver.page.evaluate(async () => (await (await fetch('/api/v1/session')).json()).user.id);
    postId = await leaver.page.evaluate(
      async ({ community, body }) => {
        const session = await (await fetch('/api/v1/session')).json();
        const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken };
        await fetch(`/api/v1/spaces/${community}/join`, { method: 'POST', headers });
        const res = await fetch(`/api/v1/spaces/${community}/posts`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ body, visibility: 'organisation' }),
        });
        if (res.status !== 201) throw new Error(`post answered ${res.status}`);
        return (await res.json()).id;
      },
      { community: COMMUNITY, body },
    );
    assert(postId, 'no post id');
  });
  await leaver.context.close();

  const admin = await newPage(browser, 1366, 860, false, ADMIN, problems);
  const page = admin.page;
  let pseudonym = '';
  await step(`1366px: ${ADMIN} opens Privacy (AVG) through Meer → Beheer`, page, async () => {
    await login(page, ADMIN);
    await page.getByTestId('nav-more').click();
    await visible(page.getByTestId('nav-admin'), '"Beheer" in the Meer menu');
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-tab-privacy').click();
    await waitUntil('URL /beheer/privacy', async () => pathOf(page), (p) => p === '/beheer/privacy');
    // A colleague's post that mentions him (by id, as the composer stores it).
    thanksId = await page.evaluate(
      async ({ community, leaverId }) => {
        const session = await (await fetch('/api/v1/session')).json();
        const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken };
        await fetch(`/api/v1/spaces/${community}/join`, { method: 'POST', headers });
        const res = await fetch(`/api/v1/spaces/${community}/posts`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ body: `Dank je wel <@${leaverId}>, het ga je goed!`, visibility: 'organisation' }),
        });
        if (res.status !== 201) throw new Error(`post answered ${res.status}`);
        return (await res.json()).id;
      },
      { community: COMMUNITY, leaverId },
    );
    await page.goto(`${BASE_URL}/ruimtes/${COMMUNITY}/berichten/${thanksId}`, { waitUntil: 'domcontentloaded' });
    await visible(page.getByText(`@${LEAVER}`), 'the mention before the erasure');
    await page.getByTestId('nav-more').click();
    await visible(page.getByTestId('nav-admin'), '"Beheer" in the Meer menu');
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-tab-privacy').click();
    await waitUntil('URL /beheer/privacy', async () => pathOf(page), (p) => p === '/beheer/privacy');
    await visible(page.getByTestId('privacy-retention-access_log'), 'the retention periods');
    const retention = await page.getByTestId('privacy-retention-access_log').innerText();
    assert(/1827 dagen/.test(retention), `access-log retention shows ${retention}`);
    await axeScan(page, '/beheer/privacy');
  });
  await step(`1366px: ${ADMIN} erases ${LEAVER} after typing his name`, page, async () => {
    await page.getByTestId('al-person-search').fill('Peter Smit');
    const pick = page.getByRole('button', { name: new RegExp(LEAVER) }).first();
    await visible(pick, `${LEAVER} in the search results`);
    await pick.click();
    await visible(page.getByTestId('privacy-export-person'), 'the export link for the person');
    const submit = page.getByTestId('privacy-erase-submit');
    assert(await submit.isDisabled(), 'erase is possible before the name is typed');
    await page.getByTestId('privacy-erase-confirm').fill('Peter');
    assert(await submit.isDisabled(), 'erase is possible with half the name');
    await page.getByTestId('privacy-erase-confirm').fill(LEAVER);
    await axeScan(page, 'the erase form');
    await submit.click();
    const done = page.getByTestId('privacy-erase-done');
    await visible(done, 'the confirmation');
    const text = await done.innerText();
    const m = text.match(/Oud-medewerker [0-9A-F]{4}/);
    assert(m, `no pseudonym in "${text}"`);
    pseudonym = m[0];
    await waitUntil('the erasure in the list', () => page.getByTestId('privacy-erasures').innerText(), (t) => t.includes(pseudonym));
  });
  await step(`1366px: ${LEAVER}'s post still shows, under ${pseudonym || 'the pseudonym'}`, page, async () => {
    await page.goto(`${BASE_URL}/ruimtes/${COMMUNITY}/berichten/${postId}`, { waitUntil: 'domcontentloaded' });
    await visible(page.getByText(body), 'the post');
    const main = await page.locator('main').innerText();
    assert(main.includes(pseudonym), `the post page does not show ${pseudonym}`);
    assert(!main.includes(LEAVER), `the post page still names ${LEAVER}`);
    await axeScan(page, 'the post after erasure');
  });
  await step(`1366px: a colleague's mention of ${LEAVER} now reads @${pseudonym || 'the pseudonym'}`, page, async () => {
    await page.goto(`${BASE_URL}/ruimtes/${COMMUNITY}/berichten/${thanksId}`, { waitUntil: 'domcontentloaded' });
    await visible(page.getByText('het ga je goed'), 'the colleague\'s post');
    const main = await page.locator('main').innerText();
    assert(main.includes(`@${pseudonym}`), `the mention does not show @${pseudonym}: ${main.slice(0, 300)}`);
    assert(!main.includes(LEAVER), `the colleague's post still names ${LEAVER}`);
  });
  await admin.context.close();

  const phone = await newPage(browser, 360, 740, true, ADMIN, problems);
  await step(`360px: ${ADMIN} sees the erasure on /beheer/privacy`, phone.page, async () => {
    await login(phone.page, ADMIN);
    await phone.page.getByTestId('nav-more').click();
    await phone.page.getByTestId('nav-admin').click();
    await phone.page.getByTestId('admin-tab-privacy').click();
    await waitUntil('the erasure in the list', () => phone.page.getByTestId('privacy-erasures').innerText(), (t) => t.includes(pseudonym));
    await noSideScroll(phone.page, 360);
    await axeScan(phone.page, '/beheer/privacy at 360px');
  });
  await step(`360px: ${LEAVER} can no longer log in`, phone.page, async () => {
    const ctx = await browser.newContext({ locale: 'nl-NL' });
    const p = await ctx.newPage();
    p.setDefaultTimeout(TIMEOUT);
    await p.goto(`${BASE_URL}/`, { waitUntil: 'domcontentloaded' });
    await p.getByTestId('login-button').click();
    const button = p.locator(`button:has-text("${LEAVER}"), input[type="submit"][value*="${LEAVER}"]`).first();
    await visible(button, `identity provider button for ${LEAVER}`);
    await button.click();
    await waitUntil('the refusal', async () => p.locator('body').innerText(), (t) => /Inloggen is niet gelukt/.test(t));
    await ctx.close();
  });
  await phone.context.close();

  await step('no CSP violations or page errors', null, async () => {
    assert(problems.length === 0, `the pages reported:\n${problems.join('\n')}`);
  });
}

await run(main);
