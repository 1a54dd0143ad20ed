import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatEnvironment } from '../chat/ChatProvider';
import { FakeSocket, fakeSocketFactory } from '../chat/testing';
import {
  API,
  FEED_URL,
  PINNED_URL,
  SPACE_URL,
  calls,
  daan,
  header,
  jsonBody,
  mockApi,
  post,
  renderSpaces,
  requestOf,
  space,
} from './testing';
import type { Post } from './types';

beforeEach(() => {
  FakeSocket.reset();
  chatEnvironment.createSocket = fakeSocketFactory;
});

afterEach(() => {
  chatEnvironment.createSocket = null;
});

const STAGED = 'att-0123456789abcdef0123456789abcdef';

describe('space home', () => {
  it('shows the header, sanitised description, contact links, pinned agreements first and members with task roles', async () => {
    const agreement = post({ id: 'p-agree', agreement: true, pinned: true, body: 'Overdracht om 14:00', bodyHtml: '<p>Overdracht om 14:00</p>' });
    const normal = post({ id: 'p-normal', bodyHtml: '<p>Wie heeft de sleutel?</p>' });
    mockApi({
      [SPACE_URL]: { body: space() },
      [PINNED_URL]: { body: { items: [agreement] } },
      // The feed also contains the pinned post: it is shown once, under Afspraken.
      [FEED_URL]: { body: { items: [normal, agreement] } },
    });
    // A team's space is part of its team page: the posts are under "Berichten".
    const { router } = renderSpaces('/ruimtes/den-helder-centrum');
    await waitFor(() => expect(router.state.location.pathname).toBe('/teams/den-helder-centrum'));
    expect(await screen.findByRole('heading', { level: 1, name: /Den Helder-Centrum/ })).toBeInTheDocument();
    expect(await screen.findByText('Regio Den Helder', { exact: false })).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('team-tab-posts'));

    const agreements = screen.getByTestId('space-agreements');
    const agreementPost = await within(agreements).findByText('Overdracht om 14:00');
    expect(within(agreements).getByText('Teamafspraak')).toBeInTheDocument();
    expect(within(agreements).getByText('Vastgezet')).toBeInTheDocument();
    const stream = await screen.findByTestId('post-stream');
    expect(within(stream).getByText('Wie heeft de sleutel?')).toBeInTheDocument();
    expect(within(stream).queryByText('Overdracht om 14:00')).not.toBeInTheDocument();
    // On the team page what is new comes first: the stream, then Afspraken.
    expect(stream.compareDocumentPosition(agreementPost) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

    expect(document.title).toBe('Berichten – Den Helder-Centrum · Plein');

    // Members (from the organisation, with function and taakrollen) and the profile are under "Leden en taakrollen".
    await userEvent.click(screen.getByTestId('team-tab-members'));
    const members = await screen.findByTestId('team-members');
    expect(await within(members).findByText('Bram Jansen')).toBeInTheDocument();
    expect(within(members).getByText('(jij)')).toBeInTheDocument();
    expect(within(members).getByText('Financiën')).toBeInTheDocument();
    expect(within(members).getByText('Wijkverpleegkundige')).toBeInTheDocument();
    expect(screen.getByTestId('space-description').innerHTML).toBe('<p>Wij zijn een <strong>zelfsturend</strong> team.</p>');
    expect(screen.getByRole('link', { name: /0223 - 12 34 56/ })).toHaveAttribute('href', 'tel:0223123456');
    expect(screen.getByRole('link', { name: /centrum@noorderkwartier.example/ })).toHaveAttribute(
      'href',
      'mailto:centrum@noorderkwartier.example',
    );
  });

  it('stages the attachment with the CSRF token, then posts naming it with the chosen visibility and agreement flag', async () => {
    let feed: Post[] = [];
    const created = post({ id: 'p-new', body: 'Nieuwe sleutelkast', visibility: 'organisation', agreement: true });
    const attachment = { id: 'f9', name: 'kast.png', contentType: 'image/png', size: 68, image: true };
    const fetchMock = mockApi({
      [SPACE_URL]: { body: space() },
      [PINNED_URL]: { body: { items: [] } },
      [FEED_URL]: () => ({ body: { items: feed } }),
      [`POST ${SPACE_URL}/uploads`]: { status: 201, body: { ...attachment, id: STAGED } },
      [`POST ${SPACE_URL}/posts`]: () => {
        feed = [{ ...created, bodyHtml: '<p>Nieuwe sleutelkast</p>', attachments: [attachment] }];
        return { status: 201, body: feed[0] };
      },
    });
    renderSpaces('/teams/den-helder-centrum/berichten');

    const composer = await screen.findByTestId('space-composer');
    const visibility = within(composer).getByRole('combobox', { name: 'Wie mag dit zien?' });
    expect(visibility).toHaveValue('team'); // the safe default for a team space
    expect(within(composer).getByText('Alleen de leden van Den Helder-Centrum zien dit bericht.')).toBeInTheDocument();

    await userEvent.type(within(composer).getByRole('textbox', { name: 'Bericht' }), 'Nieuwe sleutelkast');
    await userEvent.selectOptions(visibility, 'organisation');
    expect(
      within(composer).getByText('Iedereen in de organisatie kan dit bericht zien, ook collega\'s buiten je team.'),
    ).toBeInTheDocument();
    await userEvent.click(within(composer).getByRole('checkbox', { name: 'Dit is een teamafspraak' }));
    const file = new File([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], 'kast.png', { type: 'image/png' });
    await userEvent.upload(within(composer).getByTestId('composer-files'), file);
    expect(within(composer).getByTestId('composer-file-list')).toHaveTextContent('kast.png');
    await userEvent.click(within(composer).getByRole('button', { name: 'Plaatsen' }));

    expect(await within(composer).findByText('Je bericht is geplaatst.')).toBeInTheDocument();
    const sequence = calls(fetchMock).filter((c) => c.startsWith('POST'));
    expect(sequence).toEqual([`POST ${SPACE_URL}/uploads`, `POST ${SPACE_URL}/posts`]);

    const create = requestOf(fetchMock, `POST ${SPACE_URL}/posts`);
    expect(jsonBody(create)).toEqual({ body: 'Nieuwe sleutelkast', visibility: 'organisation', agreement: true, attachments: [STAGED] });
    expect(header(create, 'X-CSRF-Token')).toBe('csrf-test-token');

    const upload = requestOf(fetchMock, `POST ${SPACE_URL}/uploads`);
    expect(upload.body).toBeInstanceOf(FormData);
    const sent = (upload.body as FormData).get('file');
    expect(sent).toBeInstanceOf(File);
    expect((sent as File).name).toBe('kast.png');
    expect(header(upload, 'X-CSRF-Token')).toBe('csrf-test-token');
    // multipart: the browser sets the boundary, so no JSON content type.
    expect(header(upload, 'Content-Type')).toBeUndefined();

    // The stream reloads and shows the image inline; the form is empty again.
    const image = await screen.findByTestId('post-attachment-image');
    expect(image).toHaveAttribute('src', `${SPACE_URL}/posts/p-new/attachments/f9`);
    expect(image).toHaveAttribute('alt', 'kast.png');
    expect(within(composer).getByRole('textbox', { name: 'Bericht' })).toHaveValue('');
    expect(within(composer).queryByTestId('composer-file-list')).not.toBeInTheDocument();
  });

  it('posts nothing when an attachment is refused, discards the staged ones and keeps the text', async () => {
    const fetchMock = mockApi({
      [SPACE_URL]: { body: space() },
      [PINNED_URL]: { body: { items: [] } },
      [FEED_URL]: { body: { items: [] } },
      [`POST ${SPACE_URL}/uploads`]: ({ init }) => {
        const name = ((init.body as FormData).get('file') as File).name;
        return name === 'rooster.pdf'
          ? { status: 201, body: { id: STAGED, name, contentType: 'application/pdf', size: 9, image: false } }
          : {
              status: 422,
              body: { status: 422, code: 'validation', errors: [{ field: 'file', code: 'file_type_refused', message: 'refused' }] },
            };
      },
      [`DELETE ${SPACE_URL}/uploads/${STAGED}`]: { status: 204 },
    });
    renderSpaces('/teams/den-helder-centrum/berichten');
    const composer = await screen.findByTestId('space-composer');
    await userEvent.type(within(composer).getByRole('textbox', { name: 'Bericht' }), 'Rooster en script');
    await userEvent.upload(within(composer).getByTestId('composer-files'), [
      new File(['%PDF-1.4'], 'rooster.pdf', { type: 'application/pdf' }),
      new File(['MZ'], 'foto.png', { type: 'image/png' }),
    ]);
    await userEvent.click(within(composer).getByRole('button', { name: 'Plaatsen' }));

    const refused = await within(composer).findByTestId('composer-refused');
    expect(refused).toHaveTextContent('Je bericht is niet geplaatst');
    expect(refused).toHaveTextContent('foto.png');
    await waitFor(() => expect(calls(fetchMock)).toContain(`DELETE ${SPACE_URL}/uploads/${STAGED}`));
    expect(calls(fetchMock)).not.toContain(`POST ${SPACE_URL}/posts`);
    expect(within(composer).getByRole('textbox', { name: 'Bericht' })).toHaveValue('Rooster en script');
  });

  it('counts the characters left and refuses an over-long post instead of cutting it', async () => {
    const fetchMock = mockApi({
      [SPACE_URL]: { body: space() },
      [PINNED_URL]: { body: { items: [] } },
      [FEED_URL]: { body: { items: [] } },
    });
    renderSpaces('/teams/den-helder-centrum/berichten');
    const composer = await screen.findByTestId('space-composer');
    const field = within(composer).getByRole('textbox', { name: 'Bericht' });
    fireEvent.change(field, { target: { value: 'a'.repeat(9_988) } });
    expect(within(composer).getByTestId('char-count')).toHaveTextContent('12 tekens over');
    fireEvent.change(field, { target: { value: 'a'.repeat(10_003) } });
    expect(field).toHaveValue('a'.repeat(10_003)); // not cut
    expect(within(composer).getByTestId('char-count')).toHaveTextContent('3 tekens te veel');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    await userEvent.click(within(composer).getByRole('button', { name: 'Plaatsen' }));
    expect(within(composer).getByTestId('composer-body-error')).toHaveTextContent('Een bericht mag hoogstens 10000 tekens hebben.');
    expect(calls(fetchMock).some((c) => c.startsWith('POST'))).toBe(false);
  });

  it('does not send an empty post', async () => {
    const fetchMock = mockApi({
      [SPACE_URL]: { body: space() },
      [PINNED_URL]: { body: { items: [] } },
      [FEED_URL]: { body: { items: [] } },
    });
    renderSpaces('/teams/den-helder-centrum/berichten');
    const composer = await screen.findByTestId('space-composer');
    await userEvent.click(within(composer).getByRole('button', { name: 'Plaatsen' }));
    expect(within(composer).getByTestId('composer-body-error')).toHaveTextContent('Schrijf eerst een bericht.');
    const body = within(composer).getByRole('textbox', { name: 'Bericht' });
    expect(body).toHaveAttribute('aria-invalid', 'true');
    const summary = within(composer).getByTestId('composer-problem');
    expect(summary).toHaveFocus();
    expect(within(summary).getByRole('link', { name: 'Schrijf eerst een bericht.' })).toHaveAttribute('href', `#${body.id}`);
    expect(calls(fetchMock).some((c) => c.startsWith('POST'))).toBe(false);
  });

  it('shows a refused post at the field and in the summary above the form', async () => {
    mockApi({
      [SPACE_URL]: { body: space() },
      [PINNED_URL]: { body: { items: [] } },
      [FEED_URL]: { body: { items: [] } },
      [`POST ${SPACE_URL}/posts`]: {
        status: 422,
        body: { code: 'validation', title: 'Invalid input', status: 422, errors: [{ field: 'visibility', code: 'invalid_choice', message: 'team or organisation' }] },
      },
    });
    renderSpaces('/teams/den-helder-centrum/berichten');
    const composer = await screen.findByTestId('space-composer');
    await userEvent.type(within(composer).getByRole('textbox', { name: 'Bericht' }), 'Rooster');
    await userEvent.click(within(composer).getByRole('button', { name: 'Plaatsen' }));
    const summary = await within(composer).findByTestId('composer-problem');
    expect(summary).toHaveFocus();
    expect(summary).toHaveTextContent('Je bericht is niet geplaatst');
    const visibility = within(composer).getByTestId('composer-visibility');
    expect(within(summary).getByRole('link', { name: 'Kies een van de mogelijkheden.' })).toHaveAttribute('href', `#${visibility.id}`);
    expect(visibility).toHaveAttribute('aria-invalid', 'true');
    expect(visibility).toHaveAccessibleDescription(/Kies een van de mogelijkheden\./);
    expect(composer.textContent).not.toMatch(/Invalid input|team or organisation/);
  });

  it('hides the composer and the documents from someone outside the team', async () => {
    const orgPost = post({ id: 'p-org', visibility: 'organisation', bodyHtml: '<p>Open dag op zaterdag</p>', canPin: false });
    mockApi(
      {
        [SPACE_URL]: { body: space({ member: false, canPost: false, canEdit: false }) },
        [PINNED_URL]: { body: { items: [] } },
        [FEED_URL]: { body: { items: [orgPost] } },
      },
      daan,
    );
    renderSpaces('/teams/den-helder-centrum/berichten');
    expect(await screen.findByText('Open dag op zaterdag')).toBeInTheDocument();
    expect(screen.queryByTestId('space-composer')).not.toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'Bericht' })).not.toBeInTheDocument();
    expect(screen.getByTestId('space-outsider-note')).toHaveTextContent(
      'Je bent geen lid van Den Helder-Centrum. Je ziet alleen de berichten die voor de hele organisatie zijn.',
    );
    const sections = screen.getByRole('navigation', { name: 'Onderdelen van het team' });
    expect(within(sections).queryByRole('link', { name: 'Documenten' })).not.toBeInTheDocument();
    expect(within(sections).getByRole('link', { name: 'Agenda' })).toBeInTheDocument();
    expect(screen.queryByTestId('post-pin')).not.toBeInTheDocument();
  });

  it('loads older posts with the next cursor', async () => {
    const first = post({ id: 'p-a', bodyHtml: '<p>Nieuwste</p>' });
    const older = post({ id: 'p-b', bodyHtml: '<p>Ouder bericht</p>' });
    mockApi({
      [SPACE_URL]: { body: space() },
      [PINNED_URL]: { body: { items: [] } },
      [FEED_URL]: { body: { items: [first], next: 'cur 1' } },
      [`${SPACE_URL}/posts?before=cur%201&limit=20`]: { body: { items: [older] } },
    });
    renderSpaces('/teams/den-helder-centrum/berichten');
    expect(await screen.findByText('Nieuwste')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Meer laden' }));
    expect(await screen.findByText('Ouder bericht')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Meer laden' })).not.toBeInTheDocument();
    expect(screen.getAllByTestId('post')).toHaveLength(2);
  });

  it('toggles a reaction, pins a post and adds a comment', async () => {
    const p = post({ id: 'p-r', bodyHtml: '<p>Koffie staat klaar</p>', commentCount: 0 });
    let pinned: Post[] = [];
    const fetchMock = mockApi({
      [SPACE_URL]: { body: space() },
      [PINNED_URL]: () => ({ body: { items: pinned } }),
      [FEED_URL]: { body: { items: [p] } },
      [`PUT ${SPACE_URL}/posts/p-r/reactions/${encodeURIComponent('🎉')}`]: {
        body: { ...p, reactions: [{ emoji: '🎉', count: 2, mine: true }] },
      },
      [`PUT ${SPACE_URL}/posts/p-r/pin`]: () => {
        pinned = [{ ...p, pinned: true }];
        return { body: pinned[0] };
      },
      [`${SPACE_URL}/posts/p-r/comments`]: { body: { items: [] } },
      [`POST ${SPACE_URL}/posts/p-r/comments`]: {
        status: 201,
        body: {
          id: 'c1',
          postId: 'p-r',
          author: { id: 'u-anouk', name: 'Anouk de Vries' },
          body: 'Top!',
          bodyHtml: '<p>Top!</p>',
          createdAt: '2026-11-20T09:00:00Z',
          canDelete: true,
        },
      },
    });
    renderSpaces('/teams/den-helder-centrum/berichten');
    const item = (await screen.findByText('Koffie staat klaar')).closest('article')!;

    const party = within(item).getByRole('button', { name: 'Feest: 0' });
    expect(party).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(party);
    await waitFor(() => expect(within(item).getByRole('button', { name: 'Feest: 2' })).toHaveAttribute('aria-pressed', 'true'));

    await userEvent.click(within(item).getByRole('button', { name: /1 reactie|0 reacties/ }));
    const comments = await within(item).findByTestId('post-comments');
    expect(await within(comments).findByText('Nog geen reacties.')).toBeInTheDocument();
    await userEvent.type(within(comments).getByRole('textbox', { name: 'Schrijf een reactie' }), 'Top!');
    await userEvent.click(within(comments).getByRole('button', { name: 'Reageren' }));
    expect(await within(comments).findByText('Top!')).toBeInTheDocument();
    expect(jsonBody(requestOf(fetchMock, `POST ${SPACE_URL}/posts/p-r/comments`))).toEqual({ body: 'Top!' });

    await userEvent.click(within(item).getByRole('button', { name: 'Vastzetten' }));
    expect(jsonBody(requestOf(fetchMock, `PUT ${SPACE_URL}/posts/p-r/pin`))).toEqual({ pinned: true });
    const agreements = screen.getByTestId('space-agreements');
    expect(await within(agreements).findByText('Koffie staat klaar')).toBeInTheDocument();
  });

  it('shows "niet gevonden" for a post that may not be seen', async () => {
    mockApi({ [`${SPACE_URL}/posts/p-secret`]: { status: 404, body: { title: 'Not found', status: 404 } } }, daan);
    renderSpaces('/ruimtes/den-helder-centrum/berichten/p-secret');
    expect(await screen.findByRole('heading', { level: 1, name: 'Bericht niet gevonden' })).toBeInTheDocument();
    expect(screen.getByTestId('post-not-found')).toHaveTextContent('Dit bericht bestaat niet (meer), of je mag het niet zien.');
  });

  it('lets someone join a community', async () => {
    const community = space({
      id: 'c-wondzorg',
      kind: 'community',
      name: 'Wondzorg',
      regionId: undefined,
      member: false,
      canPost: false,
      canEdit: false,
      canJoin: true,
      members: [],
    });
    const fetchMock = mockApi({
      [`${API}/spaces/c-wondzorg`]: { body: community },
      [`${API}/spaces/c-wondzorg/posts?pinned=true&limit=20`]: { body: { items: [] } },
      [`${API}/spaces/c-wondzorg/posts?limit=20`]: { body: { items: [] } },
      [`POST ${API}/spaces/c-wondzorg/join`]: {
        body: { ...community, member: true, canPost: true, canJoin: false, canLeave: true, memberCount: 3 },
      },
    });
    renderSpaces('/ruimtes/c-wondzorg');
    expect(await screen.findByText('Word lid van deze gemeenschap om berichten te plaatsen.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Lid worden' }));
    expect(await screen.findByRole('button', { name: 'Verlaten' })).toBeInTheDocument();
    expect(await screen.findByTestId('space-composer')).toBeInTheDocument();
    // Community posts are always for the whole organisation: no visibility choice.
    expect(screen.queryByRole('combobox', { name: 'Wie mag dit zien?' })).not.toBeInTheDocument();
    expect(calls(fetchMock)).toContain(`POST ${API}/spaces/c-wondzorg/join`);
  });
});
