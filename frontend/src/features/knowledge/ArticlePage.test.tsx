import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { anouk, article, baseTable, editorArticle, editorMeta, feedback, ilse, mockApi, renderKnowledge } from './testing';

const ARTICLE = '/api/v1/knowledge/articles/decubitus';
const CONFIRM = `POST ${ARTICLE}/confirm`;

describe('article page', () => {
  it('renders the article for reading: meta line, sanitised body in <article>, scrollable tables, attachments, related', async () => {
    mockApi({ ...baseTable(), [ARTICLE]: { body: article({ externalUrl: 'https://kick.vilans.example/decubitus' }) }, [`${ARTICLE}/feedback`]: { body: { items: [] } } });
    renderKnowledge('/kennisbank/decubitus');
    expect(await screen.findByRole('heading', { level: 1, name: 'Decubitus: preventie en wondzorg' })).toBeInTheDocument();
    const meta = screen.getByRole('list', { name: 'Over dit artikel' });
    expect(meta).toHaveTextContent('Wondzorg');
    expect(meta).toHaveTextContent('Protocol');
    expect(meta).toHaveTextContent('Eigenaar: Kwaliteit & veiligheid');
    expect(meta).toHaveTextContent('versie 2.1');
    expect(meta).toHaveTextContent('gepubliceerd op 3 maart 2026');
    expect(meta).toHaveTextContent('herzien vóór 1 maart 2027');

    const body = screen.getByTestId('kb-body');
    expect(body.tagName).toBe('ARTICLE');
    expect(within(body).getByRole('heading', { level: 2, name: 'Doel' })).toBeInTheDocument();
    const region = within(body).getByRole('region', { name: 'Tabel (schuif horizontaal)' });
    expect(region).toHaveAttribute('tabindex', '0');
    expect(within(region).getByRole('table')).toBeInTheDocument();

    const external = screen.getByTestId('kb-external');
    expect(external).toHaveAttribute('href', 'https://kick.vilans.example/decubitus');
    expect(external).toHaveAttribute('rel', 'noopener noreferrer');

    expect(screen.getByTestId('kb-attachment')).toHaveAttribute('href', '/api/v1/knowledge/articles/decubitus/attachments/att1');
    expect(screen.getByTestId('kb-attachment')).toHaveTextContent('Wondkaart.pdfPDF · 245 kB');
    expect(screen.getByRole('link', { name: 'Huidletsel door vocht' })).toHaveAttribute('href', '/kennisbank/huidletsel');
    // Readers get no editor tools and no "review overdue" badge.
    expect(screen.queryByTestId('kb-editor-bar')).not.toBeInTheDocument();
    expect(document.title).toBe('Decubitus: preventie en wondzorg · Plein');
  });

  it('links a district nurse who may see the report to it', async () => {
    mockApi({ ...baseTable(), [ARTICLE]: { body: article({ canReport: true }) } });
    renderKnowledge('/kennisbank/decubitus');
    expect(await screen.findByTestId('kb-report-link')).toHaveAttribute('href', '/kennisbank/decubitus/rapportage');
    expect(screen.queryByTestId('kb-editor-bar')).not.toBeInTheDocument();
  });

  it('does not link to a non-http external URL', async () => {
    mockApi({ ...baseTable(), [ARTICLE]: { body: article({ externalUrl: 'javascript:alert(1)' }) } });
    renderKnowledge('/kennisbank/decubitus');
    await screen.findByRole('heading', { level: 1 });
    expect(screen.queryByTestId('kb-external')).not.toBeInTheDocument();
  });

  it('shows "Artikel niet gevonden" for a 404', async () => {
    mockApi(baseTable());
    renderKnowledge('/kennisbank/bestaat-niet');
    expect(await screen.findByRole('heading', { level: 1, name: 'Artikel niet gevonden' })).toBeInTheDocument();
  });

  it('confirms "Gelezen en begrepen" with the version that was read', async () => {
    const api = mockApi({
      ...baseTable(),
      [ARTICLE]: { body: article() },
      [CONFIRM]: { body: { confirmation: { required: true, pending: false, confirmedVersion: '2.1', confirmedAt: '2026-04-03T12:30:00Z' } } },
    });
    renderKnowledge('/kennisbank/decubitus');
    const button = await screen.findByRole('button', { name: 'Gelezen en begrepen' });
    await userEvent.click(button);
    const done = await screen.findByTestId('kb-confirmed');
    expect(done).toHaveTextContent(/^✓ Bevestigd op 3 april 2026.*\(versie 2\.1\)$/);
    expect(done).toHaveAttribute('role', 'status');
    expect(done).toHaveFocus();
    expect(screen.queryByRole('button', { name: 'Gelezen en begrepen' })).not.toBeInTheDocument();

    const [post] = api.calls('POST', `${ARTICLE}/confirm`);
    expect(post!.json).toEqual({ version: '2.1' });
    expect((post!.init.headers as Record<string, string>)['X-CSRF-Token']).toBe(anouk.csrfToken);
    // The badge count and pending list are fetched again.
    await waitFor(() => expect(api.calls('GET', '/api/v1/knowledge/meta').length).toBeGreaterThan(1));
  });

  it('on 409 reloads the article, says a newer version appeared and confirms that one next', async () => {
    let version = '2.1';
    const api = mockApi({
      ...baseTable(),
      [ARTICLE]: () => ({ body: article({ version }) }),
      [CONFIRM]: (r) => {
        if ((r.json as { version: string }).version !== '3.0') {
          version = '3.0';
          return { status: 409, body: { title: 'Conflict', status: 409, detail: 'Er is een nieuwere versie.' } };
        }
        return { body: { confirmation: { required: true, pending: false, confirmedVersion: '3.0', confirmedAt: '2026-04-03T12:31:00Z' } } };
      },
    });
    renderKnowledge('/kennisbank/decubitus');
    await userEvent.click(await screen.findByRole('button', { name: 'Gelezen en begrepen' }));
    const alert = await screen.findByTestId('kb-confirm-newer');
    expect(alert).toHaveAttribute('role', 'alert');
    expect(alert).toHaveTextContent('Er is een nieuwere versie');
    await waitFor(() => expect(alert).toHaveTextContent('Lees versie 3.0 en bevestig opnieuw.'));
    expect(screen.getByTestId('kb-version')).toHaveTextContent('versie 3.0');
    expect(api.calls('GET', ARTICLE)).toHaveLength(2);

    await userEvent.click(screen.getByRole('button', { name: 'Gelezen en begrepen' }));
    expect(await screen.findByTestId('kb-confirmed')).toHaveTextContent('(versie 3.0)');
    expect(api.calls('POST', `${ARTICLE}/confirm`).map((r) => r.json)).toEqual([{ version: '2.1' }, { version: '3.0' }]);
  });

  it('compares a version with the previous one as a diff', async () => {
    const api = mockApi({
      ...baseTable(),
      [ARTICLE]: { body: article() },
      [`${ARTICLE}/diff`]: {
        body: {
          from: '2.0',
          to: '2.1',
          lines: [
            { op: 'eq', text: '## Doel' },
            { op: 'del', text: 'Drukplekken voorkomen' },
            { op: 'add', text: 'Drukplekken **voorkomen**.' },
          ],
        },
      },
    });
    renderKnowledge('/kennisbank/decubitus');
    const toggle = await screen.findByRole('button', { name: 'Vergelijk versie 2.0 met 2.1' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    const diff = await screen.findByTestId('kb-diff');
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(api.calls('GET', `${ARTICLE}/diff`)[0]!.url.search).toBe('?from=2.0&to=2.1');
    expect(within(diff).getByText('1 regel toegevoegd, 1 regel verwijderd')).toBeInTheDocument();
    const lines = within(diff).getAllByRole('listitem');
    expect(lines.map((l) => l.getAttribute('data-op'))).toEqual(['eq', 'del', 'add']);
    expect(lines[1]).toHaveTextContent('verwijderd: Drukplekken voorkomen');
    expect(lines[2]).toHaveTextContent('toegevoegd: Drukplekken **voorkomen**.');
  });

  it('sends a question and shows my own feedback with its answer', async () => {
    const api = mockApi({
      ...baseTable(),
      [ARTICLE]: { body: article() },
      [`${ARTICLE}/feedback`]: {
        body: {
          items: [
            feedback({
              answer: { text: 'Ja, ook in de nacht.', author: { id: 'u-ilse', name: 'Ilse Dekker' }, at: '2026-04-02T10:00:00Z' },
            }),
          ],
        },
      },
      [`POST ${ARTICLE}/feedback`]: { status: 201, body: feedback({ id: 'fb2', kind: 'outdated', text: 'Het telefoonnummer klopt niet.' }) },
    });
    renderKnowledge('/kennisbank/decubitus');
    const item = await screen.findByTestId('kb-feedback-item');
    expect(item).toHaveTextContent('Geldt dit ook voor de nacht?');
    expect(item).toHaveTextContent('Antwoord van Ilse Dekker');
    expect(item).toHaveTextContent('Ja, ook in de nacht.');

    const form = screen.getByTestId('kb-feedback-form');
    // Empty text is refused without a request.
    await userEvent.click(within(form).getByRole('button', { name: 'Versturen' }));
    expect(within(form).getByText('Schrijf eerst je vraag of melding.')).toBeInTheDocument();
    expect(api.calls('POST', `${ARTICLE}/feedback`)).toHaveLength(0);

    await userEvent.click(within(form).getByRole('radio', { name: 'Melden: verouderd' }));
    await userEvent.type(within(form).getByRole('textbox', { name: 'Wat klopt er niet meer?' }), 'Het telefoonnummer klopt niet.');
    await userEvent.click(within(form).getByRole('button', { name: 'Versturen' }));
    expect(await within(form).findByText('Verstuurd. Het antwoord verschijnt hieronder.')).toBeInTheDocument();
    expect(api.calls('POST', `${ARTICLE}/feedback`)[0]!.json).toEqual({ kind: 'outdated', text: 'Het telefoonnummer klopt niet.' });
  });

  it('gives editors their tools and the "herzien nodig" badge', async () => {
    mockApi({
      ...baseTable(ilse, editorMeta),
      [ARTICLE]: { body: editorArticle({ overdue: true }) },
    });
    renderKnowledge('/kennisbank/decubitus');
    expect(await screen.findByTestId('kb-overdue')).toHaveTextContent('Herzien nodig');
    const bar = screen.getByTestId('kb-editor-bar');
    expect(within(bar).getByRole('link', { name: 'Bewerken' })).toHaveAttribute('href', '/kennisbank/decubitus/bewerken');
    expect(within(bar).getByRole('link', { name: 'Leesbevestigingen' })).toHaveAttribute('href', '/kennisbank/decubitus/rapportage');
    expect(screen.getByRole('navigation', { name: 'Kennisbank' })).toBeInTheDocument();
  });
});
