// Fixtures and helpers for the access-log tests (shapes as the server sends them).
import { render } from '@testing-library/react';
import { createMemoryRouter } from 'react-router';
import { afterEach, beforeEach, vi } from 'vitest';
import type { Session } from '../../api/types';
import { App, routes } from '../../App';
import { createQueryClient } from '../../lib/queryClient';
import { anouk, regions } from '../../test/fixtures';
import { chatEnvironment } from '../chat/ChatProvider';
import { FakeSocket, fakeSocketFactory } from '../chat/testing';
import type { AccessLogEntry, AccessLogPage } from './types';

export { anouk };

// The machine running the tests is shared and slow: findBy waits up to the
// 15 s of src/test/setup.ts (the first render of a lazy feature page
// transforms its modules). A ceiling, not a sleep.
vi.setConfig({ testTimeout: 20_000 });

// No real websocket for the app shell's chat connection.
beforeEach(() => {
  FakeSocket.reset();
  chatEnvironment.createSocket = fakeSocketFactory;
});
afterEach(() => {
  chatEnvironment.createSocket = null;
});

export const HENK_ID = 'u0000000000000000000000a1';
export const ANOUK_ID = 'u0000000000000000000000b2';
export const BRAM_ID = 'u0000000000000000000000c3';

/** An administrator. */
export const henk: Session = {
  user: {
    id: HENK_ID,
    name: 'Henk Bakker',
    email: 'henk.bakker@noorderkwartier.example',
    roles: ['beheerder'],
    teams: [],
  },
  csrfToken: 'csrf-henk',
};

export function entry(overrides: Partial<AccessLogEntry> = {}): AccessLogEntry {
  return {
    id: '20261123T140951.000000000Z-0a1b2c3d',
    at: '2026-11-23T14:09:51Z',
    userId: ANOUK_ID,
    userName: 'Anouk de Vries',
    session: '3f9a1c0b7e42',
    action: 'read',
    subject: 'team:julianadorp members',
    route: 'GET /api/v1/teams/:id',
    requestId: 'req-7f3a',
    ip: '10.1.2.3',
    ...overrides,
  };
}

export const firstPage: AccessLogPage = {
  items: [
    entry(),
    entry({
      id: '20261122T081502.000000000Z-1b2c3d4e',
      at: '2026-11-22T08:15:02Z',
      userId: BRAM_ID,
      userName: 'Bram Jansen',
      action: 'search',
      subject: 'users q=jan',
      route: 'GET /api/v1/users',
      requestId: 'req-8a1b',
      onBehalfOf: HENK_ID,
    }),
  ],
  next: '20261122T081502.000000000Z-1b2c3d4e',
};

export const olderPage: AccessLogPage = {
  items: [
    entry({
      id: '20261118T235959.000000000Z-2c3d4e5f',
      at: '2026-11-18T23:59:59Z',
      action: 'export',
      subject: 'dashboard team:den-helder-centrum',
      route: 'GET /api/v1/dashboard/teams/:id/export',
      requestId: 'req-9c2d',
    }),
  ],
  next: '',
};

// ---------- fetch mock ----------

export type Reply = { status?: number; body?: unknown; contentType?: string };
export interface MockRequest {
  url: URL;
  method: string;
}
export type Handler = Reply | ((request: MockRequest) => Reply);

function toResponse({ status = 200, body = {}, contentType }: Reply): Response {
  const type = contentType ?? (status >= 400 ? 'application/problem+json' : 'application/json');
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}

/**
 * Stubs fetch with a table of "METHOD /path" (or "/path" for GET) → reply;
 * handlers get the parsed URL, so a test can answer by query. Unknown
 * requests answer 404. `calls(path)` lists the requests made to a path.
 */
export function mockApi(table: Record<string, Handler>) {
  const requests: MockRequest[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(raw, 'http://plein.test');
    const method = (init.method ?? 'GET').toUpperCase();
    const request: MockRequest = { url, method };
    requests.push(request);
    const handler = table[`${method} ${url.pathname}`] ?? (method === 'GET' ? table[url.pathname] : undefined);
    if (!handler) return toResponse({ status: 404, body: { title: 'Not found', status: 404 } });
    if (init.signal?.aborted) throw new DOMException('Aborted', 'AbortError');
    return toResponse(typeof handler === 'function' ? handler(request) : handler);
  });
  vi.stubGlobal('fetch', fn);
  const calls = (pathname: string) => requests.filter((r) => r.method === 'GET' && r.url.pathname === pathname);
  return { fn, requests, calls };
}

export const ACCESS_LOG = '/api/v1/access-log';
export const PEOPLE = '/api/v1/chat/people';

/** What the app shell needs around the page, for an administrator unless overridden. */
export function baseTable(session: Session = henk): Record<string, Handler> {
  return {
    '/api/v1/session': { body: session },
    '/api/v1/regions': { body: { items: regions } },
    '/api/v1/notifications': { body: { items: [], unread: 0, next: '' } },
    '/api/v1/knowledge/meta': {
      body: { categories: [], owners: [], types: [], canEdit: false, pendingConfirmations: 0 },
    },
  };
}

/** Renders the whole app (App.tsx's routes) at `path`. */
export function renderApp(path: string) {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const result = render(<App queryClient={queryClient} router={router} />);
  return { ...result, router, queryClient };
}
