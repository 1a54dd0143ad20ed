import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { anouk } from '../test/fixtures';
import { mockFetch, renderApp } from '../test/utils';

describe('unknown routes', () => {
  it('shows the not-found page inside the shell', async () => {
    mockFetch({ '/api/v1/session': { body: anouk } });
    renderApp('/bestaat/niet');
    expect(await screen.findByRole('heading', { level: 1, name: 'Pagina niet gevonden' })).toBeInTheDocument();
    expect(screen.getByTestId('user-name')).toBeInTheDocument();
    expect(document.title).toBe('Pagina niet gevonden · Plein');
  });
});
