// The service worker's push and notificationclick handlers
// (public/push-sw.js), run against a stand-in worker: which page a
// notification of each kind opens or focuses, and what it shows.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

type Handler = (event: unknown) => void;

interface FakeWindow {
  id: string;
  url: string;
  focus: ReturnType<typeof vi.fn>;
  navigate: ReturnType<typeof vi.fn>;
}

const source = readFileSync(resolve(__dirname, '../../public/push-sw.js'), 'utf8');

function worker(windows: FakeWindow[] = []) {
  const handlers: Record<string, Handler> = {};
  const sw = {
    location: { origin: 'https://plein.example.nl' },
    addEventListener: (type: string, h: Handler) => {
      handlers[type] = h;
    },
    registration: { showNotification: vi.fn(() => Promise.resolve()) },
    clients: {
      matchAll: vi.fn(() => Promise.resolve(windows)),
      openWindow: vi.fn(() => Promise.resolve(null)),
    },
  };
  new Function('self', source)(sw);
  const run = (type: string, event: Record<string, unknown>) => {
    let done: Promise<unknown> = Promise.resolve();
    handlers[type]!({ ...event, waitUntil: (p: Promise<unknown>) => (done = p) });
    return done;
  };
  return {
    sw,
    push: (payload: unknown) => run('push', { data: { json: () => payload } }),
    click: (data: unknown) => run('notificationclick', { notification: { data, close: vi.fn() } }),
  };
}

function tab(id: string, url: string, navigable = true): FakeWindow {
  const w: FakeWindow = {
    id,
    url,
    focus: vi.fn(() => Promise.resolve(w)),
    navigate: vi.fn(() => (navigable ? Promise.resolve(w) : Promise.reject(new TypeError('not controlled')))),
  };
  return w;
}

// The app paths server/push (messageFor) puts in a push, per notification kind.
const kinds: [string, string][] = [
  ['message (a conversation)', '/chat/dm-anouk-sanne?m=42'],
  ['mention', '/chat/team-dhc?m=7'],
  ['reply', '/ruimtes/den-helder-centrum/berichten/p12'],
  ['announcement', '/mededelingen/a3'],
  ['article to confirm', '/kennisbank/wondzorg'],
  ['event reminder', '/ruimtes/den-helder-centrum/agenda/e5'],
  ['learning reminder', '/leren/sessies/s1'],
  ['no link', '/meldingen'],
];

describe('push-sw.js', () => {
  it.each(kinds)('opens a new window on the page of a %s when none is open', async (_kind, path) => {
    const w = worker();
    const did = await w.click({ url: path });
    expect(did).toEqual({ opened: `https://plein.example.nl${path}` });
    expect(w.sw.clients.openWindow).toHaveBeenCalledWith(`https://plein.example.nl${path}`);
  });

  it.each(kinds)('focuses the open Plein window and shows the page of a %s', async (_kind, path) => {
    const other = tab('x', 'https://elders.example.com/');
    const plein = tab('p', 'https://plein.example.nl/vandaag');
    const w = worker([other, plein]);
    const did = await w.click({ url: path });
    expect(did).toEqual({ focused: 'p', url: `https://plein.example.nl${path}` });
    expect(other.focus).not.toHaveBeenCalled();
    expect(plein.focus).toHaveBeenCalled();
    expect(plein.navigate).toHaveBeenCalledWith(`https://plein.example.nl${path}`);
    expect(w.sw.clients.openWindow).not.toHaveBeenCalled();
  });

  it('opens a window when the open one cannot be navigated (not controlled yet)', async () => {
    const plein = tab('p', 'https://plein.example.nl/', false);
    const w = worker([plein]);
    expect(await w.click({ url: '/chat/x' })).toEqual({ opened: 'https://plein.example.nl/chat/x' });
  });

  it.each([['https://evil.example.com/'], ['//evil.example.com/x'], ['/\\evil.example.com'], ['javascript:alert(1)'], [42], [undefined]])(
    'never leaves the app for %s: the notification centre opens',
    async (url) => {
      const w = worker();
      expect(await w.click({ url })).toEqual({ opened: 'https://plein.example.nl/meldingen' });
      expect(await w.click(undefined)).toEqual({ opened: 'https://plein.example.nl/meldingen' });
    },
  );

  it('shows the push with its title, body and tag, and keeps only an app path', async () => {
    const w = worker();
    await w.push({ title: 'Anouk noemde je', body: 'in Den Helder-Centrum', url: '/chat/team-dhc?m=7', tag: 'plein:/chat/team-dhc' });
    expect(w.sw.registration.showNotification).toHaveBeenLastCalledWith('Anouk noemde je', {
      body: 'in Den Helder-Centrum',
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url: '/chat/team-dhc?m=7' },
      tag: 'plein:/chat/team-dhc',
      renotify: true,
    });
    await w.push({ url: 'https://evil.example.com/' });
    expect(w.sw.registration.showNotification).toHaveBeenLastCalledWith('Plein', {
      body: '',
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url: '/meldingen' },
    });
  });
});
