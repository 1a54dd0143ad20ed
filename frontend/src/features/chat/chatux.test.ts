import { describe, expect, it } from 'vitest';
import { ChatConnection } from './connection';
import { sortChannels } from './format';
import { presenceText } from './PresenceDot';
import { FakeSocket, ManualClock, amendment, fakeSocketFactory, msg, summary } from './testing';

const me = { id: 'u-anouk', name: 'Anouk de Vries' };

function setup(ready: Record<string, unknown>) {
  FakeSocket.reset();
  const conn = new ChatConnection({
    url: 'ws://plein.test/api/v1/ws',
    createSocket: fakeSocketFactory,
    timers: new ManualClock(),
    createId: () => 'client-1',
  });
  conn.connect();
  const socket = FakeSocket.latest();
  socket.serverOpen();
  socket.serverSend({ type: 'ready', user: me, instance: 'i-1', ...ready });
  return { conn, socket };
}

describe('messenger list, presence and settings', () => {
  it('takes presence, last seen and settings from ready, and follows presence and prefs frames', () => {
    const { conn, socket } = setup({
      channels: [],
      online: { 'u-sanne': 'online' },
      lastSeen: { 'u-daan': '2026-12-07T08:00:00Z' },
      prefs: { hidePresence: false },
    });
    let snap = conn.getSnapshot();
    expect(snap.presence).toEqual({ 'u-sanne': 'online' });
    expect(snap.lastSeen).toEqual({ 'u-daan': '2026-12-07T08:00:00Z' });
    expect(snap.prefs).toEqual({ hidePresence: false });

    socket.serverSend({ type: 'presence', user: 'u-sanne', status: 'offline', lastSeen: '2026-12-07T09:30:00Z' });
    socket.serverSend({ type: 'presence', user: 'u-daan', status: 'offline' }); // hides it now: no last seen
    socket.serverSend({ type: 'prefs', prefs: { hidePresence: true } });
    snap = conn.getSnapshot();
    expect(snap.presence['u-sanne']).toBe('offline');
    expect(snap.lastSeen).toEqual({ 'u-sanne': '2026-12-07T09:30:00Z' });
    expect(snap.prefs).toEqual({ hidePresence: true });
  });

  it('keeps the one-line preview current from live entries (new, edited, deleted)', () => {
    const team = summary({
      id: 'c-team',
      kind: 'team',
      lastSeq: 1,
      readSeq: 1,
      last: { seq: 1, by: 'u-sanne', byName: 'Sanne Bakker', at: '2026-12-07T08:00:00Z', text: 'oud' },
    });
    const { conn, socket } = setup({ channels: [team] });
    const last = () => conn.getSnapshot().byId['c-team']!.summary.last;
    expect(last()?.text).toBe('oud');
    socket.serverSend({ type: 'entry', entry: msg('c-team', 2, { by: 'u-sanne', preview: 'BSN •••••••••' }) });
    expect(last()).toMatchObject({ seq: 2, text: 'BSN •••••••••' });
    socket.serverSend({ type: 'entry', entry: amendment('c-team', 3, 'edit', 2, { preview: 'aangepast' }) });
    expect(last()).toMatchObject({ seq: 2, text: 'aangepast' });
    socket.serverSend({ type: 'entry', entry: amendment('c-team', 4, 'delete', 2) });
    expect(last()).toMatchObject({ seq: 2, text: '', deleted: true });
  });

  it('sorts each section by the newest message, then by name', () => {
    const at = (iso: string) => ({ seq: 1, by: 'x', byName: 'X', at: iso, text: '' });
    const list = [
      { summary: summary({ id: 'a', kind: 'dm', name: 'Aart', last: at('2026-12-07T08:00:00Z') }) },
      { summary: summary({ id: 'b', kind: 'dm', name: 'Bea', last: at('2026-12-07T09:00:00Z') }) },
      { summary: summary({ id: 'c', kind: 'dm', name: 'Cor' }) },
      { summary: summary({ id: 't', kind: 'team', name: 'Team' }) },
    ];
    expect(sortChannels(list).map((c) => c.summary.id)).toEqual(['t', 'b', 'a', 'c']);
  });

  it('says when someone was last seen', () => {
    const t = (key: string, o?: Record<string, unknown>) => (o ? `${key} ${JSON.stringify(o)}` : key);
    const now = new Date('2026-12-07T12:00:00');
    expect(presenceText('online', undefined, t, 'nl', now)).toBe('chat.presence.online');
    expect(presenceText('offline', undefined, t, 'nl', now)).toBe('chat.presence.offline');
    expect(presenceText('offline', new Date('2026-12-07T09:05:00').toISOString(), t, 'nl', now)).toBe(
      'chat.presence.lastSeen {"day":"chat.today","time":"09:05"}',
    );
  });
});

describe('read receipts', () => {
  it('asks for receipts, merges batched pushes, and asks again after a reconnect', () => {
    const team = summary({ id: 'c-team', kind: 'team', lastSeq: 2, readSeq: 2 });
    const { conn, socket } = setup({ channels: [team], receipts: true });
    conn.requestReceipts('c-team');
    expect(socket.sent).toContainEqual({ type: 'receipts', ch: 'c-team', id: 'receipts-c-team' });
    socket.serverSend({ type: 'receipts', id: 'receipts-c-team', ch: 'c-team', reads: { 'u-anouk': 2, 'u-sanne': 0 }, names: { 'u-anouk': 'Anouk', 'u-sanne': 'Sanne' } });
    socket.serverSend({ type: 'receipts', ch: 'c-team', reads: { 'u-sanne': 2 } });
    socket.serverSend({ type: 'receipts', ch: 'c-team', reads: { 'u-sanne': 1 } }); // never moves back
    socket.serverSend({ type: 'receipts', ch: 'c-other', reads: { 'u-sanne': 1 } }); // not asked: ignored
    const snap = conn.getSnapshot();
    expect(snap.receiptsEnabled).toBe(true);
    expect(snap.receipts['c-team']).toEqual({ reads: { 'u-anouk': 2, 'u-sanne': 2 }, names: { 'u-anouk': 'Anouk', 'u-sanne': 'Sanne' }, off: false });
    expect(snap.receipts['c-other']).toBeUndefined();
  });

  it('knows when the organisation switched receipts off', () => {
    const { conn } = setup({ channels: [], receipts: false });
    expect(conn.getSnapshot().receiptsEnabled).toBe(false);
  });
});
