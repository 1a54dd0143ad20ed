import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { qs } from '../spaces/http';
import type { AccessLogPage, AccessLogQuery } from './types';

/** Entries per page (the server allows 1..200, default 50). */
export const PAGE_LIMIT = 50;

export const accessLogKeys = {
  all: ['access-log'] as const,
  list: (query: AccessLogQuery) => ['access-log', query] as const,
};

/** The URL of one page: empty filters are left out, `before` is the previous page's `next`. */
export function accessLogPath(query: AccessLogQuery, before?: string): string {
  return `/access-log${qs({
    from: query.from,
    to: query.to,
    user: query.user,
    action: query.action,
    subject: query.subject,
    before,
    limit: PAGE_LIMIT,
  })}`;
}

/**
 * The review's pages, newest first ("Meer laden" fetches older ones).
 * Only for administrators: pass `enabled: false` for anyone else so no
 * request is made. Every request is itself recorded by the server, and the
 * answer is personal data sent with no-store: nothing is kept once the page
 * is left (gcTime 0) and nothing is refetched behind the reviewer's back.
 */
export function useAccessLog(query: AccessLogQuery, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: accessLogKeys.list(query),
    queryFn: ({ signal, pageParam }) => api.get<AccessLogPage>(accessLogPath(query, pageParam), signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next || undefined,
    enabled,
    staleTime: 0,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}
