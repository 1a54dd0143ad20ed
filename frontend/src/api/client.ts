import { noteAnswer, OFFLINE_COPY_HEADER } from '../lib/offline';
import type { IdentifierFinding, ProblemDetails, ProblemFieldError, ProblemParams } from './types';

/**
 * Error thrown for every failed API call.
 *
 * - `status` is the HTTP status, or 0 when the request never got a response
 *   (offline, DNS, aborted) — see `isNetworkError`.
 * - `code` / `params` / `errors` come from an RFC 9457 problem+json body when
 *   the server sent one. Show them through src/lib/problemText.ts, which
 *   translates the codes; `title` / `detail` / a field's `message` are English,
 *   for logs and API clients, and never reach the screen.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string | undefined;
  readonly code: string | undefined;
  readonly params: ProblemParams | undefined;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  readonly errors: ProblemFieldError[];
  /** With code identifier_suspected: the fields and kinds of likely client identifiers. */
  readonly findings: IdentifierFinding[];

  constructor(status: number, problem: ProblemDetails = {}, options?: { cause?: unknown }) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`, options);
    this.name = 'ApiError';
    this.status = status;
    this.type = problem.type;
    this.code = problem.code;
    this.params = problem.params;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.findings = Array.isArray(problem.findings) ? problem.findings : [];
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  /** True when the server supplied human-readable problem text. */
  get hasProblemText(): boolean {
    return Boolean(this.title || this.detail);
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

const API_BASE = '/api/v1';

let csrfToken: string | null = null;

/** Remember the CSRF token from GET /api/v1/session; sent on every non-GET request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

function isProblemContentType(contentType: string | null): boolean {
  if (!contentType) return false;
  const ct = contentType.toLowerCase();
  return ct.includes('application/problem+json') || ct.includes('application/json');
}

function isParams(value: unknown): value is ProblemParams {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

async function readProblem(response: Response): Promise<ProblemDetails> {
  if (!isProblemContentType(response.headers.get('Content-Type'))) return {};
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object') {
      const p = body as Record<string, unknown>;
      return {
        type: typeof p.type === 'string' ? p.type : undefined,
        code: typeof p.code === 'string' ? p.code : undefined,
        params: isParams(p.params) ? p.params : undefined,
        title: typeof p.title === 'string' ? p.title : undefined,
        status: typeof p.status === 'number' ? p.status : undefined,
        detail: typeof p.detail === 'string' ? p.detail : undefined,
        instance: typeof p.instance === 'string' ? p.instance : undefined,
        errors: Array.isArray(p.errors)
          ? p.errors.filter(
              (e): e is ProblemFieldError =>
                !!e && typeof e === 'object' && typeof (e as ProblemFieldError).message === 'string',
            )
          : undefined,
        findings: Array.isArray(p.findings)
          ? p.findings.filter(
              (f): f is IdentifierFinding =>
                !!f && typeof f === 'object' && typeof (f as IdentifierFinding).field === 'string' &&
                typeof (f as IdentifierFinding).kind === 'string',
            )
          : undefined,
      };
    }
  } catch {
    // Body was not valid JSON; fall through to an empty problem.
  }
  return {};
}

/**
 * Typed fetch wrapper for the same-origin Plein API.
 * `path` is relative to /api/v1 (e.g. "/teams?region=den-helder").
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  }

  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: method === 'GET' ? undefined : JSON.stringify(options.body ?? {}),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, {}, { cause });
  }

  if (!response.ok) {
    throw new ApiError(response.status, await readProblem(response));
  }
  // An answer from the service worker's offline copy says when it was made ("bijgewerkt op …").
  if (method === 'GET') noteAnswer(path, response.headers.get(OFFLINE_COPY_HEADER));

  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch (cause) {
    throw new ApiError(response.status, {}, { cause });
  }
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => apiRequest<T>(path, { signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body }),
};
