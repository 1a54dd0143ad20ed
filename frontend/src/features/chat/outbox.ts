import { OUTBOX_DB, OUTBOX_STORE as STORE } from '../../lib/offline';

/**
 * The chat messages a person wrote — and the edits, deletions and reactions
 * they made — that the server has not acknowledged yet, kept in IndexedDB so
 * that they survive a reload or a closed tab while offline, and go out in
 * the order they were made. Each keeps its clientId: sent again after the
 * reload, the server applies it at most once (docs/protocol.md). One
 * database for the browser, entries keyed by person and clientId; only the
 * signed-in person's are read, and logout (clearOfflineData) removes them
 * all. See docs/security.md, "Offline copies on a shared device".
 */
export interface StoredSend {
  clientId: string;
  /** What the frame does; absent in rows written before edits were kept: a send. */
  kind?: 'send' | 'edit' | 'delete' | 'react';
  ch: string;
  body: string;
  reply: number;
  at: string;
  frame: Record<string, unknown>;
}

/** A person's outbox, as ChatConnection uses it. Failures are swallowed: the message then lives in memory only. */
export interface Outbox {
  load(): Promise<StoredSend[]>;
  put(send: StoredSend): void;
  remove(clientId: string): void;
}


interface Row extends StoredSend {
  key: string;
  user: string;
}

let dbPromise: Promise<IDBDatabase> | null = null;

function openDb(): Promise<IDBDatabase> {
  if (!dbPromise) {
    dbPromise = new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(OUTBOX_DB, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore(STORE, { keyPath: 'key' }).createIndex('user', 'user');
      };
      req.onsuccess = () => {
        const db = req.result;
        db.onversionchange = () => {
          db.close();
          dbPromise = null;
        };
        resolve(db);
      };
      req.onerror = () => reject(req.error);
    }).catch((err: unknown) => {
      dbPromise = null;
      throw err;
    });
  }
  return dbPromise;
}

function run<T>(mode: IDBTransactionMode, f: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return openDb().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = f(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(req.result);
        tx.onerror = tx.onabort = () => reject(tx.error);
      }),
  );
}

/** The outbox of person userId; undefined where the browser has no IndexedDB. */
export function openOutbox(userId: string): Outbox | undefined {
  if (typeof indexedDB === 'undefined') return undefined;
  const key = (clientId: string) => `${userId}|${clientId}`;
  return {
    load: () =>
      run('readonly', (s) => s.index('user').getAll(userId) as IDBRequest<Row[]>)
        .then((rows) =>
          rows
            .map(({ clientId, kind, ch, body, reply, at, frame }) => ({ clientId, kind: kind ?? 'send', ch, body, reply, at, frame }))
            .sort((a, b) => a.at.localeCompare(b.at)),
        )
        .catch(() => []),
    put: (send) => {
      run('readwrite', (s) => s.put({ ...send, key: key(send.clientId), user: userId } satisfies Row)).catch(() => {});
    },
    remove: (clientId) => {
      run('readwrite', (s) => s.delete(key(clientId))).catch(() => {});
    },
  };
}
