import i18n, { type BackendModule, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';
import nl from './nl.json';

export const SUPPORTED_LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'nl';
export const LANGUAGE_STORAGE_KEY = 'plein.language';

/**
 * What is in the first download: the shell's Dutch texts (./nl.json). The
 * English shell texts (./en.json) and each feature's bundle
 * (features/<f>/i18n/<lang>.json, mounted under `<f>.`) are separate chunks,
 * fetched for the language in use only: a feature's with its lazily loaded
 * pages (lib/lazyPages.tsx), the other language's when someone switches.
 * scripts/i18n-placement.mjs decides which key goes where.
 */
type Bundle = Record<string, unknown>;
const shellBundles: Record<Language, () => Promise<Bundle>> = {
  nl: async () => nl,
  en: async () => (await import('./en.json')).default,
};
const featureFiles = import.meta.glob<Bundle>('../features/*/i18n/*.json', { import: 'default' });

/** The features with their own translation bundle. */
export const TRANSLATED_FEATURES = [...new Set(Object.keys(featureFiles).map((p) => p.split('/')[2]!))];

const loadedFeatures = new Set<string>();

function isObject(value: unknown): value is Bundle {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(target: Bundle, source: Bundle): Bundle {
  for (const [k, v] of Object.entries(source)) {
    target[k] = isObject(v) && isObject(target[k]) ? deepMerge({ ...(target[k] as Bundle) }, v) : v;
  }
  return target;
}

async function featureBundle(feature: string, lang: string): Promise<Bundle> {
  const load = featureFiles[`../features/${feature}/i18n/${lang}.json`];
  if (!load) throw new Error(`no ${lang} translations for ${feature}`);
  return { [feature]: await load() };
}

/**
 * i18next asks this backend for a language it does not have yet (a switch):
 * the shell's texts with those of every feature already loaded.
 */
const lazyBackend: BackendModule = {
  type: 'backend',
  init: () => {},
  read(lang, _ns, done) {
    if (!isLanguage(lang)) {
      done(new Error(`unsupported language ${lang}`), false);
      return;
    }
    Promise.all([shellBundles[lang](), ...[...loadedFeatures].map((f) => featureBundle(f, lang))]).then(
      ([shell, ...features]) => done(null, features.reduce((acc, b) => deepMerge(acc, b), deepMerge({}, shell!)) as ResourceKey),
      (err: unknown) => done(err instanceof Error ? err : new Error(String(err)), false),
    );
  },
};

/** Fetches the features' translations for every language already loaded (once per feature). */
export async function loadFeatureTranslations(features: readonly string[]): Promise<void> {
  const missing = features.filter((f) => !loadedFeatures.has(f));
  if (!missing.length) return;
  const langs = SUPPORTED_LANGUAGES.filter((l) => i18n.hasResourceBundle(l, 'translation'));
  await Promise.all(
    langs.flatMap((lang) =>
      missing.map(async (f) => i18n.addResourceBundle(lang, 'translation', await featureBundle(f, lang), true, true)),
    ),
  );
  for (const f of missing) loadedFeatures.add(f);
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (SUPPORTED_LANGUAGES as readonly string[]).includes(value);
}

function readStoredLanguage(): Language | null {
  try {
    const stored = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(stored) ? stored : null;
  } catch {
    return null; // storage blocked (private mode, policy)
  }
}

function storeLanguage(lang: Language): void {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, lang);
  } catch {
    // ignore: the choice then only lasts for this page load
  }
}

function applyDocumentLanguage(lang: string): void {
  document.documentElement.lang = lang;
}

/** Resolves when the chosen language's shell texts are there (at once for Dutch). */
export const translationsReady = i18n
  .use(lazyBackend)
  .use(initReactI18next)
  .init({
    resources: { nl: { translation: nl } },
    partialBundledLanguages: true,
    lng: readStoredLanguage() ?? DEFAULT_LANGUAGE,
    // No fallback language: both have every key (i18n.test.ts), and a
    // fallback would fetch Dutch texts for every English reader too.
    fallbackLng: false,
    supportedLngs: SUPPORTED_LANGUAGES,
    load: 'currentOnly',
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes output
    returnNull: false,
  });

applyDocumentLanguage(i18n.language);
i18n.on('languageChanged', (lng) => {
  applyDocumentLanguage(lng);
  if (isLanguage(lng)) storeLanguage(lng);
});

export function currentLanguage(): Language {
  return isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : DEFAULT_LANGUAGE;
}

export default i18n;
