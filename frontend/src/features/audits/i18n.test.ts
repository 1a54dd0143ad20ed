import { describe, expect, it } from 'vitest';
import { bundleHasKey, flattenBundle } from '../../test/utils';
import { fullBundle } from '../../test/translations';

// The feature's texts: its bundle (./i18n) with the few the shell holds for it (src/i18n).
const nl = fullBundle('nl').audits;
const en = fullBundle('en').audits;

const sources = import.meta.glob<string>(['./*.{ts,tsx}'], { query: '?raw', import: 'default', eager: true });
const code = Object.entries(sources).filter(([path]) => !/\.test\.tsx?$|testing\.tsx?$/.test(path));
const flatNl = flattenBundle(nl);
const flatEn = flattenBundle(en);

describe('audits translations', () => {
  it('has the same keys in nl and en, and no empty strings', () => {
    expect(Object.keys(flatEn).sort()).toEqual(Object.keys(flatNl).sort());
    for (const [key, value] of [...Object.entries(flatNl), ...Object.entries(flatEn)]) {
      expect(typeof value === 'string' && value.trim().length > 0, key).toBe(true);
    }
  });

  it('has every key the code asks for, in both languages', () => {
    const used = new Set<string>();
    for (const [, text] of code) {
      for (const match of text.matchAll(/'(audits\.[\w.]+)'/g)) used.add(match[1]!);
    }
    for (const s of ['voldoet', 'deels', 'voldoet_niet', 'nvt']) used.add(`audits.score.${s}`);
    for (const s of ['assigned', 'in_progress', 'finished']) used.add(`audits.status.${s}`);
    for (const s of ['open', 'in_progress', 'closed', 'confirmed']) used.add(`audits.actionStatus.${s}`);
    for (const s of ['good', 'fair', 'poor', 'none']) used.add(`audits.band.${s}`);
    for (const s of ['peer', 'internal']) used.add(`audits.type.${s}`);
    for (const s of ['planning', 'open', 'closed']) used.add(`audits.roundStatus.${s}`);
    for (const s of ['own_region', 'own_team', 'other_region', 'not_auditor', 'unknown_team', 'duplicate_team', 'unassigned', 'repeat', 'imbalance']) used.add(`audits.rule.${s}`);
    expect(used.size).toBeGreaterThan(60);
    for (const key of used) {
      expect(bundleHasKey(flatNl, 'audits', key), `nl ${key}`).toBe(true);
      expect(bundleHasKey(flatEn, 'audits', key), `en ${key}`).toBe(true);
    }
  });
});
