import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { ApiError, api, apiRequest, getCsrfToken } from '../../api/client';
import type { ListResponse, ProblemDetails } from '../../api/types';
import type {
  Article,
  ArticleInput,
  ArticleList,
  ArticleStatus,
  Attachment,
  ConfirmationOverviewItem,
  ConfirmationReport,
  ConfirmState,
  Diff,
  DraftInput,
  Feedback,
  FeedbackKind,
  Meta,
  ReviewItem,
  SearchResponse,
  ArticleSummary,
  AudienceFilter,
} from './types';

/** Page size of search results and article lists. */
export const PAGE_SIZE = 20;

export const knowledgeKeys = {
  all: ['knowledge'] as const,
  meta: () => ['knowledge', 'meta'] as const,
  search: (q: string, category: string, audience: string = '') => ['knowledge', 'search', q, category, audience] as const,
  lists: () => ['knowledge', 'articles'] as const,
  list: (category: string, status: string, audience: string = '') =>
    ['knowledge', 'articles', category, status, audience] as const,
  article: (id: string) => ['knowledge', 'article', id] as const,
  diff: (id: string, from: string, to: string) => ['knowledge', 'diff', id, from, to] as const,
  pending: () => ['knowledge', 'pending'] as const,
  review: () => ['knowledge', 'review'] as const,
  feedback: (id: string) => ['knowledge', 'feedback', id] as const,
  inbox: () => ['knowledge', 'inbox'] as const,
  report: (id: string) => ['knowledge', 'report', id] as const,
  overdue: () => ['knowledge', 'overdue'] as const,
  confirmations: () => ['knowledge', 'confirmations'] as const,
};

function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

export function articlePath(id: string): string {
  return `/knowledge/articles/${enc(id)}`;
}

/** Download link of an attachment (the server sets Content-Disposition). */
export function attachmentUrl(articleId: string, attachmentId: string): string {
  return `/api/v1${articlePath(articleId)}/attachments/${enc(attachmentId)}`;
}

/** Spreadsheet download of an article's confirmation report. */
export function reportCsvUrl(articleId: string): string {
  return `/api/v1${articlePath(articleId)}/report.csv`;
}

// ---------- Reading ----------

export function useKnowledgeMeta() {
  return useQuery({
    queryKey: knowledgeKeys.meta(),
    queryFn: ({ signal }) => api.get<Meta>('/knowledge/meta', signal),
  });
}

/**
 * Search as you type: the caller debounces `q`; a new key makes TanStack
 * Query abort the previous request (the signal is passed to fetch), and the
 * previous results stay on screen while the next ones load. `audience`
 * narrows to whom the articles are for ('' = everything I may read).
 */
export function useKnowledgeSearch(q: string, category: string, audience: AudienceFilter | '' = '') {
  const trimmed = q.trim();
  return useInfiniteQuery({
    queryKey: knowledgeKeys.search(trimmed, category, audience),
    queryFn: ({ signal, pageParam }) =>
      api.get<SearchResponse>(
        `/knowledge/search${query({ q: trimmed, category, audience, prefix: true, limit: PAGE_SIZE, offset: pageParam })}`,
        signal,
      ),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, p) => n + p.items.length, 0);
      return last.items.length > 0 && loaded < last.total ? loaded : undefined;
    },
    enabled: trimmed.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/**
 * Published articles (readers), newest first; editors may ask for a status.
 * `audience` narrows to whom the articles are for ('' = everything I may read).
 */
export function useArticleList(
  category: string,
  status: ArticleStatus | 'all' | '' = '',
  enabled = true,
  audience: AudienceFilter | '' = '',
) {
  return useInfiniteQuery({
    queryKey: knowledgeKeys.list(category, status, audience),
    queryFn: ({ signal, pageParam }) =>
      api.get<ArticleList>(
        `/knowledge/articles${query({ category, status, audience, limit: PAGE_SIZE, offset: pageParam })}`,
        signal,
      ),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, p) => n + p.items.length, 0);
      return last.items.length > 0 && loaded < last.total ? loaded : undefined;
    },
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** A larger plain list, for pickers (related articles). */
export function useArticleChoices(enabled: boolean) {
  return useQuery({
    queryKey: [...knowledgeKeys.lists(), 'choices'] as const,
    queryFn: ({ signal }) => api.get<ArticleList>(`/knowledge/articles${query({ limit: 100 })}`, signal),
    select: (data) => data.items,
    enabled,
  });
}

export function useArticle(id: string) {
  return useQuery({
    queryKey: knowledgeKeys.article(id),
    queryFn: ({ signal }) => api.get<Article>(articlePath(id), signal),
  });
}

export function useDiff(id: string, from: string, to: string, enabled = true) {
  return useQuery({
    queryKey: knowledgeKeys.diff(id, from, to),
    queryFn: ({ signal }) => api.get<Diff>(`${articlePath(id)}/diff${query({ from, to })}`, signal),
    enabled: enabled && Boolean(from) && Boolean(to),
    // A draft changes while editing; published versions never do.
    staleTime: to === 'draft' ? 0 : Infinity,
  });
}

export function usePendingConfirmations() {
  return useQuery({
    queryKey: knowledgeKeys.pending(),
    queryFn: ({ signal }) => api.get<ListResponse<ArticleSummary>>('/knowledge/confirmations/pending', signal),
    select: (data) => data.items,
  });
}

export function useReviewQueue(enabled = true) {
  return useQuery({
    queryKey: knowledgeKeys.review(),
    queryFn: ({ signal }) => api.get<ListResponse<ReviewItem>>('/knowledge/review', signal),
    select: (data) => data.items,
    enabled,
  });
}

export function useArticleFeedback(id: string) {
  return useQuery({
    queryKey: knowledgeKeys.feedback(id),
    queryFn: ({ signal }) => api.get<ListResponse<Feedback>>(`${articlePath(id)}/feedback`, signal),
    select: (data) => data.items,
  });
}

export function useFeedbackInbox(enabled = true) {
  return useQuery({
    queryKey: knowledgeKeys.inbox(),
    queryFn: ({ signal }) => api.get<ListResponse<Feedback>>('/knowledge/feedback?open=true', signal),
    select: (data) => data.items,
    enabled,
  });
}

export function useConfirmationReport(id: string) {
  return useQuery({
    queryKey: knowledgeKeys.report(id),
    queryFn: ({ signal }) => api.get<ConfirmationReport>(`${articlePath(id)}/report`, signal),
  });
}

export function useOverdueReport(enabled = true) {
  return useQuery({
    queryKey: knowledgeKeys.overdue(),
    queryFn: ({ signal }) => api.get<ListResponse<ArticleSummary>>('/knowledge/reports/overdue', signal),
    select: (data) => data.items,
    enabled,
  });
}

export function useConfirmationsOverview(enabled = true) {
  return useQuery({
    queryKey: knowledgeKeys.confirmations(),
    queryFn: ({ signal }) =>
      api.get<ListResponse<ConfirmationOverviewItem>>('/knowledge/reports/confirmations', signal),
    select: (data) => data.items,
    enabled,
  });
}

// ---------- Writing ----------

/** After a workflow step: the article is fresh, every list may have changed. */
function articleChanged(client: QueryClient, article: Article) {
  client.setQueryData(knowledgeKeys.article(article.id), article);
  void client.invalidateQueries({
    queryKey: knowledgeKeys.all,
    predicate: (q) => !(q.queryKey[1] === 'article' && q.queryKey[2] === article.id),
  });
}

export function useConfirmArticle(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (version: string) =>
      api.post<{ confirmation: ConfirmState }>(`${articlePath(id)}/confirm`, { version }),
    onSuccess: ({ confirmation }) => {
      client.setQueryData<Article>(knowledgeKeys.article(id), (old) => (old ? { ...old, confirmation } : old));
      void client.invalidateQueries({ queryKey: knowledgeKeys.meta() });
      void client.invalidateQueries({ queryKey: knowledgeKeys.pending() });
      void client.invalidateQueries({ queryKey: ['knowledge', 'search'] });
      void client.invalidateQueries({ queryKey: knowledgeKeys.lists() });
    },
  });
}

export function useCreateArticle() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ArticleInput) => api.post<Article>('/knowledge/articles', input),
    onSuccess: (article) => articleChanged(client, article),
  });
}

export function useSaveDraft(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: DraftInput) => apiRequest<Article>(`${articlePath(id)}/draft`, { method: 'PUT', body: input }),
    onSuccess: (article) => articleChanged(client, article),
  });
}

type WorkflowAction = 'submit' | 'withdraw' | 'approve' | 'reject' | 'archive' | 'restore';

/** submit {changeNote, major}, withdraw, approve {comment?}, reject {comment}, archive, restore. */
export function useWorkflow(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: WorkflowAction; body?: unknown }) =>
      api.post<Article>(`${articlePath(id)}/${action}`, body ?? {}),
    onSuccess: (article) => articleChanged(client, article),
  });
}

export function useSendFeedback(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { kind: FeedbackKind; text: string }) => api.post<Feedback>(`${articlePath(id)}/feedback`, input),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: knowledgeKeys.feedback(id) });
      void client.invalidateQueries({ queryKey: knowledgeKeys.inbox() });
    },
  });
}

export function useAnswerFeedback() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, text }: { id: string; text: string }) =>
      api.post<Feedback>(`/knowledge/feedback/${enc(id)}/answer`, { text }),
    onSuccess: (feedback) => {
      void client.invalidateQueries({ queryKey: knowledgeKeys.inbox() });
      void client.invalidateQueries({ queryKey: knowledgeKeys.feedback(feedback.articleId) });
    },
  });
}

async function readProblem(response: Response): Promise<ProblemDetails> {
  if (!/json/i.test(response.headers.get('Content-Type') ?? '')) return {};
  try {
    const body = (await response.json()) as ProblemDetails;
    return body && typeof body === 'object' ? body : {};
  } catch {
    return {};
  }
}

/**
 * Uploads one attachment as multipart/form-data (field "file") with the CSRF
 * token. The server sniffs the bytes and answers 422 (field "file") for a
 * wrong type, an empty file or one over 10 MB.
 */
export async function uploadAttachment(articleId: string, file: File): Promise<Attachment> {
  const body = new FormData();
  body.append('file', file, file.name);
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getCsrfToken();
  if (token) headers['X-CSRF-Token'] = token;
  let response: Response;
  try {
    response = await fetch(`/api/v1${articlePath(articleId)}/attachments`, {
      method: 'POST',
      headers,
      body,
      credentials: 'same-origin',
    });
  } catch (cause) {
    throw new ApiError(0, {}, { cause });
  }
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  return (await response.json()) as Attachment;
}

export function useUploadAttachment(articleId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => uploadAttachment(articleId, file),
    onSuccess: (attachment) => {
      client.setQueryData<Article>(knowledgeKeys.article(articleId), (old) =>
        old ? { ...old, attachments: [...old.attachments.filter((a) => a.id !== attachment.id), attachment] } : old,
      );
    },
  });
}

export function useDeleteAttachment(articleId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (attachmentId: string) =>
      apiRequest<void>(`${articlePath(articleId)}/attachments/${enc(attachmentId)}`, { method: 'DELETE' }),
    onSuccess: (_, attachmentId) => {
      client.setQueryData<Article>(knowledgeKeys.article(articleId), (old) =>
        old ? { ...old, attachments: old.attachments.filter((a) => a.id !== attachmentId) } : old,
      );
    },
  });
}
