import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ErasureJob, PersonalDataExport, RetentionRule } from './types';

export const privacyKeys = {
  myExport: ['privacy', 'me'] as const,
  erasures: ['privacy', 'erasures'] as const,
  retention: ['privacy', 'retention'] as const,
};

/** The download link of one's own export (the server sends it as an attachment). */
export const MY_EXPORT_DOWNLOAD = '/api/v1/me/export?download=1';

/** The download link of a person's export (administrators). */
export function userExportDownload(userId: string): string {
  return `/api/v1/users/${encodeURIComponent(userId)}/export?download=1`;
}

/**
 * Everything Plein holds about me. Each request is recorded in the access
 * log and reads much of the store, so it is fetched once per visit: not
 * kept after the page is left, not refetched behind the reader's back.
 */
export function useMyExport() {
  return useQuery({
    queryKey: privacyKeys.myExport,
    queryFn: ({ signal }) => api.get<PersonalDataExport>('/me/export', signal),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

export function useErasures(enabled: boolean) {
  return useQuery({
    queryKey: privacyKeys.erasures,
    queryFn: ({ signal }) => api.get<{ items: ErasureJob[] }>('/privacy/erasures', signal).then((r) => r.items),
    enabled,
  });
}

export function useRetention(enabled: boolean) {
  return useQuery({
    queryKey: privacyKeys.retention,
    queryFn: ({ signal }) => api.get<{ items: RetentionRule[] }>('/privacy/retention', signal).then((r) => r.items),
    enabled,
    staleTime: 5 * 60_000,
  });
}

export function useErase() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, confirmName }: { userId: string; confirmName: string }) =>
      api.post<ErasureJob>(`/users/${encodeURIComponent(userId)}/erase`, { confirmName }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: privacyKeys.erasures }),
  });
}
