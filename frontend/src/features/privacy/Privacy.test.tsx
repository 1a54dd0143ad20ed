import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import { ANOUK_ID, PEOPLE, anouk, baseTable, mockApi, renderApp } from '../accesslog/testing';
import { countItems, itemLines, sectionParts } from './exportView';

afterEach(() => {
  vi.unstubAllGlobals();
  void i18n.changeLanguage('nl');
});

const EXPORT = {
  generatedAt: '2026-11-23T14:09:51Z',
  subject: { id: ANOUK_ID, name: 'Anouk de Vries' },
  sections: {
    account: {
      id: ANOUK_ID,
      name: 'Anouk de Vries',
      email: 'anouk@noorderkwartier.example',
      roles: ['zorgmedewerker'],
      active: true,
      createdAt: '2026-01-02T08:00:00Z',
      sessions: [{ createdAt: '2026-11-23T08:00:00Z', lastSeenAt: '2026-11-23T14:00:00Z', expiresAt: '2026-11-26T08:00:00Z' }],
    },
    chat: {
      channels: ['t-den-helder-centrum'],
      readMarkers: { 't-den-helder-centrum': 12 },
      messages: [{ channel: 't-den-helder-centrum', seq: 3, at: '2026-11-20T09:00:00Z', body: 'Wie neemt de late dienst?' }],
    },
    knowledge: { kb_confirmations: [{ _id: 'a:1:u', article: 'handhygiene', at: '2026-10-01T10:00:00Z' }] },
    accessLog: { byThem: [], aboutThem: [{ at: '2026-11-22T08:15:02Z', action: 'read', subject: 'user:x' }], truncated: false },
  },
};

describe('export view helpers', () => {
  it('splits the account into profile and sessions, and names known collections', () => {
    expect(sectionParts('account', EXPORT.sections.account).map((p) => p.label)).toEqual(['profile', 'sessions']);
    expect(sectionParts('knowledge', EXPORT.sections.knowledge).map((p) => p.label)).toEqual(['confirmations']);
    expect(sectionParts('learning', { learning_sessions: [] }).map((p) => p.label)).toEqual(['records']);
  });

  it('counts lists and maps, and writes values without field names', () => {
    expect(countItems([1, 2])).toBe(2);
    expect(countItems({ a: 1, b: 2 })).toBe(2);
    expect(countItems({ name: 'x' })).toBeNull();
    const lines = itemLines(EXPORT.sections.chat.messages, () => 'DATUM');
    expect(lines).toEqual(['DATUM · t-den-helder-centrum · Wie neemt de late dienst?']);
    expect(lines[0]).not.toMatch(/body|channel/);
  });
});

describe('Mijn gegevens', () => {
  it('is reached from the user menu and shows what Plein holds, with the download', async () => {
    const api = mockApi({ ...baseTable(anouk), '/api/v1/me/export': { body: EXPORT }, [PEOPLE]: { body: { items: [] } } });
    renderApp('/');
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('user-menu-button'));
    await user.click(screen.getByTestId('nav-mydata'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Mijn gegevens' })).toBeInTheDocument();
    const chat = await screen.findByTestId('mydata-section-chat');
    expect(within(chat).getByRole('heading', { name: 'Chat' })).toBeInTheDocument();
    expect(within(chat).getByTestId('mydata-part-chat-messages')).toHaveTextContent('Berichten die je schreef 1 item');
    expect(within(chat).getByText(/Wie neemt de late dienst\?/)).toBeInTheDocument();
    expect(screen.getByTestId('mydata-part-accessLog-aboutThem')).toHaveTextContent('Wie jouw gegevens bekeek');
    expect(screen.getByTestId('mydata-part-knowledge-kb_confirmations')).toHaveTextContent('Gelezen en begrepen 1 item');
    const download = screen.getByTestId('mydata-download');
    expect(download).toHaveAttribute('href', '/api/v1/me/export?download=1');
    expect(download).toHaveAttribute('download');
    expect(api.calls('/api/v1/me/export')).toHaveLength(1);
    // No field name of the export reaches the Dutch screen.
    expect(screen.getByTestId('mydata-page').textContent).not.toMatch(/readMarkers|kb_confirmations|aboutThem|createdAt/);
  });

  it('says in Dutch when the export cannot be made', async () => {
    mockApi({ ...baseTable(anouk), '/api/v1/me/export': { status: 503, body: { code: 'unavailable', status: 503, title: 'Service Unavailable' } } });
    renderApp('/mijn-gegevens');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Je gegevens konden niet worden opgehaald');
    expect(alert.textContent).not.toMatch(/Service Unavailable/);
  });
});

describe('/beheer/privacy', () => {
  const RETENTION = {
    items: [
      { kind: 'chat', days: 365 },
      { kind: 'documents', days: 0 },
      { kind: 'access_log', days: 1827 },
    ],
  };

  it('tells a care worker it is for administrators and asks nothing', async () => {
    const api = mockApi(baseTable(anouk));
    renderApp('/beheer/privacy');
    expect(await screen.findByTestId('privacy-no-access')).toBeInTheDocument();
    expect(api.calls('/api/v1/privacy/erasures')).toHaveLength(0);
  });

  it('erases a person only after their name is typed, and shows the pseudonym', async () => {
    const posted: unknown[] = [];
    const erasures: unknown[] = [];
    mockApi({
      ...baseTable(),
      '/api/v1/privacy/retention': { body: RETENTION },
      '/api/v1/privacy/erasures': () => ({ body: { items: erasures } }),
      [PEOPLE]: { body: { items: [{ id: ANOUK_ID, name: 'Anouk de Vries', teams: ['Den Helder Centrum'] }] } },
      [`POST /api/v1/users/${ANOUK_ID}/erase`]: () => {
        posted.push(1);
        const job = {
          userId: ANOUK_ID,
          pseudonym: 'Oud-medewerker 4F2A',
          requestedBy: 'x',
          startedAt: '2026-11-23T14:09:51Z',
          finishedAt: '2026-11-23T14:09:52Z',
          steps: ['account', 'profile'],
          runs: 1,
        };
        erasures.push(job);
        return { body: job };
      },
    });
    renderApp('/beheer/privacy');
    const user = userEvent.setup();
    expect(await screen.findByTestId('privacy-retention-chat')).toHaveTextContent('Chatberichten365 dagen');
    expect(screen.getByTestId('privacy-retention-documents')).toHaveTextContent('Blijft bewaard');
    expect(await screen.findByText('Nog niemand gewist.')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Zoek een medewerker'), 'anouk');
    await user.click(await screen.findByRole('button', { name: /Anouk de Vries/ }));
    expect(screen.getByTestId('privacy-export-person')).toHaveAttribute('href', `/api/v1/users/${ANOUK_ID}/export?download=1`);
    const submit = screen.getByTestId('privacy-erase-submit');
    expect(submit).toBeDisabled();
    await user.type(screen.getByTestId('privacy-erase-confirm'), 'Anouk');
    expect(submit).toBeDisabled();
    await user.type(screen.getByTestId('privacy-erase-confirm'), ' de vries');
    expect(submit).toBeEnabled();
    await user.click(submit);
    expect(await screen.findByTestId('privacy-erase-done')).toHaveTextContent('Anouk de Vries is gewist en heet nu Oud-medewerker 4F2A.');
    expect(posted).toHaveLength(1);
    await waitFor(() => expect(screen.getAllByTestId('privacy-erasure-row')).toHaveLength(1));
  });

  it('shows the server refusal of the confirmation in Dutch at the field', async () => {
    mockApi({
      ...baseTable(),
      '/api/v1/privacy/retention': { body: RETENTION },
      '/api/v1/privacy/erasures': { body: { items: [] } },
      [PEOPLE]: { body: { items: [{ id: ANOUK_ID, name: 'Anouk de Vries', teams: ['Den Helder Centrum'] }] } },
      [`POST /api/v1/users/${ANOUK_ID}/erase`]: {
        status: 422,
        body: { status: 422, code: 'validation', title: 'Validation failed', errors: [{ field: 'confirmName', code: 'erase_name_mismatch', message: 'type the name' }] },
      },
    });
    renderApp('/beheer/privacy');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Zoek een medewerker'), 'anouk');
    await user.click(await screen.findByRole('button', { name: /Anouk de Vries/ }));
    await user.type(screen.getByTestId('privacy-erase-confirm'), 'Anouk de Vries');
    await user.click(screen.getByTestId('privacy-erase-submit'));
    const message = 'Typ de naam precies zoals hij in Plein staat om te bevestigen.';
    expect(await screen.findByTestId('error-confirmName')).toHaveTextContent(message);
    const input = screen.getByTestId('privacy-erase-confirm');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(message);
    // The summary above the form takes focus and links to the field.
    const summary = screen.getByTestId('privacy-erase-problem');
    expect(summary).toHaveFocus();
    expect(summary).toHaveTextContent('Wissen is niet gelukt');
    const link = within(summary).getByRole('link', { name: message });
    await user.click(link);
    expect(input).toHaveFocus();
    expect(screen.getByTestId('privacy-admin-page').textContent).not.toMatch(/type the name|Validation failed/);
  });
});
