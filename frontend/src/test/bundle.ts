import { describe, expect, it } from 'vitest';
import { bundleHasKey, flattenBundle } from './utils';

interface FeatureBundle {
  nl: unknown;
  en: unknown;
  /** The feature's source files as text (an eager `import.meta.glob` with `?raw`); tests and fixtures are left out here. */
  sources: Record<string, string>;
  /** Keys the code builds from a template (`<feature>.actions.${a}`), full names. */
  templated: string[];
  /** Whether a bundle key (without the feature prefix) is one of the templated ones. */
  isTemplated: (key: string) => boolean;
}

/**
 * The checks every feature bundle gets: the same keys in nl and en with no
 * empty strings, every key the code asks for present in both, and every key
 * used.
 */
export function describeFeatureBundle(feature: string, label: string, b: FeatureBundle) {
  const code = Object.entries(b.sources).filter(([path]) => !/\.test\.tsx?$|testing\.tsx?$/.test(path));
  const flatNl = flattenBundle(b.nl);
  const flatEn = flattenBundle(b.en);
  const prefix = `${feature}.`;

  describe(`${label} translations`, () => {
    it('has the same keys in nl and en, and no empty strings', () => {
      expect(Object.keys(flatEn).sort()).toEqual(Object.keys(flatNl).sort());
      for (const [key, value] of [...Object.entries(flatNl), ...Object.entries(flatEn)]) {
        expect(typeof value === 'string' && value.trim().length > 0, key).toBe(true);
      }
    });

    it('has every key the code asks for, in both languages', () => {
      expect(code.length).toBeGreaterThan(5);
      const used = new Set<string>(b.templated);
      const pattern = new RegExp(`'(${feature}\\.[\\w.]+)'`, 'g');
      for (const [, text] of code) {
        for (const match of text.matchAll(pattern)) used.add(match[1]!);
      }
      expect(used.size).toBeGreaterThan(30);
      for (const key of used) {
        expect(bundleHasKey(flatNl, feature, key), `nl ${key}`).toBe(true);
        expect(bundleHasKey(flatEn, feature, key), `en ${key}`).toBe(true);
      }
    });

    it('uses every key it has', () => {
      const text = code.map(([, source]) => source).join('\n');
      for (const key of Object.keys(flatNl)) {
        const base = key.replace(/_(one|other)$/, '');
        if (b.isTemplated(base)) continue;
        expect(text.includes(`'${prefix}${base}'`), `unused key ${prefix}${base}`).toBe(true);
      }
    });
  });
}
