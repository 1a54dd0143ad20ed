import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isOfflineRead } from '../../scripts/pwa';
import { OfflineStatus, SavedCopyNote } from '../components/OfflineStatus';
import { browser } from './browser';
import { anouk, regions } from '../test/fixtures';
import { mockFetch, renderApp } from '../test/utils';
import { clearOfflineData, noteAnswer, OFFLINE_USER_MAX_AGE_MS, offlineUser, sessionSeen, updateWaiting } from './offline';

/** A stand-in for Cache Storage (jsdom has none): names only. */
function fakeCaches(names: string[]) {
  const store = new Set(names);
  const api = {
    keys: vi.fn(async () => [...store]),
    delete: vi.fn(async (name: string) => store.delete(name)),
    has: (name: string) => store.has(name),
  };
  vi.stubGlobal('caches', api);
  return api;
}

function setOnline(value: boolean) {
  Object.defineProperty(window.navigator, 'onLine', { configurable: true, get: () => value });
  window.dispatchEvent(new Event(value ? 'online' : 'offline'));
}

const sanne = { ...anouk.user, id: 'u-sanne', name: 'Sanne Bakker' };

describe('offline copies', () => {
  beforeEach(() => setOnline(true));
  afterEach(() => {
    setOnline(true);
    void clearOfflineData();
  });

  it('keeps only the listed API reads', () => {
    for (const path of [
      '/knowledge/articles/wondzorg-basis',
      '/knowledge/articles?limit=20',
      '/knowledge/confirmations/pending',
      '/teams/den-helder-centrum',
      '/spaces/den-helder-centrum',
      '/spaces/den-helder-centrum/posts?pinned=true&limit=20',
      '/spaces/den-helder-centrum/events?from=2026-12-07&to=2027-01-04',
    ]) {
      expect(isOfflineRead(path), path).toBe(true);
    }
    for (const path of [
      '/session',
      '/auth/logout',
      '/knowledge/articles/wondzorg-basis/attachments/a1',
      '/knowledge/articles/wondzorg-basis/report.csv',
      '/knowledge/search?q=wond',
      '/spaces/den-helder-centrum/posts?limit=20',
      '/spaces/den-helder-centrum/documents/d1/download',
      '/chat/channels',
      '/notifications',
    ]) {
      expect(isOfflineRead(path), path).toBe(false);
    }
  });

  it('remembers the last person for 72 hours, then no longer', async () => {
    fakeCaches([]);
    await sessionSeen(anouk.user);
    expect(offlineUser()?.id).toBe(anouk.user.id);
    expect(offlineUser(Date.now() + OFFLINE_USER_MAX_AGE_MS - 60_000)?.id).toBe(anouk.user.id);
    expect(offlineUser(Date.now() + OFFLINE_USER_MAX_AGE_MS + 60_000)).toBeUndefined();
  });

  it('removes the previous person’s copies when someone else signs in, and keeps the app shell', async () => {
    const storage = fakeCaches(['workbox-precache-v2-http://plein.test/', 'plein-api']);
    await sessionSeen(anouk.user);
    expect(storage.has('plein-api')).toBe(true); // same person, nothing removed
    await sessionSeen(anouk.user);
    expect(storage.delete).not.toHaveBeenCalled();
    await sessionSeen(sanne);
    expect(storage.has('plein-api')).toBe(false);
    expect(storage.has('workbox-precache-v2-http://plein.test/')).toBe(true);
    expect(offlineUser()?.id).toBe('u-sanne');
  });

  it('shows "Bijgewerkt op" for an answer from the offline copy, and not for a fresh one', () => {
    render(
      createElement(QueryClientProvider, { client: new QueryClient() }, createElement(SavedCopyNote, { path: '/knowledge/articles/a1' })),
    );
    expect(screen.queryByTestId('saved-copy')).not.toBeInTheDocument();
    act(() => noteAnswer('/knowledge/articles/a1', 'Mon, 07 Dec 2026 08:05:00 GMT'));
    expect(screen.getByTestId('saved-copy')).toHaveTextContent(/^Bijgewerkt op 7 december( om)? \d{2}:05$/);
    act(() => noteAnswer('/knowledge/articles/a1', null));
    expect(screen.queryByTestId('saved-copy')).not.toBeInTheDocument();
  });

  it('opens offline for the last person, with the offline notice', async () => {
    fakeCaches(['plein-api']);
    await sessionSeen(anouk.user);
    setOnline(false);
    const fetchMock = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    vi.stubGlobal('fetch', fetchMock);
    renderApp('/');
    expect(await screen.findByTestId('user-name')).toHaveTextContent('Anouk de Vries');
    expect(screen.getByTestId('offline-notice')).toHaveTextContent('Je bent offline — je ziet de laatst bewaarde versie');
    expect(screen.getByTestId('offline-status')).toHaveAttribute('role', 'status');
  });

  it('does not open offline for nobody: without a remembered person the error shows', async () => {
    setOnline(false);
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    renderApp('/');
    expect(await screen.findByRole('alert')).toHaveTextContent('Plein is niet bereikbaar');
    expect(screen.queryByTestId('user-name')).not.toBeInTheDocument();
  });

  it('removes the copies when the server says the session ended (401)', async () => {
    const storage = fakeCaches(['plein-api']);
    await sessionSeen(anouk.user);
    mockFetch({ '/api/v1/session': { status: 401, body: { title: 'Niet ingelogd', status: 401 } } });
    renderApp('/');
    await screen.findByTestId('login-button');
    expect(storage.has('plein-api')).toBe(false);
    expect(offlineUser()).toBeUndefined();
  });

  it('removes the copies at logout, even when the logout request fails', async () => {
    const storage = fakeCaches(['plein-api']);
    mockFetch({
      '/api/v1/session': { body: anouk },
      '/api/v1/regions': { body: { items: regions } },
      'POST /api/v1/auth/logout': { status: 503, body: { code: 'unavailable', title: 'Unavailable', status: 503 } },
    });
    const navigate = vi.spyOn(browser, 'navigate').mockImplementation(() => {});
    renderApp('/');
    await screen.findByTestId('user-name');
    expect(offlineUser()?.id).toBe(anouk.user.id);
    await userEvent.click(screen.getByTestId('user-menu-button'));
    await userEvent.click(screen.getByTestId('logout-button'));
    expect(await screen.findByText('Uitloggen is niet gelukt')).toBeInTheDocument();
    expect(storage.has('plein-api')).toBe(false);
    expect(offlineUser()).toBeUndefined();
    expect(navigate).not.toHaveBeenCalled();
  });
});

describe('update prompt', () => {
  it('offers "Vernieuwen" when a new version waits, and installs it when chosen', async () => {
    render(createElement(OfflineStatus));
    expect(screen.getByTestId('offline-status')).toBeEmptyDOMElement();
    const apply = vi.fn();
    act(() => updateWaiting(apply));
    expect(screen.getByTestId('update-prompt')).toHaveTextContent('Er is een nieuwe versie');
    await userEvent.click(screen.getByRole('button', { name: 'Vernieuwen' }));
    expect(apply).toHaveBeenCalledTimes(1);
  });
});
