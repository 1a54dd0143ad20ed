import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { denHelderCentrum, teams } from '../../test/fixtures';
import { anouk, baseTable, henk, mockApi, renderApp } from '../accesslog/testing';
import type { AdminUser, ChangePage } from './types';

const johan: AdminUser = {
  id: 'u-johan',
  name: 'Johan Mulder',
  email: 'johan.mulder@noorderkwartier.example',
  roles: ['regiomanager', 'teamcoach'],
  claimRoles: ['regiomanager', 'zorgmedewerker'],
  assignedRoles: ['teamcoach'],
  deniedRoles: ['zorgmedewerker'],
  active: true,
  teams: [{ id: 'julianadorp', name: 'Julianadorp', regionId: 'den-helder', teamRoles: ['ict'] }],
};

const changes: ChangePage = {
  items: [
    {
      id: '000000000002',
      at: '2026-11-23T14:09:51Z',
      actorId: 'u-henk',
      actorName: 'Henk Bakker',
      action: 'user.roles',
      subject: 'user:u-johan',
      subjectName: 'Johan Mulder',
      before: { roles: ['regiomanager'] },
      after: { roles: ['regiomanager', 'beheerder'] },
    },
    {
      id: '000000000001',
      at: '2026-11-23T14:00:00Z',
      actorId: 'u-henk',
      actorName: 'Henk Bakker',
      action: 'member.set',
      subject: 'team:julianadorp user:u-johan',
      subjectName: 'Johan Mulder · Julianadorp',
      after: { teamRoles: ['ict'] },
    },
  ],
  next: '',
};

function adminTable() {
  return {
    ...baseTable(henk),
    '/api/v1/teams': { body: { items: teams } },
    '/api/v1/users': { body: { items: [johan] } },
    '/api/v1/users/u-johan': { body: johan },
    '/api/v1/admin/changes': { body: changes },
    '/api/v1/teams/den-helder-centrum': { body: denHelderCentrum },
  };
}

// Structural checks as in src/a11y.test.tsx (colour contrast: the e2e axe scan).
async function expectNoViolations() {
  const results = await axe.run(document.body, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

describe('beheer', () => {
  it('is in the navigation of an administrator, with its tabs and a place for privacy', async () => {
    mockApi(adminTable());
    renderApp('/beheer');
    const nav = await screen.findByRole('navigation', { name: 'Onderdelen van beheer' });
    for (const name of ['Teams', "Regio's", 'Mensen en rollen', 'Wijzigingen', 'Toegangslog']) {
      expect(within(nav).getByRole('link', { name })).toBeInTheDocument();
    }
    expect(within(nav).getByRole('link', { name: 'Privacy' })).toHaveAttribute('href', '/beheer/privacy');
    await userEvent.click(screen.getByTestId('nav-more'));
    expect(screen.getByTestId('nav-admin')).toHaveAttribute('href', '/beheer');
    // Teams filtered by region and by a search.
    const list = await screen.findByTestId('admin-team-list');
    expect(within(list).getAllByRole('listitem')).toHaveLength(teams.length);
    fireEvent.change(screen.getByLabelText('Toon teams in regio'), { target: { value: 'west-friesland' } });
    const westFriesland = teams.filter((t) => t.regionId === 'west-friesland');
    expect(within(screen.getByTestId('admin-team-list')).getAllByRole('listitem')).toHaveLength(westFriesland.length);
  });

  it('is refused to an employee: not in the navigation, a refusal at the URL, no request', async () => {
    const api = mockApi({ ...adminTable(), '/api/v1/session': { body: anouk } });
    renderApp('/beheer/mensen');
    expect(await screen.findByTestId('admin-no-access')).toHaveTextContent('Alleen voor beheerders');
    await userEvent.click(screen.getByTestId('nav-more'));
    expect(screen.queryByTestId('nav-admin')).not.toBeInTheDocument();
    expect(api.calls('/api/v1/users')).toHaveLength(0);
    expect(api.calls('/api/v1/admin/changes')).toHaveLength(0);
  });

  it('shows the server refusal of a new team beside its field, in Dutch', async () => {
    mockApi({
      ...adminTable(),
      'POST /api/v1/teams': {
        status: 422,
        body: {
          type: '/problems/validation',
          code: 'validation',
          status: 422,
          title: 'Invalid input',
          errors: [{ field: 'name', code: 'length', message: 'use 2–80 characters', params: { min: 2, max: 80 } }],
        },
      },
    });
    renderApp('/beheer');
    const form = await screen.findByTestId('admin-new-team');
    await userEvent.type(within(form).getByLabelText('Naam'), 'X');
    expect(within(form).getByLabelText(/^Code/)).toHaveValue('x');
    await userEvent.click(within(form).getByRole('button', { name: 'Team aanmaken' }));
    expect(await within(form).findByTestId('error-name')).toHaveTextContent('Gebruik 2 tot 80 tekens.');
    expect(within(form).getByLabelText('Naam')).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByRole('alert')).toHaveTextContent('Niet alles is goed ingevuld.');
    expect(form).not.toHaveTextContent('use 2–80 characters');
  });

  it('shows a membership from the identity provider read-only: no removal, taakrollen editable', async () => {
    mockApi({
      ...adminTable(),
      '/api/v1/teams/den-helder-centrum': {
        body: {
          ...denHelderCentrum,
          members: [
            { ...denHelderCentrum.members[0], source: 'claims' },
            { ...denHelderCentrum.members[1], source: 'admin' },
          ],
        },
      },
    });
    renderApp('/beheer/teams/den-helder-centrum');
    const claimed = await screen.findByTestId('member-u-anouk');
    expect(claimed).toHaveTextContent('uit Entra ID / identiteitsprovider');
    expect(within(claimed).queryByTestId('member-remove')).not.toBeInTheDocument();
    expect(within(claimed).getByRole('checkbox', { name: 'Planning' })).toBeEnabled();
    const own = screen.getByTestId('member-u-bram');
    expect(own).not.toHaveTextContent('identiteitsprovider');
    expect(within(own).getByTestId('member-remove')).toBeInTheDocument();
  });

  it('asks the server once for a search typed letter by letter (each search is access-logged)', async () => {
    const api = mockApi(adminTable());
    renderApp('/beheer/mensen');
    await screen.findByTestId('admin-people-list');
    // Five keystrokes within one moment (synchronous: no timing on a busy machine).
    for (const q of ['J', 'Jo', 'Joh', 'Joha', 'Johan']) fireEvent.change(screen.getByTestId('people-search'), { target: { value: q } });
    await waitFor(() => expect(api.calls('/api/v1/users').map((c) => c.url.searchParams.get('q'))).toContain('Johan'));
    expect(api.calls('/api/v1/users').map((c) => c.url.searchParams.get('q'))).toEqual([null, 'Johan']);
  });

  it("shows where a person's roles come from and revokes an identity provider's role", async () => {
    let sent: unknown;
    const api = mockApi({
      ...adminTable(),
      'PUT /api/v1/users/u-johan/roles': (req) => {
        sent = req;
        return { body: { ...johan, roles: ['teamcoach'], deniedRoles: ['regiomanager', 'zorgmedewerker'] } };
      },
    });
    renderApp('/beheer/mensen/u-johan');
    const form = await screen.findByTestId('person-roles');
    expect(within(form).getByText(/Regiomanager/).parentElement).toHaveTextContent('uit Entra ID / identiteitsprovider');
    expect(within(form).getByText(/Zorgmedewerker/).parentElement).toHaveTextContent('ingetrokken in Plein');
    expect(within(form).getByText(/Teamcoach/).parentElement).toHaveTextContent('gegeven in Plein');
    expect(screen.getByTestId('person-teams')).toHaveTextContent('Julianadorp');
    expect(screen.getByTestId('person-teams')).toHaveTextContent('ICT');
    await userEvent.click(within(form).getByTestId('role-regiomanager'));
    await userEvent.click(within(form).getByRole('button', { name: 'Rollen opslaan' }));
    await waitFor(() => expect(sent).toBeDefined());
    const put = api.fn.mock.calls.find(([, init]) => init?.method === 'PUT');
    expect(JSON.parse(String(put?.[1]?.body))).toEqual({ roles: ['teamcoach'] });
  });

  it('lists the changes with who, what and before → after in Dutch', async () => {
    mockApi(adminTable());
    renderApp('/beheer/wijzigingen');
    const list = await screen.findByTestId('admin-changes');
    const [roles, member] = within(list).getAllByTestId('change');
    expect(roles).toHaveTextContent('Rollen gewijzigd:');
    expect(roles).toHaveTextContent('Johan Mulder');
    expect(roles).toHaveTextContent('door Henk Bakker');
    expect(within(roles!).getByText('Regiomanager', { selector: 'del' })).toBeInTheDocument();
    expect(within(roles!).getByText('Regiomanager, Beheerder', { selector: 'ins' })).toBeInTheDocument();
    expect(member).toHaveTextContent('Teamlid en taakrollen:');
    expect(within(member!).getByText('ICT', { selector: 'ins' })).toBeInTheDocument();
  });

  it.each([
    ['/beheer', 'admin-team-list'],
    ['/beheer/teams/den-helder-centrum', 'admin-members'],
    ['/beheer/regios', 'admin-region-list'],
    ['/beheer/mensen', 'admin-people-list'],
    ['/beheer/mensen/u-johan', 'person-roles'],
    ['/beheer/wijzigingen', 'admin-changes'],
  ])('%s has no structural accessibility violations', async (path, testId) => {
    mockApi(adminTable());
    renderApp(path);
    await screen.findByTestId(testId);
    await expectNoViolations();
  }, 30_000);
});
