import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { foldDiff } from './DiffView';
import { formatDay, formatRate, formatSize, safeExternalUrl, snippetSegments } from './format';
import { MarkdownPreview, safeHref } from './markdown';

describe('snippet highlighting', () => {
  it('splits text by [start, end) marks in UTF-16 indices', () => {
    expect(snippetSegments({ text: 'de wond is schoon', marks: [[3, 7]] })).toEqual([
      { text: 'de ', mark: false },
      { text: 'wond', mark: true },
      { text: ' is schoon', mark: false },
    ]);
    // Emoji take two code units: indices are JS string indices.
    const text = '🩹 wondzorg';
    expect(snippetSegments({ text, marks: [[3, 7]] }).find((s) => s.mark)?.text).toBe('wond');
  });

  it('merges overlapping marks, sorts them and ignores empty or out-of-range ones', () => {
    expect(
      snippetSegments({
        text: 'abcdefgh',
        marks: [
          [5, 7],
          [1, 3],
          [2, 4],
          [6, 6],
          [-5, 0],
          [7, 99],
        ],
      }),
    ).toEqual([
      { text: 'a', mark: false },
      { text: 'bcd', mark: true },
      { text: 'e', mark: false },
      { text: 'fgh', mark: true },
    ]);
    expect(snippetSegments({ text: 'abc', marks: [] })).toEqual([{ text: 'abc', mark: false }]);
  });
});

describe('markdown preview', () => {
  function preview(source: string) {
    render(<MarkdownPreview source={source} tableLabel="Tabel" />);
    return document.body;
  }

  it('renders headings h2–h4, paragraphs, lists, emphasis, code and tables', () => {
    const root = preview(
      [
        '# Protocol',
        '## Doel',
        '#### Detail',
        '',
        'Een **vette** en *schuine* en _ook schuine_ tekst met `code`.',
        'Zelfde alinea.',
        '',
        '- een',
        '- twee',
        '',
        '1. eerst',
        '2. dan',
        '',
        '| Fase | Actie |',
        '| --- | --- |',
        '| 1 | Ontlasten \\| draaien |',
        '',
        '> Let op',
        '',
        '```',
        '**geen vet**',
        '```',
      ].join('\n'),
    );
    expect(screen.getByRole('heading', { level: 2, name: 'Protocol' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Doel' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 4, name: 'Detail' })).toBeInTheDocument();
    const p = root.querySelector('p')!;
    expect(p).toHaveTextContent('Een vette en schuine en ook schuine tekst met code. Zelfde alinea.');
    expect(p.querySelector('strong')).toHaveTextContent('vette');
    expect([...p.querySelectorAll('em')].map((e) => e.textContent)).toEqual(['schuine', 'ook schuine']);
    expect(p.querySelector('code')).toHaveTextContent('code');
    expect(within(root.querySelector('ul')!).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['een', 'twee']);
    expect(within(root.querySelector('ol')!).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['eerst', 'dan']);
    const region = screen.getByRole('region', { name: 'Tabel' });
    expect(within(region).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Fase', 'Actie']);
    expect(within(region).getAllByRole('cell').map((td) => td.textContent)).toEqual(['1', 'Ontlasten | draaien']);
    expect(root.querySelector('blockquote')).toHaveTextContent('Let op');
    expect(root.querySelector('pre')).toHaveTextContent('**geen vet**');
  });

  it('keeps HTML as text and only links safe URLs', () => {
    const root = preview('<img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](/kennisbank/x) [c](mailto:kwaliteit@example.org) [d](//evil.example)');
    expect(root.querySelector('img')).toBeNull();
    expect(root).toHaveTextContent('<img src=x onerror=alert(1)>');
    const links = [...root.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href')]);
    expect(links).toEqual([
      ['b', '/kennisbank/x'],
      ['c', 'mailto:kwaliteit@example.org'],
    ]);
  });

  it('does not treat snake_case or lone stars as emphasis', () => {
    const root = preview('bestand_naam_v2 en 2 * 3 * 4');
    expect(root.querySelector('em')).toBeNull();
    expect(root).toHaveTextContent('bestand_naam_v2 en 2 * 3 * 4');
  });

  it('safeHref allows http(s), mailto and local paths only', () => {
    expect(safeHref('https://a.example/x')).toBe('https://a.example/x');
    expect(safeHref('data:text/html,hi')).toBeNull();
    expect(safeHref('JaVaScRiPt:alert(1)')).toBeNull();
    expect(safeHref('/\\evil.example')).toBeNull();
    expect(safeHref('#doel')).toBe('#doel');
  });
});

describe('diff folding', () => {
  it('folds long unchanged runs but keeps context around changes', () => {
    const eq = (n: number) => Array.from({ length: n }, (_, i) => ({ op: 'eq' as const, text: `r${i}` }));
    const blocks = foldDiff([...eq(10), { op: 'add', text: 'nieuw' }, ...eq(3)]);
    expect(blocks.map((b) => [b.kind, b.lines.length])).toEqual([
      ['fold', 8],
      ['lines', 6],
    ]);
  });
});

describe('formatting', () => {
  it('formats days, rates, sizes and external links', () => {
    expect(formatDay('2026-03-01', 'nl')).toBe('1 maart 2026');
    expect(formatRate(2 / 3, 'nl')).toBe('67%');
    expect(formatRate(1.4, 'nl')).toBe('100%');
    expect(formatSize(245_000, 'nl')).toBe('245 kB');
    expect(formatSize(1_250_000, 'nl')).toBe('1,3 MB');
    expect(safeExternalUrl('https://kick.example/a')).toBe('https://kick.example/a');
    expect(safeExternalUrl('javascript:alert(1)')).toBeNull();
    expect(safeExternalUrl('not a url')).toBeNull();
  });
});
