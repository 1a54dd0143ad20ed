import { onlineManager, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '../api/client';
import { SESSION_QUERY_KEY } from './sessionKey';
import { isOnline } from './offline';

/** Query client with Plein's defaults: no retry on 4xx, session re-check on any 401. */
export function createQueryClient(): QueryClient {
  // TanStack Query assumes it starts online; a page opened offline (the
  // service worker's copy) must say so, or coming back online refetches nothing.
  onlineManager.setOnline(isOnline());
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        // A 401 anywhere means the session has ended: re-check it so the
        // session gate shows the login screen.
        if (isApiError(error) && error.isUnauthorized && query.queryKey[0] !== SESSION_QUERY_KEY[0]) {
          void client.invalidateQueries({ queryKey: SESSION_QUERY_KEY });
        }
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 60_000,
        gcTime: 10 * 60_000,
        // Try the request even offline: the service worker may answer from
        // its offline copy (scripts/pwa.ts). Without one, fail at once
        // rather than wait for a network that is not there.
        networkMode: 'offlineFirst',
        // Back online, what is on screen may be an offline copy: ask again.
        refetchOnReconnect: 'always',
        retry: (failureCount, error) => {
          if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
          if (isApiError(error) && error.isNetworkError && !isOnline()) return false;
          return failureCount < 2;
        },
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
