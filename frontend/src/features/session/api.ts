import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError, setCsrfToken } from '../../api/client';
import type { LogoutResponse, Session } from '../../api/types';
import { browser } from '../../lib/browser';
import { clearOfflineData, offlineUser, sessionSeen } from '../../lib/offline';
import { turnOffPushHere } from '../../lib/pushOff';
import { SESSION_QUERY_KEY } from '../../lib/sessionKey';
import { safeReturnPath } from '../../lib/text';

export { SESSION_QUERY_KEY };

export async function fetchSession(signal?: AbortSignal): Promise<Session> {
  const session = await api.get<Session>('/session', signal);
  setCsrfToken(session.csrfToken);
  return session;
}

/**
 * The session, or offline the last signed-in person (docs/security.md,
 * "Offline copies"): without a network the app opens with what was read
 * before. `offline: true` marks that stand-in; it has no CSRF token, and
 * the session is asked again as soon as the network is back.
 */
async function sessionOrOffline(signal?: AbortSignal): Promise<Session> {
  try {
    const session = await fetchSession(signal);
    await sessionSeen(session.user);
    return session;
  } catch (error) {
    if (isApiError(error) && error.isNetworkError) {
      const user = offlineUser();
      if (user) return { user, csrfToken: '', offline: true };
    }
    // The server says nobody is signed in: what was kept offline is not theirs to see.
    if (isApiError(error) && error.isUnauthorized) await clearOfflineData();
    throw error;
  }
}

/** The current session; errors with ApiError(401) when logged out. */
export function useSession() {
  return useQuery({
    queryKey: SESSION_QUERY_KEY,
    queryFn: ({ signal }) => sessionOrOffline(signal),
    staleTime: (query) => (query.state.data?.offline ? 0 : 5 * 60_000),
    refetchOnWindowFocus: true,
    // Ask even while the browser says it is offline: the offline stand-in
    // comes from the failed request. Back online, ask again at once.
    networkMode: 'always',
    refetchOnReconnect: 'always',
  });
}

/** The logged-in user. Only use below the session gate, where a session is guaranteed. */
export function useCurrentUser() {
  const { data } = useSession();
  if (!data) throw new Error('useCurrentUser used outside of an authenticated area');
  return data.user;
}

export function loginUrl(returnTo: string): string {
  return `/auth/login?return_to=${encodeURIComponent(safeReturnPath(returnTo))}`;
}

/** Full-page navigation to the server's login endpoint, returning to the current page afterwards. */
export function startLogin(returnTo: string): void {
  browser.navigate(loginUrl(returnTo));
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    // The offline copies and this device's push subscription go first, so
    // they are gone even when the request fails (offline). The server also
    // removes the device turned on in this session when the session ends.
    mutationFn: async () => {
      await Promise.all([clearOfflineData(), turnOffPushHere()]);
      return api.post<LogoutResponse>('/auth/logout');
    },
    onSuccess: (result) => {
      setCsrfToken(null);
      queryClient.clear();
      browser.navigate(result && typeof result.redirect === 'string' && result.redirect ? result.redirect : '/');
    },
  });
}
