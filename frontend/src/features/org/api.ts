import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ListResponse, RegionDetail, RegionSummary, TeamDetail, TeamSummary } from '../../api/types';

export const orgKeys = {
  regions: () => ['regions'] as const,
  region: (id: string) => ['regions', id] as const,
  teams: (regionId?: string) => ['teams', 'list', regionId ?? 'all'] as const,
  team: (id: string) => ['teams', 'detail', id] as const,
};

export function useRegions() {
  return useQuery({
    queryKey: orgKeys.regions(),
    queryFn: ({ signal }) => api.get<ListResponse<RegionSummary>>('/regions', signal),
    select: (data) => data.items,
  });
}

export function useRegion(id: string) {
  return useQuery({
    queryKey: orgKeys.region(id),
    queryFn: ({ signal }) => api.get<RegionDetail>(`/regions/${encodeURIComponent(id)}`, signal),
  });
}

export function useTeams(regionId?: string) {
  return useQuery({
    queryKey: orgKeys.teams(regionId),
    queryFn: ({ signal }) =>
      api.get<ListResponse<TeamSummary>>(
        regionId ? `/teams?region=${encodeURIComponent(regionId)}` : '/teams',
        signal,
      ),
    select: (data) => data.items,
  });
}

export function useTeam(id: string) {
  return useQuery({
    queryKey: orgKeys.team(id),
    queryFn: ({ signal }) => api.get<TeamDetail>(`/teams/${encodeURIComponent(id)}`, signal),
  });
}
