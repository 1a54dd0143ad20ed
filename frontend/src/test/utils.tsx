import { render } from '@testing-library/react';
import { createMemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { App, routes } from '../App';
import { createQueryClient } from '../lib/queryClient';

export type MockResponse = { status?: number; body?: unknown; contentType?: string };
export type MockHandler = MockResponse | ((request: { url: string; init: RequestInit }) => MockResponse);

function toResponse({ status = 200, body = {}, contentType }: MockResponse): Response {
  const type = contentType ?? (status >= 400 ? 'application/problem+json' : 'application/json');
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': type },
  });
}

/**
 * Stub global fetch with a table of "METHOD /path" (or "/path" for GET) → response.
 * Unknown requests answer 404 problem+json. Returns the vi.fn for assertions.
 */
export function mockFetch(table: Record<string, MockHandler>) {
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = url.replace(/^https?:\/\/[^/]+/, '');
    const method = (init.method ?? 'GET').toUpperCase();
    const handler = table[`${method} ${path}`] ?? (method === 'GET' ? table[path] : undefined);
    if (!handler) return toResponse({ status: 404, body: { title: 'Not found', status: 404 } });
    return toResponse(typeof handler === 'function' ? handler({ url: path, init }) : handler);
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

export function renderApp(path = '/') {
  const queryClient = createQueryClient();
  // No retries in tests so errors show up at once.
  queryClient.setDefaultOptions({
    queries: { ...queryClient.getDefaultOptions().queries, retry: false },
  });
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const result = render(<App queryClient={queryClient} router={router} />);
  return { ...result, router, queryClient };
}

/** A nested i18n bundle as flat keys: { a: { b: 'x' } } → { 'a.b': 'x' }. */
export function flattenBundle(value: unknown, prefix = ''): Record<string, unknown> {
  if (value && typeof value === 'object') {
    return Object.entries(value).reduce<Record<string, unknown>>(
      (acc, [k, v]) => ({ ...acc, ...flattenBundle(v, prefix ? `${prefix}.${k}` : k) }),
      {},
    );
  }
  return { [prefix]: value };
}

/**
 * Whether a key the code asks for (`<feature>.a.b`, the feature's prefix
 * included) is in a flattened bundle, as a string or as plural forms.
 */
export function bundleHasKey(bundle: Record<string, unknown>, feature: string, key: string): boolean {
  const k = key.startsWith(`${feature}.`) ? key.slice(feature.length + 1) : key;
  return typeof bundle[k] === 'string' || (typeof bundle[`${k}_one`] === 'string' && typeof bundle[`${k}_other`] === 'string');
}
