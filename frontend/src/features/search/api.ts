import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { http } from '../spaces/http';
import { SEARCH_TYPES, type SearchResponse, type SearchType } from './types';

export const FIRST_LIMIT = 5;
export const MORE_LIMIT = 20;

export const searchKeys = {
  all: ['search'] as const,
  query: (q: string) => ['search', q] as const,
  more: (q: string, type: SearchType, start: number) => ['search', q, 'more', type, start] as const,
};

/** GET /search?q=…&types=a,b&limit=n[&offset=m] (types joined with plain commas). */
export function searchPath(q: string, types: readonly SearchType[], limit: number, offset?: number): string {
  let path = `/search?q=${encodeURIComponent(q)}&types=${types.map(encodeURIComponent).join(',')}&limit=${limit}`;
  if (offset !== undefined) path += `&offset=${offset}`;
  return path;
}

/** The first results of every type for a query. */
export function useSearch(q: string) {
  return useQuery({
    queryKey: searchKeys.query(q),
    queryFn: ({ signal }) => http.get<SearchResponse>(searchPath(q, SEARCH_TYPES, FIRST_LIMIT), signal),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** "Meer": further results of one type, starting after the `start` already shown. */
export function useSearchMore(q: string, type: SearchType, start: number, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: searchKeys.more(q, type, start),
    queryFn: ({ signal, pageParam }) => http.get<SearchResponse>(searchPath(q, [type], MORE_LIMIT, pageParam), signal),
    initialPageParam: start,
    getNextPageParam: (last, _all, lastOffset) => {
      const group = last.groups.find((g) => g.type === type);
      if (!group || group.items.length === 0) return undefined;
      const next = lastOffset + group.items.length;
      return next < group.total ? next : undefined;
    },
    enabled,
    staleTime: 30_000,
  });
}
