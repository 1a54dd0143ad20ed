import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ListResponse, RegionSummary, TeamDetail, TeamSummary } from '../../api/types';
import { orgKeys } from '../org/api';
import { http, qs, seg } from '../spaces/http';
import type { AdminUser, ChangePage } from './types';

export const adminKeys = {
  users: (q: string) => ['admin', 'users', q] as const,
  user: (id: string) => ['admin', 'user', id] as const,
  changes: ['admin', 'changes'] as const,
};

/** People matching q (name or e-mail; the server returns at most 100). */
export function useAdminUsers(q: string, enabled = true) {
  return useQuery({
    queryKey: adminKeys.users(q),
    queryFn: ({ signal }) => http.get<ListResponse<AdminUser>>(`/users${qs({ q })}`, signal),
    select: (d) => d.items,
    enabled,
    placeholderData: (prev) => prev,
  });
}

export function useAdminUser(id: string) {
  return useQuery({
    queryKey: adminKeys.user(id),
    queryFn: ({ signal }) => http.get<AdminUser>(`/users/${seg(id)}`, signal),
  });
}

/** The change log, newest first ("Meer laden" fetches older pages). Personal data: not kept once left. */
export function useChanges() {
  return useInfiniteQuery({
    queryKey: adminKeys.changes,
    queryFn: ({ signal, pageParam }) => http.get<ChangePage>(`/admin/changes${qs({ before: pageParam, limit: 50 })}`, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next || undefined,
    staleTime: 0,
    gcTime: 0,
  });
}

/** After any change: the organisation, people and the change log are read again. */
function useInvalidateAll() {
  const qc = useQueryClient();
  return async () => {
    await Promise.all([
      qc.invalidateQueries({ queryKey: orgKeys.regions() }),
      qc.invalidateQueries({ queryKey: ['teams'] }),
      qc.invalidateQueries({ queryKey: ['admin'] }),
      qc.invalidateQueries({ queryKey: ['session'] }),
    ]);
  };
}

export interface RegionInput {
  id: string;
  name: string;
}

export function useCreateRegion() {
  const done = useInvalidateAll();
  return useMutation({ mutationFn: (in_: RegionInput) => http.post<RegionSummary>('/regions', in_), onSuccess: done });
}

export function useRenameRegion() {
  const done = useInvalidateAll();
  return useMutation({
    mutationFn: ({ id, name }: RegionInput) => http.patch<unknown>(`/regions/${seg(id)}`, { name }),
    onSuccess: done,
  });
}

export interface TeamInput {
  id: string;
  regionId: string;
  name: string;
  workingArea: string[];
  description: string;
  contact: { phone: string; email: string };
  /** The writer saw the client-data warning and saves anyway. */
  acknowledgeIdentifiers?: boolean;
}

export function useCreateTeam() {
  const done = useInvalidateAll();
  return useMutation({ mutationFn: (in_: TeamInput) => http.post<TeamDetail>('/teams', in_), onSuccess: done });
}

export function useUpdateTeam(id: string) {
  const done = useInvalidateAll();
  return useMutation({
    mutationFn: (p: Omit<TeamInput, 'id'>) => http.patch<TeamDetail>(`/teams/${seg(id)}`, p),
    onSuccess: done,
  });
}

/** Every team, archived ones too (marked): Beheer's list, where one is restored. */
export function useAdminTeams() {
  return useQuery({
    queryKey: ['teams', 'list', 'with-archived'] as const,
    queryFn: ({ signal }) => http.get<ListResponse<TeamSummary>>('/teams?archived=true', signal),
    select: (d) => d.items,
  });
}

/** Archives (true) or restores (false) a team. */
export function useSetArchived(teamId: string) {
  const done = useInvalidateAll();
  return useMutation({
    mutationFn: (archived: boolean) => http.put<TeamDetail>(`/teams/${seg(teamId)}/archive`, { archived }),
    onSuccess: done,
  });
}

export function useSetMember(teamId: string) {
  const done = useInvalidateAll();
  return useMutation({
    mutationFn: ({ userId, teamRoles }: { userId: string; teamRoles: string[] }) =>
      http.put<TeamDetail>(`/teams/${seg(teamId)}/members/${seg(userId)}`, { teamRoles }),
    onSuccess: done,
  });
}

export function useRemoveMember(teamId: string) {
  const done = useInvalidateAll();
  return useMutation({
    mutationFn: (userId: string) => http.del(`/teams/${seg(teamId)}/members/${seg(userId)}`),
    onSuccess: done,
  });
}

export function useSetRoles(userId: string) {
  const done = useInvalidateAll();
  return useMutation({
    mutationFn: (roles: string[]) => http.put<AdminUser>(`/users/${seg(userId)}/roles`, { roles }),
    onSuccess: done,
  });
}

export function useSetActive(userId: string) {
  const done = useInvalidateAll();
  return useMutation({
    mutationFn: (active: boolean) => http.put<AdminUser>(`/users/${seg(userId)}/active`, { active }),
    onSuccess: done,
  });
}

export function useEndSessions(userId: string) {
  const done = useInvalidateAll();
  return useMutation({ mutationFn: () => http.post<void>(`/users/${seg(userId)}/sessions/end`), onSuccess: done });
}
