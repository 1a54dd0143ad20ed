import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchSession } from '../features/session/api';
import html from '../../index.html?raw';

// index.html asks for the session while the scripts load (docs/performance.md,
// "The session with the page"). The browser hands that answer to the app's
// own request only when both are the same request: the same URL, the same
// mode and credentials mode, no other headers. Otherwise the session is
// fetched twice, and nothing else would say so.

function preloadLinks(): Element[] {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return [...doc.querySelectorAll('link[rel="preload"][as="fetch"]')];
}

describe('the session preload in index.html', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is one link in the head, before any script, without credentials beyond same-origin', () => {
    const links = preloadLinks();
    expect(links.map((l) => l.getAttribute('href'))).toEqual(['/api/v1/session']);
    // crossorigin="anonymous" is a CORS-mode request with "same-origin" credentials: fetch()'s own.
    expect(links[0]!.getAttribute('crossorigin')).toBe('anonymous');
    expect(links[0]!.parentElement?.tagName).toBe('HEAD');
    expect(html.indexOf('rel="preload"')).toBeLessThan(html.indexOf('<script'));
  });

  it('matches the request the app makes for the session', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ csrfToken: 't', user: {} }), { status: 200, headers: { 'Content-Type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchMock);
    await fetchSession();
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(preloadLinks()[0]!.getAttribute('href'));
    expect(init.method ?? 'GET').toBe('GET');
    expect(init.credentials).toBe('same-origin');
    expect(init.mode ?? 'cors').toBe('cors');
    // Accept is the one header Chromium, WebKit and Gecko all let differ; any other breaks the match.
    expect(Object.keys(init.headers ?? {})).toEqual(['Accept']);
  });
});
