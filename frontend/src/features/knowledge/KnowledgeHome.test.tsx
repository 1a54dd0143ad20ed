import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import {
  baseTable,
  deferred,
  hit,
  marksOf,
  meta,
  mockApi,
  renderKnowledge,
  summary,
  type MockRequest,
  type Reply,
} from './testing';

const SEARCH = '/api/v1/knowledge/search';

function searchReply(items = [hit(), hit({ id: 'wondinfectie', title: 'Wondinfectie herkennen', confirmation: { required: false, pending: false } })]) {
  return (r: MockRequest): Reply => ({ body: { items, total: items.length, query: r.url.searchParams.get('q') } });
}

function resultCards() {
  return within(screen.getByTestId('kb-search-results')).queryAllByTestId('kb-result');
}

describe('knowledge home: search as you type', () => {
  it('debounces typing into one request, shows highlighted snippets and puts the query in the URL', async () => {
    const api = mockApi({ ...baseTable(), [SEARCH]: searchReply() });
    const { router } = renderKnowledge('/kennisbank');
    const input = await screen.findByRole('searchbox', { name: 'Zoek in de kennisbank' });
    await userEvent.type(input, 'wond');

    const status = await screen.findByText('2 resultaten voor ‘wond’');
    expect(status).toHaveAttribute('role', 'status');
    expect(status).toHaveAttribute('aria-live', 'polite');
    expect(router.state.location.search).toBe('?q=wond');

    // One request for the whole word (debounced), with prefix matching and the abort signal.
    const searches = api.calls('GET', SEARCH);
    expect(searches).toHaveLength(1);
    expect(searches[0]!.url.searchParams.get('q')).toBe('wond');
    expect(searches[0]!.url.searchParams.get('prefix')).toBe('true');
    expect(searches[0]!.init.signal).toBeInstanceOf(AbortSignal);

    const cards = resultCards();
    expect(cards).toHaveLength(2);
    expect(within(cards[0]!).getByRole('link', { name: 'Decubitus: preventie en wondzorg' })).toHaveAttribute('href', '/kennisbank/decubitus');
    const marks = cards[0]!.querySelectorAll('mark');
    expect([...marks].map((m) => m.textContent)).toEqual(['wond', 'wond']);
    expect(within(cards[0]!).getByTestId('kb-snippet')).toHaveTextContent('Controleer de wond dagelijks en leg de wondzorg vast.');
    // Pending confirmation is visible on the card and as an attribute.
    expect(cards[0]).toHaveAttribute('data-pending', 'true');
    expect(within(cards[0]!).getByText('Bevestigen nodig')).toBeInTheDocument();
    expect(cards[1]).toHaveAttribute('data-pending', 'false');
  });

  it('never interprets snippet text as HTML', async () => {
    const text = 'Gebruik <img src=x onerror=alert(1)> niet bij een wond';
    mockApi({ ...baseTable(), [SEARCH]: searchReply([hit({ snippet: { text, marks: marksOf(text, 'wond') } })]) });
    renderKnowledge('/kennisbank?q=wond');
    await screen.findByText('1 resultaat voor ‘wond’');
    const snippet = screen.getByTestId('kb-snippet');
    expect(snippet.querySelector('img')).toBeNull();
    expect(snippet).toHaveTextContent('Gebruik <img src=x onerror=alert(1)> niet bij een wond');
    expect(snippet.querySelector('mark')).toHaveTextContent('wond');
  });

  it('keeps the previous results while the next search loads and aborts a search that became stale', async () => {
    const slow = deferred();
    let staleSignal: AbortSignal | undefined;
    mockApi({
      ...baseTable(),
      [SEARCH]: (r) => {
        const q = r.url.searchParams.get('q');
        if (q === 'wonde') {
          staleSignal = r.init.signal ?? undefined;
          return slow.promise;
        }
        return searchReply(q === 'wonden' ? [hit({ id: 'wonden', title: 'Wonden spoelen' })] : undefined)(r);
      },
    });
    renderKnowledge('/kennisbank?q=wond');
    const input = await screen.findByRole('searchbox', { name: 'Zoek in de kennisbank' });
    expect(input).toHaveValue('wond');
    await screen.findByText('2 resultaten voor ‘wond’');

    await userEvent.type(input, 'e');
    await waitFor(() => expect(staleSignal).toBeDefined());
    // Still the old results, marked as stale while loading.
    expect(resultCards()).toHaveLength(2);
    expect(screen.getByTestId('kb-search-results')).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByText('2 resultaten voor ‘wond’')).toBeInTheDocument();

    await userEvent.type(input, 'n');
    await screen.findByText('1 resultaat voor ‘wonden’');
    expect(staleSignal!.aborted).toBe(true);
    expect(resultCards().map((c) => c.getAttribute('data-id'))).toEqual(['wonden']);
    slow.resolve({ body: { items: [], total: 0, query: 'wonde' } });
  });

  it('follows the URL on back/forward', async () => {
    mockApi({ ...baseTable(), [SEARCH]: searchReply() });
    const { router } = renderKnowledge('/kennisbank');
    const input = await screen.findByRole('searchbox', { name: 'Zoek in de kennisbank' });
    await router.navigate('/kennisbank?q=wond');
    await screen.findByText('2 resultaten voor ‘wond’');
    expect(input).toHaveValue('wond');
    await router.navigate(-1);
    await waitFor(() => expect(input).toHaveValue(''));
    expect(screen.queryByTestId('kb-search-results')).not.toBeInTheDocument();
  });

  it('filters search results by category and keeps the filter in the URL', async () => {
    const api = mockApi({ ...baseTable(), [SEARCH]: searchReply() });
    const { router } = renderKnowledge('/kennisbank?q=wond');
    await screen.findByText('2 resultaten voor ‘wond’');
    const chip = screen.getByRole('button', { name: /^Wondzorg/ });
    expect(chip).toHaveAttribute('aria-pressed', 'false');
    expect(chip).toHaveAccessibleName('Wondzorg (3 artikelen)');
    await userEvent.click(chip);
    await screen.findByText('2 resultaten voor ‘wond’ in Wondzorg');
    expect(chip).toHaveAttribute('aria-pressed', 'true');
    expect(new URLSearchParams(router.state.location.search).get('categorie')).toBe('wondzorg');
    expect(new URLSearchParams(router.state.location.search).get('q')).toBe('wond');
    expect(api.calls('GET', SEARCH).at(-1)!.url.searchParams.get('category')).toBe('wondzorg');

    await userEvent.click(screen.getByRole('button', { name: 'Alles' }));
    await waitFor(() => expect(router.state.location.search).toBe('?q=wond'));
  });
});

describe('knowledge home: browsing', () => {
  it('lists a category newest first when a chip is chosen without a query', async () => {
    const api = mockApi({
      ...baseTable(),
      '/api/v1/knowledge/articles': (r) =>
        r.url.searchParams.get('category') === 'medicatie'
          ? {
              body: {
                items: [
                  summary({ id: 'insuline', title: 'Insuline toedienen', category: 'medicatie' }),
                  summary({ id: 'ogen', title: 'Oogdruppels', category: 'medicatie', confirmation: { required: false, pending: false } }),
                ],
                total: 2,
              },
            }
          : { body: { items: [summary()], total: 1 } },
    });
    const { router } = renderKnowledge('/kennisbank');
    // Overview: every category with its newest articles.
    const groups = await screen.findAllByTestId('kb-group');
    expect(groups.map((g) => within(g).getByRole('heading', { level: 3 }).textContent)).toEqual([
      'Wondzorg 3 artikelen',
      'Medicatie 2 artikelen',
      'Hygiëne 1 artikel',
    ]);
    await userEvent.click(screen.getByRole('button', { name: /^Medicatie/ }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Medicatie 2 artikelen' })).toBeInTheDocument();
    expect(router.state.location.search).toBe('?categorie=medicatie');
    const titles = (await screen.findAllByTestId('kb-result')).map((c) => within(c).getByRole('link').textContent);
    expect(titles).toEqual(['Insuline toedienen', 'Oogdruppels']);
    const listCall = api.calls('GET', '/api/v1/knowledge/articles').find((r) => r.url.searchParams.get('category') === 'medicatie');
    expect(listCall?.url.searchParams.get('limit')).toBe('20');
  });

  it('shows what I still must confirm on top, and nothing when there is nothing', async () => {
    mockApi({
      ...baseTable(),
      '/api/v1/knowledge/confirmations/pending': { body: { items: [summary()] } },
    });
    renderKnowledge('/kennisbank');
    const block = await screen.findByTestId('kb-pending');
    expect(within(block).getByRole('heading', { name: 'Nog te bevestigen 1' })).toBeInTheDocument();
    expect(within(block).getByRole('link', { name: 'Decubitus: preventie en wondzorg' })).toHaveAttribute('href', '/kennisbank/decubitus');
    // It comes before the search box.
    const search = within(screen.getByRole('main')).getByRole('search');
    expect(block.compareDocumentPosition(search) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('has no pending block when nothing is pending', async () => {
    mockApi(baseTable());
    renderKnowledge('/kennisbank');
    await screen.findAllByTestId('kb-group');
    expect(screen.queryByTestId('kb-pending')).not.toBeInTheDocument();
  });

  it('shows the number of pending confirmations on the navigation item', async () => {
    mockApi({ ...baseTable(), '/api/v1/knowledge/meta': { body: { ...meta, pendingConfirmations: 3 } } });
    renderKnowledge('/nav-test');
    // The app shell's navigation holds the item too: check every instance.
    const badges = await screen.findAllByTestId('knowledge-pending-badge');
    for (const badge of badges) expect(badge).toHaveAttribute('data-count', '3');
    for (const link of screen.getAllByRole('link', { name: /^Kennisbank/ })) {
      expect(link).toHaveAccessibleName('Kennisbank 3 artikelen nog te bevestigen');
    }
  });
});

const ARTICLES = '/api/v1/knowledge/articles';

function audienceGroup() {
  return screen.getByRole('group', { name: 'Voor wie' });
}

describe('knowledge home: "voor wie" (audience) filter', () => {
  it('choosing "Voor mij" while searching sends audience=mine, writes voor=mij in the URL and says so', async () => {
    const api = mockApi({ ...baseTable(), [SEARCH]: searchReply() });
    const { router } = renderKnowledge('/kennisbank?q=wond');
    await screen.findByText('2 resultaten voor ‘wond’');
    expect(api.calls('GET', SEARCH)[0]!.url.searchParams.has('audience')).toBe(false);

    const group = audienceGroup();
    const all = within(group).getByTestId('kb-audience-all');
    const mine = within(group).getByRole('button', { name: 'Voor mij' });
    expect(all).toHaveAttribute('aria-pressed', 'true');
    expect(mine).toHaveAttribute('aria-pressed', 'false');
    expect(within(group).getByRole('button', { name: 'Voor iedereen' })).toHaveAttribute('data-audience', 'everyone');

    await userEvent.click(mine);
    await screen.findByText('2 resultaten voor ‘wond’ (artikelen voor mij)');
    expect(mine).toHaveAttribute('aria-pressed', 'true');
    expect(all).toHaveAttribute('aria-pressed', 'false');
    const params = new URLSearchParams(router.state.location.search);
    expect(params.get('voor')).toBe('mij');
    expect(params.get('q')).toBe('wond');
    const last = api.calls('GET', SEARCH).at(-1)!;
    expect(last.url.searchParams.get('audience')).toBe('mine');
    expect(last.url.searchParams.get('q')).toBe('wond');

    // Together with a category; the status names both.
    await userEvent.click(screen.getByRole('button', { name: /^Wondzorg/ }));
    await screen.findByText('2 resultaten voor ‘wond’ in Wondzorg (artikelen voor mij)');
    const both = api.calls('GET', SEARCH).at(-1)!;
    expect(both.url.searchParams.get('audience')).toBe('mine');
    expect(both.url.searchParams.get('category')).toBe('wondzorg');

    // Pressing the chosen one again turns the filter off.
    await userEvent.click(mine);
    await screen.findByText('2 resultaten voor ‘wond’ in Wondzorg');
    expect(new URLSearchParams(router.state.location.search).has('voor')).toBe(false);
    expect(api.calls('GET', SEARCH).at(-1)!.url.searchParams.has('audience')).toBe(false);
  });

  it('mentions the audience when nothing is found, with a hint to choose "Alles"', async () => {
    mockApi({ ...baseTable(), [SEARCH]: searchReply([]) });
    renderKnowledge('/kennisbank?q=wond&voor=iedereen');
    await screen.findByText('Geen resultaten voor ‘wond’ (artikelen voor iedereen)');
    expect(screen.getByText(/kies ‘Alles’ bij ‘Voor wie’/)).toBeInTheDocument();
  });

  it('lists the articles for everyone, newest first and paged, when opened with voor=iedereen and no query', async () => {
    const api = mockApi({
      ...baseTable(),
      [ARTICLES]: (r) => {
        if (r.url.searchParams.get('audience') !== 'everyone') return { body: { items: [summary()], total: 1 } };
        return r.url.searchParams.get('offset') === '2'
          ? { body: { items: [summary({ id: 'handen', title: 'Handhygiëne', category: 'hygiene' })], total: 3 } }
          : {
              body: {
                items: [
                  summary({ id: 'brand', title: 'Brandveiligheid', category: 'veiligheid' }),
                  summary({ id: 'insuline', title: 'Insuline toedienen', category: 'medicatie' }),
                ],
                total: 3,
              },
            };
      },
    });
    renderKnowledge('/kennisbank?voor=iedereen');
    expect(await screen.findByRole('heading', { level: 2, name: 'Voor iedereen 3 artikelen' })).toBeInTheDocument();
    const browse = screen.getByTestId('kb-browse');
    expect(browse).toHaveAttribute('data-audience', 'everyone');
    const titles = () => within(browse).queryAllByTestId('kb-result').map((c) => within(c).getByRole('link').textContent);
    await waitFor(() => expect(titles()).toEqual(['Brandveiligheid', 'Insuline toedienen']));
    // Not the per-category overview.
    expect(screen.queryByTestId('kb-group')).not.toBeInTheDocument();
    expect(within(audienceGroup()).getByRole('button', { name: 'Voor iedereen' })).toHaveAttribute('aria-pressed', 'true');

    const lists = api.calls('GET', ARTICLES).filter((r) => r.url.searchParams.get('audience') === 'everyone');
    expect(lists).toHaveLength(1);
    expect(lists[0]!.url.searchParams.get('limit')).toBe('20');
    expect(lists[0]!.url.searchParams.has('category')).toBe(false);

    await userEvent.click(within(browse).getByRole('button', { name: 'Meer tonen' }));
    await waitFor(() => expect(titles()).toEqual(['Brandveiligheid', 'Insuline toedienen', 'Handhygiëne']));
    expect(api.calls('GET', ARTICLES).at(-1)!.url.searchParams.get('offset')).toBe('2');
  });

  it('combines the audience with a chosen category when browsing', async () => {
    const api = mockApi({
      ...baseTable(),
      [ARTICLES]: (r) =>
        r.url.searchParams.get('audience') === 'mine' && r.url.searchParams.get('category') === 'medicatie'
          ? { body: { items: [summary({ id: 'insuline', title: 'Insuline toedienen', category: 'medicatie' })], total: 1 } }
          : { body: { items: [], total: 0 } },
    });
    renderKnowledge('/kennisbank?categorie=medicatie&voor=mij');
    expect(await screen.findByRole('heading', { level: 2, name: 'Medicatie, voor mij 1 artikel' })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Insuline toedienen' })).toBeInTheDocument();
    const call = api.calls('GET', ARTICLES).find((r) => r.url.searchParams.get('audience') === 'mine');
    expect(call?.url.searchParams.get('category')).toBe('medicatie');
  });

  it('"Alles" removes the parameter and the page is back to browsing as before', async () => {
    const api = mockApi({
      ...baseTable(),
      [ARTICLES]: (r) =>
        r.url.searchParams.get('audience') === 'mine'
          ? { body: { items: [], total: 0 } }
          : { body: { items: [summary()], total: 1 } },
    });
    const { router } = renderKnowledge('/kennisbank?voor=mij');
    expect(await screen.findByText('Hier zijn geen artikelen speciaal voor jouw team, regio of functie.')).toBeInTheDocument();

    const all = within(audienceGroup()).getByRole('button', { name: /^Alles/ });
    expect(all).toHaveAccessibleName('Alles (elke doelgroep)');
    await userEvent.click(all);
    await waitFor(() => expect(router.state.location.search).toBe(''));
    expect(all).toHaveAttribute('aria-pressed', 'true');
    // The per-category overview again, from the plain list.
    expect(await screen.findAllByTestId('kb-group')).toHaveLength(3);
    expect(screen.queryByTestId('kb-browse')).not.toBeInTheDocument();
    expect(api.calls('GET', ARTICLES).at(-1)!.url.searchParams.has('audience')).toBe(false);
  });

  it('ignores an unknown voor value', async () => {
    const api = mockApi(baseTable());
    renderKnowledge('/kennisbank?voor=iedereen-behalve-mij');
    await screen.findAllByTestId('kb-group');
    expect(within(audienceGroup()).getByTestId('kb-audience-all')).toHaveAttribute('aria-pressed', 'true');
    for (const r of api.requests) expect(r.url.searchParams.has('audience')).toBe(false);
  });

  it('speaks English when English is chosen', async () => {
    await i18n.changeLanguage('en');
    mockApi({ ...baseTable(), [SEARCH]: searchReply() });
    renderKnowledge('/kennisbank?q=wond&categorie=wondzorg&voor=mij');
    await screen.findByText('2 results for ‘wond’ in Wound care (articles for me)');
    const group = screen.getByRole('group', { name: 'For whom' });
    expect(within(group).getAllByRole('button').map((b) => b.textContent)).toEqual(['All (any audience)', 'For everyone', 'For me']);
    expect(within(group).getByRole('button', { name: 'For me' })).toHaveAttribute('aria-pressed', 'true');
  });
});
