import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { chatEnvironment } from '../chat/ChatProvider';
import { FakeSocket, fakeSocketFactory } from '../chat/testing';
import {
  API,
  FEED_URL,
  PINNED_URL,
  SPACE_URL,
  calls,
  jsonBody,
  mockApi,
  post,
  renderSpaces,
  requestOf,
  space,
} from './testing';
import type { Post } from './types';

const SANNE = 'u5a4e0000000000000000000a';
const SAMIR = 'u5a4e0000000000000000000b';

/** A team with Anouk (the user) and Sanne; the people search also knows Samir from another team. */
function team() {
  return space({
    members: [
      { id: 'u-anouk', name: 'Anouk de Vries', teamRoles: ['planning'] },
      { id: SANNE, name: 'Sanne Bakker', teamRoles: ['kwaliteit'] },
    ],
  });
}

const peopleSa = {
  body: {
    items: [
      // Also a member: listed once, with the members.
      { id: SANNE, name: 'Sanne Bakker', teams: ['Den Helder-Centrum'] },
      { id: SAMIR, name: 'Samir El Amrani', teams: ['Julianadorp'] },
    ],
  },
};

beforeEach(() => {
  FakeSocket.reset();
  chatEnvironment.createSocket = fakeSocketFactory;
});

afterEach(() => {
  chatEnvironment.createSocket = null;
});

describe('@mentions in a space', () => {
  it('suggests the team first, then the people search, and posts the picked person as a <@id> token', async () => {
    const created = post({ id: 'p-new', author: { id: 'u-anouk', name: 'Anouk de Vries' } });
    const fetchMock = mockApi({
      [SPACE_URL]: { body: team() },
      [PINNED_URL]: { body: { items: [] } },
      [FEED_URL]: { body: { items: [] } },
      [`${API}/chat/people?q=Sa`]: peopleSa,
      [`POST ${SPACE_URL}/posts`]: { status: 201, body: created },
    });
    renderSpaces('/teams/den-helder-centrum/berichten');

    const composer = await screen.findByTestId('space-composer');
    const body = within(composer).getByRole('textbox', { name: 'Bericht' });
    expect(body).toHaveAccessibleDescription(/Typ @ en een naam om iemand te noemen/);

    // A bare "@" already offers the team (without the user themself).
    await userEvent.type(body, 'Wie kan @');
    const list = await within(composer).findByRole('listbox', { name: 'Personen om te noemen' });
    expect(within(list).getAllByRole('option').map((o) => o.textContent)).toEqual(['Sanne Bakker']);

    await userEvent.type(body, 'Sa');
    await waitFor(() =>
      expect(within(list).getAllByRole('option').map((o) => o.textContent)).toEqual(['Sanne Bakker', 'Samir El Amrani']),
    );
    const [sanne, samir] = within(list).getAllByRole('option');
    expect(sanne).toHaveAttribute('aria-selected', 'true');
    expect(body).toHaveAttribute('aria-controls', list.id);
    expect(body).toHaveAttribute('aria-activedescendant', sanne!.id);
    expect(composer).toHaveTextContent('2 suggesties, kies met de pijltjestoetsen en Enter');

    await userEvent.keyboard('{ArrowDown}');
    expect(samir).toHaveAttribute('aria-selected', 'true');
    expect(body).toHaveAttribute('aria-activedescendant', samir!.id);
    await userEvent.keyboard('{ArrowDown}'); // wraps around
    expect(sanne).toHaveAttribute('aria-selected', 'true');
    await userEvent.keyboard('{ArrowUp}{Enter}');

    expect(body).toHaveValue('Wie kan @Samir El Amrani ');
    expect(within(composer).queryByRole('listbox')).not.toBeInTheDocument();
    expect(body).not.toHaveAttribute('aria-activedescendant');
    await userEvent.type(body, 'morgen bellen?');
    await userEvent.click(within(composer).getByRole('button', { name: 'Plaatsen' }));

    expect(await within(composer).findByText('Je bericht is geplaatst.')).toBeInTheDocument();
    expect(jsonBody(requestOf(fetchMock, `POST ${SPACE_URL}/posts`))).toEqual({
      body: `Wie kan <@${SAMIR}> morgen bellen?`,
      visibility: 'team',
      agreement: false,
    });
    expect(body).toHaveValue('');
  });

  it('closes the list with Escape, and Enter then adds a new line as usual', async () => {
    mockApi({
      [SPACE_URL]: { body: team() },
      [PINNED_URL]: { body: { items: [] } },
      [FEED_URL]: { body: { items: [] } },
    });
    renderSpaces('/teams/den-helder-centrum/berichten');
    const composer = await screen.findByTestId('space-composer');
    const body = within(composer).getByRole('textbox', { name: 'Bericht' });
    await userEvent.type(body, '@San');
    expect(await within(composer).findByRole('option', { name: 'Sanne Bakker' })).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');
    expect(within(composer).queryByRole('listbox')).not.toBeInTheDocument();
    await userEvent.keyboard('{Enter}');
    expect(body).toHaveValue('@San\n');
  });

  it('mentions someone in a comment with Tab and sends the <@id> token', async () => {
    const p = post({ id: 'p-c', bodyHtml: '<p>Wie heeft de sleutel?</p>' });
    const fetchMock = mockApi({
      [SPACE_URL]: { body: team() },
      [PINNED_URL]: { body: { items: [] } },
      [FEED_URL]: { body: { items: [p] } },
      [`${SPACE_URL}/posts/p-c/comments`]: { body: { items: [] } },
      [`POST ${SPACE_URL}/posts/p-c/comments`]: {
        status: 201,
        body: {
          id: 'c1',
          postId: 'p-c',
          author: { id: 'u-anouk', name: 'Anouk de Vries' },
          body: `<@${SANNE}> heeft hem`,
          bodyHtml: `<p><span class="mention" data-user="${SANNE}">@Sanne Bakker</span> heeft hem</p>`,
          createdAt: '2026-11-20T09:00:00Z',
          canDelete: true,
        },
      },
    });
    renderSpaces('/teams/den-helder-centrum/berichten');
    const item = (await screen.findByText('Wie heeft de sleutel?')).closest('article')!;
    await userEvent.click(within(item).getByRole('button', { name: '0 reacties' }));
    const comments = await within(item).findByTestId('post-comments');
    const field = within(comments).getByRole('textbox', { name: 'Schrijf een reactie' });
    expect(field).toHaveAccessibleDescription(/Typ @ en een naam om iemand te noemen/);

    await userEvent.type(field, '@s');
    const option = await within(comments).findByRole('option', { name: 'Sanne Bakker' });
    expect(option).toHaveAttribute('aria-selected', 'true');
    await userEvent.keyboard('{Tab}');
    expect(field).toHaveValue('@Sanne Bakker ');
    expect(field).toHaveFocus();
    await userEvent.type(field, 'heeft hem');
    await userEvent.click(within(comments).getByRole('button', { name: 'Reageren' }));

    expect(await within(comments).findByText('@Sanne Bakker')).toHaveClass('mention');
    expect(jsonBody(requestOf(fetchMock, `POST ${SPACE_URL}/posts/p-c/comments`))).toEqual({ body: `<@${SANNE}> heeft hem` });
    expect(field).toHaveValue('');
    // Only the members were needed: no people search for one letter.
    expect(calls(fetchMock).some((c) => c.includes('/chat/people'))).toBe(false);
  });

  it('shows mentions as "@Name" while editing a post, and saves them as tokens again', async () => {
    const mine: Post = post({
      id: 'p-e',
      author: { id: 'u-anouk', name: 'Anouk de Vries' },
      body: `Vraag voor <@${SANNE}> en <@${SAMIR}>: sleutel?`,
      bodyHtml:
        `<p>Vraag voor <span class="mention" data-user="${SANNE}">@Sanne Bakker</span> en ` +
        `<span class="mention" data-user="${SAMIR}">@Samir El Amrani</span>: sleutel?</p>`,
      canEdit: true,
    });
    const fetchMock = mockApi({
      [SPACE_URL]: { body: team() },
      [PINNED_URL]: { body: { items: [] } },
      [FEED_URL]: { body: { items: [mine] } },
      [`PATCH ${SPACE_URL}/posts/p-e`]: ({ init }) => ({
        body: { ...mine, body: (JSON.parse(String(init.body)) as { body: string }).body },
      }),
    });
    renderSpaces('/teams/den-helder-centrum/berichten');
    const item = (await screen.findByText('@Samir El Amrani')).closest('article')!;
    // The stream shows the server's rendering, never the raw tokens.
    expect(item).not.toHaveTextContent('<@');

    await userEvent.click(within(item).getByRole('button', { name: 'Bewerken' }));
    const field = within(item).getByRole('textbox', { name: 'Bericht' });
    expect(field).toHaveValue('Vraag voor @Sanne Bakker en @Samir El Amrani: sleutel?');

    await userEvent.type(field, ' Of anders ');
    await userEvent.type(field, '@Sa');
    // Sanne is a member; no people search mock here, so only she is offered.
    await userEvent.click(await within(item).findByRole('option', { name: 'Sanne Bakker' }));
    expect(field).toHaveValue('Vraag voor @Sanne Bakker en @Samir El Amrani: sleutel? Of anders @Sanne Bakker ');
    await userEvent.click(within(item).getByRole('button', { name: 'Opslaan' }));

    await waitFor(() => expect(calls(fetchMock)).toContain(`PATCH ${SPACE_URL}/posts/p-e`));
    expect(jsonBody(requestOf(fetchMock, `PATCH ${SPACE_URL}/posts/p-e`))).toEqual({
      body: `Vraag voor <@${SANNE}> en <@${SAMIR}>: sleutel? Of anders <@${SANNE}> `,
      visibility: 'team',
      agreement: false,
    });
  });

  it('names the suggestions in English when English is chosen', async () => {
    await i18n.changeLanguage('en');
    mockApi({
      [SPACE_URL]: { body: team() },
      [PINNED_URL]: { body: { items: [] } },
      [FEED_URL]: { body: { items: [] } },
    });
    renderSpaces('/teams/den-helder-centrum/berichten');
    const composer = await screen.findByTestId('space-composer');
    const body = within(composer).getByRole('textbox', { name: 'Message' });
    expect(body).toHaveAccessibleDescription(/Type @ and a name to mention someone/);
    await userEvent.type(body, '@');
    expect(await within(composer).findByRole('listbox', { name: 'People to mention' })).toBeInTheDocument();
    expect(composer).toHaveTextContent('1 suggestion, choose with the arrow keys and Enter');
  });
});
