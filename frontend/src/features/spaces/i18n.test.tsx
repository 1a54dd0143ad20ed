import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { chatEnvironment } from '../chat/ChatProvider';
import { FakeSocket, fakeSocketFactory } from '../chat/testing';
import { NOTIFICATION_KINDS } from '../notifications/types';
import { SEARCH_TYPES } from '../search/types';
import { fullBundle } from '../../test/translations';

// The feature's texts: its bundle (./i18n) with the few the shell holds for it (src/i18n).
const nl = fullBundle('nl').spaces;
const en = fullBundle('en').spaces;
import { bundleHasKey, flattenBundle } from '../../test/utils';
import { FEED_URL, PINNED_URL, SPACE_URL, mockApi, renderSpaces, space } from './testing';

// Every source file of the three features (not tests, not fixtures).
const sources = {
  ...import.meta.glob<string>('./*.{ts,tsx}', { query: '?raw', import: 'default', eager: true }),
  ...import.meta.glob<string>('../notifications/*.{ts,tsx}', { query: '?raw', import: 'default', eager: true }),
  ...import.meta.glob<string>('../search/*.{ts,tsx}', { query: '?raw', import: 'default', eager: true }),
};
const code = Object.entries(sources).filter(([path]) => !/\.test\.tsx?$|testing\.tsx?$/.test(path));

const flatNl = flattenBundle(nl);
const flatEn = flattenBundle(en);

const resolves = (bundle: Record<string, unknown>, key: string) => bundleHasKey(bundle, 'spaces', key);

beforeEach(() => {
  FakeSocket.reset();
  chatEnvironment.createSocket = fakeSocketFactory;
});

afterEach(() => {
  chatEnvironment.createSocket = null;
});

describe('spaces translations', () => {
  it('has the same keys in nl and en, and no empty strings', () => {
    expect(Object.keys(flatEn).sort()).toEqual(Object.keys(flatNl).sort());
    for (const [key, value] of [...Object.entries(flatNl), ...Object.entries(flatEn)]) {
      expect(typeof value === 'string' && value.trim().length > 0, key).toBe(true);
    }
  });

  it('has every key the code asks for, in both languages', () => {
    expect(code.length).toBeGreaterThan(10);
    const used = new Set<string>();
    for (const [, text] of code) {
      for (const match of text.matchAll(/\bt\(\s*'(spaces\.[\w.]+)'/g)) used.add(match[1]!);
      for (const match of text.matchAll(/'(spaces\.[\w.]+)'/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(200);
    for (const key of used) {
      expect(resolves(flatNl, key), `nl ${key}`).toBe(true);
      expect(resolves(flatEn, key), `en ${key}`).toBe(true);
    }
    // Keys built from a type or kind.
    for (const type of SEARCH_TYPES) expect(resolves(flatEn, `spaces.search.types.${type}`), type).toBe(true);
    for (const kind of NOTIFICATION_KINDS) {
      expect(resolves(flatEn, `spaces.notifications.kinds.${kind}`), kind).toBe(true);
      expect(resolves(flatEn, `spaces.notifications.prefKinds.${kind}`), kind).toBe(true);
    }
  });

  it('has no hard-coded user-visible text in the components', () => {
    const offenders: string[] = [];
    for (const [path, text] of code) {
      if (!path.endsWith('.tsx')) continue;
      // Text between JSX tags that contains letters and no expression.
      // (Not after "=>" or "/>", and not code: no operators or brackets.)
      for (const match of text.matchAll(/(?<![=/-])>\s*([^<>{}\n]*\p{L}{2,}[^<>{}\n]*?)\s*</gu)) {
        const value = match[1]!.trim();
        if (value && !/[?()=[\]|&;]/.test(value)) offenders.push(`${path}: ${value}`);
      }
      // Literal accessible names and hints.
      for (const match of text.matchAll(/\b(aria-label|placeholder|title|alt)="([^"]*\p{L}[^"]*)"/gu)) {
        offenders.push(`${path}: ${match[1]}="${match[2]}"`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('renders the space in English when English is chosen', async () => {
    await i18n.changeLanguage('en');
    mockApi({
      [SPACE_URL]: { body: space() },
      [PINNED_URL]: { body: { items: [] } },
      [FEED_URL]: { body: { items: [] } },
    });
    renderSpaces('/teams/den-helder-centrum/berichten');
    expect(await screen.findByRole('heading', { level: 2, name: 'Agreements' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Who may see this?' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Calendar' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Members and team roles' })).toBeInTheDocument();
    expect(screen.queryByText('Afspraken')).not.toBeInTheDocument();
    expect(screen.queryByText('Berichten')).not.toBeInTheDocument();
  });
});
