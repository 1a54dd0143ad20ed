import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { anouk, regions } from '../../test/fixtures';
import { mockFetch, renderApp } from '../../test/utils';
import { chatEnvironment } from './ChatProvider';
import { FakeSocket, amendment, fakeSocketFactory, msg, summary } from './testing';

const me = { id: anouk.user.id, name: anouk.user.name };
const team = summary({ id: 'c-team', kind: 'team', name: 'Den Helder-Centrum', teamId: 'den-helder-centrum', lastSeq: 3, readSeq: 0, unread: 3, mentions: 1 });
const wondzorg = summary({ id: 'c-wond', kind: 'open', name: 'Wondzorg', lastSeq: 1, readSeq: 1 });
const dm = summary({
  id: 'c-dm',
  kind: 'dm',
  name: '',
  lastSeq: 2,
  readSeq: 1,
  unread: 1,
  members: [me, { id: 'u-sanne', name: 'Sanne Bakker' }],
});

function setup(path: string) {
  mockFetch({
    '/api/v1/session': { body: anouk },
    '/api/v1/regions': { body: { items: regions } },
    '/api/v1/chat/channels': { body: { items: [] } },
  });
  return renderApp(path);
}

async function connect(channels = [dm, wondzorg, team]) {
  await waitFor(() => expect(FakeSocket.instances.length).toBeGreaterThan(0));
  const socket = FakeSocket.latest();
  act(() => {
    socket.serverOpen();
    socket.serverSend({ type: 'ready', user: me, channels, instance: 'test' });
  });
  return socket;
}

/** Answer the newest `history` request with the given entries. */
function answerHistory(socket: FakeSocket, entries: unknown[]) {
  const request = socket.lastSent('history');
  if (!request) throw new Error('no history request');
  act(() => socket.serverSend({ type: 'entries', id: request.id, ch: request.ch, entries, more: false }));
}

beforeEach(() => {
  FakeSocket.reset();
  chatEnvironment.createSocket = fakeSocketFactory;
});

afterEach(() => {
  chatEnvironment.createSocket = null;
});

describe('chat page', () => {
  it('lists channels (team first, then channels, then direct) with unread badges and a nav total', async () => {
    setup('/chat');
    await connect();

    const items = await screen.findAllByTestId('chat-channel-item');
    expect(items.map((item) => item.dataset.channelId)).toEqual(['c-team', 'c-wond', 'c-dm']);
    expect(within(items[0]!).getByRole('link')).toHaveAttribute('href', '/chat/c-team');
    expect(within(items[0]!).getByText('3 ongelezen berichten')).toBeInTheDocument();
    expect(within(items[0]!).getByText('Je bent 1 keer genoemd')).toBeInTheDocument();
    expect(within(items[1]!).queryByText(/ongelezen/)).not.toBeInTheDocument();
    // A DM is named after the other person.
    expect(within(items[2]!).getByRole('link')).toHaveTextContent('Sanne Bakker');
    expect(within(items[2]!).getByText('1 ongelezen bericht')).toBeInTheDocument();

    const badge = screen.getByTestId('chat-unread-badge');
    expect(badge).toHaveAttribute('data-count', '4');
    expect(screen.getByRole('link', { name: /Chat 4 ongelezen berichten/ })).toHaveAttribute('href', '/chat');
    await waitFor(() => expect(document.title).toBe('(4) Chat · Plein'));

    // A new message from someone else raises the counts live.
    const socket = FakeSocket.latest();
    act(() => socket.serverSend({ type: 'entry', entry: msg('c-wond', 2) }));
    expect(screen.getByTestId('chat-unread-badge')).toHaveAttribute('data-count', '5');
    await waitFor(() => expect(document.title).toBe('(5) Chat · Plein'));
  });

  it('shows a connection banner while reconnecting', async () => {
    setup('/chat');
    const socket = await connect();
    const banner = screen.getByTestId('chat-connection-banner');
    expect(banner).toBeEmptyDOMElement();
    act(() => socket.serverClose(1006));
    expect(banner).toHaveTextContent('Verbinding verbroken — opnieuw verbinden…');
    expect(banner).toHaveAttribute('aria-live', 'polite');
  });

  it('sends a message: pending, then sent, then in the log', async () => {
    setup('/chat/c-team');
    const socket = await connect();
    answerHistory(socket, [msg('c-team', 1), msg('c-team', 2), msg('c-team', 3)]);
    expect(await screen.findAllByTestId('chat-message')).toHaveLength(3);
    // Opening the channel with the newest message in view marks it read.
    expect(socket.lastSent('read')).toEqual({ type: 'read', ch: 'c-team', seq: 3 });

    const composer = screen.getByTestId('chat-composer');
    expect(composer).toHaveAccessibleName('Bericht aan Den Helder-Centrum');
    await userEvent.type(composer, 'Goedemorgen team,{Shift>}{Enter}{/Shift}wie neemt mevrouw Jansen over?');
    await userEvent.keyboard('{Enter}');

    const send = socket.lastSent('send')!;
    expect(send).toMatchObject({
      ch: 'c-team',
      body: 'Goedemorgen team,\nwie neemt mevrouw Jansen over?',
    });
    expect(composer).toHaveValue('');
    const pending = screen.getByText(/wie neemt mevrouw Jansen over/).closest('li')!;
    expect(pending).toHaveAttribute('data-pending', 'pending');
    expect(within(pending).getByText('Wordt verstuurd…')).toBeInTheDocument();

    act(() => socket.serverSend({ type: 'ack', id: send.clientId, clientId: send.clientId, ch: 'c-team', seq: 4 }));
    expect(within(pending).getByText('Verstuurd')).toBeInTheDocument();

    act(() =>
      socket.serverSend({
        type: 'entry',
        entry: msg('c-team', 4, {
          by: me.id,
          byName: me.name,
          clientId: send.clientId as string,
          body: send.body as string,
          html: '<p>Goedemorgen team,<br>wie neemt mevrouw Jansen over?</p>',
        }),
      }),
    );
    const messages = screen.getAllByTestId('chat-message');
    expect(messages).toHaveLength(4);
    expect(messages[3]).toHaveAttribute('data-seq', '4');
    expect(messages[3]).not.toHaveAttribute('data-pending');
    expect(screen.queryByText('Verstuurd')).not.toBeInTheDocument();
  });

  it('sends with the send button too, and offers retry when a send fails', async () => {
    setup('/chat/c-team');
    const socket = await connect();
    answerHistory(socket, []);
    await userEvent.type(screen.getByTestId('chat-composer'), 'Hallo');
    await userEvent.click(screen.getByTestId('chat-send'));
    const send = socket.lastSent('send')!;
    act(() => socket.serverSend({ type: 'error', id: send.clientId, clientId: send.clientId, code: 'invalid' }));
    expect(await screen.findByText('Niet verstuurd.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Opnieuw proberen' }));
    expect(socket.sentOf('send')).toHaveLength(2);
    expect(socket.lastSent('send')!.clientId).toBe(send.clientId);
  });

  it('says why the server refused a message, from the error frame\'s field errors', async () => {
    setup('/chat/c-team');
    const socket = await connect();
    await waitFor(() => expect(socket.lastSent('history')).toBeTruthy());
    answerHistory(socket, []);
    await userEvent.type(screen.getByTestId('chat-composer'), 'Hallo');
    await userEvent.click(screen.getByTestId('chat-send'));
    const send = socket.lastSent('send')!;
    act(() =>
      socket.serverSend({
        type: 'error',
        id: send.clientId,
        clientId: send.clientId,
        code: 'invalid',
        message: 'body: at most 4000 characters',
        errors: [{ field: 'body', code: 'too_long', message: 'at most 4000 characters', params: { max: 4000 } }],
      }),
    );
    expect(await screen.findByText('Niet verstuurd. Tekst: Maximaal 4000 tekens.')).toBeInTheDocument();
    expect(screen.queryByText(/at most 4000/)).not.toBeInTheDocument();
  });

  it('shows a refused new channel at the field and in the summary above the form', async () => {
    mockFetch({
      '/api/v1/session': { body: anouk },
      '/api/v1/regions': { body: { items: regions } },
      '/api/v1/chat/channels': { body: { items: [] } },
      'POST /api/v1/chat/channels': {
        status: 422,
        body: { code: 'validation', title: 'Invalid input', status: 422, errors: [{ field: 'topic', code: 'too_long', message: 'at most 250', params: { max: 250 } }] },
      },
    });
    renderApp('/chat/browse');
    await connect();
    const form = await screen.findByTestId('chat-create-channel');
    // The form's own check first: no name.
    await userEvent.click(within(form).getByRole('button', { name: 'Kanaal maken' }));
    const name = within(form).getByLabelText('Naam');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByTestId('chat-create-problem')).toHaveFocus();
    // Then the server's refusal, at the topic field and in the summary.
    await userEvent.type(name, 'Wondzorg');
    await userEvent.click(within(form).getByRole('button', { name: 'Kanaal maken' }));
    const summary = await within(form).findByTestId('chat-create-problem');
    await waitFor(() => expect(summary).toHaveTextContent('Het kanaal kon niet worden gemaakt'));
    expect(summary).toHaveFocus();
    const topic = within(form).getByLabelText(/Onderwerp/);
    expect(within(summary).getByRole('link', { name: 'Maximaal 250 tekens.' })).toHaveAttribute('href', `#${topic.id}`);
    expect(topic).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByTestId('error-topic')).toHaveTextContent('Maximaal 250 tekens.');
    expect(form.textContent).not.toMatch(/Invalid input|at most/);
  });

  it('brings a message refused as client data back into the composer with the Dutch warning', async () => {
    setup('/chat/c-team');
    const socket = await connect();
    answerHistory(socket, []);
    const composer = screen.getByTestId('chat-composer');
    await userEvent.type(composer, 'BSN 123456782');
    await userEvent.click(screen.getByTestId('chat-send'));
    const send = socket.lastSent('send')!;
    expect(composer).toHaveValue('');
    act(() =>
      socket.serverSend({
        type: 'error',
        id: send.clientId,
        clientId: send.clientId,
        code: 'identifier_suspected',
        findings: [{ field: 'body', kind: 'bsn' }],
      }),
    );
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent('Dit lijkt een BSN. Cliëntgegevens horen in het zorgdossier, niet in Plein.');
    expect(composer).toHaveValue('BSN 123456782');
    expect(screen.queryByText('Niet verstuurd.')).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Aanpassen' }));
    expect(composer).toHaveValue('BSN 123456782');
    expect(composer).toHaveFocus();
    expect(socket.sentOf('send')).toHaveLength(1);

    await userEvent.click(screen.getByTestId('chat-send'));
    const again = socket.lastSent('send')!;
    act(() =>
      socket.serverSend({ type: 'error', id: again.clientId, clientId: again.clientId, code: 'identifier_suspected', findings: [] }),
    );
    await userEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Toch versturen' }));
    expect(socket.lastSent('send')).toMatchObject({ body: 'BSN 123456782', acknowledgeIdentifiers: true });
    expect(composer).toHaveValue('');
  });

  it('shows a trace for deleted messages and folds edits and reactions', async () => {
    setup('/chat/c-team');
    const socket = await connect();
    answerHistory(socket, [
      msg('c-team', 1, { body: 'geheim', html: '<p>geheim</p>' }),
      msg('c-team', 2, { body: 'eerst', html: '<p>eerst</p>' }),
      amendment('c-team', 3, 'delete', 1),
    ]);
    act(() => {
      socket.serverSend([
        { type: 'entry', entry: amendment('c-team', 4, 'edit', 2, { body: 'later', html: '<p>later</p>' }) },
        { type: 'entry', entry: amendment('c-team', 5, 'react', 2, { emoji: '👍', by: me.id, byName: me.name }) },
      ]);
    });
    const [deleted, edited] = await screen.findAllByTestId('chat-message');
    expect(deleted).toHaveAttribute('data-seq', '1');
    expect(within(deleted!).getByText('Bericht verwijderd')).toBeInTheDocument();
    expect(deleted).not.toHaveTextContent('geheim');
    expect(within(edited!).getByText('later')).toBeInTheDocument();
    expect(within(edited!).getByText('(bewerkt)')).toBeInTheDocument();

    const reaction = within(edited!).getByRole('button', { name: 'Duim omhoog: 1 persoon' });
    expect(reaction).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(reaction);
    expect(socket.lastSent('react')).toMatchObject({ ch: 'c-team', target: 2, emoji: '👍', on: false });
  });

  it('renders the sanitised entry HTML only inside the message body; everything else as text', async () => {
    setup('/chat/c-team');
    const socket = await connect();
    answerHistory(socket, [
      msg('c-team', 1, {
        byName: '<em>Sanne</em>',
        body: '**Let op**',
        html: '<p><strong>Let op</strong>: <a href="https://example.org/protocol">protocol</a></p>',
      }),
    ]);
    const message = await screen.findByTestId('chat-message');
    const body = message.querySelector('.msg__body')!;
    expect(body.querySelector('strong')).toHaveTextContent('Let op');
    expect(within(message).getByRole('link', { name: 'protocol' })).toHaveAttribute('href', 'https://example.org/protocol');
    // The author name is text, not markup.
    expect(within(message).getByText('<em>Sanne</em>')).toBeInTheDocument();
    expect(message.querySelectorAll('em')).toHaveLength(0);
    // No HTML outside message bodies.
    expect(document.querySelectorAll('strong')).toHaveLength(body.querySelectorAll('strong').length);
  });

  it('opens a thread from the reply button and sends replies to its root', async () => {
    const { router } = setup('/chat/c-team');
    const socket = await connect();
    answerHistory(socket, [msg('c-team', 1, { body: 'Wie neemt mevrouw Jansen over?', html: '<p>Wie neemt mevrouw Jansen over?</p>' })]);
    await userEvent.click(await screen.findByTestId('chat-reply-button'));
    expect(router.state.location.pathname).toBe('/chat/c-team/thread/1');
    const panel = screen.getByTestId('chat-thread-panel');
    expect(within(panel).getByRole('heading', { name: /Draad/ })).toBeInTheDocument();
    expect(within(panel).getByText('0 antwoorden')).toBeInTheDocument();

    await userEvent.type(within(panel).getByTestId('chat-composer'), 'Ik neem haar{Enter}');
    expect(socket.lastSent('send')).toMatchObject({ ch: 'c-team', body: 'Ik neem haar', reply: 1 });

    act(() => socket.serverSend({ type: 'entry', entry: msg('c-team', 2, { reply: 1, body: 'Ik neem haar', html: '<p>Ik neem haar</p>' }) }));
    expect(within(panel).getByText('1 antwoord')).toBeInTheDocument();
    // Replies stay out of the channel timeline; the root shows the count.
    const main = document.querySelector('.channel__main')!;
    expect(within(main as HTMLElement).getByRole('link', { name: '1 antwoord' })).toBeInTheDocument();
  });

  it('announces new messages from others in a live region and shows typing', async () => {
    setup('/chat/c-team');
    const socket = await connect();
    answerHistory(socket, [msg('c-team', 1), msg('c-team', 2), msg('c-team', 3)]);
    await screen.findAllByTestId('chat-message');
    act(() => socket.serverSend({ type: 'typing', ch: 'c-team', user: 'u-sanne', name: 'Sanne Bakker' }));
    expect(screen.getByText('Sanne typt…')).toBeInTheDocument();
    act(() =>
      socket.serverSend({ type: 'entry', entry: msg('c-team', 4, { body: 'Ik ben er', html: '<p>Ik ben er</p>' }) }),
    );
    const live = document.querySelector('.channel__main [aria-live="polite"][aria-atomic="true"]')!;
    expect(live).toHaveTextContent('Nieuw bericht van Sanne Bakker: Ik ben er');
    expect(screen.queryByText('Sanne typt…')).not.toBeInTheDocument();
  });

  it('inserts @mentions from the people search and sends <@id> tokens', async () => {
    mockFetch({
      '/api/v1/session': { body: anouk },
      '/api/v1/chat/channels': { body: { items: [] } },
      '/api/v1/chat/people?q=Sa': { body: { items: [{ id: 'u-sanne', name: 'Sanne Bakker', teams: ['Den Helder-Centrum'] }] } },
    });
    renderApp('/chat/c-team');
    const socket = await connect();
    answerHistory(socket, []);
    const composer = screen.getByTestId('chat-composer');
    await userEvent.type(composer, 'Hoi @Sa');
    const option = await screen.findByRole('option', { name: 'Sanne Bakker' });
    expect(option).toHaveAttribute('aria-selected', 'true');
    await userEvent.keyboard('{Enter}');
    expect(composer).toHaveValue('Hoi @Sanne Bakker ');
    await userEvent.type(composer, 'kun jij?{Enter}');
    expect(socket.lastSent('send')).toMatchObject({ body: 'Hoi <@u-sanne> kun jij?' });
  });

  it('asks for notification permission only on click, and notifies while the tab is hidden', async () => {
    const shown: { title: string; options: NotificationOptions }[] = [];
    const requestPermission = vi.fn(async () => {
      FakeNotification.permission = 'granted';
      return 'granted' as NotificationPermission;
    });
    class FakeNotification {
      static permission: NotificationPermission = 'default';
      static requestPermission = requestPermission;
      onclick: (() => void) | null = null;
      constructor(title: string, options: NotificationOptions) {
        shown.push({ title, options });
      }
      close() {}
    }
    vi.stubGlobal('Notification', FakeNotification);
    setup('/chat');
    const socket = await connect();
    expect(requestPermission).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Meldingen aanzetten' }));
    expect(requestPermission).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Meldingen aanzetten' })).not.toBeInTheDocument());

    const notify = { type: 'notify', kind: 'dm', ch: 'c-dm', seq: 3, by: 'u-sanne', byName: 'Sanne Bakker', excerpt: 'Kun jij bellen?' };
    act(() => socket.serverSend(notify)); // tab visible: no system notification
    expect(shown).toHaveLength(0);
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    act(() => socket.serverSend({ ...notify, seq: 4 }));
    expect(shown).toEqual([{ title: 'Bericht van Sanne Bakker', options: expect.objectContaining({ body: 'Kun jij bellen?', tag: 'c-dm:4' }) }]);
    visibility.mockRestore();
  });

  it('searches the conversation and jumps to an old hit: history paged down to it, highlighted', async () => {
    const long = summary({ id: 'c-team', kind: 'team', name: 'Den Helder-Centrum', teamId: 'den-helder-centrum', lastSeq: 120, readSeq: 120 });
    mockFetch({
      '/api/v1/session': { body: anouk },
      '/api/v1/regions': { body: { items: regions } },
      '/api/v1/chat/channels': { body: { items: [] } },
      '/api/v1/chat/channels/c-team/search?q=insuline': {
        body: { query: 'insuline', total: 1, items: [{ seq: 5, at: '2026-12-01T09:00:00Z', byName: 'Sanne Bakker', snippet: { text: 'Om acht uur insuline', marks: [[12, 20]] } }] },
      },
    });
    renderApp('/chat/c-team');
    const socket = await connect([long]);
    await waitFor(() => expect(socket.lastSent('history')).toBeDefined());
    const first = socket.lastSent('history')!;
    const newest = Array.from({ length: 50 }, (_, i) => msg('c-team', 71 + i));
    act(() => socket.serverSend({ type: 'entries', id: first.id, ch: 'c-team', entries: newest, more: true }));
    await userEvent.click(screen.getByRole('button', { name: 'Zoeken in Den Helder-Centrum' }));
    await userEvent.type(screen.getByLabelText('Zoeken in dit gesprek'), 'insuline{Enter}');
    // By test id: a role query over the whole chat page is slow in jsdom.
    const hit = await screen.findByTestId('convo-search-hit');
    expect(hit).toHaveTextContent('Sanne Bakker');
    expect(hit).toHaveTextContent('Om acht uur insuline');
    expect(hit).toHaveAttribute('href', '/chat/c-team?m=5');
    expect(within(hit).getByText('insuline').tagName).toBe('MARK');
    await userEvent.click(hit);
    // One page reaching below seq 5 (from 71: 76 entries, within the limit of 100).
    await waitFor(() => expect(socket.lastSent('history')).toMatchObject({ ch: 'c-team', before: 71, limit: 76 }));
    answerHistory(socket, Array.from({ length: 70 }, (_, i) => msg('c-team', 1 + i)));
    const target = await waitFor(() => {
      const el = document.querySelector('[data-testid="chat-message"][data-seq="5"]');
      expect(el).not.toBeNull();
      return el!;
    });
    expect(target).toHaveClass('msg--target');
    expect(target).toHaveAttribute('aria-current', 'true');
    expect(document.activeElement).toBe(target);
  }, 60_000);

  it('has no structural accessibility violations (axe, jsdom)', async () => {
    setup('/chat/c-team');
    const socket = await connect();
    answerHistory(socket, [
      msg('c-team', 1, { reply: 0 }),
      amendment('c-team', 2, 'react', 1, { emoji: '👍' }),
      msg('c-team', 3, { mentions: [me.id] }),
    ]);
    await screen.findAllByTestId('chat-message');
    const results = await axe.run(document.body, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
      rules: { 'color-contrast': { enabled: false } },
    });
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});
