// End-to-end learning programme flow: Peter Smit (team coach, desktop 1366 px)
// plans a session for Den Helder-Centrum from his coach board (his home page)
// → Anouk de Vries (care worker, 360 px phone) sees it in her team's agenda
// and has a notification → Peter records attendance → Anouk, Sanne Bakker
// and Fatima El Amrani fill in the team scan on their phones → Peter closes
// the scan and sees the team profile → the yield view shows the team's
// movement next to its figures. Axe scans (wcag2a, wcag2aa) on the way.
//
//   PLEIN_URL=http://127.0.0.1:8080 node e2e/learning.e2e.mjs
//   node e2e/learning.e2e.mjs --launch-only   # only check that Chromium starts
//
// Env: PLEIN_URL, CHROMIUM_PATH, E2E_SCREENSHOTS=dir (PNGs after each step).
// Uses Debian's Chromium through playwright-core; never downloads a browser.

import { appNow, assert, axeScan, BASE_URL, createRunner, EXECUTABLE, log, login, TIMEOUT, visible, waitUntil, watchProblems } from './lib.mjs';

const COACH = 'Peter Smit';
const MEMBERS = ['Anouk de Vries', 'Sanne Bakker', 'Fatima El Amrani'];
const TEAM_ID = 'den-helder-centrum';
const TITLE = `Terugkomdag e2e ${Date.now() % 100000}`;

const { step, launch, run } = createRunner({
  label: 'e2e learning',
  screenshotPrefix: 'learning-',
  summary: (r) => [...(r.skipped ? [`${r.skipped} skipped`] : []), `${r.passed} passed, ${r.failed} failed`],
});

/** Today's date and a start/end time in Amsterdam that began 10 minutes ago (attendance is open). */
function sessionTimes() {
  const parts = (d) =>
    Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .formatToParts(d)
        .map((p) => [p.type, p.value]),
    );
  const today = appNow();
  let start = new Date(today.getTime() - 10 * 60_000);
  const now = parts(today);
  if (parts(start).day !== now.day) start = today; // just after midnight: start now
  const s = parts(start);
  const endMinutes = Math.min(Number(s.hour) * 60 + Number(s.minute) + 120, 23 * 60 + 59);
  const pad = (n) => String(n).padStart(2, '0');
  return {
    date: `${s.year}-${s.month}-${s.day}`,
    start: `${s.hour}:${s.minute}`,
    end: `${pad(Math.floor(endMinutes / 60))}:${pad(endMinutes % 60)}`,
  };
}

async function noHorizontalScroll(page, width) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(scrollWidth <= width, `page is ${scrollWidth}px wide on a ${width}px screen (horizontal scrolling)`);
}

async function phone(browser) {
  const context = await browser.newContext({
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  return page;
}

async function main() {
  const browser = await launch();
  const desk = await browser.newContext({ locale: 'nl-NL', timezoneId: 'Europe/Amsterdam', viewport: { width: 1366, height: 900 } });
  const coach = await desk.newPage();
  coach.setDefaultTimeout(TIMEOUT);
  coach.on('dialog', (d) => d.accept());
  const anouk = await phone(browser);
  const problems = [];
  watchProblems(coach, COACH, problems);
  watchProblems(anouk, MEMBERS[0], problems);
  const times = sessionTimes();
  log(`e2e learning: Plein at ${BASE_URL} with ${EXECUTABLE}; session "${TITLE}" ${times.date} ${times.start}–${times.end}`);

  await step(`${COACH} logs in and lands on the coach board`, [coach], async () => {
    await login(coach, COACH);
    await visible(coach.getByTestId('coach-board'), 'coach board on the home page');
    const rows = await coach.getByTestId('board-row').count();
    assert(rows >= 5, `expected the coach's teams on the board, got ${rows}`);
    assert((await coach.locator(`[data-testid="board-row"][data-team="${TEAM_ID}"]`).count()) === 1, `${TEAM_ID} should be on the board`);
    await axeScan(coach, 'the coach board');
  });

  await step('the coach plans a session for Den Helder-Centrum', [coach], async () => {
    await coach.getByTestId('plan-session-toggle').click();
    const form = coach.getByTestId('plan-session');
    await visible(form, 'plan form');
    await form.getByRole('checkbox', { name: 'Den Helder-Centrum' }).check();
    await waitUntil('modules loaded', () => form.locator('select[name="moduleKey"] option').count(), (n) => n >= 8);
    await form.locator('input[name="title"]').fill(TITLE);
    await form.locator('input[name="date"]').fill(times.date);
    await form.locator('input[name="start"]').fill(times.start);
    await form.locator('input[name="end"]').fill(times.end);
    await form.locator('input[name="place"]').fill('Wijkcentrum De Linie');
    await axeScan(coach, 'the plan form');
    await form.getByRole('button', { name: 'Sessie plannen' }).click();
    await visible(coach.getByTestId('plan-done'), 'planned confirmation');
  });

  await step(`${MEMBERS[0]} sees the session in the team agenda and has a notification (360 px)`, [anouk], async () => {
    await login(anouk, MEMBERS[0]);
    await anouk.goto(`${BASE_URL}/ruimtes/${TEAM_ID}/agenda`);
    await visible(anouk.getByTestId('event').filter({ hasText: TITLE }), 'the session in the agenda');
    await anouk.goto(`${BASE_URL}/meldingen`);
    await visible(anouk.getByTestId('notification-item').filter({ hasText: TITLE }), 'the invitation notification');
    await axeScan(anouk, 'the notifications page');
  });

  // Attendance is taken on a phone, at the session.
  const coachPhone = await phone(browser);
  watchProblems(coachPhone, `${COACH} (phone)`, problems);
  await step('the coach records attendance on the session page (360 px)', [coachPhone], async () => {
    await login(coachPhone, COACH);
    await visible(coachPhone.getByTestId('coach-board'), 'coach board on the phone');
    await noHorizontalScroll(coachPhone, 360);
    await axeScan(coachPhone, 'the coach board on a phone');
    await coachPhone.goto(`${BASE_URL}/leren/team/${TEAM_ID}`);
    await visible(coachPhone.getByTestId('next-session'), 'next session card');
    await noHorizontalScroll(coachPhone, 360);
    const next = coachPhone.getByTestId('next-session');
    await visible(next, 'next session card');
    await waitUntil('our session is next', () => next.innerText(), (t) => t.includes(TITLE));
    await next.getByRole('link', { name: TITLE }).click();
    await visible(coachPhone.getByTestId('attendance-form'), 'attendance form');
    await coachPhone.getByRole('button', { name: 'Iedereen aanwezig' }).click();
    const attendees = coachPhone.getByTestId('attendee');
    const n = await attendees.count();
    assert(n >= 10, `expected the team's members as attendees, got ${n}`);
    await attendees.nth(n - 1).getByRole('radio', { name: 'Afwezig' }).check();
    await coachPhone.getByTestId('attendance-save').click();
    await waitUntil('summary', () => coachPhone.getByTestId('session-summary').innerText(), (t) => t === `${n - 1} aanwezig, 1 afwezig`);
    await noHorizontalScroll(coachPhone, 360);
    await axeScan(coachPhone, 'the session page on a phone');
  });

  await step('the coach opens a team scan', [coach], async () => {
    await coach.goto(`${BASE_URL}/leren/team/${TEAM_ID}`);
    await visible(coach.getByTestId('scan-section'), 'scan section');
    if ((await coach.getByTestId('scan-open-card').count()) === 0) await coach.getByTestId('scan-open').click();
    await visible(coach.getByTestId('scan-open-card'), 'open scan');
  });

  for (const [i, name] of MEMBERS.entries()) {
    const page = i === 0 ? anouk : await phone(browser);
    if (i > 0) watchProblems(page, name, problems);
    await step(`${name} fills in the scan on a phone`, [page], async () => {
      if (i > 0) await login(page, name);
      await page.goto(`${BASE_URL}/leren/team/${TEAM_ID}/scan`);
      const form = page.getByTestId('scan-form');
      await visible(form, 'scan form');
      if (i === 0) {
        await axeScan(page, 'the scan on a phone');
        await noHorizontalScroll(page, 360);
      }
      const questions = form.locator('fieldset');
      const q = await questions.count();
      assert(q === 6, `expected 6 questions, got ${q}`);
      for (let k = 0; k < q; k++) await questions.nth(k).locator('input[type="radio"]').nth((i + k) % 2 === 0 ? 2 : 3).check();
      await page.getByTestId('scan-submit').click();
      await visible(page.getByTestId('scan-done'), 'thank-you message');
    });
  }

  await step('the coach closes the scan and sees the team profile (3 answers)', [coach], async () => {
    await coach.goto(`${BASE_URL}/leren/team/${TEAM_ID}`);
    await waitUntil('3 answers', () => coach.getByTestId('scan-respondents').innerText(), (t) => t.startsWith('3 '));
    await coach.getByTestId('scan-close').click();
    const latest = coach.getByTestId('scan-closed').first();
    await visible(latest, 'closed scan');
    await waitUntil('profile shown', () => latest.getAttribute('data-has-profile'), (v) => v === 'true');
    await visible(latest.getByTestId('scan-profile'), 'profile table');
    await axeScan(coach, 'the team learning page');
  });

  await step('the yield view shows the team’s movement next to its figures', [coach], async () => {
    await coach.goto(`${BASE_URL}/leren/opbrengsten?level=team&id=${TEAM_ID}`);
    await visible(coach.getByTestId('yield-note'), 'association note');
    const change = await coach.getByTestId('yield-maturity-change').innerText();
    assert(/\([+-]?\d/.test(change), `expected a maturity movement, got "${change}"`);
    await visible(coach.getByTestId('yield-series'), 'month table');
    await coach.goto(`${BASE_URL}/leren/opbrengsten`);
    await visible(coach.getByTestId('yield-table'), 'organisation table');
    await axeScan(coach, 'the yield view');
  });

  await step('no CSP violations or page errors', [], async () => {
    assert(problems.length === 0, problems.join('\n'));
  });
}

run(main);
