import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anouk } from '../../test/fixtures';
import { chatEnvironment } from '../chat/ChatProvider';
import { FakeSocket, fakeSocketFactory } from '../chat/testing';
import { AGENDA_DAYS, eventTimes } from './AgendaPage';
import { normaliseFolder } from './DocumentsPage';
import { addDays, localDay, splitList } from './format';
import {
  API,
  SPACE_URL,
  announcement,
  calls,
  documentInfo,
  header,
  ilse,
  jsonBody,
  mockApi,
  renderSpaces,
  requestOf,
  space,
} from './testing';

beforeEach(() => {
  FakeSocket.reset();
  chatEnvironment.createSocket = fakeSocketFactory;
});

afterEach(() => {
  chatEnvironment.createSocket = null;
});

describe('space profile', () => {
  const history = {
    items: [
      {
        revision: 3,
        at: '2026-11-01T09:30:00Z',
        by: { id: 'u-anouk', name: 'Anouk de Vries' },
        fields: ['description', 'contact.phone'],
        description: '',
        workingArea: [],
        contact: { phone: '', email: '' },
      },
    ],
  };

  it('saves description, working area and contact with the revision', async () => {
    const fetchMock = mockApi({
      [SPACE_URL]: { body: space() },
      [`${SPACE_URL}/profile/history`]: { body: history },
      [`PUT ${SPACE_URL}/profile`]: { body: space({ revision: 4, workingArea: ['1781', 'Centrum', 'Nieuw Den Helder'] }) },
    });
    renderSpaces('/ruimtes/den-helder-centrum/profiel');
    const form = await screen.findByTestId('profile-form');
    // The preview shows the saved (server-sanitised) HTML.
    expect(within(form).getByTestId('profile-preview').innerHTML).toBe('<p>Wij zijn een <strong>zelfsturend</strong> team.</p>');
    const area = within(form).getByRole('textbox', { name: 'Werkgebied' });
    expect(area).toHaveValue('1781, Centrum');
    await userEvent.type(area, ', Nieuw Den Helder,, centrum');
    expect(within(form).getByRole('list', { name: 'Werkgebied zoals het wordt opgeslagen' })).toHaveTextContent(
      '1781CentrumNieuw Den Helder',
    );
    await userEvent.click(within(form).getByRole('button', { name: 'Opslaan' }));
    expect(await within(form).findByText('Het profiel is opgeslagen.')).toBeInTheDocument();
    expect(jsonBody(requestOf(fetchMock, `PUT ${SPACE_URL}/profile`))).toEqual({
      description: 'Wij zijn een **zelfsturend** team.',
      workingArea: ['1781', 'Centrum', 'Nieuw Den Helder'],
      contact: { phone: '0223 - 12 34 56', email: 'centrum@noorderkwartier.example' },
      revision: 3,
    });

    const revision = screen.getByTestId('profile-revision');
    expect(revision).toHaveTextContent('Anouk de Vries wijzigde de beschrijving, het telefoonnummer');
    expect(revision).toHaveTextContent('versie 3');
  });

  it('explains a conflict (409) and reloads the latest version', async () => {
    let current = space();
    mockApi({
      [SPACE_URL]: () => ({ body: current }),
      [`${SPACE_URL}/profile/history`]: { body: history },
      [`PUT ${SPACE_URL}/profile`]: () => {
        current = space({ revision: 4, description: 'Door Sanne aangepast.', descriptionHtml: '<p>Door Sanne aangepast.</p>' });
        return { status: 409, body: { title: 'Conflict', status: 409, detail: 'stale revision' } };
      },
    });
    renderSpaces('/ruimtes/den-helder-centrum/profiel');
    const form = await screen.findByTestId('profile-form');
    await userEvent.clear(within(form).getByRole('textbox', { name: 'Beschrijving' }));
    await userEvent.type(within(form).getByRole('textbox', { name: 'Beschrijving' }), 'Mijn versie');
    await userEvent.click(within(form).getByRole('button', { name: 'Opslaan' }));

    const conflict = await screen.findByTestId('profile-conflict');
    expect(conflict).toHaveAttribute('role', 'alert');
    expect(conflict).toHaveTextContent('Iemand anders heeft het profiel net gewijzigd');
    expect(conflict).toHaveTextContent('Je wijzigingen zijn niet opgeslagen.');
    await userEvent.click(within(conflict).getByRole('button', { name: 'Nieuwste versie laden' }));
    await waitFor(() => expect(within(form).getByRole('textbox', { name: 'Beschrijving' })).toHaveValue('Door Sanne aangepast.'));
    expect(screen.queryByTestId('profile-conflict')).not.toBeInTheDocument();
  });
});

describe('documents', () => {
  it('shows a refused upload at the file field and in the summary above the form', async () => {
    mockApi({
      [SPACE_URL]: { body: space() },
      [`${SPACE_URL}/documents?folder=%2F`]: { body: { folder: '/', folders: [], items: [] } },
      [`POST ${SPACE_URL}/documents`]: {
        status: 422,
        body: { code: 'validation', title: 'Invalid input', status: 422, errors: [{ field: 'file', code: 'file_empty', message: 'the file is empty' }] },
      },
    });
    renderSpaces('/ruimtes/den-helder-centrum/documenten');
    const form = await screen.findByTestId('document-upload');
    const input = within(form).getByLabelText('Bestand');
    await userEvent.upload(input, new File(['x'], 'Leeg.pdf', { type: 'application/pdf' }));
    await userEvent.click(within(form).getByRole('button', { name: 'Uploaden' }));

    const summary = await within(form).findByTestId('document-upload-problem');
    expect(summary).toHaveFocus();
    expect(within(summary).getByRole('link', { name: 'Dit bestand is leeg.' })).toHaveAttribute('href', `#${input.id}`);
    expect(within(form).getByTestId('error-file')).toHaveTextContent('Dit bestand is leeg.');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(/Dit bestand is leeg\./);
    expect(form.textContent).not.toMatch(/Invalid input|the file is empty/);
  });

  it('shows folders with breadcrumbs and uploads a same-named file as version 2', async () => {
    const listing = {
      folder: '/Overleg',
      folders: [{ path: '/Overleg/2026', name: '2026' }],
      items: [documentInfo({ folder: '/Overleg' })],
    };
    const fetchMock = mockApi({
      [SPACE_URL]: { body: space() },
      [`${SPACE_URL}/documents?folder=%2FOverleg`]: { body: listing },
      [`POST ${SPACE_URL}/documents`]: {
        status: 201,
        body: documentInfo({ folder: '/Overleg', version: 2, updatedBy: { id: 'u-anouk', name: 'Anouk de Vries' } }),
      },
      [`${SPACE_URL}/documents/d1`]: {
        body: documentInfo({
          folder: '/Overleg',
          version: 2,
          versions: [
            { version: 1, size: 20480, contentType: 'application/pdf', uploadedAt: '2026-11-10T10:00:00Z', uploadedBy: { id: 'u-sanne', name: 'Sanne Bakker' }, note: '' },
            { version: 2, size: 22000, contentType: 'application/pdf', uploadedAt: '2026-11-20T10:00:00Z', uploadedBy: { id: 'u-anouk', name: 'Anouk de Vries' }, note: 'Nieuwe tijden' },
          ],
        }),
      },
    });
    renderSpaces('/ruimtes/den-helder-centrum/documenten?map=/Overleg');

    const crumbs = await screen.findByTestId('documents-breadcrumb');
    expect(within(crumbs).getByRole('link', { name: 'Alle documenten' })).toHaveAttribute('href', '/teams/den-helder-centrum/documenten');
    expect(within(crumbs).getByText('Overleg')).toHaveAttribute('aria-current', 'page');
    expect(await screen.findByRole('link', { name: '2026' })).toHaveAttribute(
      'href',
      '/teams/den-helder-centrum/documenten?map=%2FOverleg%2F2026',
    );
    expect(screen.getByTestId('document-version')).toHaveTextContent('versie 1');

    const form = screen.getByTestId('document-upload');
    const file = new File(['%PDF-1.7 nieuw'], 'Werkafspraken.pdf', { type: 'application/pdf' });
    await userEvent.upload(within(form).getByLabelText('Bestand'), file);
    await userEvent.type(within(form).getByRole('textbox', { name: 'Toelichting (niet verplicht)' }), 'Nieuwe tijden');
    await userEvent.click(within(form).getByRole('button', { name: 'Uploaden' }));

    expect(await within(form).findByTestId('document-upload-status')).toHaveTextContent(
      'Werkafspraken.pdf is geüpload als versie 2.',
    );
    const upload = requestOf(fetchMock, `POST ${SPACE_URL}/documents`);
    const sent = upload.body as FormData;
    expect((sent.get('file') as File).name).toBe('Werkafspraken.pdf');
    expect(sent.get('folder')).toBe('/Overleg');
    expect(sent.get('note')).toBe('Nieuwe tijden');
    expect(header(upload, 'X-CSRF-Token')).toBe('csrf-test-token');

    // The uploaded document opens with its versions, newest first.
    const versions = await screen.findByTestId('document-versions');
    const items = within(versions).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('versie 2');
    expect(items[0]).toHaveTextContent('Nieuwe tijden');
    expect(within(items[0]!).getByRole('link', { name: 'versie 2' })).toHaveAttribute(
      'href',
      `${SPACE_URL}/documents/d1/content?version=2`,
    );
    // The folder listing is fetched again after the upload.
    await waitFor(() =>
      expect(calls(fetchMock).filter((c) => c === `GET ${SPACE_URL}/documents?folder=%2FOverleg`).length).toBeGreaterThan(1),
    );
  });

  it('opens the document a notification points at, in its folder', async () => {
    mockApi({
      [SPACE_URL]: { body: space() },
      [`${SPACE_URL}/documents/d1`]: { body: documentInfo({ folder: '/Protocollen', versions: [] }) },
      [`${SPACE_URL}/documents?folder=%2FProtocollen`]: {
        body: { folder: '/Protocollen', folders: [], items: [documentInfo({ folder: '/Protocollen' })] },
      },
    });
    renderSpaces('/ruimtes/den-helder-centrum/documenten/d1');
    const crumbs = await screen.findByTestId('documents-breadcrumb');
    expect(await within(crumbs).findByText('Protocollen')).toHaveAttribute('aria-current', 'page');
    const row = await screen.findByTestId('document');
    expect(within(row).getByRole('button', { name: 'Werkafspraken.pdf' })).toHaveAttribute('aria-expanded', 'true');
    expect(await within(row).findByTestId('document-details')).toBeInTheDocument();
    expect(row).toHaveFocus();
  });

  it('normalises folder paths from the URL', () => {
    expect(normaliseFolder(null)).toBe('/');
    expect(normaliseFolder('/Overleg//2026/')).toBe('/Overleg/2026');
    expect(normaliseFolder('/../etc/./x')).toBe('/etc/x');
  });
});

describe('agenda', () => {
  it('lists events and shows the personal feed URL with copy and reset', async () => {
    const today = new Date();
    const at = (h: number) => {
      const d = new Date(today);
      d.setHours(h, 0, 0, 0);
      return d.toISOString();
    };
    const eventsUrl = `${SPACE_URL}/events?from=${localDay(today)}&to=${localDay(addDays(today, AGENDA_DAYS))}`;
    const fetchMock = mockApi({
      [SPACE_URL]: { body: space() },
      [eventsUrl]: {
        body: {
          items: [
            {
              id: 'e1',
              spaceId: 'den-helder-centrum',
              title: 'Teamoverleg',
              start: at(14),
              end: at(15),
              allDay: false,
              location: 'Buurthuis',
              description: '',
              visibility: 'team',
              createdBy: { id: 'u-anouk', name: 'Anouk de Vries' },
              canDelete: true,
            },
          ],
        },
      },
      [`${API}/spaces/calendar-feed`]: { body: { url: 'https://plein.example/ical/secret-1.ics' } },
      [`POST ${API}/spaces/calendar-feed/reset`]: { body: { url: 'https://plein.example/ical/secret-2.ics' } },
    });
    renderSpaces('/ruimtes/den-helder-centrum/agenda');
    const event = await screen.findByTestId('event');
    expect(event).toHaveTextContent('Teamoverleg');
    expect(event).toHaveTextContent('Locatie: Buurthuis');
    expect(screen.getByRole('heading', { name: 'Vandaag' })).toBeInTheDocument();

    const feed = screen.getByTestId('calendar-feed');
    // The secret URL is only fetched on request.
    expect(calls(fetchMock)).not.toContain('GET /api/v1/spaces/calendar-feed');
    await userEvent.click(within(feed).getByRole('button', { name: 'Toon mijn agenda-link' }));
    // A member gets this space's calendar by default, or all of hers.
    expect(await within(feed).findByRole('textbox', { name: 'Jouw persoonlijke agenda-link' })).toHaveValue(
      'https://plein.example/ical/secret-1.ics?ruimte=den-helder-centrum',
    );
    await userEvent.click(within(feed).getByRole('radio', { name: 'Van al mijn ruimtes' }));
    expect(within(feed).getByRole('textbox', { name: 'Jouw persoonlijke agenda-link' })).toHaveValue(
      'https://plein.example/ical/secret-1.ics',
    );
    await userEvent.click(within(feed).getByRole('button', { name: 'Nieuwe link maken' }));
    await userEvent.click(within(feed).getByRole('button', { name: 'Ja, nieuwe link maken' }));
    await waitFor(() =>
      expect(within(feed).getByRole('textbox', { name: 'Jouw persoonlijke agenda-link' })).toHaveValue(
        'https://plein.example/ical/secret-2.ics',
      ),
    );
    expect(header(requestOf(fetchMock, `POST ${API}/spaces/calendar-feed/reset`), 'X-CSRF-Token')).toBe('csrf-test-token');
  });

  it('turns form values into event times', () => {
    const timed = eventTimes({ startDate: '2026-12-01', startTime: '09:30', endDate: '', endTime: '11:00', allDay: false });
    expect(timed.start).toMatch(/^2026-12-01T\d\d:30:00\.000Z$/);
    expect(new Date(timed.end).getTime() - new Date(timed.start).getTime()).toBe(90 * 60_000);
    // All-day: dates, the end being the last day.
    expect(eventTimes({ startDate: '2026-12-01', startTime: '', endDate: '2026-12-02', endTime: '', allDay: true })).toEqual({
      start: '2026-12-01',
      end: '2026-12-02',
    });
    expect(eventTimes({ startDate: '2026-12-01', startTime: '', endDate: '', endTime: '', allDay: true }).end).toBe('2026-12-01');
  });

  it('adds an all-day event with dates and opens the event a notification points at', async () => {
    const today = new Date();
    const eventsUrl = `${SPACE_URL}/events?from=${localDay(today)}&to=${localDay(addDays(today, AGENDA_DAYS))}`;
    const day = localDay(addDays(today, 2));
    const fetchMock = mockApi({
      [SPACE_URL]: { body: space() },
      [eventsUrl]: {
        body: {
          items: [
            {
              id: 'e7',
              spaceId: 'den-helder-centrum',
              title: 'Scholingsdag wondzorg',
              start: day,
              end: day,
              allDay: true,
              location: '',
              description: '',
              visibility: 'organisation',
              createdBy: { id: 'u-anouk', name: 'Anouk de Vries' },
              canDelete: false,
            },
          ],
        },
      },
      [`POST ${SPACE_URL}/events`]: { status: 201, body: {} },
    });
    renderSpaces('/ruimtes/den-helder-centrum/agenda/e7');
    const event = await screen.findByTestId('event');
    expect(event).toHaveTextContent('Hele dag');
    expect(event).toHaveClass('sp-event--target');
    expect(event).toHaveFocus();
    expect(screen.getByRole('link', { name: 'Agenda' })).toHaveAttribute('aria-current', 'page');

    const form = screen.getByTestId('event-form');
    await userEvent.type(within(form).getByRole('textbox', { name: 'Wat' }), 'Teamuitje');
    await userEvent.click(within(form).getByRole('checkbox', { name: 'Hele dag' }));
    await userEvent.clear(within(form).getByLabelText('Datum'));
    await userEvent.type(within(form).getByLabelText('Datum'), '2026-12-05');
    await userEvent.click(within(form).getByRole('button', { name: 'Toevoegen' }));
    expect(await within(form).findByText('Teamuitje staat in de agenda.')).toBeInTheDocument();
    expect(jsonBody(requestOf(fetchMock, `POST ${SPACE_URL}/events`))).toEqual({
      title: 'Teamuitje',
      start: '2026-12-05',
      end: '2026-12-05',
      allDay: true,
      location: '',
      description: '',
      visibility: 'team',
    });
  });
});

describe('announcements', () => {
  it('acknowledges an announcement that asks for it', async () => {
    const fetchMock = mockApi({
      [`${API}/announcements?limit=50`]: { body: { items: [announcement()] } },
      [`POST ${API}/announcements/a1/ack`]: { body: announcement({ acknowledged: true, ackedAt: '2026-11-20T10:15:00Z' }) },
    });
    renderSpaces('/mededelingen');
    const item = await screen.findByTestId('announcement');
    expect(within(item).getByRole('heading', { name: 'Nieuw protocol handhygiëne' })).toBeInTheDocument();
    expect(item).toHaveTextContent('Iedereen');
    // Only the roles that may write announcements see the form.
    expect(screen.queryByRole('button', { name: 'Nieuwe mededeling' })).not.toBeInTheDocument();
    await userEvent.click(within(item).getByRole('button', { name: 'Gelezen en begrepen' }));
    expect(await within(item).findByText(/Je hebt op .* bevestigd dat je dit gelezen hebt\./)).toBeInTheDocument();
    expect(within(item).queryByRole('button', { name: 'Gelezen en begrepen' })).not.toBeInTheDocument();
    expect(calls(fetchMock)).toContain(`POST ${API}/announcements/a1/ack`);
  });

  it('lets support services write one for chosen teams with read confirmation, and see the report', async () => {
    const fetchMock = mockApi(
      {
        [`${API}/announcements?limit=50`]: { body: { items: [announcement({ acknowledged: false })] } },
        [`POST ${API}/announcements`]: { status: 201, body: announcement({ id: 'a2', title: 'Griepprik' }) },
        [`${API}/announcements/a1/report`]: {
          body: {
            announcement: { id: 'a1', title: 'Nieuw protocol handhygiëne' },
            teams: [
              { team: { id: 'den-helder-centrum', name: 'Den Helder-Centrum' }, members: 2, acked: 1, rate: 0.5, missing: [{ id: 'u-sanne', name: 'Sanne Bakker' }] },
              { team: { id: 'julianadorp', name: 'Julianadorp' }, members: 1, acked: 1, rate: 1, missing: [] },
            ],
            total: { members: 3, acked: 2, rate: 0.6667 },
          },
        },
      },
      ilse,
    );
    const { router } = renderSpaces('/mededelingen');
    await userEvent.click(await screen.findByRole('button', { name: 'Nieuwe mededeling' }));
    const form = screen.getByTestId('announcement-form');
    await userEvent.click(within(form).getByRole('button', { name: 'Versturen' }));
    expect(within(form).getByText('Vul een titel in.')).toBeInTheDocument();
    expect(calls(fetchMock)).not.toContain(`POST ${API}/announcements`);

    await userEvent.type(within(form).getByRole('textbox', { name: 'Titel' }), 'Griepprik');
    await userEvent.type(within(form).getByRole('textbox', { name: 'Tekst' }), 'Haal je **griepprik**.');
    await userEvent.click(within(form).getByRole('radio', { name: "Bepaalde regio's en teams" }));
    await userEvent.click(within(form).getByRole('button', { name: 'Versturen' }));
    expect(within(form).getByText('Kies minstens één regio of team.')).toBeInTheDocument();
    await userEvent.click(await within(form).findByRole('checkbox', { name: 'Julianadorp' }));
    await userEvent.click(within(form).getByRole('checkbox', { name: 'Lezers moeten bevestigen dat ze het gelezen hebben' }));
    await userEvent.click(within(form).getByRole('button', { name: 'Versturen' }));
    expect(await screen.findByText('De mededeling ‘Griepprik’ is verstuurd.')).toBeInTheDocument();
    expect(jsonBody(requestOf(fetchMock, `POST ${API}/announcements`))).toEqual({
      title: 'Griepprik',
      body: 'Haal je **griepprik**.',
      audience: { everyone: false, regions: [], teams: ['julianadorp'] },
      requiresAck: true,
    });

    // The author sees the report link (this announcement is Ilse's).
    await userEvent.click(screen.getByRole('link', { name: 'Wie heeft het gelezen?' }));
    expect(router.state.location.pathname).toBe('/mededelingen/a1/rapportage');
    const table = await screen.findByRole('table', { name: 'Bevestigingen per team, laagste percentage eerst' });
    const rows = within(table).getAllByTestId('ack-report-row');
    expect(rows[0]).toHaveTextContent('Den Helder-Centrum');
    expect(rows[0]).toHaveTextContent('1 van 2');
    expect(rows[0]).toHaveTextContent('50%');
    expect(rows[0]).toHaveTextContent('Sanne Bakker');
    expect(rows[1]).toHaveTextContent('Iedereen heeft bevestigd');
    expect(screen.getByTestId('ack-report-total')).toHaveTextContent('2 van de 3 mensen hebben bevestigd (67%).');
  });

  it('hides the form from people who may not write announcements', async () => {
    mockApi({ [`${API}/announcements?limit=50`]: { body: { items: [] } } }, anouk);
    renderSpaces('/mededelingen');
    expect(await screen.findByText('Er zijn geen mededelingen voor jou.')).toBeInTheDocument();
    expect(screen.queryByTestId('announcement-new')).not.toBeInTheDocument();
  });
});

describe('helpers', () => {
  it('splits a comma separated list without empties or duplicates', () => {
    expect(splitList(' 1781, Centrum ,, centrum, Julianadorp ')).toEqual(['1781', 'Centrum', 'Julianadorp']);
    expect(splitList('')).toEqual([]);
  });
});
