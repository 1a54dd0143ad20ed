import { describeFeatureBundle } from '../../test/bundle';
import { fullBundle } from '../../test/translations';

// The feature's texts: its bundle (./i18n) with the few the shell holds for it (src/i18n).
const nl = fullBundle('nl').accesslog;
const en = fullBundle('en').accesslog;

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
