import type { TFunction } from 'i18next';
import type { Theme } from './types';

const THEME_KEYS = ['samenwerking', 'besluitvorming', 'planning', 'kwaliteit', 'financien', 'client'] as const;
type ThemeKey = (typeof THEME_KEYS)[number];

function known(key: string): key is ThemeKey {
  return (THEME_KEYS as readonly string[]).includes(key);
}

/** A scan theme in the reader's language; the server's (Dutch) text for a theme this version does not know. */
export function localTheme(t: TFunction, th: Theme): Theme {
  if (!known(th.key)) return th;
  const k = th.key;
  return {
    key: k,
    title: t(`learning.themes.${k}.title`),
    question: t(`learning.themes.${k}.question`),
    statements: [t(`learning.themes.${k}.s1`), t(`learning.themes.${k}.s2`), t(`learning.themes.${k}.s3`), t(`learning.themes.${k}.s4`)],
  };
}

/** A theme's title by key (for profiles). */
export function themeTitle(t: TFunction, key: string, fallback: string): string {
  return known(key) ? t(`learning.themes.${key}.title`) : fallback;
}
