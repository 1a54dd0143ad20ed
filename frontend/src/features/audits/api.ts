import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiRequest, api, getCsrfToken } from '../../api/client';
import type { ListResponse, ProblemDetails } from '../../api/types';
import type { Action, ActionStatus, Audit, AuditHome, CriterionReport, Heatmap, Photo, RegionOverview, Round, RoundSummary, RoundView, TeamAudits, Template, ThemeRef } from './types';

export const auditKeys = {
  all: ['audits'] as const,
  home: () => ['audits', 'home'] as const,
  audit: (id: string) => ['audits', 'audit', id] as const,
  action: (id: string) => ['audits', 'action', id] as const,
  team: (id: string) => ['audits', 'team', id] as const,
  region: (id: string) => ['audits', 'region', id] as const,
  rounds: () => ['audits', 'rounds'] as const,
  roundsReport: (region?: string) => ['audits', 'report', 'rounds', region ?? ''] as const,
  heatmap: (round?: string) => ['audits', 'report', 'heatmap', round ?? ''] as const,
};

const enc = encodeURIComponent;

export function useAuditHome() {
  return useQuery({ queryKey: auditKeys.home(), queryFn: ({ signal }) => api.get<AuditHome>('/audits/mine', signal) });
}

export function useAudit(id: string) {
  return useQuery({ queryKey: auditKeys.audit(id), queryFn: ({ signal }) => api.get<Audit>(`/audits/${enc(id)}`, signal), enabled: Boolean(id) });
}

export function useAuditAction(id: string) {
  return useQuery({ queryKey: auditKeys.action(id), queryFn: ({ signal }) => api.get<Action>(`/audits/actions/${enc(id)}`, signal) });
}

export function useTeamAudits(teamId: string) {
  return useQuery({
    queryKey: auditKeys.team(teamId),
    queryFn: ({ signal }) => api.get<TeamAudits>(`/audits/teams/${enc(teamId)}`, signal),
    enabled: Boolean(teamId),
  });
}

export function useRegionOverview(regionId: string) {
  return useQuery({
    queryKey: auditKeys.region(regionId),
    queryFn: ({ signal }) => api.get<RegionOverview>(`/audits/regions/${enc(regionId)}`, signal),
  });
}

export function useRounds() {
  return useQuery({
    queryKey: auditKeys.rounds(),
    queryFn: ({ signal }) => api.get<ListResponse<Round>>('/audits/rounds', signal),
    select: (d) => d.items,
  });
}

export function useRoundsReport() {
  return useQuery({
    queryKey: auditKeys.roundsReport(),
    queryFn: ({ signal }) => api.get<{ items: RoundSummary[]; themes: ThemeRef[] }>('/audits/reports/rounds', signal),
  });
}

export function useHeatmap(round?: string) {
  return useQuery({
    queryKey: auditKeys.heatmap(round),
    queryFn: ({ signal }) => api.get<Heatmap>(`/audits/reports/heatmap${round ? `?round=${enc(round)}` : ''}`, signal),
  });
}

export function csvUrl(round?: string): string {
  return `/api/v1/audits/reports/export.csv${round ? `?round=${enc(round)}` : ''}`;
}

export function photoUrl(auditId: string, photoId: string): string {
  return `/api/v1/audits/${enc(auditId)}/photos/${enc(photoId)}`;
}

export function useFinishAudit(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (summary: string) => apiRequest<Audit>(`/audits/${enc(id)}/finish`, { method: 'POST', body: { summary } }),
    onSuccess: (audit) => {
      client.setQueryData(auditKeys.audit(id), audit);
      void client.invalidateQueries({ queryKey: auditKeys.all });
    },
  });
}

export interface ActionInput {
  clientId: string;
  criterion: string;
  title: string;
  ownerUserId?: string;
  ownerTeamRole?: string;
  due: string;
}

export function useCreateAction(auditId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ActionInput) => apiRequest<Action>(`/audits/${enc(auditId)}/actions`, { method: 'POST', body: input }),
    onSuccess: () => void client.invalidateQueries({ queryKey: auditKeys.all }),
  });
}

export function useUpdateAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; status: ActionStatus; evidence?: string; note?: string }) =>
      apiRequest<Action>(`/audits/actions/${enc(id)}`, { method: 'PATCH', body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: auditKeys.all }),
  });
}

async function readProblem(response: Response): Promise<ProblemDetails> {
  if (!/json/i.test(response.headers.get('Content-Type') ?? '')) return {};
  try {
    return (await response.json()) as ProblemDetails;
  } catch {
    return {};
  }
}

/** Uploads photo evidence (multipart/form-data); the client id makes a resend harmless. */
export async function uploadPhoto(auditId: string, criterion: string, clientId: string, file: File): Promise<Photo> {
  const body = new FormData();
  body.append('criterion', criterion);
  body.append('clientId', clientId);
  body.append('file', file, file.name);
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getCsrfToken();
  if (token) headers['X-CSRF-Token'] = token;
  let response: Response;
  try {
    response = await fetch(`/api/v1/audits/${enc(auditId)}/photos`, { method: 'POST', headers, body, credentials: 'same-origin' });
  } catch (cause) {
    throw new ApiError(0, {}, { cause });
  }
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  return (await response.json()) as Photo;
}

export function useRound(id: string) {
  return useQuery({ queryKey: ['audits', 'round', id], queryFn: ({ signal }) => api.get<RoundView>(`/audits/rounds/${enc(id)}`, signal) });
}

export function useCreateRound() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { type: string; quarter: string }) => apiRequest<RoundView>('/audits/rounds', { method: 'POST', body: input }),
    onSuccess: () => void client.invalidateQueries({ queryKey: auditKeys.all }),
  });
}

export function useSetAssignments(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (assignments: { teamId: string; auditorId: string }[]) =>
      apiRequest<RoundView>(`/audits/rounds/${enc(id)}/assignments`, { method: 'PUT', body: { assignments } }),
    onSuccess: (v) => client.setQueryData(['audits', 'round', id], v),
  });
}

export function useOpenRound(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<RoundView>(`/audits/rounds/${enc(id)}/open`, { method: 'POST' }),
    onSuccess: (v) => {
      client.setQueryData(['audits', 'round', id], v);
      void client.invalidateQueries({ queryKey: auditKeys.all });
    },
  });
}

export function useCriterionReport(key: string) {
  return useQuery({
    queryKey: ['audits', 'report', 'criterion', key],
    queryFn: ({ signal }) => api.get<CriterionReport>(`/audits/reports/criteria/${enc(key)}`, signal),
    enabled: Boolean(key),
  });
}

export function useTemplates() {
  return useQuery({
    queryKey: ['audits', 'templates'],
    queryFn: ({ signal }) => api.get<ListResponse<Template>>('/audits/templates', signal),
    select: (d) => d.items,
  });
}
