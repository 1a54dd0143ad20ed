import { describe, expect, it } from 'vitest';
import en from './i18n/en.json';
import nl from './i18n/nl.json';
import { bundleHasKey, flattenBundle } from '../../test/utils';
import { PART_LABELS, SECTION_ORDER } from './exportView';

// Every source file of the feature (not tests, not fixtures), plus the shell and home page that link here.
const sources = import.meta.glob<string>(['./*.{ts,tsx}', '../home/Today.tsx', '../../components/AppShell.tsx', '../../components/UserMenu.tsx', '../../components/MoreMenu.tsx'], {
  query: '?raw',
  import: 'default',
  eager: true,
});
const code = Object.entries(sources).filter(([path]) => !/\.test\.tsx?$|testing\.tsx?$/.test(path));

const flatNl = flattenBundle(nl);
const flatEn = flattenBundle(en);

const resolves = (bundle: Record<string, unknown>, key: string) => bundleHasKey(bundle, 'privacy', key);

describe('privacy translations', () => {
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
      for (const match of text.matchAll(/'(privacy\.[\w.]+)'/g)) used.add(match[1]!);
    }
    // Keys built from a template: every action, every period problem.
    // Keys built from a template: every section, part and retention kind.
    for (const s of SECTION_ORDER) used.add(`privacy.section.${s}`);
    for (const p of PART_LABELS) used.add(`privacy.part.${p}`);
    for (const k of ['chat', 'posts', 'documents', 'notifications', 'access_log', 'login_attempts']) used.add(`privacy.retention.kinds.${k}`);
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
      const templated = /^(section|part|retention\.kinds)\./.test(base);
      if (templated) continue;
      expect(text.includes(`'privacy.${base}'`), `unused key privacy.${base}`).toBe(true);
    }
  });
});
