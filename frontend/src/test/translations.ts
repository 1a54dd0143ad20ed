// Every text of one language in one object, as the app holds it once all
// features are loaded (i18n/index.ts merges the same way): for tests.
import en from '../i18n/en.json';
import nl from '../i18n/nl.json';

const features = import.meta.glob<Record<string, unknown>>('../features/*/i18n/*.json', { import: 'default', eager: true });

function merge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(source)) {
    const t = target[k];
    target[k] = v && typeof v === 'object' && t && typeof t === 'object' ? merge({ ...(t as Record<string, unknown>) }, v as Record<string, unknown>) : v;
  }
  return target;
}

export function fullBundle(lang: 'nl' | 'en'): Record<string, unknown> {
  const out = merge({}, lang === 'nl' ? nl : en);
  for (const [path, bundle] of Object.entries(features)) {
    const [, , feature, , file] = path.split('/');
    if (file === `${lang}.json`) merge(out, { [feature!]: bundle });
  }
  return out;
}
