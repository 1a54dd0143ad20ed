import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { clearOfflineData, EXPIRATION_DB } from '../../lib/offline';
import { ChatConnection } from './connection';
import { openOutbox } from './outbox';
import { FakeSocket, ManualClock, fakeSocketFactory, summary } from './testing';

const me = { id: 'u-anouk', name: 'Anouk de Vries' };
const team = summary({ id: 'c-team', kind: 'team', name: 'Den Helder-Centrum', lastSeq: 10, readSeq: 10 });

function connection(userId: string) {
  const clock = new ManualClock();
  let ids = 0;
  const conn = new ChatConnection({
    url: 'ws://plein.test/api/v1/ws',
    createSocket: fakeSocketFactory,
    timers: clock,
    createId: () => `client-${userId}-${++ids}`,
    outbox: openOutbox(userId),
  });
  conn.connect();
  return { conn, socket: FakeSocket.latest() };
}

/** Wait until check() holds (IndexedDB answers asynchronously), with vitest's waitFor. */
async function until(what: string, check: () => Promise<boolean> | boolean) {
  await vi.waitFor(async () => {
    if (!(await check())) throw new Error(`still waiting for ${what}`);
  });
}

function expirationEntries(): Promise<number> {
  return new Promise((resolve) => {
    const req = indexedDB.open(EXPIRATION_DB);
    req.onupgradeneeded = () => req.transaction?.abort(); // none: leave it so
    req.onerror = () => resolve(-1);
    req.onsuccess = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('cache-entries')) {
        db.close();
        return resolve(-1);
      }
      const count = db.transaction('cache-entries').objectStore('cache-entries').count();
      count.onsuccess = () => {
        db.close();
        resolve(count.result);
      };
    };
  });
}

describe('chat outbox', () => {
  it('keeps an offline send across a reload and sends it once, with its clientId, when connected', async () => {
    FakeSocket.reset();
    const first = connection(me.id);
    const clientId = first.conn.send('c-team', 'Geschreven zonder bereik');
    expect(first.socket.sentOf('send')).toHaveLength(0); // never connected
    await until('the send in the outbox', async () => (await openOutbox(me.id)!.load()).length === 1);
    first.conn.dispose(); // the tab is closed

    // Another person's outbox on the same browser holds nothing of hers.
    expect(await openOutbox('u-sanne')!.load()).toEqual([]);

    const second = connection(me.id);
    second.socket.serverOpen();
    second.socket.serverSend({ type: 'ready', user: me, channels: [team] });
    await until('the restored send goes out', () => second.socket.sentOf('send').length === 1);
    expect(second.socket.sentOf('send').map((f) => [f.clientId, f.body])).toEqual([[clientId, 'Geschreven zonder bereik']]);
    expect(second.conn.getSnapshot().byId['c-team']?.pending.map((p) => p.clientId)).toEqual([clientId]);
    // Acknowledged: the server has it, the outbox lets it go.
    second.socket.serverSend({ type: 'ack', id: clientId, clientId, ch: 'c-team', seq: 11, duplicate: false });
    await until('the outbox emptied', async () => (await openOutbox(me.id)!.load()).length === 0);
    expect(second.socket.sentOf('send')).toHaveLength(1);
    second.conn.dispose();
  });

  it('keeps offline edits, deletions and reactions across a reload and sends them once, in order', async () => {
    FakeSocket.reset();
    const first = connection(me.id);
    const edit = first.conn.edit('c-team', 9, 'Aangepast zonder bereik');
    const react = first.conn.react('c-team', 8, '👍', true);
    const del = first.conn.remove('c-team', 7);
    await until('three operations in the outbox', async () => (await openOutbox(me.id)!.load()).length === 3);
    first.conn.dispose();

    const second = connection(me.id);
    second.socket.serverOpen();
    second.socket.serverSend({ type: 'ready', user: me, channels: [team] });
    const kinds = ['edit', 'react', 'delete'];
    await until('the restored operations go out', () => second.socket.sent.filter((f) => kinds.includes(String(f.type))).length === 3);
    const sent = second.socket.sent.filter((f) => kinds.includes(String(f.type)));
    expect(sent.map((f) => [f.type, f.clientId, f.target])).toEqual([
      ['edit', edit, 9],
      ['react', react, 8],
      ['delete', del, 7],
    ]);
    expect(sent[0]!.body).toBe('Aangepast zonder bereik');
    // The edit is acknowledged; the reaction is refused for good (it would be
    // refused again after a reload): both leave the outbox, the deletion waits.
    second.socket.serverSend({ type: 'ack', id: edit, clientId: edit, ch: 'c-team', seq: 9, duplicate: false });
    second.socket.serverSend({ type: 'error', id: react, clientId: react, code: 'forbidden' });
    await until('only the deletion left', async () => (await openOutbox(me.id)!.load()).map((s) => s.clientId).join() === del);
    expect((await openOutbox(me.id)!.load())[0]!.kind).toBe('delete');
    second.conn.dispose();
    await clearOfflineData();
  });

  it('logout clears the waiting messages and Workbox\'s expiration index, and creates no database', async () => {
    FakeSocket.reset();
    const { conn } = connection(me.id);
    conn.send('c-team', 'Nog niet verstuurd');
    await until('the send in the outbox', async () => (await openOutbox(me.id)!.load()).length === 1);
    conn.dispose();
    // No expiration index yet: clearing must not create one (the service
    // worker creates it with its own store).
    await clearOfflineData();
    expect(await expirationEntries()).toBe(-1);
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(EXPIRATION_DB);
    expect(await openOutbox(me.id)!.load()).toEqual([]);

    // As the service worker's workbox-expiration keeps it: URLs of cached answers.
    await new Promise<void>((resolve) => {
      const req = indexedDB.open(EXPIRATION_DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore('cache-entries', { keyPath: 'id' });
      req.onsuccess = () => {
        const db = req.result;
        const tx = db.transaction('cache-entries', 'readwrite');
        tx.objectStore('cache-entries').put({ id: 'plein-api|/api/v1/teams/den-helder-centrum', timestamp: 1 });
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
      };
    });
    expect(await expirationEntries()).toBe(1);
    await clearOfflineData();
    expect(await expirationEntries()).toBe(0);
  });
});
