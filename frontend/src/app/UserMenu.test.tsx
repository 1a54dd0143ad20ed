import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { anouk, regions } from '../test/fixtures';
import { mockFetch, renderApp } from '../test/utils';

function session() {
  mockFetch({
    '/api/v1/session': { body: anouk },
    '/api/v1/regions': { body: { items: regions } },
  });
}

describe('user menu in the header', () => {
  it('is a compact initials button named after the person, opening name, "Mijn gegevens" and "Uitloggen"', async () => {
    session();
    renderApp('/');
    const user = userEvent.setup();

    const button = await screen.findByTestId('user-menu-button');
    expect(button).toHaveAccessibleName('Anouk de Vries, Jouw account');
    expect(screen.getByTestId('user-name')).toHaveTextContent('Anouk de Vries');
    expect(button).toHaveAttribute('aria-expanded', 'false');
    const panel = document.getElementById(button.getAttribute('aria-controls')!)!;
    expect(panel).not.toBeVisible();
    expect(screen.queryByRole('button', { name: 'Uitloggen' })).not.toBeInTheDocument();

    await user.click(button);
    expect(button).toHaveAttribute('aria-expanded', 'true');
    expect(panel).toBeVisible();
    const group = screen.getByRole('group', { name: 'Jouw account' });
    expect(within(group).getByText('Anouk de Vries')).toBeInTheDocument();
    expect(within(group).getByRole('link', { name: 'Mijn gegevens' })).toHaveAttribute('href', '/mijn-gegevens');
    expect(within(group).getByRole('button', { name: 'Uitloggen' })).toBeInTheDocument();

    // Escape closes it and gives focus back to the button.
    within(group).getByRole('link', { name: 'Mijn gegevens' }).focus();
    await user.keyboard('{Escape}');
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(button).toHaveFocus();
  });

  it('closes on a click outside and after following "Mijn gegevens"', async () => {
    session();
    renderApp('/');
    const user = userEvent.setup();
    const button = await screen.findByTestId('user-menu-button');

    await user.click(button);
    await user.click(screen.getByRole('main'));
    expect(button).toHaveAttribute('aria-expanded', 'false');

    await user.click(button);
    await user.click(screen.getByTestId('nav-mydata'));
    await waitFor(() => expect(button).toHaveAttribute('aria-expanded', 'false'));
  });

  it('keeps search, notifications, language and the menus reachable as named buttons', async () => {
    session();
    renderApp('/');
    await screen.findByTestId('user-menu-button');
    const header = document.querySelector<HTMLElement>('.shell__header')!;
    expect(within(header).getByTestId('global-search-toggle')).toHaveAccessibleName();
    expect(within(header).getByTestId('notification-bell')).toHaveAccessibleName(/Meldingen/);
    expect(within(header).getByTestId('lang-toggle')).toHaveAccessibleName('Switch to English (EN)');
    const more = within(header).getByTestId('nav-more');
    expect(more).toHaveAttribute('aria-expanded', 'false');
    expect(more).toHaveAttribute('aria-controls');
  });
});
