import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain Node script (scripts/i18n-placement.mjs), no type declarations
import { analyse } from '../../scripts/i18n-placement.mjs';

interface Analysis {
  moves: { key: string; from: string; to: string }[];
  undeclared: { file: string; entry: string; feature: string; example: string }[];
  features: string[];
}

// Run `node scripts/i18n-placement.mjs --fix` to move the keys it lists.
describe('where each translation key lives', () => {
  const { moves, undeclared, features } = analyse() as Analysis;

  it('finds the feature bundles', () => {
    expect(features).toEqual(expect.arrayContaining(['chat', 'dashboard', 'knowledge', 'spaces']));
  });

  it('keeps a feature key out of the global file unless the first screen needs it, and the other way round', () => {
    expect(moves.map((m) => `${m.key}: ${m.from} → ${m.to}`)).toEqual([]);
  });

  it('loads, with each lazy page module, every feature bundle it uses', () => {
    expect(undeclared.map((u) => `${u.file}: add '${u.feature}' (${u.example})`)).toEqual([]);
  });
});
