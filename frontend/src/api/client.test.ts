import { describe, expect, it, vi } from 'vitest';
import { ApiError, api, apiRequest, setCsrfToken } from './client';

function jsonResponse(body: unknown, status = 200, contentType = 'application/json') {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

describe('api client', () => {
  it('sends the CSRF token and JSON content type on POST, with same-origin credentials', async () => {
    const fetchMock = vi.fn(async () => jsonResponse({ redirect: '/' }));
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('tok-123');

    const result = await api.post<{ redirect: string }>('/auth/logout');

    expect(result).toEqual({ redirect: '/' });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/auth/logout');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    const headers = init.headers as Record<string, string>;
    expect(headers['X-CSRF-Token']).toBe('tok-123');
    expect(headers['Content-Type']).toBe('application/json');
    expect(init.body).toBe('{}');
  });

  it('does not send the CSRF token on GET', async () => {
    const fetchMock = vi.fn(async () => jsonResponse({ items: [] }));
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('tok-123');

    await api.get('/regions');

    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.method).toBe('GET');
    expect(init.credentials).toBe('same-origin');
    expect((init.headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined();
    expect(init.body).toBeUndefined();
  });

  it('parses RFC 9457 problem+json into an ApiError', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        jsonResponse(
          {
            type: 'https://plein.example/problems/validation',
            title: 'Ongeldige invoer',
            status: 422,
            detail: 'Controleer de naam.',
            errors: [{ field: 'name', message: 'Naam is verplicht' }],
          },
          422,
          'application/problem+json',
        ),
      ),
    );

    const error = await apiRequest('/teams', { method: 'POST', body: { name: '' } }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(422);
    expect(apiError.title).toBe('Ongeldige invoer');
    expect(apiError.detail).toBe('Controleer de naam.');
    expect(apiError.type).toBe('https://plein.example/problems/validation');
    expect(apiError.errors).toEqual([{ field: 'name', message: 'Naam is verplicht' }]);
    expect(apiError.message).toBe('Controleer de naam.');
  });

  it('marks 401 responses as unauthorized', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse({ title: 'Niet ingelogd', status: 401 }, 401, 'application/problem+json')));
    const error = (await api.get('/session').catch((e: unknown) => e)) as ApiError;
    expect(error.isUnauthorized).toBe(true);
    expect(error.title).toBe('Niet ingelogd');
  });

  it('turns a non-JSON error body into an ApiError without problem text', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } })),
    );
    const error = (await api.get('/teams').catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(502);
    expect(error.hasProblemText).toBe(false);
  });

  it('reports network failures as status 0', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const error = (await api.get('/teams').catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.isNetworkError).toBe(true);
  });
});
