import { describe, expect, it } from 'vitest';
import en from './i18n/en.json';
import nl from './i18n/nl.json';
import { bundleHasKey, flattenBundle } from '../../test/utils';

// Every source file of the feature (not tests, not fixtures), plus the home page that links here.
const sources = import.meta.glob<string>(['./*.{ts,tsx}', '../home/HomePage.tsx'], {
  query: '?raw',
  import: 'default',
  eager: true,
});
const code = Object.entries(sources).filter(([path]) => !/\.test\.tsx?$|testing\.tsx?$/.test(path));

const flatNl = flattenBundle(nl);
const flatEn = flattenBundle(en);

const resolves = (bundle: Record<string, unknown>, key: string) => bundleHasKey(bundle, 'accesslog', key);

describe('access log translations', () => {
  it('has the same keys in nl and en, and no empty strings', () => {
    expect(Object.keys(flatEn).sort()).toEqual(Object.keys(flatNl).sort());
    for (const [key, value] of [...Object.entries(flatNl), ...Object.entries(flatEn)]) {
      expect(typeof value === 'string' && value.trim().length > 0, key).toBe(true);
    }
  });

  it('has every key the code asks for, in both languages', () => {
    expect(code.length).toBeGreaterThan(5);
    const used = new Set<string>();
    for (const [, text] of code) {
      for (const match of text.matchAll(/'(accesslog\.[\w.]+)'/g)) used.add(match[1]!);
    }
    // Keys built from a template: every action, every period problem.
    for (const action of ['read', 'search', 'export', 'change', 'delete', 'print', 'copy']) used.add(`accesslog.actions.${action}`);
    for (const problem of ['badDate', 'endBeforeStart', 'tooLong']) used.add(`accesslog.errors.${problem}`);
    expect(used.size).toBeGreaterThan(30);
    for (const key of used) {
      expect(resolves(flatNl, key), `nl ${key}`).toBe(true);
      expect(resolves(flatEn, key), `en ${key}`).toBe(true);
    }
  });

  it('uses every key it has', () => {
    const text = code.map(([, source]) => source).join('\n');
    for (const key of Object.keys(flatNl)) {
      const base = key.replace(/_(one|other)$/, '');
      const templated = /^(actions|errors)\./.test(base) && base !== 'errors.title';
      if (templated) continue;
      expect(text.includes(`'accesslog.${base}'`), `unused key accesslog.${base}`).toBe(true);
    }
  });
});
