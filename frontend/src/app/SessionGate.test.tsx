import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { browser } from '../lib/browser';
import { anouk, regions } from '../test/fixtures';
import { mockFetch, renderApp } from '../test/utils';

const unauthorized = { status: 401, body: { title: 'Niet ingelogd', status: 401 } };

describe('session gate', () => {
  it('shows the login screen on 401 and logs in with a return path', async () => {
    mockFetch({ '/api/v1/session': unauthorized });
    const navigate = vi.spyOn(browser, 'navigate').mockImplementation(() => {});
    renderApp('/teams?q=helder');

    const button = await screen.findByTestId('login-button');
    expect(button).toHaveTextContent('Inloggen');
    expect(screen.getByRole('heading', { level: 1, name: 'Welkom bij Plein' })).toBeInTheDocument();
    expect(screen.getByTestId('lang-toggle')).toBeInTheDocument();
    expect(screen.queryByTestId('user-name')).not.toBeInTheDocument();
    expect(document.title).toBe('Inloggen · Plein');

    await userEvent.click(button);
    expect(navigate).toHaveBeenCalledWith('/auth/login?return_to=%2Fteams%3Fq%3Dhelder');
  });

  it('shows a problem alert when the session cannot be loaded', async () => {
    mockFetch({
      '/api/v1/session': {
        status: 503,
        body: { code: 'unavailable', title: 'Service unavailable', detail: 'A dependency did not answer.', status: 503 },
      },
    });
    renderApp('/');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Plein kan je verzoek nu even niet afhandelen.');
    expect(alert).not.toHaveTextContent('dependency');
    expect(within(alert).getByRole('button', { name: 'Opnieuw proberen' })).toBeInTheDocument();
  });

  it('logs out with the CSRF token and follows the redirect', async () => {
    const fetchMock = mockFetch({
      '/api/v1/session': { body: anouk },
      '/api/v1/regions': { body: { items: regions } },
      'POST /api/v1/auth/logout': { body: { redirect: '/auth/logged-out' } },
    });
    const navigate = vi.spyOn(browser, 'navigate').mockImplementation(() => {});
    const consoleError = vi.spyOn(console, 'error');
    renderApp('/');

    expect(await screen.findByTestId('user-name')).toHaveTextContent('Anouk de Vries');
    await userEvent.click(screen.getByTestId('user-menu-button'));
    await userEvent.click(screen.getByTestId('logout-button'));

    await waitFor(() => expect(navigate).toHaveBeenCalledWith('/auth/logged-out'));
    const logoutCall = fetchMock.mock.calls.find(([url]) => String(url) === '/api/v1/auth/logout');
    expect(logoutCall).toBeDefined();
    const init = logoutCall![1] as RequestInit;
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['X-CSRF-Token']).toBe('csrf-test-token');
    // The shell renders once more after the session's cache is cleared:
    // nothing in it may ask for the (gone) session and fail.
    expect(consoleError.mock.calls.flat().join(' ')).not.toContain('useCurrentUser');
    consoleError.mockRestore();
  });

  it('shows the login screen when a later request answers 401', async () => {
    let loggedIn = true;
    mockFetch({
      '/api/v1/session': () => (loggedIn ? { body: anouk } : unauthorized),
      '/api/v1/regions': () => (loggedIn ? { body: { items: regions } } : unauthorized),
      '/api/v1/teams': () => unauthorized,
    });
    const { router } = renderApp('/');
    await screen.findByTestId('user-name');

    // The session expires on the server; the next request answers 401,
    // the session is re-checked and the login screen appears.
    loggedIn = false;
    await act(() => router.navigate('/teams'));
    expect(await screen.findByTestId('login-button')).toBeInTheDocument();
    expect(screen.queryByTestId('user-name')).not.toBeInTheDocument();
  });
});
