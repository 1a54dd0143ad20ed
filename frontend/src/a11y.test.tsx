import { screen } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { anouk, denHelderCentrum, regions, teams } from './test/fixtures';
import { post, space } from './features/spaces/testing';
import { mockFetch, renderApp } from './test/utils';

// Structural accessibility checks in jsdom (labels, landmarks, ARIA, headings).
// Colour contrast needs a real browser: that is covered by the e2e axe scan.
async function expectNoViolations() {
  const results = await axe.run(document.body, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  const summary = results.violations.map((v) => `${v.id}: ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary).toEqual([]);
  expect(results.passes.length).toBeGreaterThan(5);
}

function mockLoggedIn() {
  mockFetch({
    '/api/v1/session': { body: anouk },
    '/api/v1/regions': { body: { items: regions } },
    '/api/v1/teams': { body: { items: teams } },
    '/api/v1/teams/den-helder-centrum': { body: denHelderCentrum },
    '/api/v1/spaces/den-helder-centrum': { body: space() },
    '/api/v1/spaces/den-helder-centrum/posts?limit=20': { body: { items: [post({ id: 'p1' })] } },
    '/api/v1/spaces/den-helder-centrum/posts?pinned=true&limit=20': { body: { items: [] } },
  });
}

// The home and team pages render many panels; axe over them takes a while on a busy machine.
const SLOW = 30_000;

describe('accessibility (axe-core, jsdom)', () => {
  it('login screen', async () => {
    mockFetch({ '/api/v1/session': { status: 401, body: { title: 'Unauthorized', status: 401 } } });
    renderApp('/');
    await screen.findByTestId('login-button');
    await expectNoViolations();
  });

  it('home page', async () => {
    mockLoggedIn();
    renderApp('/');
    await screen.findByTestId('team-card');
    await screen.findByText('Den Helder');
    await screen.findByTestId('home-posts');
    await expectNoViolations();
  }, SLOW);

  it('teams page', async () => {
    mockLoggedIn();
    renderApp('/teams');
    await screen.findByRole('link', { name: 'Julianadorp' });
    await expectNoViolations();
  }, SLOW);

  it('team page', async () => {
    mockLoggedIn();
    renderApp('/teams/den-helder-centrum');
    await screen.findByRole('heading', { level: 1, name: /Den Helder-Centrum/ });
    await screen.findByTestId('team-overview');
    await expectNoViolations();
  }, SLOW);
});
