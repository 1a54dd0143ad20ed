import { describe, expect, it } from 'vitest';
import { ROLE_KEYS, TEAM_ROLE_KEYS } from '../api/types';
import { enBundle as en, nlBundle as nl } from './resources';

function keys(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

describe('translations', () => {
  it('nl and en have exactly the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(nl).sort());
  });

  it('has no empty strings', () => {
    for (const resource of [nl, en]) {
      const flat = keys(resource);
      for (const key of flat) {
        const value = key.split('.').reduce<unknown>((obj, part) => (obj as Record<string, unknown>)[part], resource);
        expect(typeof value === 'string' && value.trim().length > 0, key).toBe(true);
      }
    }
  });

  it('labels every role and task role', () => {
    for (const role of ROLE_KEYS) expect(nl.roles[role]).toBeTruthy();
    for (const role of TEAM_ROLE_KEYS) expect(nl.teamRoles[role]).toBeTruthy();
    expect(nl.roles.coordinerend_wijkverpleegkundige).toBe('Coördinerend wijkverpleegkundige');
    expect(nl.teamRoles.personeel).toBe('Personeel & verzuim');
  });
});
