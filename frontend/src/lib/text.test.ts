import { describe, expect, it } from 'vitest';
import { firstName, initials, matchesQuery, normalizeForSearch, safeReturnPath, splitParagraphs, telHref } from './text';

describe('text helpers', () => {
  it('normalizes diacritics and case for search', () => {
    expect(normalizeForSearch('  Coördinerend  WIJKverpleegkundige ')).toBe('coordinerend wijkverpleegkundige');
    expect(normalizeForSearch('Café Ürsem')).toBe('cafe ursem');
  });

  it('matches all terms regardless of diacritics', () => {
    expect(matchesQuery('ursem cafe', ['Zwaagdijk-Ürsem Café'])).toBe(true);
    expect(matchesQuery('CAFÉ', ['Zwaagdijk-Ürsem Cafe'])).toBe(true);
    expect(matchesQuery('ursem helder', ['Zwaagdijk-Ürsem Café'])).toBe(false);
    expect(matchesQuery('   ', ['anything'])).toBe(true);
  });

  it('splits paragraphs on blank lines', () => {
    expect(splitParagraphs('Een\r\n\r\nTwee\nnog twee\n \n\nDrie')).toEqual(['Een', 'Twee\nnog twee', 'Drie']);
    expect(splitParagraphs('')).toEqual([]);
  });

  it('builds names, initials and tel links', () => {
    expect(firstName('Anouk de Vries')).toBe('Anouk');
    expect(initials('Anouk de Vries')).toBe('AV');
    expect(initials('Bram')).toBe('B');
    expect(telHref('0223 - 12 34 56')).toBe('tel:0223123456');
    expect(telHref('+31 (0)223 123456')).toBe('tel:+310223123456');
  });

  it('only allows local return paths', () => {
    expect(safeReturnPath('/teams?q=x')).toBe('/teams?q=x');
    expect(safeReturnPath('//evil.example')).toBe('/');
    expect(safeReturnPath('https://evil.example')).toBe('/');
    expect(safeReturnPath('/\\evil.example')).toBe('/');
  });
});
