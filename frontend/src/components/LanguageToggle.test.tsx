import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import i18n, { LANGUAGE_STORAGE_KEY } from '../i18n';
import { anouk, regions } from '../test/fixtures';
import { mockFetch, renderApp } from '../test/utils';

describe('language toggle', () => {
  it('switches visible text from Dutch to English, updates <html lang> and remembers the choice', async () => {
    mockFetch({
      '/api/v1/session': { body: anouk },
      '/api/v1/regions': { body: { items: regions } },
    });
    renderApp('/');

    await screen.findByTestId('user-name');
    expect(document.documentElement.lang).toBe('nl');
    expect(screen.getByTestId('logout-button')).toHaveTextContent('Uitloggen');
    expect(screen.getByRole('link', { name: 'Naar inhoud' })).toBeInTheDocument();

    const toggle = screen.getByTestId('lang-toggle');
    expect(toggle).toHaveAccessibleName('Switch to English (EN)');
    await userEvent.click(toggle);

    await waitFor(() => expect(screen.getByTestId('logout-button')).toHaveTextContent('Log out'));
    expect(screen.getByRole('link', { name: 'Skip to content' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toMatch(/^Good (morning|afternoon|evening), Anouk$/);
    expect(screen.getByText('Care worker')).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('en');
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
    expect(document.title).toBe('Home · Plein');

    await userEvent.click(screen.getByTestId('lang-toggle'));
    await waitFor(() => expect(screen.getByTestId('logout-button')).toHaveTextContent('Uitloggen'));
    expect(document.documentElement.lang).toBe('nl');
    expect(i18n.language).toBe('nl');
  });

  it('is available on the login screen', async () => {
    mockFetch({ '/api/v1/session': { status: 401, body: { title: 'Unauthorized', status: 401 } } });
    renderApp('/');
    await userEvent.click(await screen.findByTestId('lang-toggle'));
    expect(await screen.findByTestId('login-button')).toHaveTextContent('Log in');
    expect(screen.getByRole('heading', { level: 1, name: 'Welcome to Plein' })).toBeInTheDocument();
  });
});
