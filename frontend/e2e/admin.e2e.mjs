// End-to-end Beheer (/beheer) for Plein: Yvonne Kramer (administrator,
// desktop 1366 px) creates a team in region Schagen, adds Daan Visser to it
// with the taakrol Planning, grants him the role Teamcoach and revokes it
// again; the change log ("Wijzigingen") shows each of those changes with
// before and after. On a 360 px phone she reads the same pages. Anouk de
// Vries (care worker, 360 px) does not see Beheer in the navigation, gets a
// refusal at the URL, and the API answers her 403 admin_only.
// Includes axe scans (wcag2a, wcag2aa) of every Beheer page.
//
//   PLEIN_URL=http://127.0.0.1:8080 node e2e/admin.e2e.mjs
//
// Needs a fresh demo seed (the team is created by the run). Env: PLEIN_URL,
// CHROMIUM_PATH, E2E_SCREENSHOTS=dir to save PNGs after each step.

import { assert, axeScan, BASE_URL, createRunner, EXECUTABLE, log, login, TIMEOUT, visible, waitUntil, watchProblems } from './lib.mjs';

const ADMIN = 'Yvonne Kramer';
const EMPLOYEE = 'Anouk de Vries';
const MEMBER = 'Daan Visser';
const TEAM = 'Groote Keeten';
const TEAM_ID = 'groote-keeten';

const { step, launch, run } = createRunner({
  label: 'e2e admin',
  screenshotPrefix: 'admin-',
  summary: (r) => [...(r.skipped ? [`${r.skipped} skipped`] : []), `${r.passed} passed, ${r.failed} failed`],
});

const path = (page) => new URL(page.url()).pathname;

async function noSideways(page, label) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(width <= 360, `${label} is ${width}px wide on a 360px screen`);
}

async function main() {
  const browser = await launch();
  const desktop = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1366, height: 900 } });
  const phoneA = await browser.newContext({ locale: 'nl-NL', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const phoneB = await browser.newContext({ locale: 'nl-NL', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const yvonne = await desktop.newPage();
  const yvonnePhone = await phoneA.newPage();
  const anouk = await phoneB.newPage();
  for (const p of [yvonne, yvonnePhone, anouk]) p.setDefaultTimeout(TIMEOUT);
  const problems = [];
  watchProblems(yvonne, ADMIN, problems);
  watchProblems(yvonnePhone, `${ADMIN} (phone)`, problems);
  watchProblems(anouk, EMPLOYEE, problems);
  log(`e2e admin: Plein at ${BASE_URL} with ${EXECUTABLE}`);

  await step(`${ADMIN} opens Beheer from the navigation`, yvonne, async () => {
    await login(yvonne, ADMIN);
    await yvonne.getByTestId('nav-more').first().click();
    await visible(yvonne.getByTestId('nav-admin').first(), 'Beheer in the Meer menu');
    await axeScan(yvonne, 'the Meer menu open');
    await yvonne.getByTestId('nav-admin').first().click();
    await waitUntil('Beheer URL', () => path(yvonne), (p) => p === '/beheer');
    await visible(yvonne.getByTestId('admin-team-list'), 'the list of teams');
    const privacy = yvonne.getByTestId('admin-tab-privacy');
    assert((await privacy.getAttribute('href')) === '/beheer/privacy', 'the Privacy tab should point at /beheer/privacy');
    await axeScan(yvonne, 'Beheer: teams');
  });

  await step(`${ADMIN} creates team ${TEAM} in region Schagen`, yvonne, async () => {
    const form = yvonne.getByTestId('admin-new-team');
    // First without a region: the server's refusal shows beside the field, in Dutch.
    await form.getByTestId('new-team-name').fill(TEAM);
    assert((await form.getByTestId('new-team-id').inputValue()) === TEAM_ID, 'the code is suggested from the name');
    await form.getByTestId('new-team-submit').click();
    await visible(form.getByTestId('error-regionId'), 'the field error for the region');
    const said = await form.getByTestId('error-regionId').innerText();
    assert(said.includes('Kies iets uit de lijst'), `the region error should be Dutch, got "${said}"`);
    await axeScan(yvonne, 'the new-team form with an error');
    await form.getByTestId('new-team-region').selectOption({ label: 'Schagen' });
    await form.getByTestId('new-team-submit').click();
    await waitUntil('team admin URL', () => path(yvonne), (p) => p === `/beheer/teams/${TEAM_ID}`);
    await visible(yvonne.getByRole('heading', { level: 2, name: TEAM }), 'the new team');
  });

  await step(`${ADMIN} adds ${MEMBER} and gives him the taakrol Planning`, yvonne, async () => {
    await yvonne.getByTestId('member-search').fill('Daan');
    await yvonne.getByRole('button', { name: `${MEMBER} toevoegen` }).click();
    const row = yvonne.getByTestId('admin-members').getByRole('listitem').filter({ hasText: MEMBER });
    await visible(row, `${MEMBER} in the member list`);
    await row.getByRole('checkbox', { name: 'Planning' }).check();
    await row.getByTestId('teamroles-save').click();
    await waitUntil('taakrol saved', () => row.getByTestId('teamroles-save').isDisabled(), (d) => d === true);
    await axeScan(yvonne, 'Beheer: one team');
  });

  await step(`${ADMIN} grants ${MEMBER} the role Teamcoach, then revokes it`, yvonne, async () => {
    await yvonne.getByTestId('admin-tab-people').click();
    await yvonne.getByTestId('people-search').fill('Daan Visser');
    await yvonne.getByTestId('admin-people-list').getByRole('link', { name: MEMBER }).click();
    const form = yvonne.getByTestId('person-roles');
    await visible(form, 'the roles form');
    const teams = await yvonne.getByTestId('person-teams').innerText();
    assert(teams.includes(TEAM) && teams.includes('Planning'), `his teams should show ${TEAM} with Planning, got "${teams}"`);
    const claimed = await form.innerText();
    assert(claimed.includes('uit Entra ID / identiteitsprovider'), 'a role from the identity provider names its source');
    await axeScan(yvonne, 'Beheer: one person');
    await form.getByTestId('role-teamcoach').check();
    await form.getByTestId('roles-save').click();
    await waitUntil('granted', () => form.innerText(), (t) => /Teamcoach\s*· gegeven in Plein/.test(t));
    await form.getByTestId('role-teamcoach').uncheck();
    await form.getByTestId('roles-save').click();
    await waitUntil('revoked', () => form.innerText(), (t) => !t.includes('gegeven in Plein'));
  });

  await step('the change log shows the changes with before and after', yvonne, async () => {
    await yvonne.getByTestId('admin-tab-changes').click();
    const list = yvonne.getByTestId('admin-changes');
    await visible(list, 'the change log');
    const actions = await list.getByTestId('change-action').allInnerTexts();
    const first = actions.slice(0, 5).join(' | ');
    assert(
      first === 'Rollen gewijzigd: | Rollen gewijzigd: | Teamlid en taakrollen: | Teamlid en taakrollen: | Team aangemaakt:',
      `the newest changes should be two role changes, two member changes and the team, got "${first}"`,
    );
    const items = list.getByTestId('change');
    const revoke = await items.nth(0).innerText();
    const grant = await items.nth(1).innerText();
    const taakrol = await items.nth(2).innerText();
    const created = await items.nth(4).innerText();
    assert(revoke.includes(MEMBER) && revoke.includes(`door ${ADMIN}`), `the revocation names ${MEMBER} and ${ADMIN}: "${revoke}"`);
    assert(await items.nth(0).locator('del', { hasText: 'Teamcoach' }).count() === 1, 'the revocation shows Teamcoach before');
    assert(await items.nth(1).locator('ins', { hasText: 'Teamcoach' }).count() === 1, `the grant shows Teamcoach after: "${grant}"`);
    assert(taakrol.includes(`${MEMBER} · ${TEAM}`) && (await items.nth(2).locator('ins', { hasText: 'Planning' }).count()) === 1, `the taakrol change: "${taakrol}"`);
    assert(created.includes(TEAM) && created.includes('Schagen'), `the creation names the team and its region: "${created}"`);
    await axeScan(yvonne, 'Beheer: changes');
  });

  await step(`${ADMIN} on a 360 px phone: Beheer fits the screen`, yvonnePhone, async () => {
    await login(yvonnePhone, ADMIN);
    await yvonnePhone.getByTestId('nav-more').first().click();
    await yvonnePhone.getByTestId('nav-admin').first().click();
    await visible(yvonnePhone.getByTestId('admin-team-list'), 'the list of teams');
    await noSideways(yvonnePhone, 'Beheer: teams');
    for (const [url, testId] of [
      [`/beheer/teams/${TEAM_ID}`, 'admin-members'],
      ['/beheer/regios', 'admin-region-list'],
      ['/beheer/wijzigingen', 'admin-changes'],
    ]) {
      await yvonnePhone.goto(`${BASE_URL}${url}`, { waitUntil: 'domcontentloaded' });
      await visible(yvonnePhone.getByTestId(testId), url);
      await noSideways(yvonnePhone, url);
      await axeScan(yvonnePhone, `${url} on a phone`);
    }
  });

  // ---------- #14 §7: archive a team that stopped ----------
  const teamPicker = async (page) => {
    await page.goto(`${BASE_URL}/mededelingen`, { waitUntil: 'domcontentloaded' });
    await page.getByTestId('announcement-new').click();
    const form = page.getByTestId('announcement-form');
    await form.getByRole('radio', { name: "Bepaalde regio's en teams" }).check();
    const list = form.locator('.sp-check-list--scroll');
    await visible(list.getByRole('checkbox').first(), 'the team picker');
    return list.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => b.closest('label')?.textContent?.trim() ?? ''));
  };

  await step(`${ADMIN} cannot archive team Den Burg while its members have no other team (360 px)`, yvonnePhone, async () => {
    await yvonnePhone.goto(`${BASE_URL}/beheer/teams/den-burg`, { waitUntil: 'domcontentloaded' });
    const panel = yvonnePhone.getByTestId('admin-team-archive');
    await visible(panel, 'the archive panel');
    await panel.getByTestId('team-archive').click();
    await panel.getByTestId('team-archive-confirm').click();
    await waitUntil('the refusal', () => panel.innerText(), (t) => t.includes('leden zonder ander team'));
    await noSideways(yvonnePhone, 'the refused archive');
    await axeScan(yvonnePhone, 'the refused archive');
  });

  await step(`${ADMIN} archives ${TEAM}: it is gone from the team picker, marked in Beheer (1366 px)`, yvonne, async () => {
    assert((await teamPicker(yvonne)).includes(TEAM), `${TEAM} should be in the picker before the archive`);
    await yvonne.goto(`${BASE_URL}/beheer/teams/${TEAM_ID}`, { waitUntil: 'domcontentloaded' });
    const panel = yvonne.getByTestId('admin-team-archive');
    await panel.getByTestId('team-archive').click();
    await axeScan(yvonne, 'the archive confirmation');
    await panel.getByTestId('team-archive-confirm').click();
    await visible(yvonne.getByRole('heading', { level: 3, name: 'Dit team is gearchiveerd' }), 'the archived state');
    const picker = await teamPicker(yvonne);
    assert(!picker.includes(TEAM) && picker.length > 0, `${TEAM} is still in the picker: ${picker.join(', ')}`);
    await yvonne.goto(`${BASE_URL}/beheer`, { waitUntil: 'domcontentloaded' });
    const row = yvonne.getByTestId('admin-team-list').getByRole('listitem').filter({ hasText: TEAM });
    await waitUntil('archived badge', () => row.innerText(), (t) => t.includes('Gearchiveerd'));
    await yvonne.getByTestId('admin-tab-changes').click();
    const first = await yvonne.getByTestId('admin-changes').getByTestId('change').first().innerText();
    assert(first.includes(TEAM), `the change log's newest change names ${TEAM}: "${first}"`);
  });

  await step(`${ADMIN} restores ${TEAM}: back in the picker (360 px)`, yvonnePhone, async () => {
    await yvonnePhone.goto(`${BASE_URL}/beheer/teams/${TEAM_ID}`, { waitUntil: 'domcontentloaded' });
    await yvonnePhone.getByTestId('team-unarchive').click();
    await visible(yvonnePhone.getByTestId('admin-team-profile'), 'the profile form of a current team');
    assert((await teamPicker(yvonnePhone)).includes(TEAM), `${TEAM} should be back in the picker`);
    await noSideways(yvonnePhone, 'the announcement form');
  });

  await step(`${EMPLOYEE} cannot reach Beheer`, anouk, async () => {
    await login(anouk, EMPLOYEE);
    await anouk.getByTestId('nav-more').first().click();
    await visible(anouk.getByTestId('nav-all-teams').first(), 'the Meer menu');
    assert((await anouk.getByTestId('nav-admin').count()) === 0, 'Beheer should not be in her navigation');
    await anouk.goto(`${BASE_URL}/beheer`, { waitUntil: 'domcontentloaded' });
    await visible(anouk.getByTestId('admin-no-access'), 'the refusal at /beheer');
    await axeScan(anouk, 'the refusal');
    const answer = await anouk.evaluate(async () => {
      const r = await fetch('/api/v1/admin/changes');
      return { status: r.status, type: r.headers.get('Content-Type'), body: await r.json() };
    });
    assert(answer.status === 403 && answer.body.code === 'admin_only' && answer.type?.startsWith('application/problem+json'),
      `the API should answer 403 admin_only, got ${JSON.stringify(answer)}`);
  });

  await step('no CSP violations or page errors', [yvonne, anouk], async () => {
    assert(problems.length === 0, `the pages reported:\n${problems.join('\n')}`);
  });

  await browser.close();
}

await run(main);
