import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { API, jsonBody, mockApi, requestOf } from '../spaces/testing';
import { pushLanguage, useSyncPushLanguage } from './push';

describe('push language', () => {
  it('maps the app language to a push language', () => {
    expect(pushLanguage('en')).toBe('en');
    expect(pushLanguage('en-GB')).toBe('en');
    expect(pushLanguage('nl')).toBe('nl');
    expect(pushLanguage('fr')).toBe('nl');
  });

  it('tells the server when the person switches NL/EN, not at start', async () => {
    const settings = { quietHours: { enabled: false, from: '22:00', to: '07:00', timeZone: 'Europe/Amsterdam' }, language: 'en' };
    const fetchMock = mockApi({ [`PUT ${API}/push/settings`]: { body: settings } });
    const client = new QueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const { rerender } = renderHook(({ lang }) => useSyncPushLanguage(lang), { wrapper, initialProps: { lang: 'nl' } });
    rerender({ lang: 'nl' });
    expect(() => requestOf(fetchMock, `PUT ${API}/push/settings`)).toThrow();
    rerender({ lang: 'en' });
    await waitFor(() => expect(jsonBody(requestOf(fetchMock, `PUT ${API}/push/settings`))).toEqual({ language: 'en' }));
    await waitFor(() => expect(client.getQueryData(['push', 'settings'])).toEqual(settings));
  });
});
