import { useSyncExternalStore } from 'react';
import type { SessionUser as User } from '../api/types';

/**
 * Offline reading, the app's half (the service worker's half is
 * scripts/pwa.ts; design in docs/architecture.md, "Offline reading"):
 *
 * - whether the browser is online, for the shell's offline notice;
 * - which API answers came from the service worker's offline copy, and the
 *   time of that copy, for "bijgewerkt op …" on the page that shows it;
 * - the last signed-in person, so the app can open offline (the session
 *   itself is never stored: docs/security.md);
 * - clearing all of it on logout and when another person signs in.
 */

// ---------- online / offline ----------

function subscribeOnline(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

export function isOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

/** True while the browser says it has a network. */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, isOnline, () => true);
}

// ---------- answers from the offline copy ----------

/** The header the service worker adds to an answer from its cache: the copy's Date. */
export const OFFLINE_COPY_HEADER = 'X-Plein-Offline-Copy';

const copies = new Map<string, number>();
const copyListeners = new Set<() => void>();

function notifyCopies() {
  for (const listener of copyListeners) listener();
}

/**
 * Called by the API client for every GET answer: `copyDate` is the offline
 * copy's header when the service worker answered from its cache, else null.
 */
export function noteAnswer(path: string, copyDate: string | null): void {
  if (copyDate) {
    const at = Date.parse(copyDate);
    const value = Number.isNaN(at) ? 0 : at;
    if (copies.get(path) === value) return;
    copies.set(path, value);
    notifyCopies();
  } else if (copies.delete(path)) {
    notifyCopies();
  }
}

function subscribeCopies(onChange: () => void): () => void {
  copyListeners.add(onChange);
  return () => copyListeners.delete(onChange);
}

/** When the last answer for this API path (without /api/v1) came from the offline copy: that copy's time (ms). */
export function useOfflineCopy(path: string): number | undefined {
  return useSyncExternalStore(
    subscribeCopies,
    () => copies.get(path),
    () => undefined,
  );
}

// ---------- the last signed-in person ----------

const LAST_USER_KEY = 'plein.offline.user';
/** The session's absolute life (server: identity, 72 h): an offline copy is not opened after it. */
export const OFFLINE_USER_MAX_AGE_MS = 72 * 60 * 60 * 1000;

interface StoredUser {
  user: User;
  savedAt: number;
}

function readStoredUser(): StoredUser | undefined {
  try {
    const raw = localStorage.getItem(LAST_USER_KEY);
    if (!raw) return undefined;
    const value = JSON.parse(raw) as StoredUser;
    if (!value || typeof value !== 'object' || !value.user || typeof value.user.id !== 'string') return undefined;
    return value;
  } catch {
    return undefined;
  }
}

/**
 * The person of the last session seen online, when it is recent enough to
 * open the offline copy with; undefined otherwise.
 */
export function offlineUser(now = Date.now()): User | undefined {
  const stored = readStoredUser();
  if (!stored || now - stored.savedAt > OFFLINE_USER_MAX_AGE_MS || stored.savedAt > now + 60_000) return undefined;
  return stored.user;
}

/**
 * After a session was loaded from the server: remember its person. When it
 * is someone else than before, the previous person's offline copies are
 * removed first (a shared device).
 */
export async function sessionSeen(user: User): Promise<void> {
  const previous = readStoredUser();
  if (previous && previous.user.id !== user.id) await clearOfflineData();
  try {
    localStorage.setItem(LAST_USER_KEY, JSON.stringify({ user, savedAt: Date.now() } satisfies StoredUser));
  } catch {
    // Storage full or refused (private mode): the app simply does not open offline.
  }
}

/** Cache names that hold API answers (the precached app shell holds no personal data). */
function isDataCache(name: string): boolean {
  return name === 'plein-api' || name.startsWith('plein-api-');
}

/** Workbox's expiration index (workbox-expiration): the URL and time of every cached answer. */
export const EXPIRATION_DB = 'workbox-expiration';
const EXPIRATION_STORE = 'cache-entries';
/** The chat messages waiting to be sent (features/chat/outbox.ts). */
export const OUTBOX_DB = 'plein-chat-outbox';
export const OUTBOX_STORE = 'sends';

/**
 * Empty an IndexedDB object store, if the database and store exist. The
 * database is never created here: an open that would create it is aborted
 * (the service worker creates it with its own schema). Its entries are
 * cleared rather than the database deleted: the service worker keeps a
 * connection open, which would hold a delete back. Never throws.
 */
export function clearIndexedDbStore(dbName: string, store: string): Promise<void> {
  return new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve();
    let req: IDBOpenDBRequest;
    try {
      req = indexedDB.open(dbName);
    } catch {
      return resolve();
    }
    req.onupgradeneeded = () => req.transaction?.abort(); // it did not exist: leave it so
    req.onerror = () => resolve();
    req.onblocked = () => resolve();
    req.onsuccess = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(store)) {
        db.close();
        return resolve();
      }
      try {
        const tx = db.transaction(store, 'readwrite');
        tx.objectStore(store).clear();
        tx.oncomplete = tx.onerror = tx.onabort = () => {
          db.close();
          resolve();
        };
      } catch {
        db.close();
        resolve();
      }
    };
  });
}

/**
 * Remove every offline copy of personal data: the service worker's API
 * cache and Workbox's index of it (whose URLs name people and teams), the
 * remembered person, the chat messages waiting to be sent (chat/outbox.ts)
 * and the answers noted in memory.
 * Called on logout, when the server says the session ended (401) and when
 * another person signs in. Never throws.
 */
export async function clearOfflineData(): Promise<void> {
  await Promise.all([clearIndexedDbStore(EXPIRATION_DB, EXPIRATION_STORE), clearIndexedDbStore(OUTBOX_DB, OUTBOX_STORE)]);
  try {
    localStorage.removeItem(LAST_USER_KEY);
  } catch {
    // ignore
  }
  copies.clear();
  notifyCopies();
  if (typeof caches === 'undefined') return;
  try {
    const names = await caches.keys();
    await Promise.all(names.filter(isDataCache).map((name) => caches.delete(name)));
  } catch {
    // Cache Storage unavailable (insecure context): nothing was stored there.
  }
}

// ---------- a new version of the app ----------

let applyUpdate: (() => void) | undefined;
const updateListeners = new Set<() => void>();

/** Called by src/lib/pwa.ts when a new service worker waits: `apply` activates it and reloads. */
export function updateWaiting(apply: () => void): void {
  applyUpdate = apply;
  for (const listener of updateListeners) listener();
}

/** The function that installs the waiting version, when there is one. */
export function useUpdate(): (() => void) | undefined {
  return useSyncExternalStore(
    (onChange) => {
      updateListeners.add(onChange);
      return () => updateListeners.delete(onChange);
    },
    () => applyUpdate,
    () => undefined,
  );
}
