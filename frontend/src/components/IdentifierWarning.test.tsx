import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { chatEnvironment } from '../features/chat/ChatProvider';
import { FakeSocket, fakeSocketFactory } from '../features/chat/testing';
import { FEED_URL, PINNED_URL, SPACE_URL, jsonBody, mockApi, post, renderSpaces, space } from '../features/spaces/testing';
import type { Post } from '../features/spaces/types';
import { IdentifierWarningDialog } from './IdentifierWarning';

const BSN_TEXT = 'BSN 123456782';

describe('identifier warning dialog', () => {
  it('explains in Dutch, starts on "Aanpassen", keeps focus inside and treats Escape as "Aanpassen"', async () => {
    const onEdit = vi.fn();
    const onSend = vi.fn();
    render(<IdentifierWarningDialog findings={[{ field: 'body', kind: 'bsn' }]} onEdit={onEdit} onSend={onSend} />);
    const dialog = screen.getByRole('alertdialog', { name: 'Cliëntgegevens?' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(dialog).toHaveAccessibleDescription(expect.stringContaining('Dit lijkt een BSN. Cliëntgegevens horen in het zorgdossier, niet in Plein.'));
    expect(within(dialog).getByText('Gevonden in: de tekst.')).toBeInTheDocument();
    const edit = within(dialog).getByRole('button', { name: 'Aanpassen' });
    const send = within(dialog).getByRole('button', { name: 'Toch versturen' });
    expect(edit).toHaveFocus();
    await userEvent.tab();
    expect(send).toHaveFocus();
    await userEvent.tab();
    expect(edit).toHaveFocus(); // focus stays in the dialog
    await userEvent.tab({ shift: true });
    expect(send).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(onEdit).toHaveBeenCalledTimes(1);
    await userEvent.click(send);
    expect(onSend).toHaveBeenCalledTimes(1);
  });

  it('names every kind found, in English too', async () => {
    await i18n.changeLanguage('en');
    render(
      <IdentifierWarningDialog
        findings={[
          { field: 'title', kind: 'address' },
          { field: 'description', kind: 'birthdate' },
        ]}
        onEdit={() => {}}
        onSend={() => {}}
      />,
    );
    const dialog = screen.getByRole('alertdialog', { name: 'Client data?' });
    expect(within(dialog).getByText(/looks like a date of birth/)).toBeInTheDocument();
    expect(within(dialog).getByText(/looks like an address/)).toBeInTheDocument();
    expect(within(dialog).getByText('Found in: the title, the description.')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Send anyway' })).toBeInTheDocument();
  });
});

describe('post composer with client data', () => {
  beforeEach(() => {
    FakeSocket.reset();
    chatEnvironment.createSocket = fakeSocketFactory;
  });
  afterEach(() => {
    chatEnvironment.createSocket = null;
  });

  it('warns when the server answers identifier_suspected; "Aanpassen" keeps the text, "Toch versturen" resends with the acknowledgement', async () => {
    const bodies: unknown[] = [];
    let feed: Post[] = [];
    const created = post({ id: 'p-bsn', author: { id: 'u-anouk', name: 'Anouk de Vries' } });
    mockApi({
      [SPACE_URL]: { body: space() },
      [PINNED_URL]: { body: { items: [] } },
      [FEED_URL]: () => ({ body: { items: feed } }),
      [`POST ${SPACE_URL}/posts`]: ({ init }) => {
        const body = jsonBody(init);
        bodies.push(body);
        if (!(body as { acknowledgeIdentifiers?: boolean }).acknowledgeIdentifiers) {
          return {
            status: 422,
            contentType: 'application/problem+json',
            body: {
              type: '/problems/identifier-suspected',
              title: 'Possible client identifier',
              status: 422,
              code: 'identifier_suspected',
              findings: [{ field: 'body', kind: 'bsn' }],
            },
          };
        }
        feed = [created];
        return { status: 201, body: created };
      },
    });
    renderSpaces('/teams/den-helder-centrum/berichten');
    const composer = await screen.findByTestId('space-composer');
    const textbox = within(composer).getByRole('textbox', { name: 'Bericht' });
    await userEvent.type(textbox, BSN_TEXT);
    await userEvent.click(within(composer).getByRole('button', { name: 'Plaatsen' }));

    const dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent('Dit lijkt een BSN. Cliëntgegevens horen in het zorgdossier, niet in Plein.');
    // No English problem text on the Dutch screen.
    expect(screen.queryByText('Possible client identifier')).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Aanpassen' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(textbox).toHaveValue(BSN_TEXT);
    expect(textbox).toHaveFocus();

    await userEvent.click(within(composer).getByRole('button', { name: 'Plaatsen' }));
    await userEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Toch versturen' }));
    expect(await within(composer).findByText('Je bericht is geplaatst.')).toBeInTheDocument();
    expect(bodies).toEqual([
      { body: BSN_TEXT, visibility: 'team', agreement: false },
      { body: BSN_TEXT, visibility: 'team', agreement: false },
      { body: BSN_TEXT, visibility: 'team', agreement: false, acknowledgeIdentifiers: true },
    ]);
    await waitFor(() => expect(textbox).toHaveValue(''));
  }, 30_000);
});
