import { describeFeatureBundle } from '../../test/bundle';
import en from './i18n/en.json';
import nl from './i18n/nl.json';

// Every source file of the feature, plus the home page that links here.
const sources = import.meta.glob<string>(['./*.{ts,tsx}', '../home/HomePage.tsx'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

describeFeatureBundle('accesslog', 'access log', {
  nl,
  en,
  sources,
  // Keys built from a template: every action, every period problem.
  templated: [
    ...['read', 'search', 'export', 'change', 'delete', 'print', 'copy'].map((a) => `accesslog.actions.${a}`),
    ...['badDate', 'endBeforeStart', 'tooLong'].map((p) => `accesslog.errors.${p}`),
  ],
  isTemplated: (key) => /^(actions|errors)\./.test(key) && key !== 'errors.title',
});
