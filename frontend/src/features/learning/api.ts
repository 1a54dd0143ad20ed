import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from '../../api/client';
import type { ListResponse } from '../../api/types';
import type {
  Board,
  Cohort,
  Programme,
  ProgrammeSummary,
  LearningMe,
  ModuleStatus,
  Questionnaire,
  Reflection,
  Scan,
  Session,
  TeamLearning,
  TeamPanel,
  Yield,
} from './types';

const base = '/learning';

export const learningKeys = {
  all: ['learning'] as const,
  me: () => ['learning', 'me'] as const,
  team: (id: string) => ['learning', 'team', id] as const,
  panel: (id: string) => ['learning', 'panel', id] as const,
  reflections: (id: string) => ['learning', 'reflections', id] as const,
  session: (id: string) => ['learning', 'session', id] as const,
  board: (q: string) => ['learning', 'board', q] as const,
  yield: (level: string, id: string) => ['learning', 'yield', level, id] as const,
  questions: () => ['learning', 'questions'] as const,
};

function enc(s: string): string {
  return encodeURIComponent(s);
}

export function useLearningMe() {
  return useQuery({ queryKey: learningKeys.me(), queryFn: ({ signal }) => api.get<LearningMe>(`${base}/me`, signal) });
}

export function useTeamLearning(teamId: string) {
  return useQuery({
    queryKey: learningKeys.team(teamId),
    queryFn: ({ signal }) => api.get<TeamLearning>(`${base}/teams/${enc(teamId)}`, signal),
    enabled: teamId !== '',
  });
}

export function useTeamPanel(teamId: string) {
  return useQuery({
    queryKey: learningKeys.panel(teamId),
    queryFn: ({ signal }) => api.get<TeamPanel>(`${base}/teams/${enc(teamId)}/panel`, signal),
  });
}

export function useReflections(teamId: string, enabled: boolean) {
  return useQuery({
    queryKey: learningKeys.reflections(teamId),
    queryFn: ({ signal }) => api.get<ListResponse<Reflection>>(`${base}/teams/${enc(teamId)}/reflections`, signal),
    select: (d) => d.items,
    enabled,
  });
}

export function useSession(id: string) {
  return useQuery({
    queryKey: learningKeys.session(id),
    queryFn: ({ signal }) => api.get<Session>(`${base}/sessions/${enc(id)}`, signal),
  });
}

export interface BoardParams {
  sort: string;
  order: 'asc' | 'desc';
  filter: string;
  q: string;
}

export function boardQuery(p: BoardParams): string {
  const s = new URLSearchParams();
  if (p.sort) s.set('sort', p.sort);
  if (p.order === 'desc') s.set('order', 'desc');
  if (p.filter) s.set('filter', p.filter);
  if (p.q.trim()) s.set('q', p.q.trim());
  const out = s.toString();
  return out ? `?${out}` : '';
}

export function useBoard(p: BoardParams, enabled = true) {
  const q = boardQuery(p);
  return useQuery({
    queryKey: learningKeys.board(q),
    queryFn: ({ signal }) => api.get<Board>(`${base}/board${q}`, signal),
    enabled,
    placeholderData: (prev) => prev,
  });
}

export function yieldQuery(level: string, id: string): string {
  const s = new URLSearchParams();
  if (level && level !== 'organisation') s.set('level', level);
  if (id) s.set('id', id);
  const out = s.toString();
  return out ? `?${out}` : '';
}

export function useYield(level: string, id: string) {
  return useQuery({
    queryKey: learningKeys.yield(level, id),
    queryFn: ({ signal }) => api.get<Yield>(`${base}/yield${yieldQuery(level, id)}`, signal),
  });
}

export function yieldCsvUrl(level: string, id: string): string {
  return `/api/v1${base}/yield.csv${yieldQuery(level, id)}`;
}

export function useQuestions() {
  return useQuery({
    queryKey: learningKeys.questions(),
    queryFn: ({ signal }) => api.get<Questionnaire>(`${base}/scan-questions`, signal),
    staleTime: Infinity,
  });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: learningKeys.all });
}

export function useAnswerScan(scanId: string) {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (answers: Record<string, number>) => api.post<Scan>(`${base}/scans/${enc(scanId)}/answers`, { answers }),
    onSuccess: done,
  });
}

export function useScanActions(teamId: string) {
  const done = useInvalidate();
  return {
    open: useMutation({
      mutationFn: (kind: Scan['kind']) => api.post<Scan>(`${base}/teams/${enc(teamId)}/scans`, { kind }),
      onSuccess: done,
    }),
    close: useMutation({
      mutationFn: (id: string) => api.post<Scan>(`${base}/scans/${enc(id)}/close`),
      onSuccess: done,
    }),
    observe: useMutation({
      mutationFn: (v: { id: string; observation: string; phase: number }) =>
        apiRequest<Scan>(`${base}/scans/${enc(v.id)}/observation`, {
          method: 'PUT',
          body: { observation: v.observation, phase: v.phase },
        }),
      onSuccess: done,
    }),
  };
}

export function useUpdateModule(teamId: string) {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (v: { key: string; status: ModuleStatus; reason?: string }) =>
      apiRequest<TeamLearning>(`${base}/teams/${enc(teamId)}/modules/${enc(v.key)}`, {
        method: 'PUT',
        body: { status: v.status, reason: v.reason ?? '' },
      }),
    onSuccess: done,
  });
}

export function useWriteReflection(teamId: string) {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (v: { module: string; body: string; reply: boolean }) =>
      apiRequest<Reflection>(`${base}/teams/${enc(teamId)}/reflections/${enc(v.module)}${v.reply ? '/reply' : ''}`, {
        method: 'PUT',
        body: { body: v.body },
      }),
    onSuccess: done,
  });
}

export interface SessionInput {
  moduleKey: string;
  title: string;
  teamIds: string[];
  start: string;
  end: string;
  place: string;
  link: string;
  capacity: number;
}

export function useCreateSession() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (input: SessionInput) => api.post<Session>(`${base}/sessions`, input),
    onSuccess: done,
  });
}

export function useAttendance(sessionId: string) {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (entries: { userId: string; status: 'present' | 'absent' }[]) =>
      apiRequest<Session>(`${base}/sessions/${enc(sessionId)}/attendance`, { method: 'PUT', body: { entries } }),
    onSuccess: done,
  });
}

export function useCheckIn(sessionId: string) {
  const done = useInvalidate();
  return useMutation({
    mutationFn: () => api.post<Session>(`${base}/sessions/${enc(sessionId)}/checkin`),
    onSuccess: done,
  });
}

export function useProgrammes() {
  return useQuery({
    queryKey: ['learning', 'programmes'],
    queryFn: ({ signal }) => api.get<ListResponse<ProgrammeSummary>>(`${base}/programmes`, signal),
    select: (d) => d.items,
  });
}

export function useProgramme(id: string) {
  return useQuery({
    queryKey: ['learning', 'programme', id],
    queryFn: ({ signal }) => api.get<Programme>(`${base}/programmes/${enc(id)}`, signal),
    enabled: id !== '',
  });
}

export function useCohorts() {
  return useQuery({
    queryKey: ['learning', 'cohorts'],
    queryFn: ({ signal }) => api.get<ListResponse<Cohort>>(`${base}/cohorts`, signal),
    select: (d) => d.items,
  });
}
