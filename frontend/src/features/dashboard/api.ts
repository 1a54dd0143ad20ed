import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, getCsrfToken } from '../../api/client';
import type { ListResponse, ProblemDetails } from '../../api/types';
import type { CommitResult, ImportPreview, ImportRecord, OrgView, RegionView, TeamView } from './types';

/** Months of trend asked for on every view. */
export const TREND_MONTHS = 24;

export const dashboardKeys = {
  all: ['dashboard'] as const,
  team: (id: string, month?: string) => ['dashboard', 'team', id, month ?? 'latest'] as const,
  region: (id: string, month?: string) => ['dashboard', 'region', id, month ?? 'latest'] as const,
  organisation: (month?: string) => ['dashboard', 'organisation', month ?? 'latest'] as const,
  imports: () => ['dashboard', 'imports'] as const,
};

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

export function useTeamDashboard(teamId: string | undefined, month?: string) {
  return useQuery({
    queryKey: dashboardKeys.team(teamId ?? '', month),
    queryFn: ({ signal }) =>
      api.get<TeamView>(
        `/dashboard/teams/${encodeURIComponent(teamId ?? '')}${query({ months: TREND_MONTHS, month })}`,
        signal,
      ),
    enabled: Boolean(teamId),
  });
}

export function useRegionDashboard(regionId: string, month?: string) {
  return useQuery({
    queryKey: dashboardKeys.region(regionId, month),
    queryFn: ({ signal }) =>
      api.get<RegionView>(
        `/dashboard/regions/${encodeURIComponent(regionId)}${query({ months: TREND_MONTHS, month })}`,
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useOrganisationDashboard(month?: string) {
  return useQuery({
    queryKey: dashboardKeys.organisation(month),
    // Sorting happens in the browser (instant, no round trip); the server
    // answers in name order.
    queryFn: ({ signal }) => api.get<OrgView>(`/dashboard/organisation${query({ months: TREND_MONTHS, month })}`, signal),
    placeholderData: keepPreviousData,
  });
}

/** Link for the spreadsheet download of the organisation view. */
export function organisationCsvUrl(params: { month?: string; sort?: string; order?: string }): string {
  return `/api/v1/dashboard/organisation.csv${query(params)}`;
}

export function useImports(enabled = true) {
  return useQuery({
    queryKey: dashboardKeys.imports(),
    queryFn: ({ signal }) => api.get<ListResponse<ImportRecord>>('/dashboard/imports', signal),
    select: (data) => data.items,
    enabled,
  });
}

async function readProblem(response: Response): Promise<ProblemDetails> {
  const type = response.headers.get('Content-Type') ?? '';
  if (!/json/i.test(type)) return {};
  try {
    const body = (await response.json()) as ProblemDetails;
    return body && typeof body === 'object' ? body : {};
  } catch {
    return {};
  }
}

/**
 * Sends an import file as multipart/form-data (field "file"), with the CSRF
 * token. The JSON client in api/client.ts only sends JSON bodies, and the
 * file must reach the server byte for byte (UTF-16, non-UTF-8 detection).
 */
export async function uploadImport<T>(path: '/dashboard/imports/preview' | '/dashboard/imports', file: File): Promise<T> {
  const body = new FormData();
  body.append('file', file, file.name);
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getCsrfToken();
  if (token) headers['X-CSRF-Token'] = token;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { method: 'POST', headers, body, credentials: 'same-origin' });
  } catch (cause) {
    throw new ApiError(0, {}, { cause });
  }
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  return (await response.json()) as T;
}

export function usePreviewImport() {
  return useMutation({
    mutationFn: (file: File) => uploadImport<ImportPreview>('/dashboard/imports/preview', file),
  });
}

export function useCommitImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => uploadImport<CommitResult>('/dashboard/imports', file),
    onSuccess: () => client.invalidateQueries({ queryKey: dashboardKeys.all }),
  });
}
