import { describe, expect, it } from 'vitest';
import { ROLE_KEYS, TEAM_ROLE_KEYS } from '../api/types';
import i18n from '.';
import { fullBundle } from '../test/translations';

const nl = fullBundle('nl') as { roles: Record<string, string>; teamRoles: Record<string, string> };
const en = fullBundle('en');

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

describe('loading texts per language', () => {
  it('starts with the Dutch texts only, and fetches English with every loaded feature on a switch', async () => {
    expect(i18n.language).toBe('nl');
    expect(i18n.hasResourceBundle('en', 'translation')).toBe(false);
    expect(i18n.t('chat.noChannels')).toBe('Je hebt nog geen gesprekken.');
    await i18n.changeLanguage('en');
    expect(i18n.hasResourceBundle('en', 'translation')).toBe(true);
    // The shell's English texts and a feature's (loaded in Dutch before the switch).
    expect(i18n.t('nav.more')).toBe('More');
    expect(i18n.t('chat.noChannels')).toBe('You have no conversations yet.');
    expect(i18n.t('knowledge.nav')).toBe((fullBundle('en').knowledge as { nav: string }).nav);
  });
});
