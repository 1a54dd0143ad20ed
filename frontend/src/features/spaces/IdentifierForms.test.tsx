import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatEnvironment } from '../chat/ChatProvider';
import { FakeSocket, fakeSocketFactory } from '../chat/testing';
import { API, FEED_URL, PINNED_URL, SPACE_URL, announcement, calls, ilse, jsonBody, mockApi, post, renderSpaces, space } from './testing';

beforeEach(() => {
  FakeSocket.reset();
  chatEnvironment.createSocket = fakeSocketFactory;
});

afterEach(() => {
  chatEnvironment.createSocket = null;
});

/** The server's answer to text that looks like client data (nothing stored). */
function suspected(...findings: { field: string; kind: string }[]) {
  return {
    status: 422,
    body: { type: '/problems/identifier-suspected', code: 'identifier_suspected', title: 'Identifier suspected', status: 422, findings },
  };
}

/** Answers `first` once, then `then`. */
function once(first: { status: number; body: unknown }, then: { status?: number; body: unknown }) {
  let n = 0;
  return () => (n++ === 0 ? first : then);
}

/** Every JSON body sent as "METHOD /path". */
function bodies(fetchMock: ReturnType<typeof mockApi>, call: string): unknown[] {
  return calls(fetchMock)
    .map((c, i) => (c === call ? jsonBody((fetchMock.mock.calls[i]![1] ?? {}) as RequestInit) : undefined))
    .filter((b) => b !== undefined);
}

describe('the client-data warning in the newly guarded forms', () => {
  it('announcement: explains in Dutch, keeps the text on "Aanpassen", resends acknowledged on "Toch versturen"', async () => {
    const fetchMock = mockApi(
      {
        [`${API}/announcements?limit=50`]: { body: { items: [] } },
        [`POST ${API}/announcements`]: once(suspected({ field: 'body', kind: 'bsn' }), { status: 201, body: announcement({ id: 'a2', title: 'Zorg' }) }),
      },
      ilse,
    );
    renderSpaces('/mededelingen');
    await userEvent.click(await screen.findByRole('button', { name: 'Nieuwe mededeling' }, { timeout: 15000 }));
    const form = screen.getByTestId('announcement-form');
    await userEvent.type(within(form).getByRole('textbox', { name: 'Titel' }), 'Zorg');
    await userEvent.type(within(form).getByRole('textbox', { name: 'Tekst' }), 'BSN 123456782');
    await userEvent.click(within(form).getByRole('button', { name: 'Versturen' }));

    const dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent('Dit lijkt een BSN. Cliëntgegevens horen in het zorgdossier, niet in Plein.');
    expect(dialog).toHaveTextContent('Gevonden in: de tekst.');
    expect(dialog).not.toHaveTextContent(/client data|Send anyway/i);
    // No generic error next to the dialog.
    expect(screen.queryByText('De mededeling is niet verstuurd.')).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Toch versturen' }));
    expect(await screen.findByText('De mededeling ‘Zorg’ is verstuurd.')).toBeInTheDocument();
    const sent = bodies(fetchMock, `POST ${API}/announcements`);
    expect(sent).toHaveLength(2);
    expect(sent[0]).not.toHaveProperty('acknowledgeIdentifiers');
    expect(sent[1]).toMatchObject({ title: 'Zorg', body: 'BSN 123456782', acknowledgeIdentifiers: true });
  }, 60_000); // the page is loaded lazily: slow on a busy machine

  it('post composer: a file name is confirmed apart from the text, and resent with acknowledgeIdentifiers', async () => {
    const staged: (string | null)[] = [];
    const fetchMock = mockApi({
      [SPACE_URL]: { body: space() },
      [PINNED_URL]: { body: { items: [] } },
      [FEED_URL]: { body: { items: [] } },
      [`POST ${SPACE_URL}/uploads`]: ({ init }) => {
        const ack = (init.body as FormData).get('acknowledgeIdentifiers') as string | null;
        staged.push(ack);
        return ack === 'true'
          ? { status: 201, body: { id: `att-${staged.length}`, name: 'Kerkstraat 12.pdf', contentType: 'application/pdf', size: 9, image: false } }
          : suspected({ field: 'file', kind: 'address' });
      },
      [`DELETE ${SPACE_URL}/uploads/att-2`]: { status: 204 },
      [`POST ${SPACE_URL}/posts`]: once(suspected({ field: 'body', kind: 'bsn' }), { status: 201, body: post({ id: 'p-new' }) }),
    });
    renderSpaces('/teams/den-helder-centrum/berichten');
    const composer = await screen.findByTestId('space-composer');
    await userEvent.type(within(composer).getByRole('textbox', { name: 'Bericht' }), 'BSN 123456782');
    await userEvent.upload(within(composer).getByTestId('composer-files'), new File(['%PDF-1.4'], 'Kerkstraat 12.pdf', { type: 'application/pdf' }));
    await userEvent.click(within(composer).getByRole('button', { name: 'Plaatsen' }));

    // The file name first: nothing posted, no generic refusal next to the warning.
    let dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent('Dit lijkt een adres.');
    expect(dialog).toHaveTextContent('Gevonden in: de bestandsnaam.');
    expect(within(composer).queryByTestId('composer-refused')).not.toBeInTheDocument();
    expect(calls(fetchMock)).not.toContain(`POST ${SPACE_URL}/posts`);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Toch versturen' }));

    // Then the text, which confirming the file name did not let through.
    dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent('Dit lijkt een BSN.');
    expect(dialog).toHaveTextContent('Gevonden in: de tekst.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Toch versturen' }));
    expect(await within(composer).findByText('Je bericht is geplaatst.')).toBeInTheDocument();

    expect(staged).toEqual([null, 'true', 'true']);
    const sent = bodies(fetchMock, `POST ${SPACE_URL}/posts`);
    expect(sent).toHaveLength(2);
    expect(sent[0]).not.toHaveProperty('acknowledgeIdentifiers');
    expect(sent[0]).toMatchObject({ attachments: ['att-2'] });
    expect(sent[1]).toMatchObject({ body: 'BSN 123456782', acknowledgeIdentifiers: true, attachments: ['att-3'] });
  }, 60_000);

  it('space profile: the description is kept on "Aanpassen" and focus returns to it', async () => {
    const fetchMock = mockApi({
      [SPACE_URL]: { body: space() },
      [`${SPACE_URL}/profile/history`]: { body: { items: [] } },
      [`PUT ${SPACE_URL}/profile`]: once(suspected({ field: 'workingArea', kind: 'address' }), { body: space({ revision: 4 }) }),
    });
    renderSpaces('/ruimtes/den-helder-centrum/profiel');
    const form = await screen.findByTestId('profile-form');
    const description = within(form).getByRole('textbox', { name: 'Beschrijving' });
    await userEvent.type(within(form).getByRole('textbox', { name: 'Werkgebied' }), ', Kerkstraat 12');
    await userEvent.click(within(form).getByRole('button', { name: 'Opslaan' }));

    const dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent('Dit lijkt een adres.');
    expect(dialog).toHaveTextContent('Gevonden in: het werkgebied.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Aanpassen' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(description).toHaveFocus();
    expect(within(form).getByRole('textbox', { name: 'Werkgebied' })).toHaveValue('1781, Centrum, Kerkstraat 12');
    expect(bodies(fetchMock, `PUT ${SPACE_URL}/profile`)).toHaveLength(1);

    await userEvent.click(within(form).getByRole('button', { name: 'Opslaan' }));
    expect(await within(form).findByText('Het profiel is opgeslagen.')).toBeInTheDocument();
    const sent = bodies(fetchMock, `PUT ${SPACE_URL}/profile`);
    expect(sent).toHaveLength(2);
    expect(sent[1]).not.toHaveProperty('acknowledgeIdentifiers'); // the second answer was not a warning
  }, 60_000);
});
