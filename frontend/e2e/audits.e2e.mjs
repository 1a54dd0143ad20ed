// End-to-end audits flow for Plein with three people in three browser contexts:
// Johan Mulder (regional manager Hoorn, a 360 px phone) conducts his peer
// audit of team Den Helder-Centrum criterion by criterion — part of it
// offline: the answers stay on the phone and, when the network returns,
// arrive exactly once (a replayed batch changes nothing) — finishes it and
// adds an action to a finding; Fatima El Amrani (district nurse in that
// team, taakrol kwaliteit, desktop 1366 px) sees the finding and closes the
// action with evidence; Johan confirms; Marieke Jansen (coordinating district
// nurse of region Den Helder, desktop) sees the region overview follow.
// Includes axe scans (wcag2a, wcag2aa) of every audits page.
//
//   PLEIN_URL=http://127.0.0.1:8080 node e2e/audits.e2e.mjs
//   node e2e/audits.e2e.mjs --launch-only   # only check that Chromium starts
//
// Needs a fresh demo seed (the audit is finished by the run). Env: PLEIN_URL,
// CHROMIUM_PATH, E2E_SCREENSHOTS=dir to save PNGs after each step.

import { appNow, assert, axeScan, BASE_URL, createRunner, EXECUTABLE, log, login, TIMEOUT, visible, waitUntil, watchProblems } from './lib.mjs';

const AUDITOR = 'Johan Mulder';
const OWNER = 'Fatima El Amrani';
const REGION_LEAD = 'Marieke Jansen';
const PLANNER = 'Ilse Dekker';
const TEAM_ID = 'den-helder-centrum';
const OFFLINE_ANSWERS = 5;

const { step, launch, run } = createRunner({
  label: 'e2e audits',
  screenshotPrefix: 'audits-',
  summary: (r) => [...(r.skipped ? [`${r.skipped} skipped`] : []), `${r.passed} passed, ${r.failed} failed`],
});

const path = (page) => new URL(page.url()).pathname;

/** Open actions of the team in the region overview (after a reload). */
async function openActions(page) {
  await page.goto(`${BASE_URL}/audits/regio/den-helder`, { waitUntil: 'domcontentloaded' });
  const cell = page.locator(`[data-testid="region-teams"] tr[data-team-id="${TEAM_ID}"] [data-testid="open-actions"]`);
  await visible(cell, 'open actions of the team in the region overview');
  return Number((await cell.innerText()).trim());
}

/** Answer the criterion on screen and go on. */
async function answer(page, score, note = '') {
  const stepForm = page.getByTestId('audit-step');
  await visible(stepForm, 'criterion step');
  const key = await stepForm.getAttribute('data-criterion');
  await page.getByRole('radio', { name: score, exact: true }).check();
  if (note) await page.getByLabel('Toelichting (optioneel)').fill(note);
  await page.getByTestId('audit-next').click();
  await waitUntil('the next step', async () => (await page.getByTestId('audit-step').getAttribute('data-criterion').catch(() => 'finish')) ?? 'finish', (k) => k !== key);
  return key;
}

async function main() {
  const browser = await launch();
  const phone = await browser.newContext({ locale: 'nl-NL', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const desktopA = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1366, height: 900 } });
  const desktopB = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1366, height: 900 } });
  const johan = await phone.newPage();
  const fatima = await desktopA.newPage();
  const marieke = await desktopB.newPage();
  const desktopC = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1366, height: 900 } });
  const ilse = await desktopC.newPage();
  for (const p of [johan, fatima, marieke, ilse]) p.setDefaultTimeout(TIMEOUT);
  const problems = [];
  watchProblems(johan, AUDITOR, problems);
  watchProblems(fatima, OWNER, problems);
  watchProblems(marieke, REGION_LEAD, problems);
  watchProblems(ilse, PLANNER, problems);
  log(`e2e audits: Plein at ${BASE_URL} with ${EXECUTABLE}`);

  let before = 0;
  await step(`${REGION_LEAD} opens the region overview of Den Helder`, [marieke], async () => {
    await login(marieke, REGION_LEAD);
    await marieke.getByTestId('nav-more').first().click(); // Audits is in the Meer menu
    await marieke.getByTestId('nav-audits').first().click();
    await waitUntil('audits URL', () => path(marieke), (p) => p === '/audits');
    await visible(marieke.getByRole('link', { name: 'Overzicht regio Den Helder' }), 'link to the region overview');
    before = await openActions(marieke);
    await axeScan(marieke, 'the region overview');
  });

  let auditId = '';
  await step(`${AUDITOR} (360 px phone) sees his assigned audit on the home page and starts it`, [johan], async () => {
    await login(johan, AUDITOR);
    const card = johan.locator(`[data-testid="home-audits"] [data-testid="audit-card"][data-audit-id$=":${TEAM_ID}"]`);
    await visible(card, 'the assigned audit on the home page');
    auditId = (await card.getAttribute('data-audit-id')) ?? '';
    await card.getByRole('link').click();
    await waitUntil('conduct URL', () => path(johan), (p) => p.endsWith('/uitvoeren'));
    await visible(johan.getByTestId('photo-warning'), 'the warning that photos must not show clients');
    const width = await johan.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 360, `page is ${width}px wide on a 360px screen`);
    await axeScan(johan, 'the conduct page on a phone');
  });

  const answersUrl = () => `${BASE_URL}/api/v1/audits/${encodeURIComponent(auditId)}/answers`;
  const posted = [];
  johan.on('request', (r) => {
    if (r.method() === 'POST' && r.url() === answersUrl()) posted.push(r.postData() ?? '');
  });

  await step('the first answer is saved online', [johan], async () => {
    await answer(johan, 'Voldoet niet', 'Het rooster wordt nog centraal gemaakt.');
    await waitUntil('saved', () => johan.getByTestId('audit-sync').innerText(), (t) => t.includes('Alle antwoorden zijn opgeslagen'));
  });

  let offlineBatch = '';
  await step(`offline: ${OFFLINE_ANSWERS} answers stay on the phone`, [johan], async () => {
    await phone.setOffline(true);
    await waitUntil('offline status', () => johan.getByTestId('audit-sync').getAttribute('data-online'), (v) => v === 'false');
    await answer(johan, 'Voldoet deels', 'Deels op orde.');
    for (let i = 1; i < OFFLINE_ANSWERS; i++) await answer(johan, 'Voldoet');
    const sync = johan.getByTestId('audit-sync');
    await waitUntil('pending count', () => sync.getAttribute('data-pending'), (v) => v === String(OFFLINE_ANSWERS));
    const text = await sync.innerText();
    assert(text.includes(`${OFFLINE_ANSWERS} antwoorden staan veilig op dit apparaat`), `offline status should say the answers are kept, got "${text}"`);
    const stored = await johan.evaluate((id) => window.localStorage.getItem(`plein.audits.queue.${id}`), auditId);
    assert(stored && JSON.parse(stored).length === OFFLINE_ANSWERS, `the queue in localStorage should hold ${OFFLINE_ANSWERS} answers, got ${stored}`);
    await axeScan(johan, 'the conduct page offline');
  });

  await step('back online, the answers arrive exactly once', [johan], async () => {
    const sentBefore = posted.length;
    await phone.setOffline(false);
    await waitUntil('synced', () => johan.getByTestId('audit-sync').getAttribute('data-pending'), (v) => v === '0');
    const batches = posted.slice(sentBefore).map((b) => JSON.parse(b).answers);
    const ids = batches.flat().map((a) => a.clientId);
    assert(new Set(ids).size === OFFLINE_ANSWERS, `expected ${OFFLINE_ANSWERS} distinct answers sent, got ${ids.length} (${new Set(ids).size} distinct)`);
    offlineBatch = JSON.stringify({ answers: batches.flat() });
    const audit = await (await johan.request.get(`${BASE_URL}/api/v1/audits/${encodeURIComponent(auditId)}`)).json();
    assert(audit.answered === OFFLINE_ANSWERS + 1, `server should have ${OFFLINE_ANSWERS + 1} answers, has ${audit.answered}`);
    // A resend (e.g. the response was lost) changes nothing.
    const csrf = (await (await johan.request.get(`${BASE_URL}/api/v1/session`)).json()).csrfToken;
    const replay = await johan.request.post(answersUrl(), { data: offlineBatch, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf } });
    const res = await replay.json();
    assert(replay.ok() && res.applied === 0 && res.duplicates === OFFLINE_ANSWERS, `a replay should apply nothing, got ${JSON.stringify({ applied: res.applied, duplicates: res.duplicates })}`);
    assert(res.audit.answered === OFFLINE_ANSWERS + 1, `after the replay still ${OFFLINE_ANSWERS + 1} answers, got ${res.audit.answered}`);
  });

  await step('the rest is answered and the audit finished', [johan], async () => {
    for (let i = 0; i < 60; i++) {
      if ((await johan.getByTestId('audit-step').count()) === 0) break;
      await answer(johan, 'Voldoet');
    }
    await visible(johan.getByRole('heading', { name: 'Afronden' }), 'the finish step');
    await waitUntil('all saved', () => johan.getByTestId('audit-sync').getAttribute('data-pending'), (v) => v === '0');
    await johan.getByLabel('Samenvatting voor het team (optioneel)').fill('Fijn gesprek; het team wil zelf gaan roosteren.');
    await johan.getByTestId('audit-finish').click();
    await waitUntil('audit page', () => path(johan), (p) => !p.endsWith('/uitvoeren'));
    await waitUntil('finished', () => johan.getByTestId('audit-status').innerText(), (t) => t.includes('Afgerond'));
    const findings = await johan.getByTestId('audit-finding').count();
    assert(findings === 2, `expected 2 findings (voldoet niet, deels), got ${findings}`);
    await axeScan(johan, 'the finished audit on a phone');
  });

  await step(`${AUDITOR} adds an action for the team's quality role`, [johan], async () => {
    const finding = johan.getByTestId('audit-finding').first();
    await finding.getByRole('button', { name: 'Actie toevoegen' }).click();
    await finding.getByLabel('Wat gaan we doen?').fill('Het team maakt het rooster voortaan zelf');
    const due = new Date(appNow().getTime() + 30 * 86400_000).toISOString().slice(0, 10);
    await finding.getByLabel('Klaar op').fill(due);
    await finding.getByRole('button', { name: 'Actie opslaan' }).click();
    await visible(finding.getByTestId('audit-action'), 'the new action');
  });

  await step('the region overview shows the new open action', [marieke], async () => {
    const now = await openActions(marieke);
    assert(now === before + 1, `open actions should go from ${before} to ${before + 1}, got ${now}`);
  });

  await step(`${OWNER} (desktop) sees the finding and closes the action with evidence`, [fatima], async () => {
    await login(fatima, OWNER);
    await fatima.goto(`${BASE_URL}/audits/${encodeURIComponent(auditId)}`, { waitUntil: 'domcontentloaded' });
    await visible(fatima.getByTestId('audit-finding'), 'the finding');
    const action = fatima.locator('[data-testid="audit-action"][data-status="open"]').first();
    await visible(action, 'the open action');
    await action.getByRole('button', { name: 'Afronden' }).click();
    await action.getByLabel('Wat is er gedaan? (bewijs voor de auditor)').fill('Rooster voor januari in het teamoverleg gemaakt.');
    await action.getByRole('button', { name: 'Actie afronden' }).click();
    await visible(fatima.locator('[data-testid="audit-action"][data-status="closed"]'), 'the closed action');
    await axeScan(fatima, 'the audit page for the team');
  });

  await step(`${OWNER}'s audits page shows her team's open findings and actions`, [fatima], async () => {
    await fatima.getByTestId('nav-more').first().click(); // Audits is in the Meer menu
    await fatima.getByTestId('nav-audits').first().click();
    await waitUntil('audits URL', () => path(fatima), (p) => p === '/audits');
    const panel = fatima.getByTestId('team-audits-panel');
    await visible(panel, "the team's audits panel");
    assert((await panel.getByTestId('team-finding').count()) > 0, 'the panel should list open findings');
    await axeScan(fatima, '/audits for a team member');
  });

  await step(`${AUDITOR} confirms the action from his audits page`, [johan], async () => {
    await johan.getByTestId('nav-more').first().click(); // Audits is in the Meer menu
    await johan.getByTestId('nav-audits').first().click();
    await waitUntil('audits URL', () => path(johan), (p) => p === '/audits');
    const action = johan.locator(`[data-testid="audit-action"][data-status="closed"][data-action-id^="${auditId}:"]`).first();
    await visible(action, 'the action to confirm');
    await action.getByRole('button', { name: 'Bevestigen' }).click();
    await waitUntil('confirmed', () => johan.locator(`[data-testid="audit-action"][data-status="closed"][data-action-id^="${auditId}:"]`).count(), (n) => n === 0);
    await axeScan(johan, '/audits on a phone');
  });

  await step('the region overview follows: the action is no longer open', [marieke], async () => {
    const now = await openActions(marieke);
    assert(now === before, `open actions should be back at ${before}, got ${now}`);
  });

  await step('the reports show the heat map and its table alternative', [marieke], async () => {
    await marieke.goto(`${BASE_URL}/audits/rapportage`, { waitUntil: 'domcontentloaded' });
    await visible(marieke.getByTestId('heatmap'), 'heat map');
    await axeScan(marieke, 'the reports page');
    await marieke.getByRole('button', { name: 'Toon als gewone tabel' }).click();
    await visible(marieke.getByTestId('heat-table'), 'the table alternative');
    const csv = await marieke.getByRole('link', { name: 'Download als CSV' }).getAttribute('href');
    assert(csv?.startsWith('/api/v1/audits/reports/export.csv'), `CSV link should point at the export, got ${csv}`);
  });

  await step(`${PLANNER} (quality & safety) sees the rounds and the checked assignment of the current one`, [ilse], async () => {
    await login(ilse, PLANNER);
    await ilse.goto(`${BASE_URL}/audits/planning`, { waitUntil: 'domcontentloaded' });
    await visible(ilse.getByRole('heading', { level: 1, name: 'Rondes plannen' }), 'the planning page');
    await axeScan(ilse, 'the planning page');
    await ilse.getByRole('link', { name: /Collegiale audit · Loopt/ }).first().click();
    const table = ilse.getByTestId('round-assignments');
    await visible(table, 'the assignment of the current round');
    const text = await table.innerText();
    assert(text.includes('Den Helder-Centrum') && text.includes(AUDITOR), `the assignment should show ${AUDITOR} for Den Helder-Centrum, got "${text.slice(0, 200)}"`);
    await axeScan(ilse, 'a round page');
  });

  await step('no CSP violations or page errors', [johan, fatima], async () => {
    assert(problems.length === 0, `the pages reported:\n${problems.join('\n')}`);
  });

  await browser.close();
}

await run(main);
