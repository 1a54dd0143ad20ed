import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../api/client';
import type { LogoutResponse, Session } from '../../api/types';
import { browser } from '../../lib/browser';
import { safeReturnPath } from '../../lib/text';

export const SESSION_QUERY_KEY = ['session'] as const;

export async function fetchSession(signal?: AbortSignal): Promise<Session> {
  const session = await api.get<Session>('/session', signal);
  setCsrfToken(session.csrfToken);
  return session;
}

/** The current session; errors with ApiError(401) when logged out. */
export function useSession() {
  return useQuery({
    queryKey: SESSION_QUERY_KEY,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: true,
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
    mutationFn: () => api.post<LogoutResponse>('/auth/logout'),
    onSuccess: (result) => {
      setCsrfToken(null);
      queryClient.clear();
      browser.navigate(result && typeof result.redirect === 'string' && result.redirect ? result.redirect : '/');
    },
  });
}
