import 'i18next';
import type { TranslationBundle } from './resources';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: TranslationBundle };
  }
}
