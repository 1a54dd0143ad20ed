import { ApiError, apiRequest, getCsrfToken } from '../../api/client';
import type { ProblemDetails } from '../../api/types';

/** Query string from defined, non-empty values, in the given order ("?a=1&b=2" or ""). */
export function qs(params: Record<string, string | number | boolean | undefined>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Path segment, encoded ("den-helder-centrum", "c-wondzorg", "👍"). */
export const seg = (value: string) => encodeURIComponent(value);

export const http = {
  get: <T>(path: string, signal?: AbortSignal) => apiRequest<T>(path, { signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body }),
  put: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'PATCH', body }),
  del: <T = void>(path: string) => apiRequest<T>(path, { method: 'DELETE' }),
};

async function readProblem(response: Response): Promise<ProblemDetails> {
  const type = response.headers.get('Content-Type') ?? '';
  if (!/json/i.test(type)) return {};
  try {
    const body = (await response.json()) as ProblemDetails;
    return body && typeof body === 'object' ? { ...body, errors: Array.isArray(body.errors) ? body.errors : [] } : {};
  } catch {
    return {};
  }
}

/**
 * POST multipart/form-data to the API with the CSRF token. The browser sets
 * the multipart boundary; the server sniffs the bytes (the client's content
 * type is not trusted), so we only send what the user picked.
 */
export async function postMultipart<T>(path: string, form: FormData): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getCsrfToken();
  if (token) headers['X-CSRF-Token'] = token;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { method: 'POST', headers, body: form, credentials: 'same-origin' });
  } catch (cause) {
    throw new ApiError(0, {}, { cause });
  }
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  try {
    return (await response.json()) as T;
  } catch (cause) {
    throw new ApiError(response.status, {}, { cause });
  }
}

/** Largest upload the server accepts (attachments and documents). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** File types the server accepts, for the file picker's `accept` (the server checks the bytes). */
export const ACCEPTED_UPLOADS =
  '.png,.jpg,.jpeg,.gif,.webp,.pdf,.docx,.xlsx,.pptx,.txt,.csv,image/png,image/jpeg,image/gif,image/webp,application/pdf';
