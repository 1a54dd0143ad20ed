// Fixtures and helpers for the knowledge base tests (shapes as the server sends them).
import { render } from '@testing-library/react';
import { createMemoryRouter, type RouteObject } from 'react-router';
import { vi } from 'vitest';
import type { Session } from '../../api/types';
import { App } from '../../App';
import { NotFoundPage } from '../../components/NotFoundPage';
import { createQueryClient } from '../../lib/queryClient';
import { anouk, regions, teams } from '../../test/fixtures';
import { SessionGate } from '../../app/SessionGate';
import { KnowledgeNavItem } from './KnowledgeNavItem';
import { knowledgeRoute } from './routes';
import type { Article, ArticleSummary, ConfirmationReport, Feedback, Meta, SearchHit } from './types';

export { anouk };

// The machine running the tests is shared and slow: findBy waits up to the
// 15 s of src/test/setup.ts (the first render of a lazy feature page
// transforms its modules). A ceiling, not a sleep.
vi.setConfig({ testTimeout: 20_000 });

export const ilse: Session = {
  user: {
    id: 'u-ilse',
    name: 'Ilse Dekker',
    email: 'ilse.dekker@noorderkwartier.example',
    roles: ['ondersteunende_dienst'],
    teams: [],
  },
  csrfToken: 'csrf-ilse',
};

export const meta: Meta = {
  categories: [
    { id: 'wondzorg', count: 3 },
    { id: 'medicatie', count: 2 },
    { id: 'hygiene', count: 1 },
  ],
  owners: ['kwaliteit', 'hr', 'ict', 'financien', 'communicatie'],
  types: ['protocol', 'werkinstructie', 'nieuws', 'faq'],
  canEdit: false,
  pendingConfirmations: 1,
};

export const editorMeta: Meta = { ...meta, canEdit: true };

export function summary(overrides: Partial<ArticleSummary> = {}): ArticleSummary {
  return {
    id: 'decubitus',
    title: 'Decubitus: preventie en wondzorg',
    summary: 'Hoe je drukplekken voorkomt en behandelt.',
    category: 'wondzorg',
    type: 'protocol',
    tags: ['decubitus', 'huid'],
    owner: 'kwaliteit',
    status: 'published',
    version: '2.1',
    publishedAt: '2026-03-03T10:00:00Z',
    updatedAt: '2026-03-03T10:00:00Z',
    reviewDue: '2027-03-01',
    overdue: false,
    requiresConfirmation: true,
    confirmation: { required: true, pending: true },
    ...overrides,
  };
}

const SNIPPET = 'Controleer de wond dagelijks en leg de wondzorg vast.';

/** Marks every occurrence of `word` in `text`, as the server does. */
export function marksOf(text: string, word: string): [number, number][] {
  const marks: [number, number][] = [];
  for (let i = text.indexOf(word); i !== -1; i = text.indexOf(word, i + 1)) marks.push([i, i + word.length]);
  return marks;
}

export function hit(overrides: Partial<SearchHit> = {}): SearchHit {
  return {
    ...summary(),
    snippet: { text: SNIPPET, marks: marksOf(SNIPPET, 'wond') },
    ...overrides,
  };
}

export const BODY_HTML =
  '<h2>Doel</h2><p>Drukplekken <strong>voorkomen</strong>.</p>' +
  '<table><thead><tr><th>Fase</th><th>Actie</th></tr></thead><tbody><tr><td>1</td><td>Ontlasten</td></tr></tbody></table>';

export function article(overrides: Partial<Article> = {}): Article {
  return {
    ...summary(),
    body: '## Doel\n\nDrukplekken **voorkomen**.',
    bodyHtml: BODY_HTML,
    audience: { everyone: true, regions: [], teams: [], roles: [] },
    attachments: [{ id: 'att1', name: 'Wondkaart.pdf', contentType: 'application/pdf', size: 245_000 }],
    related: [{ id: 'huidletsel', title: 'Huidletsel door vocht' }],
    versions: [
      {
        version: '2.1',
        major: false,
        publishedAt: '2026-03-03T10:00:00Z',
        author: { id: 'u-ilse', name: 'Ilse Dekker' },
        reviewer: { id: 'u-henk', name: 'Henk Bakker' },
        changeNote: 'Taalcorrecties.',
      },
      {
        version: '2.0',
        major: true,
        publishedAt: '2026-01-10T10:00:00Z',
        author: { id: 'u-ilse', name: 'Ilse Dekker' },
        reviewer: { id: 'u-henk', name: 'Henk Bakker' },
        changeNote: 'Nieuwe richtlijn wisselligging.',
      },
    ],
    canEdit: false,
    canReview: false,
    canReport: false,
    ...overrides,
  };
}

/** The same article as an editor sees it: with the working copy. */
export function editorArticle(overrides: Partial<Article> = {}): Article {
  const a = article({ canEdit: true, canReview: true, canReport: true });
  return {
    ...a,
    draft: {
      revision: 4,
      status: 'concept',
      title: a.title,
      summary: a.summary,
      category: a.category,
      type: a.type,
      tags: a.tags,
      owner: a.owner,
      audience: a.audience,
      body: a.body,
      requiresConfirmation: true,
      reviewDue: a.reviewDue,
      related: ['huidletsel'],
      externalUrl: '',
      author: { id: 'u-ilse', name: 'Ilse Dekker' },
      updatedAt: '2026-04-01T09:00:00Z',
      changeNote: '',
      major: false,
    },
    ...overrides,
  };
}

export const report: ConfirmationReport = {
  article: { id: 'decubitus', title: 'Decubitus: preventie en wondzorg', version: '2.1' },
  teams: [
    {
      team: { id: 'den-helder-centrum', name: 'Den Helder-Centrum' },
      regionId: 'den-helder',
      members: 3,
      confirmed: 2,
      rate: 2 / 3,
      missing: [{ id: 'u-bram', name: 'Bram Jansen' }],
    },
    {
      team: { id: 'julianadorp', name: 'Julianadorp' },
      regionId: 'den-helder',
      members: 2,
      confirmed: 2,
      rate: 1,
      missing: [],
    },
  ],
  total: { members: 5, confirmed: 4, rate: 0.8 },
};

export function feedback(overrides: Partial<Feedback> = {}): Feedback {
  return {
    id: 'fb1',
    articleId: 'decubitus',
    articleTitle: 'Decubitus: preventie en wondzorg',
    kind: 'question',
    text: 'Geldt dit ook voor de nacht?',
    author: { id: 'u-anouk', name: 'Anouk de Vries' },
    createdAt: '2026-04-02T08:00:00Z',
    ...overrides,
  };
}

// ---------- fetch mock ----------

export type Reply = { status?: number; body?: unknown; contentType?: string };
export interface MockRequest {
  url: URL;
  method: string;
  init: RequestInit;
  /** Parsed JSON body (undefined for GET and FormData). */
  json: unknown;
}
export type Handler = Reply | ((request: MockRequest) => Reply | Promise<Reply>);

function toResponse({ status = 200, body = {}, contentType }: Reply): Response {
  const type = contentType ?? (status >= 400 ? 'application/problem+json' : 'application/json');
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}

/**
 * Stubs fetch with a table of "METHOD /path" (or "/path" for GET) → reply.
 * A key may include the query string for an exact match; otherwise the
 * handler gets the parsed URL. Async handlers honour the abort signal the
 * way the browser's fetch does. Unknown requests answer 404.
 */
export function mockApi(table: Record<string, Handler>) {
  const requests: MockRequest[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(raw, 'http://plein.test');
    const method = (init.method ?? 'GET').toUpperCase();
    let json: unknown;
    if (typeof init.body === 'string') json = JSON.parse(init.body);
    const request: MockRequest = { url, method, init, json };
    requests.push(request);
    const full = `${url.pathname}${url.search}`;
    const handler =
      table[`${method} ${full}`] ??
      table[`${method} ${url.pathname}`] ??
      (method === 'GET' ? (table[full] ?? table[url.pathname]) : undefined);
    if (!handler) return toResponse({ status: 404, body: { title: 'Not found', status: 404 } });
    const signal = init.signal;
    if (signal?.aborted) throw new DOMException('Aborted', 'AbortError');
    const reply = typeof handler === 'function' ? handler(request) : handler;
    if (!(reply instanceof Promise)) return toResponse(reply);
    return new Promise<Response>((resolve, reject) => {
      signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')));
      reply.then((r) => resolve(toResponse(r)), reject);
    });
  });
  vi.stubGlobal('fetch', fn);
  const calls = (method: string, pathname: string) => requests.filter((r) => r.method === method && r.url.pathname === pathname);
  return { fn, requests, calls };
}

/** What every knowledge page needs, for a reader (Anouk) unless overridden. */
export function baseTable(session: Session = anouk, m: Meta = meta): Record<string, Handler> {
  return {
    '/api/v1/session': { body: session },
    '/api/v1/knowledge/meta': { body: m },
    '/api/v1/knowledge/confirmations/pending': { body: { items: [] } },
    '/api/v1/knowledge/articles': { body: { items: [], total: 0 } },
    '/api/v1/regions': { body: { items: regions } },
    '/api/v1/teams': { body: { items: teams } },
  };
}

/** A deferred reply a test resolves when it wants. */
export function deferred() {
  let resolve: (reply: Reply) => void = () => {};
  const promise = new Promise<Reply>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Renders the app with the knowledge routes under the session gate (the
 * same tree App.tsx builds once the route is wired), plus /nav-test with
 * the navigation item on its own.
 */
export function renderKnowledge(path: string) {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const routes: RouteObject[] = [
    {
      path: '/',
      element: <SessionGate />,
      children: [knowledgeRoute, { path: 'nav-test', element: <KnowledgeNavItem /> }, { path: '*', element: <NotFoundPage /> }],
    },
  ];
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const result = render(<App queryClient={queryClient} router={router} />);
  return { ...result, router, queryClient };
}
