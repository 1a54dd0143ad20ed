import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { parseTags } from './EditorPage';
import type { Article, DraftInput } from './types';
import { anouk, baseTable, editorArticle, editorMeta, ilse, mockApi, renderKnowledge, summary } from './testing';

const ARTICLE = '/api/v1/knowledge/articles/decubitus';
const DRAFT = `PUT ${ARTICLE}/draft`;

function saved(a: Article, revision: number, title: string): Article {
  return { ...a, draft: { ...a.draft!, revision, title, updatedAt: '2026-04-05T13:45:00Z' } };
}

describe('article editor', () => {
  it('saves the draft with the revision it was loaded with, then with the new one', async () => {
    const base = editorArticle();
    let revision = 4;
    const api = mockApi({
      ...baseTable(ilse, editorMeta),
      [ARTICLE]: { body: base },
      [DRAFT]: (r) => {
        const body = r.json as DraftInput;
        revision += 1;
        return { body: saved(base, revision, body.title) };
      },
    });
    renderKnowledge('/kennisbank/decubitus/bewerken');
    const title = await screen.findByRole('textbox', { name: 'Titel' });
    expect(title).toHaveValue('Decubitus: preventie en wondzorg');
    expect(screen.getByTestId('kb-draft-status')).toHaveTextContent('Concept');
    await userEvent.clear(title);
    await userEvent.paste('Decubitus voorkomen');
    await userEvent.click(screen.getByRole('button', { name: 'Concept opslaan' }));
    expect(await screen.findByTestId('kb-saved')).toHaveTextContent('Opgeslagen op 5 april 2026');

    await userEvent.click(screen.getByRole('textbox', { name: 'Trefwoorden' }));
    await userEvent.paste(', Huid ,nieuw');
    await userEvent.click(screen.getByRole('button', { name: 'Concept opslaan' }));
    await waitFor(() => expect(api.calls('PUT', `${ARTICLE}/draft`)).toHaveLength(2));

    const [first, second] = api.calls('PUT', `${ARTICLE}/draft`).map((r) => r.json as DraftInput);
    expect(first).toMatchObject({
      revision: 4,
      title: 'Decubitus voorkomen',
      category: 'wondzorg',
      type: 'protocol',
      owner: 'kwaliteit',
      audience: { everyone: true, regions: [], teams: [], roles: [] },
      requiresConfirmation: true,
      related: ['huidletsel'],
      changeNote: '',
      major: false,
    });
    expect(second!.revision).toBe(5);
    // Tags: trimmed, duplicates (any case) dropped.
    expect(second!.tags).toEqual(['decubitus', 'huid', 'nieuw']);
  });

  it('says someone else changed the article on 409 and reloads on request', async () => {
    let current = editorArticle();
    mockApi({
      ...baseTable(ilse, editorMeta),
      [ARTICLE]: () => ({ body: current }),
      [DRAFT]: () => {
        current = saved(current, 9, 'Titel van Henk');
        return { status: 409, body: { title: 'Conflict', status: 409, detail: 'revision is stale' } };
      },
    });
    renderKnowledge('/kennisbank/decubitus/bewerken');
    const title = await screen.findByRole('textbox', { name: 'Titel' });
    await userEvent.type(title, ' (nieuw)');
    await userEvent.click(screen.getByRole('button', { name: 'Concept opslaan' }));
    const conflict = await screen.findByTestId('kb-conflict');
    expect(conflict).toHaveAttribute('role', 'alert');
    expect(conflict).toHaveTextContent('Iemand anders heeft dit artikel intussen gewijzigd');
    expect(screen.queryByTestId('kb-saved')).not.toBeInTheDocument();

    await userEvent.click(within(conflict).getByRole('button', { name: 'Nieuwste versie laden' }));
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Titel' })).toHaveValue('Titel van Henk'));
    expect(screen.queryByTestId('kb-conflict')).not.toBeInTheDocument();
  });

  it('shows server field errors next to the fields', async () => {
    mockApi({
      ...baseTable(ilse, editorMeta),
      [ARTICLE]: { body: editorArticle() },
      [DRAFT]: {
        status: 422,
        body: {
          code: 'validation',
          title: 'Invalid input',
          status: 422,
          errors: [
            { field: 'externalUrl', code: 'invalid', message: 'use an https address' },
            { field: 'audience.teams', code: 'unknown', message: 'unknown team' },
          ],
        },
      },
    });
    renderKnowledge('/kennisbank/decubitus/bewerken');
    await screen.findByRole('textbox', { name: 'Titel' });
    await userEvent.click(screen.getByRole('button', { name: 'Concept opslaan' }));
    const summaryBox = await screen.findByTestId('kb-form-errors');
    expect(summaryBox).toHaveTextContent('Er zijn 2 problemen met het formulier');
    await waitFor(() => expect(summaryBox).toHaveFocus());
    const url = screen.getByRole('textbox', { name: 'Link naar extern protocol (optioneel)' });
    expect(url).toHaveAttribute('aria-invalid', 'true');
    expect(url).toHaveAccessibleDescription('Link: Deze waarde klopt niet.');
    expect(screen.getByTestId('kb-audience')).toHaveTextContent('Teams: Dit bestaat niet (meer). Kies iets uit de lijst.');
    expect(summaryBox).not.toHaveTextContent(/https address|unknown team/);
  });

  it('renders a live preview safely while typing markdown', async () => {
    mockApi({ ...baseTable(ilse, editorMeta), [ARTICLE]: { body: editorArticle() } });
    renderKnowledge('/kennisbank/decubitus/bewerken');
    const body = await screen.findByTestId('kb-body-input');
    await userEvent.clear(body);
    // user-event treats [ and { as key descriptors: paste the markdown instead.
    await userEvent.click(body);
    await userEvent.paste('## Stappen\n\n- **Ontlast** de huid\n- <script>alert(1)</script>\n\n[Meer](javascript:alert(1)) en [KICK](https://kick.example)');
    const preview = screen.getByRole('region', { name: 'Voorbeeld' });
    await waitFor(() => expect(within(preview).getByRole('heading', { level: 2, name: 'Stappen' })).toBeInTheDocument());
    expect(within(preview).getByText('Ontlast').tagName).toBe('STRONG');
    expect(preview.querySelector('script')).toBeNull();
    expect(preview).toHaveTextContent('<script>alert(1)</script>');
    expect(within(preview).queryByRole('link', { name: 'Meer' })).not.toBeInTheDocument();
    expect(within(preview).getByRole('link', { name: 'KICK' })).toHaveAttribute('href', 'https://kick.example/');
  });

  it('submits for review with change note and "grote wijziging", after saving', async () => {
    const base = editorArticle();
    const api = mockApi({
      ...baseTable(ilse, editorMeta),
      [ARTICLE]: { body: base },
      [DRAFT]: { body: saved(base, 5, base.title) },
      [`POST ${ARTICLE}/submit`]: { body: { ...base, draft: { ...base.draft!, status: 'review' } } },
    });
    const { router } = renderKnowledge('/kennisbank/decubitus/bewerken');
    const submit = await screen.findByRole('button', { name: 'Ter review aanbieden' });
    // Published before: the change note is required.
    await userEvent.click(submit);
    expect(await screen.findByTestId('kb-form-errors')).toHaveTextContent('Beschrijf wat er veranderd is.');
    expect(api.calls('POST', `${ARTICLE}/submit`)).toHaveLength(0);

    await userEvent.type(screen.getByTestId('kb-change-note'), 'Nieuwe richtlijn 2026.');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Grote wijziging (iedereen moet opnieuw bevestigen)' }));
    await userEvent.click(submit);
    // Save, then submit, then navigate: three round trips; give a busy CI machine room.
    await waitFor(() => expect(router.state.location.pathname).toBe('/kennisbank/decubitus'), { timeout: 5000 });
    expect(api.calls('PUT', `${ARTICLE}/draft`)[0]!.json).toMatchObject({ changeNote: 'Nieuwe richtlijn 2026.', major: true, revision: 4 });
    expect(api.calls('POST', `${ARTICLE}/submit`)[0]!.json).toEqual({ changeNote: 'Nieuwe richtlijn 2026.', major: true });
  }, 20_000);

  it('uploads an attachment as multipart with the CSRF token and shows the server file error', async () => {
    const api = mockApi({
      ...baseTable(ilse, editorMeta),
      [ARTICLE]: { body: editorArticle() },
      [`POST ${ARTICLE}/attachments`]: {
        status: 422,
        body: {
          code: 'validation',
          title: 'Invalid input',
          status: 422,
          errors: [{ field: 'file', code: 'file_type_refused', message: 'this type of file is not accepted' }],
        },
      },
    });
    renderKnowledge('/kennisbank/decubitus/bewerken');
    const input = await screen.findByLabelText('Bijlage toevoegen');
    await userEvent.upload(input, new File(['MZ...'], 'wondkaart.pdf', { type: 'application/pdf' }));
    await userEvent.click(screen.getByRole('button', { name: 'Uploaden' }));
    const error = await screen.findByTestId('kb-attachment-error');
    expect(error).toHaveTextContent('Dit soort bestand kan hier niet');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    const [post] = api.calls('POST', `${ARTICLE}/attachments`);
    expect(post!.init.body).toBeInstanceOf(FormData);
    expect((post!.init.body as FormData).get('file')).toBeInstanceOf(File);
    expect((post!.init.headers as Record<string, string>)['X-CSRF-Token']).toBe('csrf-ilse');
  });

  it('creates a new article and continues editing it', async () => {
    const created = editorArticle({ id: 'nieuw-1', version: '', status: 'concept', versions: [] });
    const api = mockApi({
      ...baseTable(ilse, editorMeta),
      'POST /api/v1/knowledge/articles': { status: 201, body: created },
      '/api/v1/knowledge/articles/nieuw-1': { body: created },
      '/api/v1/knowledge/articles': { body: { items: [summary()], total: 1 } },
    });
    const { router } = renderKnowledge('/kennisbank/nieuw');
    await userEvent.click(await screen.findByRole('button', { name: 'Concept aanmaken' }));
    // Client-side checks first: nothing is sent without title, category, type, owner.
    expect(await screen.findByTestId('kb-form-errors')).toHaveTextContent('Er zijn 4 problemen met het formulier');
    expect(api.calls('POST', '/api/v1/knowledge/articles')).toHaveLength(0);

    await userEvent.type(screen.getByRole('textbox', { name: 'Titel' }), 'Katheter verzorgen');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Categorie' }), 'zorgverlening');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Soort' }), 'werkinstructie');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Eigenaar' }), 'kwaliteit');
    await userEvent.click(screen.getByRole('radio', { name: "Alleen bepaalde regio's, teams of functies" }));
    await userEvent.click(await screen.findByRole('checkbox', { name: /Julianadorp/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Wijkverpleegkundige' }));
    await userEvent.click(screen.getByRole('button', { name: 'Concept aanmaken' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/kennisbank/nieuw-1/bewerken'));
    expect(await screen.findByText(/Concept aangemaakt/)).toBeInTheDocument();
    expect(api.calls('POST', '/api/v1/knowledge/articles')[0]!.json).toMatchObject({
      title: 'Katheter verzorgen',
      category: 'zorgverlening',
      type: 'werkinstructie',
      owner: 'kwaliteit',
      audience: { everyone: false, regions: [], teams: ['julianadorp'], roles: ['wijkverpleegkundige'] },
    });
  });

  it('tells readers that only editors write articles', async () => {
    mockApi(baseTable(anouk));
    renderKnowledge('/kennisbank/nieuw');
    expect(await screen.findByTestId('kb-no-access')).toHaveTextContent('Alleen de ondersteunende diensten en beheerders schrijven artikelen.');
  });

  it('parses tags', () => {
    expect(parseTags(' a, B ,, b, c ')).toEqual(['a', 'B', 'c']);
    expect(parseTags('')).toEqual([]);
  });
});
