import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { http, qs } from '../spaces/http';
import type { NotificationPage, NotificationPrefs } from './types';

/** How often the unread count is polled while the tab is visible (live frames make it instant when available). */
export const POLL_INTERVAL = 30_000;
export const BELL_LIMIT = 10;
export const PAGE_LIMIT = 30;

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: () => ['notifications', 'unread'] as const,
  latest: () => ['notifications', 'latest'] as const,
  list: () => ['notifications', 'list'] as const,
  prefs: () => ['notifications', 'prefs'] as const,
};

const fetchPage = (params: { before?: string; limit: number }, signal?: AbortSignal) =>
  http.get<NotificationPage>(`/notifications${qs(params)}`, signal);

/** The unread count for the bell: GET /notifications?limit=1, polled and refetched on focus. */
export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unread(),
    queryFn: ({ signal }) => fetchPage({ limit: 1 }, signal),
    select: (page) => page.unread,
    refetchInterval: POLL_INTERVAL,
    refetchOnWindowFocus: 'always',
    staleTime: 0,
  });
}

/** The latest notifications for the bell's popover. */
export function useLatestNotifications(enabled: boolean) {
  const client = useQueryClient();
  return useQuery({
    queryKey: notificationKeys.latest(),
    queryFn: async ({ signal }) => {
      const page = await fetchPage({ limit: BELL_LIMIT }, signal);
      setUnread(client, page.unread);
      return page;
    },
    enabled,
    staleTime: 0,
  });
}

/** The notification centre's pages (newest first, `next` cursor). */
export function useNotificationPages() {
  const client = useQueryClient();
  return useInfiniteQuery({
    queryKey: notificationKeys.list(),
    queryFn: async ({ signal, pageParam }) => {
      const page = await fetchPage({ before: pageParam, limit: PAGE_LIMIT }, signal);
      if (!pageParam) setUnread(client, page.unread);
      return page;
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next || undefined,
    staleTime: 0,
  });
}

export function setUnread(client: QueryClient, unread: number): void {
  client.setQueryData<NotificationPage>(notificationKeys.unread(), (old) => ({ items: old?.items ?? [], ...old, unread }));
}

/** Mark items read in every cached list (all when `ids` is "all"). */
function markInCaches(client: QueryClient, ids: string[] | 'all'): void {
  const isRead = (id: string) => ids === 'all' || ids.includes(id);
  const markPage = (page: NotificationPage): NotificationPage => ({
    ...page,
    items: page.items.map((n) => (isRead(n.id) && !n.read ? { ...n, read: true } : n)),
  });
  client.setQueryData<NotificationPage>(notificationKeys.latest(), (old) => (old ? markPage(old) : old));
  client.setQueryData<InfiniteData<NotificationPage>>(notificationKeys.list(), (old) =>
    old ? { ...old, pages: old.pages.map(markPage) } : old,
  );
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (what: { ids: string[] } | { all: true }) => http.post<{ unread: number }>('/notifications/read', what),
    onMutate: (what) => markInCaches(client, 'all' in what ? 'all' : what.ids),
    onSuccess: (result) => {
      if (result && typeof result.unread === 'number') setUnread(client, result.unread);
    },
    onError: () => client.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function usePreferences() {
  return useQuery({
    queryKey: notificationKeys.prefs(),
    queryFn: ({ signal }) => http.get<NotificationPrefs>('/notifications/preferences', signal),
  });
}

export function useSavePreferences() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (prefs: NotificationPrefs) => http.put<NotificationPrefs>('/notifications/preferences', prefs),
    onSuccess: (prefs) => client.setQueryData(notificationKeys.prefs(), prefs),
  });
}
