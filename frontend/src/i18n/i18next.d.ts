import 'i18next';
import type { nlBundle } from './resources';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof nlBundle };
  }
}
