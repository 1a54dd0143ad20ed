import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatConnection, chatSocketUrl } from './connection';
import { FakeSocket, ManualClock, amendment, fakeSocketFactory, msg, summary } from './testing';

const me = { id: 'u-anouk', name: 'Anouk de Vries' };
const team = summary({ id: 'c-team', kind: 'team', name: 'Den Helder-Centrum', lastSeq: 10, readSeq: 10 });

let clock: ManualClock;
let ids: number;

function setup(options: { channels?: ReturnType<typeof summary>[] } = {}) {
  FakeSocket.reset();
  clock = new ManualClock();
  ids = 0;
  const conn = new ChatConnection({
    url: 'ws://plein.test/api/v1/ws',
    createSocket: fakeSocketFactory,
    timers: clock,
    createId: () => `client-${++ids}`,
  });
  conn.connect();
  const socket = FakeSocket.latest();
  socket.serverOpen();
  socket.serverSend({ type: 'ready', user: me, channels: options.channels ?? [team], instance: 'i-1' });
  return { conn, socket };
}

function channel(conn: ChatConnection, id = 'c-team') {
  const ch = conn.getSnapshot().byId[id];
  if (!ch) throw new Error(`no channel ${id}`);
  return ch;
}

function seqs(conn: ChatConnection, id = 'c-team') {
  return channel(conn, id).messages.map((m) => m.seq);
}

describe('ChatConnection', () => {
  beforeEach(() => FakeSocket.reset());

  it('builds the socket URL from the page origin', () => {
    expect(chatSocketUrl({ protocol: 'https:', host: 'plein.example' })).toBe('wss://plein.example/api/v1/ws');
    expect(chatSocketUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/api/v1/ws');
  });

  it('handles ready: user, channels, status and unread totals', () => {
    const { conn } = setup({
      channels: [team, summary({ id: 'c-dm', kind: 'dm', lastSeq: 4, readSeq: 1, unread: 3, mentions: 1 })],
    });
    const snap = conn.getSnapshot();
    expect(snap.status).toBe('open');
    expect(snap.user).toEqual(me);
    expect(snap.channels.map((c) => c.id)).toEqual(['c-team', 'c-dm']);
    expect(snap.totalUnread).toBe(3);
    expect(snap.totalMentions).toBe(1);
    expect(conn.getSnapshot()).toBe(snap); // stable snapshot without changes
  });

  it('notifies subscribers once per websocket message', () => {
    const { conn, socket } = setup();
    const listener = vi.fn();
    conn.subscribe(listener);
    socket.serverSend([
      { type: 'entry', entry: msg('c-team', 11) },
      { type: 'entry', entry: msg('c-team', 12) },
    ]);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(seqs(conn)).toEqual([11, 12]);
  });

  it('accepts an array of frames in one websocket message (including ready)', () => {
    FakeSocket.reset();
    clock = new ManualClock();
    const conn = new ChatConnection({ url: 'ws://x/api/v1/ws', createSocket: fakeSocketFactory, timers: clock });
    conn.connect();
    const socket = FakeSocket.latest();
    socket.serverOpen();
    socket.serverSend([
      { type: 'ready', user: me, channels: [team] },
      { type: 'entry', entry: msg('c-team', 11) },
      { type: 'typing', ch: 'c-team', user: 'u-sanne', name: 'Sanne Bakker' },
    ]);
    expect(seqs(conn)).toEqual([11]);
    expect(channel(conn).typing).toEqual([{ id: 'u-sanne', name: 'Sanne Bakker' }]);
    expect(channel(conn).summary.unread).toBe(1);
  });

  it('ignores duplicate entries (same seq never appears twice)', () => {
    const { conn, socket } = setup();
    socket.serverSend({ type: 'entry', entry: msg('c-team', 11) });
    socket.serverSend({ type: 'entry', entry: msg('c-team', 11, { body: 'again' }) });
    socket.serverSend({ type: 'entries', ch: 'c-team', entries: [msg('c-team', 11), msg('c-team', 12)], more: false });
    expect(seqs(conn)).toEqual([11, 12]);
    expect(channel(conn).messages[0]!.body).toBe('bericht 11');
    expect(channel(conn).summary.unread).toBe(2);
  });

  it('detects a gap and sends sync from the last contiguous seq', () => {
    const { conn, socket } = setup();
    socket.serverSend({ type: 'entry', entry: msg('c-team', 11) });
    expect(socket.sentOf('sync')).toHaveLength(0);
    socket.serverSend({ type: 'entry', entry: msg('c-team', 14) });
    const sync = socket.lastSent('sync');
    expect(sync).toMatchObject({ type: 'sync', ch: 'c-team', after: 11 });
    expect(typeof sync!.id).toBe('string');
    // Shown at once, in seq order; the window stays at 11 until the gap is filled.
    expect(seqs(conn)).toEqual([11, 14]);
    expect(channel(conn).high).toBe(11);

    // A second live entry while syncing does not send another sync.
    socket.serverSend({ type: 'entry', entry: msg('c-team', 15) });
    expect(socket.sentOf('sync')).toHaveLength(1);

    socket.serverSend({ type: 'entries', id: sync!.id, ch: 'c-team', entries: [msg('c-team', 12), msg('c-team', 13)], more: false });
    expect(seqs(conn)).toEqual([11, 12, 13, 14, 15]);
    expect(channel(conn).high).toBe(15);
    expect(socket.sentOf('sync')).toHaveLength(1);
  });

  it('syncs a channel from its last seq when the server says its broker link was down (resync)', () => {
    const { conn, socket } = setup();
    socket.serverSend({ type: 'entry', entry: msg('c-team', 11) });
    expect(socket.sentOf('sync')).toHaveLength(0);
    socket.serverSend({ type: 'resync', ch: 'c-team' });
    const sync = socket.lastSent('sync');
    expect(sync).toMatchObject({ type: 'sync', ch: 'c-team', after: 11 });
    socket.serverSend({ type: 'entries', id: sync!.id, ch: 'c-team', entries: [msg('c-team', 12)], more: false });
    expect(seqs(conn)).toEqual([11, 12]);
    // A channel this client does not hold is ignored.
    socket.serverSend({ type: 'resync', ch: 'c-elders' });
    expect(socket.sentOf('sync')).toHaveLength(1);
  });

  it('keeps syncing while the server says there is more', () => {
    const { conn, socket } = setup();
    socket.serverSend({ type: 'entry', entry: msg('c-team', 20) });
    const first = socket.lastSent('sync')!;
    expect(first.after).toBe(10);
    socket.serverSend({ type: 'entries', id: first.id, ch: 'c-team', entries: [msg('c-team', 11), msg('c-team', 12)], more: true });
    const second = socket.lastSent('sync')!;
    expect(second.id).not.toBe(first.id);
    expect(second.after).toBe(12);
    const rest = [13, 14, 15, 16, 17, 18, 19].map((s) => msg('c-team', s));
    socket.serverSend({ type: 'entries', id: second.id, ch: 'c-team', entries: rest, more: false });
    expect(channel(conn).high).toBe(20);
    expect(socket.sentOf('sync')).toHaveLength(2);
  });

  it('reconnects with backoff and re-syncs every channel from its last seq', () => {
    const { conn, socket } = setup({
      channels: [team, summary({ id: 'c-quiet', lastSeq: 3, readSeq: 3 })],
    });
    socket.serverSend({ type: 'entry', entry: msg('c-team', 11) });
    socket.serverSend({ type: 'entry', entry: msg('c-team', 12) });

    socket.serverClose(1006);
    expect(conn.getSnapshot().status).toBe('reconnecting');
    // First retry: 500 ms × (0.5 + random 0.5) = 500 ms.
    expect(clock.pending()).toContain(500);
    clock.advance(499);
    expect(FakeSocket.instances).toHaveLength(1);
    clock.advance(1);
    expect(FakeSocket.instances).toHaveLength(2);

    const next = FakeSocket.latest();
    next.serverOpen();
    expect(next.sentOf('sync')).toHaveLength(0); // nothing before ready
    next.serverSend({
      type: 'ready',
      user: me,
      channels: [{ ...team, lastSeq: 14 }, summary({ id: 'c-quiet', lastSeq: 5, readSeq: 3, unread: 2 })],
    });
    expect(conn.getSnapshot().status).toBe('open');
    // The channel with held entries is synced from its last seq; the one with
    // nothing held just moves its window.
    expect(next.sentOf('sync')).toEqual([expect.objectContaining({ ch: 'c-team', after: 12 })]);
    expect(channel(conn, 'c-quiet').high).toBe(5);
    expect(channel(conn, 'c-quiet').summary.unread).toBe(2);

    const sync = next.lastSent('sync')!;
    next.serverSend({ type: 'entries', id: sync.id, ch: 'c-team', entries: [msg('c-team', 13), msg('c-team', 14)], more: false });
    expect(seqs(conn)).toEqual([11, 12, 13, 14]);
    // Entries the server already counted in the summary are not counted twice.
    expect(channel(conn).summary.unread).toBe(0);
  });

  it('backs off exponentially up to 30 s with ±50 % jitter', () => {
    const { conn } = setup();
    const delays: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      FakeSocket.latest().serverClose(1006);
      const pending = clock.pending();
      delays.push(pending[pending.length - 1]!);
      clock.advance(pending[pending.length - 1]!);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);

    clock.randomValue = 0; // −50 %
    FakeSocket.latest().serverClose(1006);
    expect(clock.pending()).toEqual([15000]);
    clock.advance(15000);
    clock.randomValue = 0.999; // ≈ +50 %
    FakeSocket.latest().serverClose(1006);
    expect(clock.pending()[0]).toBeCloseTo(44970, 0);

    // A successful ready resets the backoff.
    clock.advance(45000);
    const socket = FakeSocket.latest();
    socket.serverOpen();
    socket.serverSend({ type: 'ready', user: me, channels: [team] });
    clock.randomValue = 0.5;
    socket.serverClose(1006);
    expect(clock.pending()).toContain(500);
    expect(conn.getSnapshot().status).toBe('reconnecting');
  });

  it('reconnects after a random 0.5–3 s on close code 1012 (service restart)', () => {
    setup();
    clock.randomValue = 0;
    FakeSocket.latest().serverClose(1012);
    expect(clock.pending()).toEqual([500]);
    clock.advance(500);
    expect(FakeSocket.instances).toHaveLength(2);

    clock.randomValue = 1;
    FakeSocket.latest().serverClose(1012);
    expect(clock.pending()).toEqual([3000]);
    clock.advance(2999);
    expect(FakeSocket.instances).toHaveLength(2);
    clock.advance(1);
    expect(FakeSocket.instances).toHaveLength(3);
  });

  it('emits sessionEnded on close code 4001 and does not reconnect', () => {
    const { conn, socket } = setup();
    const ended = vi.fn();
    conn.on('sessionEnded', ended);
    socket.serverClose(4001);
    expect(ended).toHaveBeenCalledTimes(1);
    expect(conn.getSnapshot().status).toBe('ended');
    expect(clock.pending()).toEqual([]);
    clock.advance(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('sends a message, shows it pending, then settles it by ack and entry', () => {
    const { conn, socket } = setup();
    const clientId = conn.send('c-team', 'Goedemorgen team');
    expect(clientId).toBe('client-1');
    expect(socket.lastSent('send')).toEqual({
      type: 'send',
      id: 'client-1',
      ch: 'c-team',
      clientId: 'client-1',
      body: 'Goedemorgen team',
    });
    expect(channel(conn).pending).toEqual([expect.objectContaining({ clientId, status: 'pending', body: 'Goedemorgen team' })]);

    socket.serverSend({ type: 'ack', id: clientId, clientId, ch: 'c-team', seq: 11, duplicate: false });
    expect(channel(conn).pending).toEqual([expect.objectContaining({ status: 'sent', seq: 11 })]);

    socket.serverSend({ type: 'entry', entry: msg('c-team', 11, { by: me.id, byName: me.name, clientId, body: 'Goedemorgen team' }) });
    expect(channel(conn).pending).toEqual([]);
    expect(seqs(conn)).toEqual([11]);
    // Own messages are not unread.
    expect(channel(conn).summary.unread).toBe(0);
  });

  it('sends replies with the thread root seq', () => {
    const { conn, socket } = setup();
    conn.send('c-team', 'Ik neem haar', 7);
    expect(socket.lastSent('send')).toMatchObject({ reply: 7, body: 'Ik neem haar' });
  });

  it('resends an unacknowledged send after reconnecting, with the same clientId; a duplicate ack settles it', () => {
    const { conn, socket } = setup();
    const clientId = conn.send('c-team', 'Wie neemt mevrouw Jansen over?');
    socket.serverClose(1006);
    // Sending while disconnected queues it: both wait for the connection.
    const second = conn.send('c-team', 'Nog een vraag');
    expect(channel(conn).pending.map((p) => p.status)).toEqual(['waiting', 'waiting']);

    clock.advance(500);
    const next = FakeSocket.latest();
    next.serverOpen();
    expect(next.sentOf('send')).toHaveLength(0);
    next.serverSend({ type: 'ready', user: me, channels: [{ ...team, lastSeq: 11 }] });
    const resent = next.sentOf('send');
    expect(resent.map((f) => f.clientId)).toEqual([clientId, second]);
    expect(resent[0]).toMatchObject({ id: clientId, body: 'Wie neemt mevrouw Jansen over?' });

    // The first had been stored before the connection dropped.
    next.serverSend({ type: 'ack', id: clientId, clientId, ch: 'c-team', seq: 11, duplicate: true });
    next.serverSend({ type: 'ack', id: second, clientId: second, ch: 'c-team', seq: 12, duplicate: false });
    expect(channel(conn).pending.map((p) => p.status)).toEqual(['sent', 'sent']);
    // Messages were pending in this channel, so it is synced from its last seq
    // (not just moved to the new lastSeq): the duplicate's entry is fetched.
    const sync = next.lastSent('sync')!;
    expect(sync).toMatchObject({ ch: 'c-team', after: 10 });
    next.serverSend({ type: 'entry', entry: msg('c-team', 12, { by: me.id, clientId: second, body: 'Nog een vraag' }) });
    expect(next.sentOf('sync')).toHaveLength(1);
    next.serverSend({
      type: 'entries',
      id: sync.id,
      ch: 'c-team',
      entries: [msg('c-team', 11, { by: me.id, clientId, body: 'Wie neemt mevrouw Jansen over?' })],
      more: false,
    });
    expect(channel(conn).pending).toEqual([]);
    expect(seqs(conn)).toEqual([11, 12]);
    expect(channel(conn).messages.map((m) => m.body)).toEqual(['Wie neemt mevrouw Jansen over?', 'Nog een vraag']);
  });

  it('drops the socket when the browser goes offline; a send waits and goes out once after reconnecting', () => {
    const { conn, socket } = setup();
    conn.networkLost();
    expect(socket.closedWith).toBe(4000);
    expect(conn.getSnapshot().status).toBe('reconnecting');
    const clientId = conn.send('c-team', 'Verstuurd zonder bereik');
    expect(channel(conn).pending).toMatchObject([{ clientId, status: 'waiting' }]);
    expect(socket.sent.filter((f) => f.type === 'send')).toHaveLength(0);

    // The network is back: reconnect at once, send it once (same clientId), settle it by ack.
    conn.reconnectNow();
    const next = FakeSocket.latest();
    expect(next).not.toBe(socket);
    next.serverOpen();
    expect(channel(conn).pending.map((p) => p.status)).toEqual(['waiting']);
    next.serverSend({ type: 'ready', user: me, channels: [team] });
    expect(next.sentOf('send').map((f) => f.clientId)).toEqual([clientId]);
    expect(channel(conn).pending.map((p) => p.status)).toEqual(['pending']);
    next.serverSend({ type: 'ack', id: clientId, clientId, ch: 'c-team', seq: 11, duplicate: false });
    expect(channel(conn).pending.map((p) => p.status)).toEqual(['sent']);
    expect(next.sentOf('send')).toHaveLength(1);
    // A second offline event without a socket does nothing.
    conn.dispose();
    conn.networkLost();
  });

  it('fetches a single entry for a duplicate ack below the window', () => {
    const { conn, socket } = setup();
    socket.serverSend({ type: 'entry', entry: msg('c-team', 11) });
    socket.serverSend({ type: 'entry', entry: msg('c-team', 12) });
    // e.g. the user's retry of a message stored as seq 9 before the page was loaded
    const clientId = conn.send('c-team', 'Hallo');
    socket.serverSend({ type: 'ack', id: clientId, clientId, ch: 'c-team', seq: 9, duplicate: true });
    clock.advance(2000);
    const fetch = socket.lastSent('sync')!;
    expect(fetch).toMatchObject({ ch: 'c-team', after: 8, limit: 1 });
    socket.serverSend({ type: 'entries', id: fetch.id, ch: 'c-team', entries: [msg('c-team', 9, { by: me.id, clientId })], more: true });
    expect(channel(conn).pending).toEqual([]);
    expect(seqs(conn)).toEqual([9, 11, 12]);
    expect(socket.sentOf('sync')).toHaveLength(1); // no follow-up for a single fetch
  });

  it('fetches the entry of an ack that never arrives live', () => {
    const { conn, socket } = setup();
    const clientId = conn.send('c-team', 'Hallo');
    socket.serverSend({ type: 'ack', id: clientId, clientId, ch: 'c-team', seq: 11, duplicate: true });
    expect(socket.sentOf('sync')).toHaveLength(0);
    clock.advance(2000);
    expect(socket.lastSent('sync')).toMatchObject({ ch: 'c-team', after: 10 });
    socket.serverSend({
      type: 'entries',
      id: socket.lastSent('sync')!.id,
      ch: 'c-team',
      entries: [msg('c-team', 11, { by: me.id, clientId, body: 'Hallo' })],
    });
    expect(channel(conn).pending).toEqual([]);
    expect(seqs(conn)).toEqual([11]);
  });

  it('marks a refused send failed and retries it with the same clientId', () => {
    const { conn, socket } = setup();
    const clientId = conn.send('c-team', 'x');
    socket.serverSend({ type: 'error', id: clientId, clientId, code: 'invalid', message: 'body' });
    expect(channel(conn).pending[0]).toMatchObject({ status: 'failed', error: 'invalid' });
    conn.retry(clientId);
    expect(socket.sentOf('send').map((f) => f.clientId)).toEqual([clientId, clientId]);
    expect(channel(conn).pending[0]!.status).toBe('pending');
    socket.serverSend({ type: 'error', id: clientId, clientId, code: 'forbidden' });
    conn.discard(clientId);
    expect(channel(conn).pending).toEqual([]);
  });

  it('hands a send refused as client data (identifier_suspected) back to the composer and resends it acknowledged', () => {
    const { conn, socket } = setup();
    const refusals: unknown[] = [];
    conn.on('identifierSuspected', (r) => refusals.push(r));
    const clientId = conn.send('c-team', 'BSN 123456782');
    socket.serverSend({ type: 'error', id: clientId, clientId, code: 'identifier_suspected', findings: [{ field: 'body', kind: 'bsn' }] });
    expect(refusals).toEqual([{ clientId, ch: 'c-team', findings: [{ field: 'body', kind: 'bsn' }] }]);
    expect(channel(conn).pending).toEqual([]); // nothing was stored: no failed copy
    conn.send('c-team', 'BSN 123456782', 0, true);
    expect(socket.lastSent('send')).toMatchObject({ body: 'BSN 123456782', acknowledgeIdentifiers: true });
  });

  it('retries transient refusals (rate_limited, unavailable) by itself', () => {
    const { conn, socket } = setup();
    const clientId = conn.send('c-team', 'x');
    socket.serverSend({ type: 'error', id: clientId, clientId, code: 'rate_limited' });
    expect(channel(conn).pending[0]!.status).toBe('pending');
    clock.advance(1000);
    expect(socket.sentOf('send')).toHaveLength(2);
  });

  it('marks a send failed when no ack comes while connected', () => {
    const { conn } = setup();
    conn.send('c-team', 'x');
    clock.advance(15_000);
    expect(channel(conn).pending[0]).toMatchObject({ status: 'failed', error: 'timeout' });
  });

  it('refuses frames over 16 KiB without sending them', () => {
    const { conn, socket } = setup();
    conn.send('c-team', '😊'.repeat(5000));
    expect(socket.sentOf('send')).toHaveLength(0);
    expect(channel(conn).pending[0]).toMatchObject({ status: 'failed', error: 'too_large' });
  });

  it('folds amendments into their message (target first)', () => {
    const { conn, socket } = setup();
    socket.serverSend([
      { type: 'entry', entry: msg('c-team', 11, { body: 'origineel' }) },
      { type: 'entry', entry: amendment('c-team', 12, 'edit', 11, { body: 'bewerkt', html: '<p>bewerkt</p>' }) },
      { type: 'entry', entry: amendment('c-team', 13, 'react', 11, { emoji: '👍', by: 'u-anouk', byName: 'Anouk' }) },
      { type: 'entry', entry: amendment('c-team', 14, 'react', 11, { emoji: '👍', by: 'u-bram', byName: 'Bram' }) },
      { type: 'entry', entry: amendment('c-team', 15, 'unreact', 11, { emoji: '👍', by: 'u-bram', byName: 'Bram' }) },
      { type: 'entry', entry: amendment('c-team', 16, 'react', 11, { emoji: '❤️', by: 'u-bram', byName: 'Bram' }) },
    ]);
    const [message] = channel(conn).messages;
    expect(channel(conn).messages).toHaveLength(1);
    expect(message).toMatchObject({ seq: 11, body: 'bewerkt', html: '<p>bewerkt</p>', edited: true, deleted: false });
    expect(message!.reactions).toEqual([
      { emoji: '👍', count: 1, mine: true, names: ['Anouk'] },
      { emoji: '❤️', count: 1, mine: false, names: ['Bram'] },
    ]);
    socket.serverSend({ type: 'entry', entry: amendment('c-team', 17, 'delete', 11) });
    expect(channel(conn).messages[0]).toMatchObject({ deleted: true, body: '', html: '' });
  });

  it('folds early amendments when their targets arrive with an older page', () => {
    FakeSocket.reset();
    clock = new ManualClock();
    const conn = new ChatConnection({
      url: 'ws://x',
      createSocket: fakeSocketFactory,
      timers: clock,
      historyPageSize: 3,
    });
    conn.connect();
    const socket = FakeSocket.latest();
    socket.serverOpen();
    socket.serverSend({ type: 'ready', user: me, channels: [summary({ id: 'c-team', lastSeq: 6, readSeq: 6 })] });
    conn.ensureLoaded('c-team');
    const newest = socket.lastSent('history')!;
    socket.serverSend({
      type: 'entries',
      id: newest.id,
      ch: 'c-team',
      entries: [
        amendment('c-team', 4, 'edit', 1, { body: 'nieuw', html: '<p>nieuw</p>' }),
        amendment('c-team', 5, 'react', 2, { emoji: '✅', by: 'u-bram', byName: 'Bram' }),
        amendment('c-team', 6, 'delete', 3),
      ],
    });
    expect(channel(conn).hasOlder).toBe(true);
    conn.loadOlder('c-team');
    const older = socket.lastSent('history')!;
    expect(older).toMatchObject({ before: 4, limit: 3 });
    socket.serverSend({
      type: 'entries',
      id: older.id,
      ch: 'c-team',
      entries: [msg('c-team', 1, { body: 'oud' }), msg('c-team', 2), msg('c-team', 3)],
    });
    const [one, two, three] = channel(conn).messages;
    expect(one).toMatchObject({ seq: 1, body: 'nieuw', edited: true });
    expect(two!.reactions).toEqual([{ emoji: '✅', count: 1, mine: false, names: ['Bram'] }]);
    expect(three).toMatchObject({ deleted: true, body: '' });
    expect(channel(conn).hasOlder).toBe(false);
    expect(channel(conn).low).toBe(1);
    expect(channel(conn).high).toBe(6);
  });

  it('loads the newest history page on open even when live entries are already held', () => {
    const { conn, socket } = setup();
    socket.serverSend({ type: 'entry', entry: msg('c-team', 11) });
    conn.ensureLoaded('c-team');
    expect(socket.lastSent('history')).toMatchObject({ ch: 'c-team', before: 11, limit: 50 });
    socket.serverSend({
      type: 'entries',
      id: socket.lastSent('history')!.id,
      ch: 'c-team',
      entries: [9, 10].map((seq) => msg('c-team', seq)),
    });
    expect(seqs(conn)).toEqual([9, 10, 11]);
    conn.ensureLoaded('c-team');
    expect(socket.sentOf('history')).toHaveLength(1);
  });

  it('pages history down to a linked message (?m=) in one request, within the server limit of 100', () => {
    const { conn, socket } = setup({ channels: [summary({ id: 'c-team', kind: 'team', name: 'T', lastSeq: 500, readSeq: 500 })] });
    conn.ensureLoaded('c-team');
    const newest = socket.lastSent('history')!;
    socket.serverSend({ type: 'entries', id: newest.id, ch: 'c-team', entries: Array.from({ length: 50 }, (_, i) => msg('c-team', 451 + i)) });
    conn.loadOlder('c-team', 420);
    // From low 451 down to 420 and 10 more is 41: the usual page of 50 covers it.
    expect(socket.lastSent('history')).toMatchObject({ ch: 'c-team', before: 451, limit: 50 });
    const page = socket.lastSent('history')!;
    socket.serverSend({ type: 'entries', id: page.id, ch: 'c-team', entries: Array.from({ length: 50 }, (_, i) => msg('c-team', 401 + i)) });
    conn.loadOlder('c-team', 10);
    expect(socket.lastSent('history')).toMatchObject({ ch: 'c-team', before: 401, limit: 100 });
    expect(channel(conn).low).toBe(401);
  });

  it('asks for history only after ready when opened while connecting', () => {
    FakeSocket.reset();
    clock = new ManualClock();
    const conn = new ChatConnection({ url: 'ws://x', createSocket: fakeSocketFactory, timers: clock });
    conn.seedChannels([team]);
    conn.connect();
    conn.ensureLoaded('c-team');
    const socket = FakeSocket.latest();
    socket.serverOpen();
    expect(socket.sent).toEqual([]);
    socket.serverSend({ type: 'ready', user: me, channels: [team] });
    expect(socket.lastSent('history')).toMatchObject({ ch: 'c-team', before: 11 });
  });

  it('applies reactions order-independently (a later unreact wins even if it arrives first)', () => {
    const { conn, socket } = setup();
    socket.serverSend({ type: 'entry', entry: msg('c-team', 11) });
    socket.serverSend({ type: 'entry', entry: amendment('c-team', 13, 'unreact', 11, { emoji: '👍' }) });
    socket.serverSend({ type: 'entries', ch: 'c-team', entries: [amendment('c-team', 12, 'react', 11, { emoji: '👍' })] });
    expect(channel(conn).messages[0]!.reactions).toEqual([]);
  });

  it('counts thread replies on their root, also when the root is loaded later', () => {
    const { conn, socket } = setup();
    socket.serverSend({ type: 'entry', entry: msg('c-team', 11) });
    socket.serverSend({ type: 'entry', entry: msg('c-team', 12, { reply: 11 }) });
    socket.serverSend({ type: 'entry', entry: msg('c-team', 13, { reply: 5 }) });
    expect(channel(conn).messages.find((m) => m.seq === 11)!.replyCount).toBe(1);
    socket.serverSend({ type: 'entries', ch: 'c-team', entries: [msg('c-team', 5)] });
    expect(channel(conn).messages.find((m) => m.seq === 5)!.replyCount).toBe(1);
  });

  it('counts unread and mentions for new messages from others, and clears them on read', () => {
    const { conn, socket } = setup();
    socket.serverSend([
      { type: 'entry', entry: msg('c-team', 11) },
      { type: 'entry', entry: msg('c-team', 12, { mentions: [me.id] }) },
      { type: 'entry', entry: msg('c-team', 13, { mentionsTeam: true }) },
      { type: 'entry', entry: msg('c-team', 14, { by: me.id }) },
      { type: 'entry', entry: amendment('c-team', 15, 'react', 11, { emoji: '👍' }) },
    ]);
    expect(channel(conn).summary).toMatchObject({ unread: 3, mentions: 2, lastSeq: 15 });
    expect(conn.getSnapshot().totalUnread).toBe(3);
    conn.markRead('c-team');
    expect(socket.lastSent('read')).toEqual({ type: 'read', ch: 'c-team', seq: 15 });
    expect(channel(conn).summary).toMatchObject({ unread: 0, mentions: 0, readSeq: 15 });
    conn.markRead('c-team');
    expect(socket.sentOf('read')).toHaveLength(1);
  });

  it('applies read markers from other devices', () => {
    const { conn, socket } = setup();
    socket.serverSend([
      { type: 'entry', entry: msg('c-team', 11) },
      { type: 'entry', entry: msg('c-team', 12) },
    ]);
    socket.serverSend({ type: 'read', ch: 'c-team', seq: 11 });
    expect(channel(conn).summary.unread).toBe(1);
    socket.serverSend({ type: 'read', ch: 'c-team', seq: 12 });
    expect(channel(conn).summary.unread).toBe(0);
  });

  it('shows typing for a few seconds and clears it when the message arrives', () => {
    const { conn, socket } = setup();
    socket.serverSend({ type: 'typing', ch: 'c-team', user: 'u-sanne', name: 'Sanne Bakker' });
    expect(channel(conn).typing).toEqual([{ id: 'u-sanne', name: 'Sanne Bakker' }]);
    clock.advance(5000);
    expect(channel(conn).typing).toEqual([]);
    socket.serverSend({ type: 'typing', ch: 'c-team', user: 'u-sanne', name: 'Sanne Bakker' });
    socket.serverSend({ type: 'entry', entry: msg('c-team', 11) });
    expect(channel(conn).typing).toEqual([]);
  });

  it('adds, updates and removes channels from frames', () => {
    const { conn, socket } = setup();
    const removed = vi.fn();
    conn.on('channelRemoved', removed);
    socket.serverSend({ type: 'channel', channel: summary({ id: 'c-new', name: 'Wondzorg', lastSeq: 2, unread: 2 }) });
    expect(channel(conn, 'c-new').summary.name).toBe('Wondzorg');
    expect(conn.getSnapshot().totalUnread).toBe(2);
    socket.serverSend({ type: 'channel_removed', ch: 'c-new' });
    expect(conn.getSnapshot().byId['c-new']).toBeUndefined();
    expect(removed).toHaveBeenCalledWith('c-new');
  });

  it('passes notify frames to listeners', () => {
    const { conn, socket } = setup();
    const notify = vi.fn();
    conn.on('notify', notify);
    const frame = { type: 'notify', kind: 'dm', ch: 'c-dm', seq: 3, by: 'u-sanne', byName: 'Sanne Bakker', excerpt: 'Hoi' };
    socket.serverSend(frame);
    expect(notify).toHaveBeenCalledWith(frame);
  });

  it('pings a quiet connection and drops it when nothing answers', () => {
    const { conn, socket } = setup();
    clock.advance(25_000);
    expect(socket.sentOf('ping')).toHaveLength(1);
    socket.serverSend({ type: 'pong', id: socket.lastSent('ping')!.id });
    clock.advance(10_000);
    expect(conn.getSnapshot().status).toBe('open');
    clock.advance(25_000);
    expect(socket.sentOf('ping')).toHaveLength(2);
    clock.advance(10_000);
    expect(conn.getSnapshot().status).toBe('reconnecting');
    expect(socket.closedWith).toBe(4000);
  });

  it('ignores frames that are not JSON or not frames', () => {
    const { conn, socket } = setup();
    socket.onmessage?.({ data: 'not json' });
    socket.serverSend({ hello: 'world' });
    socket.serverSend([null, 3, { type: 'entry', entry: msg('c-team', 11) }]);
    expect(seqs(conn)).toEqual([11]);
  });

  it('dispose closes the socket and stops reconnecting', () => {
    const { conn, socket } = setup();
    conn.dispose();
    expect(socket.closedWith).toBe(1000);
    expect(conn.getSnapshot().status).toBe('closed');
    clock.advance(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
  });
});
