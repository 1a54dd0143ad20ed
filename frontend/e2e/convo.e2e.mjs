// End-to-end: searching, exporting and linking into conversations (#15).
// Anouk de Vries (1366 px) and Sanne Bakker (a 360 px phone) have a direct
// conversation with an old message buried under more than a page of newer
// ones. Anouk searches the conversation by a word typed without its accent
// (axe with the search open), clicks the hit and lands on the old message,
// loaded from older history and highlighted. Sanne searches on her phone.
// Anouk exports the conversation as a readable text file and as JSON. Then
// Anouk mentions Sanne in the team channel, more messages follow, and Sanne
// opens the mention from her notification centre: the link carries ?m= and
// the channel scrolls to the message and highlights it.
//
//   PLEIN_URL=http://127.0.0.1:8080 node e2e/convo.e2e.mjs
//
// Env: PLEIN_URL, CHROMIUM_PATH, E2E_SCREENSHOTS=dir (PNGs after each step).

import { readFile } from 'node:fs/promises';
import { assert, axeScan, BASE_URL, createRunner, desktopAndPhone, EXECUTABLE, log, login, visible, waitUntil } from './lib.mjs';

const USER_A = 'Anouk de Vries';
const USER_B = 'Sanne Bakker';
const TEAM_CH = 't-den-helder-centrum';
const RUN = new Date().toISOString().slice(11, 19).replace(/:/g, '');
// Written with the diacritic; searched without it.
const OLD = `De cliënt op de Zuiderstraat krijgt insuline om acht uur (${RUN})`;
const FILLERS = 60; // more than a history page (50)

const { step, launch, run } = createRunner({
  label: 'e2e convo',
  screenshotPrefix: 'convo-',
  summary: (r) => [`${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`],
});

/**
 * Sends messages over the page's own websocket session, one after the
 * other, each after the previous one's ack (a rate-limited send is retried
 * with the same clientId). Returns the user's id and the seqs.
 */
async function sendAll(page, ch, bodies) {
  return page.evaluate(
    async ({ ch, bodies }) => {
      const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api/v1/ws`);
      const waiters = [];
      let me = '';
      ws.onmessage = (event) => {
        const data = JSON.parse(event.data);
        for (const frame of Array.isArray(data) ? data : [data]) {
          if (frame.type === 'ready') me = frame.user.id;
          for (const w of [...waiters]) {
            if (w.match(frame)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(frame);
            }
          }
        }
      };
      const next = (match) => new Promise((resolve) => waiters.push({ match, resolve }));
      const ready = next((f) => f.type === 'ready');
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      await ready;
      const seqs = [];
      for (const [i, body] of bodies.entries()) {
        const clientId = `e2e-${Date.now()}-${i}`;
        for (;;) {
          const answer = next((f) => f.id === clientId && (f.type === 'ack' || f.type === 'error'));
          ws.send(JSON.stringify({ type: 'send', id: clientId, ch, clientId, body, acknowledgeIdentifiers: true }));
          const f = await answer;
          if (f.type === 'ack') {
            seqs.push(f.seq);
            break;
          }
          if (f.code !== 'rate_limited') throw new Error(`send refused: ${f.code}`);
          await new Promise((resolve) => setTimeout(resolve, 250)); // the bucket refills at 10/s
        }
      }
      ws.close();
      return { me, seqs };
    },
    { ch, bodies },
  );
}

function fillers(label) {
  return Array.from({ length: FILLERS }, (_, i) => `${label} ${i + 1} (${RUN})`);
}

async function main() {
  const browser = await launch();
  const { a: anouk, b: sanne, problems } = await desktopAndPhone(browser, [USER_A, USER_B], { acceptDownloads: true });
  const both = [anouk, sanne];
  log(`e2e convo: Plein at ${BASE_URL} with ${EXECUTABLE}`);

  await step(`${USER_A} and ${USER_B} log in`, both, async () => {
    await login(anouk, USER_A);
    await login(sanne, USER_B);
  });

  let dm = '';
  let oldSeq = 0;
  await step(`${USER_A} opens a conversation with ${USER_B}; an old message lies under ${FILLERS} newer ones`, both, async () => {
    await anouk.goto(`${BASE_URL}/chat/new`);
    await anouk.getByLabel('Zoek een collega').fill(USER_B.split(' ')[0]);
    await anouk.getByRole('button', { name: `${USER_B} toevoegen` }).click();
    await anouk.getByRole('button', { name: 'Gesprek starten' }).click();
    await waitUntil('DM heading', () => anouk.locator('.channel__title').first().innerText(), (t) => t.trim() === USER_B);
    dm = decodeURIComponent(new URL(anouk.url()).pathname.split('/')[2] ?? '');
    assert(dm !== '', `no channel id in ${anouk.url()}`);
    const sent = await sendAll(anouk, dm, [OLD, ...fillers('Tussendoor')]);
    oldSeq = sent.seqs[0];
    await anouk.reload();
    await visible(anouk.getByTestId('chat-message').filter({ hasText: `Tussendoor ${FILLERS} (` }), 'the newest message');
    assert((await anouk.locator(`[data-testid="chat-message"][data-seq="${oldSeq}"]`).count()) === 0, 'the old message should not be loaded yet');
  });

  await step(`${USER_A} searches the conversation for "client insuline" (axe with the search open)`, [anouk], async () => {
    await anouk.getByRole('button', { name: `Zoeken in ${USER_B}` }).click();
    await anouk.getByLabel('Zoeken in dit gesprek').fill('client insuline');
    await anouk.getByRole('button', { name: 'Zoeken', exact: true }).click();
    const hit = anouk.getByTestId('convo-search-hit').first();
    await visible(hit, 'a search hit');
    const text = await hit.innerText();
    assert(text.includes('Zuiderstraat') && text.includes(USER_A), `the hit should show author and excerpt, got "${text}"`);
    assert((await hit.locator('mark').count()) >= 2, 'both words should be marked in the excerpt');
    await axeScan(anouk, 'the conversation with its search open');
  });

  await step(`${USER_A} clicks the hit: older history loads and the old message is highlighted`, [anouk], async () => {
    await anouk.getByTestId('convo-search-hit').first().click();
    await waitUntil('?m= in the address', async () => new URL(anouk.url()).searchParams.get('m'), (m) => m === String(oldSeq));
    const target = anouk.locator(`[data-testid="chat-message"][data-seq="${oldSeq}"]`);
    await visible(target, 'the old message');
    await waitUntil('the message highlighted', () => target.getAttribute('class'), (c) => (c ?? '').includes('msg--target'));
    await waitUntil('the message in view', () => target.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }), (v) => v === true);
  });

  await step(`${USER_B} searches the same conversation on a 360 px phone`, [sanne], async () => {
    await sanne.goto(`${BASE_URL}/chat/${encodeURIComponent(dm)}`);
    await sanne.getByRole('button', { name: `Zoeken in ${USER_A}` }).click();
    await sanne.getByLabel('Zoeken in dit gesprek').fill('Zuiderstraat');
    await sanne.getByLabel('Zoeken in dit gesprek').press('Enter');
    await visible(sanne.getByTestId('convo-search-hit').first(), 'a search hit on the phone');
    const width = await sanne.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 360, `no horizontal scrolling at 360 px (scrollWidth ${width})`);
    await axeScan(sanne, 'the conversation search on a phone');
  });

  await step(`${USER_A} exports the conversation as readable text and as JSON`, [anouk], async () => {
    await anouk.getByRole('button', { name: /^Info/ }).click();
    const [download] = await Promise.all([anouk.waitForEvent('download'), anouk.getByTestId('convo-export-text').click()]);
    const text = await readFile(await download.path(), 'utf8');
    assert(download.suggestedFilename().startsWith('plein-gesprek-') && download.suggestedFilename().endsWith('.txt'), `file name ${download.suggestedFilename()}`);
    assert(text.startsWith(`Gesprek in Plein: ${USER_B}`), `text heading: ${text.slice(0, 80)}`);
    assert(text.includes(`${USER_A}: ${OLD}`) && text.includes(`Deelnemers: `), 'the text should hold the old message with its author');
    await visible(anouk.getByText('Het gesprek is gedownload.'), 'the download status');
    const [json] = await Promise.all([anouk.waitForEvent('download'), anouk.getByTestId('convo-export-json').click()]);
    const x = JSON.parse(await readFile(await json.path(), 'utf8'));
    // The suites share one server: an earlier suite may have written in this
    // conversation too, so every message sent here must be in the export.
    const bodies = x.sections.chat.messages.map((m) => m.body);
    const missing = [OLD, ...fillers('Tussendoor')].filter((t) => !bodies.some((b) => b.includes(t)));
    assert(missing.length === 0 && x.subject.name === USER_A,
      `the JSON should hold every message (${bodies.length} messages, ${missing.length} of ours missing, first ${missing[0]}; subject ${x.subject.name})`);
  });

  await step(`${USER_A} mentions ${USER_B} in the team channel; ${FILLERS} messages follow`, [anouk], async () => {
    const sanneId = await sanne.evaluate(async () => (await (await fetch('/api/v1/session')).json()).user.id);
    assert(typeof sanneId === 'string' && sanneId !== '', 'sanne id');
    const sent = await sendAll(anouk, TEAM_CH, [`<@${sanneId}> kun jij de sleutelkast controleren? (${RUN})`, ...fillers('Teambericht')]);
    oldSeq = sent.seqs[0];
  });

  await step(`${USER_B} opens the mention from her notification centre and lands on the message`, [sanne], async () => {
    await sanne.goto(`${BASE_URL}/meldingen`);
    const item = sanne.getByRole('link', { name: new RegExp(`${USER_A} noemde je in`) }).first();
    await visible(item, 'the mention notification');
    const href = await item.getAttribute('href');
    assert(href === `/chat/${TEAM_CH}?m=${oldSeq}`, `the link should carry ?m=, got ${href}`);
    await item.click();
    const target = sanne.locator(`[data-testid="chat-message"][data-seq="${oldSeq}"]`);
    await visible(target, 'the mentioned message');
    await waitUntil('the message highlighted', () => target.getAttribute('class'), (c) => (c ?? '').includes('msg--target'));
    await waitUntil('the message in view', () => target.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }), (v) => v === true);
    await axeScan(sanne, 'a channel opened on a linked message');
  });

  await step('no CSP violations or page errors', [anouk], async () => {
    assert(problems.length === 0, `problems:\n${problems.join('\n')}`);
  });

  await browser.close();
}

await run(main);
