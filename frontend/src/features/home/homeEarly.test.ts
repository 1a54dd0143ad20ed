import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import script from '../../../public/home-early.js?raw';
import type { Session } from '../../api/types';
import { anouk, regions } from '../../test/fixtures';
import { mockFetch, renderApp } from '../../test/utils';

// public/home-early.js preloads home's first requests while the scripts load
// (docs/performance.md, "Home's requests with the page"). The browser hands
// a preloaded answer to the app only for the very same request; a URL home
// no longer asks for, or asks for differently, would be fetched for nothing.

function runEarlyScript(path: string): HTMLLinkElement[] {
  window.history.pushState({}, '', path);
  const before = new Set(document.head.querySelectorAll('link'));
  new Function(script)();
  return [...document.head.querySelectorAll<HTMLLinkElement>('link')].filter((l) => !before.has(l));
}

afterEach(() => {
  for (const l of document.head.querySelectorAll('link[rel="preload"]')) l.remove();
  window.history.pushState({}, '', '/');
});

const teamless: Session = { ...anouk, user: { ...anouk.user, roles: ['beheerder'], teams: [] } };

describe("home's early requests", () => {
  it('preload nothing on any other page', () => {
    expect(runEarlyScript('/kennisbank')).toEqual([]);
    expect(runEarlyScript('/teams/den-helder-centrum')).toEqual([]);
  });

  for (const [who, session] of [
    ['a care worker in a team', anouk],
    ['an administrator without a team', teamless],
  ] as const) {
    it(`are each asked by home, the same way, for ${who}`, async () => {
      const links = runEarlyScript('/');
      expect(links.length).toBeGreaterThanOrEqual(3);
      for (const l of links) {
        expect([l.rel, l.as, l.crossOrigin]).toEqual(['preload', 'fetch', 'anonymous']);
      }
      const early = links.map((l) => l.getAttribute('href'));
      for (const l of links) l.remove();

      const fetchMock = mockFetch({
        '/api/v1/session': { body: session },
        '/api/v1/regions': { body: { items: regions } },
        '/api/v1/agenda?days=2': { body: { items: [] } },
      });
      renderApp('/');
      expect(await screen.findByRole('heading', { level: 1 })).toBeInTheDocument();
      await waitFor(() => {
        const asked = new Set(fetchMock.mock.calls.map(([url]) => String(url)));
        expect(early.filter((u) => !asked.has(u!))).toEqual([]);
      });
      for (const url of early) {
        const [, init] = fetchMock.mock.calls.find(([u]) => String(u) === url) as unknown as [string, RequestInit];
        // The preload's own request: GET, CORS mode, same-origin credentials, no header but Accept.
        expect([init.method ?? 'GET', init.mode ?? 'cors', init.credentials]).toEqual(['GET', 'cors', 'same-origin']);
        expect(Object.keys(init.headers ?? {})).toEqual(['Accept']);
      }
      if (session === anouk) expect(within(screen.getByTestId('home-agenda')).getByText('Niets gepland voor vandaag en morgen.')).toBeInTheDocument();
    });
  }
});
