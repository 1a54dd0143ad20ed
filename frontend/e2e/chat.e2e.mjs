// End-to-end chat flow for Plein with two people in two browser contexts:
// Anouk de Vries (desktop) and Sanne Bakker (a 360 px phone), both in team
// Den Helder-Centrum. Anouk posts in the team channel; Sanne, waiting on
// home, sees the unread badge appear live, opens the channel, replies in a
// thread; Anouk sees the reply. Then the messenger features: Anouk opens a
// direct conversation and sees Sanne online (a dot in the list and the
// header), mentions her with the @-suggestion list (axe scanned while open),
// the mention lands in Sanne's notification centre, the list shows the last
// message as a preview, and when Sanne closes the app her dot goes offline
// with "laatst gezien". Includes axe scans of the chat screens.
//
//   PLEIN_URL=http://127.0.0.1:8080 node e2e/chat.e2e.mjs
//   node e2e/chat.e2e.mjs --launch-only   # only check that Chromium starts
//
// Env: PLEIN_URL (default http://127.0.0.1:8080), CHROMIUM_PATH (default
// /usr/bin/chromium), E2E_USER_A (default "Anouk de Vries"), E2E_USER_B
// (default "Sanne Bakker"), E2E_TEAM (default "Den Helder-Centrum"),
// E2E_SCREENSHOTS=dir to save PNGs after each step.
// Uses Debian's Chromium through playwright-core; never downloads a browser.

import { assert, axeScan, BASE_URL, createRunner, desktopAndPhone, EXECUTABLE, log, login, visible, waitUntil } from './lib.mjs';

const USER_A = process.env.E2E_USER_A || 'Anouk de Vries';
const USER_B = process.env.E2E_USER_B || 'Sanne Bakker';
const TEAM_NAME = process.env.E2E_TEAM || 'Den Helder-Centrum';

// Unique per run so a re-run against a server with history still finds "its" message.
const RUN = new Date().toISOString().slice(11, 19);
const MESSAGE = `Goedemorgen team, wie neemt mevrouw Jansen over? (${RUN})`;
const REPLY = `Ik neem haar (${RUN})`;

const { step, launch, run } = createRunner({
  label: 'e2e chat',
  screenshotPrefix: 'chat-',
  summary: (r) => [`${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`],
});

function teamChannelItem(page) {
  return page.getByTestId('chat-channel-item').filter({ hasText: TEAM_NAME });
}

function messageWith(page, text, scope = page) {
  return scope.getByTestId('chat-message').filter({ hasText: text });
}

async function unreadBadge(page) {
  const badge = page.getByTestId('chat-unread-badge');
  if ((await badge.count()) === 0) return 0;
  return Number(await badge.first().getAttribute('data-count'));
}

async function main() {
  const browser = await launch();

  // Anouk on a desktop, Sanne on a small phone (360 px, touch).
  const { a: anouk, b: sanne, problems } = await desktopAndPhone(browser, [USER_A, USER_B]);
  const both = [anouk, sanne];

  log(`e2e chat: Plein at ${BASE_URL} with ${EXECUTABLE}`);

  await step(`${USER_A} and ${USER_B} log in through the identity provider`, both, async () => {
    await login(anouk, USER_A);
    await login(sanne, USER_B);
  });

  let badgeBefore = 0;
  await step(`${USER_B} waits on home (chat nav item present)`, both, async () => {
    await visible(sanne.getByTestId('team-card'), 'team card on home');
    await visible(sanne.getByRole('link', { name: /^Chat/ }), 'Chat nav item');
    // Let the websocket become ready; nothing unread for this run's message yet.
    await sanne.waitForTimeout(500);
    badgeBefore = await unreadBadge(sanne);
  });

  await step(`${USER_A} opens /chat and the team channel "${TEAM_NAME}"`, both, async () => {
    await anouk.getByRole('link', { name: /^Chat/ }).first().click();
    await waitUntil('chat URL', async () => new URL(anouk.url()).pathname, (p) => p === '/chat');
    await visible(teamChannelItem(anouk), `channel item "${TEAM_NAME}"`);
    await axeScan(anouk, 'the chat page (channel list)');
    await teamChannelItem(anouk).getByRole('link').click();
    await waitUntil('channel URL', async () => new URL(anouk.url()).pathname, (p) => /^\/chat\/[^/]+$/.test(p));
    await visible(anouk.getByTestId('chat-composer'), 'composer');
    await waitUntil(
      'channel heading',
      () => anouk.locator('.channel__title').first().innerText(),
      (t) => t.trim() === TEAM_NAME,
    );
    const banner = await anouk.getByTestId('chat-connection-banner').innerText();
    assert(banner.trim() === '', `connection banner shows "${banner}"`);
  });

  await step(`${USER_A} sends "${MESSAGE}"`, both, async () => {
    await anouk.getByTestId('chat-composer').fill(MESSAGE);
    await anouk.getByTestId('chat-composer').press('Enter');
    const message = messageWith(anouk, MESSAGE);
    await visible(message, 'own message');
    await waitUntil(
      'message stored (has a seq, no longer pending)',
      async () => ({ seq: await message.first().getAttribute('data-seq'), pending: await message.first().getAttribute('data-pending') }),
      (v) => !!v.seq && !v.pending,
    );
    const value = await anouk.getByTestId('chat-composer').inputValue();
    assert(value === '', `composer should be empty after sending, has "${value}"`);
    await axeScan(anouk, 'the team channel');
  });

  await step(`${USER_B} sees the chat unread badge go up live (no reload)`, both, async () => {
    await waitUntil('unread badge ≥ 1 and higher than before', () => unreadBadge(sanne), (n) => n >= 1 && n > badgeBefore);
    const title = await sanne.title();
    assert(/^\(\d+\+?\) /.test(title), `document title should start with "(n) ", got "${title}"`);
  });

  await step(`${USER_B} opens the team channel on a 360 px screen and sees the message`, both, async () => {
    await sanne.getByRole('link', { name: /^Chat/ }).first().click();
    await visible(teamChannelItem(sanne), `channel item "${TEAM_NAME}"`);
    const itemText = await teamChannelItem(sanne).innerText();
    assert(/ongelezen/.test(itemText) || /\d/.test(itemText), `team channel item should show unread, got "${itemText}"`);
    await axeScan(sanne, 'the chat page on a phone');
    await teamChannelItem(sanne).getByRole('link').click();
    await visible(messageWith(sanne, MESSAGE), `message "${MESSAGE}"`);
    // Narrow screen: the channel list is a separate screen.
    assert(!(await sanne.getByTestId('chat-channel-item').first().isVisible()), 'channel list should be hidden next to the channel on 360 px');
    const width = await sanne.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 360, `page is ${width}px wide on a 360px screen (horizontal scrolling)`);
    // Reading the channel clears the badge.
    await waitUntil('unread badge cleared', () => unreadBadge(sanne), (n) => n < 1 || n <= badgeBefore);
  });

  await step(`${USER_B} replies in a thread: "${REPLY}"`, both, async () => {
    const message = messageWith(sanne, MESSAGE).first();
    await message.getByTestId('chat-reply-button').click();
    const panel = sanne.getByTestId('chat-thread-panel');
    await visible(panel, 'thread panel');
    await visible(messageWith(sanne, MESSAGE, panel), 'thread root in the panel');
    const composer = panel.getByTestId('chat-composer');
    await composer.fill(REPLY);
    await panel.getByTestId('chat-send').click();
    const reply = messageWith(sanne, REPLY, panel);
    await visible(reply, 'reply in the thread');
    await waitUntil('reply stored', () => reply.first().getAttribute('data-seq'), (seq) => !!seq);
    await axeScan(sanne, 'the thread panel on a phone');
  });

  await step(`${USER_A} sees the thread reply (count on the root, then in the thread panel)`, both, async () => {
    const root = messageWith(anouk, MESSAGE).first();
    const replies = root.getByRole('link', { name: /1 antwoord/ });
    await visible(replies, 'reply count "1 antwoord" on the root message');
    await replies.click();
    const panel = anouk.getByTestId('chat-thread-panel');
    await visible(panel, 'thread panel');
    await visible(messageWith(anouk, REPLY, panel), `reply "${REPLY}" in the thread panel`);
    const author = await messageWith(anouk, REPLY, panel).first().innerText();
    assert(author.includes(USER_B), `reply should show its author ${USER_B}, got "${author}"`);
  });

  const MENTION = `kun jij mevrouw Jansen bellen? (${RUN})`;
  const dmItem = () => anouk.getByTestId('chat-channel-item').filter({ hasText: USER_B, has: anouk.getByTestId('presence-dot') });

  await step(`${USER_A} opens a direct conversation with ${USER_B} and sees her online`, both, async () => {
    await anouk.goto(`${BASE_URL}/chat/new`);
    await anouk.getByLabel('Zoek een collega').fill(USER_B.split(' ')[0]);
    await anouk.getByRole('button', { name: `${USER_B} toevoegen` }).click();
    await anouk.getByRole('button', { name: 'Gesprek starten' }).click();
    await waitUntil('DM heading', () => anouk.locator('.channel__title').first().innerText(), (t) => t.trim() === USER_B);
    await waitUntil('presence in the header', () => anouk.getByTestId('presence-line').first().getAttribute('data-status'), (s) => s === 'online');
    await waitUntil('presence dot in the list', () => dmItem().getByTestId('presence-dot').getAttribute('data-status'), (s) => s === 'online');
    await axeScan(anouk, 'a direct conversation with presence');
  });

  const DM = `Hoi Sanne, heb je even? (${RUN})`;
  await step(`${USER_A} writes in the conversation: delivered ticks, then read when ${USER_B} opens it`, both, async () => {
    const composer = anouk.getByTestId('chat-composer');
    await composer.fill(DM);
    await composer.press('Enter');
    const receipt = messageWith(anouk, DM).getByTestId('chat-receipt');
    await waitUntil('delivered (she is online)', () => receipt.getAttribute('data-state'), (s) => s === 'delivered');
    await sanne.goto(`${BASE_URL}/chat`);
    await sanne.getByTestId('chat-channel-item').filter({ hasText: USER_A, has: sanne.getByTestId('presence-dot') }).getByRole('link').click();
    await visible(messageWith(sanne, DM), 'the message on her phone');
    await waitUntil('read ticks', () => receipt.getAttribute('data-state'), (s) => s === 'read');
  });

  await step(`${USER_A} sees "gelezen door" on her team message and who has read it`, both, async () => {
    await teamChannelItem(anouk).getByRole('link').click();
    const receipt = messageWith(anouk, MESSAGE).first().getByTestId('chat-receipt');
    await waitUntil('read by at least one', () => receipt.getAttribute('data-read'), (n) => Number(n) >= 1);
    const label = await receipt.getByRole('button').innerText();
    assert(/^Gelezen door \d+ van \d+$/.test(label.trim()), `receipt label "${label}"`);
    await receipt.getByRole('button').click();
    const panel = await receipt.innerText();
    assert(panel.includes(USER_B) && /Nog niet gelezen/.test(panel), `who has read it: "${panel}"`);
    await axeScan(anouk, 'the team channel with a read receipt open');
  });

  await step(`${USER_A} mentions ${USER_B} with the @-suggestions (axe with the list open)`, both, async () => {
    await teamChannelItem(anouk).getByRole('link').click();
    const composer = anouk.getByTestId('chat-composer');
    await visible(composer, 'composer');
    await composer.fill('');
    await composer.pressSequentially(`@${USER_B.split(' ')[0].slice(0, 4)}`);
    const list = anouk.getByRole('listbox');
    await visible(list, 'mention suggestions');
    const first = await list.getByRole('option').first().innerText();
    assert(first.trim() === USER_B, `the closest match (own team) should come first, got "${first}"`);
    await axeScan(anouk, 'the composer with the @-suggestion list open');
    await composer.press('Enter');
    await composer.pressSequentially(MENTION);
    await composer.press('Enter');
    await visible(messageWith(anouk, MENTION), 'the mention message');
  });

  await step(`the mention lands in ${USER_B}'s notification centre`, both, async () => {
    await waitUntil('notification count on the bell', async () => {
      const count = sanne.getByTestId('notification-count');
      return (await count.count()) ? Number(await count.first().getAttribute('data-count')) : 0;
    }, (n) => n >= 1);
    await sanne.getByTestId('notification-bell').click();
    const popover = sanne.getByTestId('notification-popover');
    await visible(popover, 'notification popover');
    const item = popover.getByTestId('notification-item').filter({ hasText: `${USER_A} noemde je in ${TEAM_NAME}` });
    await visible(item, 'the mention notification');
    const text = await item.first().innerText();
    assert(text.includes(MENTION.slice(0, 20)), `the notification should show the excerpt, got "${text}"`);
    await axeScan(sanne, 'the notification centre on a phone');
  });

  await step(`the chat list shows the last message as a one-line preview`, both, async () => {
    await waitUntil('preview of the team channel', () => teamChannelItem(anouk).getByTestId('chat-preview').innerText(), (t) => t.includes(MENTION.slice(0, 20)));
  });

  await step(`${USER_B} closes the app: her dot goes offline, with "laatst gezien"`, [anouk], async () => {
    await dmItem().getByRole('link').click();
    await waitUntil('presence online before', () => anouk.getByTestId('presence-line').first().getAttribute('data-status'), (s) => s === 'online');
    await sanne.context().close();
    await waitUntil('presence dot in the list', () => dmItem().getByTestId('presence-dot').getAttribute('data-status'), (s) => s === 'offline');
    await waitUntil('last seen in the header', () => anouk.getByTestId('presence-line').first().innerText(), (t) => /Laatst gezien/.test(t));
  });

  await step('no CSP violations or page errors', [anouk], async () => {
    assert(problems.length === 0, `the pages reported:\n${problems.join('\n')}`);
  });

  await browser.close();
}

await run(main);
