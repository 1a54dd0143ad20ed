import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatEnvironment } from '../chat/ChatProvider';
import { FakeSocket, fakeSocketFactory } from '../chat/testing';
import { API, calls, mockApi, renderSpaces } from '../spaces/testing';
import { highlightSegments } from './highlight';
import type { SearchGroup } from './types';

const ALL = 'article,document,post,team,person,message,community';

beforeEach(() => {
  FakeSocket.reset();
  chatEnvironment.createSocket = fakeSocketFactory;
});

afterEach(() => {
  chatEnvironment.createSocket = null;
});

function groups(): SearchGroup[] {
  return [
    // Deliberately out of display order: the page orders by type.
    {
      type: 'team',
      total: 1,
      items: [{ id: 't1', title: 'Den Helder-Centrum', snippet: { text: 'Wondzorg in het centrum', marks: [[0, 8]] }, link: '/ruimtes/den-helder-centrum', meta: 'Den Helder' }],
    },
    {
      type: 'post',
      total: 7,
      items: [
        {
          id: 'p1',
          title: 'Anouk de Vries in Den Helder-Centrum',
          // Text that looks like HTML must stay text.
          snippet: { text: 'Nieuwe <img src=x onerror=alert(1)> wondzorg-kar, zie wondzorg map', marks: [[36, 44], [54, 62]] },
          link: '/ruimtes/den-helder-centrum/berichten/p1',
          meta: '20 nov',
        },
        { id: 'p2', title: 'Sanne Bakker', snippet: { text: 'Over wondzorg', marks: [[5, 13]] }, link: '/ruimtes/den-helder-centrum/berichten/p2', meta: '' },
      ],
    },
    { type: 'message', total: 0, items: [] },
  ];
}

describe('search page', () => {
  it('groups results by type with counts, highlights marks as text and loads more of one type', async () => {
    const fetchMock = mockApi({
      [`${API}/search?q=wondzorg&types=${ALL}&limit=5`]: { body: { query: 'wondzorg', groups: groups() } },
      [`${API}/search?q=wondzorg&types=post&limit=20&offset=2`]: {
        body: {
          query: 'wondzorg',
          groups: [
            {
              type: 'post',
              total: 7,
              items: [3, 4, 5, 6, 7].map((n) => ({
                id: `p${n}`,
                title: `Bericht ${n}`,
                snippet: { text: `wondzorg ${n}`, marks: [[0, 8]] },
                link: `/ruimtes/den-helder-centrum/berichten/p${n}`,
                meta: '',
              })),
            },
          ],
        },
      },
    });
    renderSpaces('/zoeken?q=wondzorg');

    expect(await screen.findByRole('heading', { level: 1, name: 'Zoekresultaten voor ‘wondzorg’' })).toBeInTheDocument();
    const sections = await screen.findAllByTestId('search-group');
    expect(sections.map((s) => s.dataset.type)).toEqual(['post', 'team', 'message']);
    expect(within(sections[0]!).getByRole('heading', { level: 2 })).toHaveTextContent('Berichten (7)');
    expect(within(sections[1]!).getByRole('heading', { level: 2 })).toHaveTextContent('Teams (1)');
    expect(within(sections[2]!).getByRole('heading', { level: 2 })).toHaveTextContent('Chatberichten (0)');
    expect(within(sections[2]!).getByText('Niets gevonden.')).toBeInTheDocument();
    expect(screen.getByTestId('search-total')).toHaveTextContent('8 resultaten');

    const first = within(sections[0]!).getAllByTestId('search-item')[0]!;
    expect(within(first).getByRole('link', { name: 'Anouk de Vries in Den Helder-Centrum' })).toHaveAttribute(
      'href',
      '/ruimtes/den-helder-centrum/berichten/p1',
    );
    const marks = first.querySelectorAll('mark');
    expect([...marks].map((m) => m.textContent)).toEqual(['wondzorg', 'wondzorg']);
    expect(first.querySelector('img')).toBeNull();
    expect(first).toHaveTextContent('Nieuwe <img src=x onerror=alert(1)> wondzorg-kar, zie wondzorg map');

    await userEvent.click(within(sections[0]!).getByRole('button', { name: 'Meer berichten tonen' }));
    await waitFor(() => expect(within(sections[0]!).getAllByTestId('search-item')).toHaveLength(7));
    expect(within(sections[0]!).queryByRole('button', { name: 'Meer berichten tonen' })).not.toBeInTheDocument();
    expect(calls(fetchMock)).toContain(`GET ${API}/search?q=wondzorg&types=post&limit=20&offset=2`);
    // Teams had everything already: no "meer".
    expect(within(sections[1]!).queryByTestId('search-more')).not.toBeInTheDocument();
  });

  it('searches from the header box with Enter and keeps the query in the URL', async () => {
    mockApi({
      [`${API}/search?q=griep%20prik&types=${ALL}&limit=5`]: { body: { query: 'griep prik', groups: [] } },
    });
    const { router } = renderSpaces('/ruimtes-elders');
    const input = await screen.findByRole('searchbox', { name: 'Zoeken in Plein' });
    await userEvent.type(input, '  griep prik {Enter}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/zoeken'));
    expect(router.state.location.search).toBe('?q=griep%20prik');
    expect(await screen.findByTestId('search-total')).toHaveTextContent('0 resultaten');
    // The page's own field shows the query too.
    expect(screen.getAllByRole('searchbox', { name: 'Zoeken in Plein' }).map((el) => (el as HTMLInputElement).value)).toEqual([
      'griep prik',
      'griep prik',
    ]);
  });

  it('says what it searched instead when the words as typed found nothing (a typo)', async () => {
    mockApi({
      [`${API}/search?q=insulne&types=${ALL}&limit=5`]: {
        body: {
          query: 'insulne',
          groups: [
            { type: 'post', total: 0, items: [] },
            {
              type: 'article',
              total: 1,
              corrected: 'insulin',
              items: [
                {
                  id: 'insuline-toedienen',
                  title: 'Insuline toedienen',
                  snippet: { text: 'Dien Insuline toe met een pen.', marks: [[5, 13]] },
                  link: '/kennisbank/insuline-toedienen',
                  meta: 'Protocollen',
                },
              ],
            },
          ],
        },
      },
    });
    renderSpaces('/zoeken?q=insulne');
    expect(await screen.findByTestId('search-corrected')).toHaveTextContent(
      'Niets gevonden voor ‘insulne’. Bedoelde je ‘insuline’? Hieronder staat wat daarop lijkt.',
    );
    expect(screen.getByTestId('search-total')).toHaveTextContent('1 resultaat');
  });

  it('opens the header field from the search button (phones)', async () => {
    mockApi({});
    renderSpaces('/ruimtes-elders');
    const toggle = await screen.findByTestId('global-search-toggle');
    expect(toggle).toHaveAccessibleName('Zoeken');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByTestId('global-search-input')).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(toggle).toHaveFocus();
  });

  it('asks for a word when there is no query', async () => {
    const fetchMock = mockApi({});
    renderSpaces('/zoeken');
    expect(await screen.findByRole('heading', { level: 1, name: 'Zoeken' })).toBeInTheDocument();
    expect(screen.getByText(/Typ een zoekwoord/)).toBeInTheDocument();
    expect(calls(fetchMock).some((c) => c.includes('/search'))).toBe(false);
  });
});

describe('highlightSegments', () => {
  it('splits text on [start, end) marks', () => {
    expect(highlightSegments('de wondzorg kar', [[3, 11]])).toEqual([
      { text: 'de ', mark: false },
      { text: 'wondzorg', mark: true },
      { text: ' kar', mark: false },
    ]);
  });

  it('sorts, merges overlaps and clamps to the text', () => {
    expect(highlightSegments('abcdefgh', [[5, 99], [1, 3], [2, 4]])).toEqual([
      { text: 'a', mark: false },
      { text: 'bcd', mark: true },
      { text: 'e', mark: false },
      { text: 'fgh', mark: true },
    ]);
  });

  it('ignores empty, inverted and junk ranges and counts UTF-16 units', () => {
    expect(highlightSegments('abc', [[2, 2], [3, 1], [Number.NaN, 2]])).toEqual([{ text: 'abc', mark: false }]);
    expect(highlightSegments('👍 top', [[3, 6]])).toEqual([
      { text: '👍 ', mark: false },
      { text: 'top', mark: true },
    ]);
    expect(highlightSegments('abc', undefined)).toEqual([{ text: 'abc', mark: false }]);
  });
});
