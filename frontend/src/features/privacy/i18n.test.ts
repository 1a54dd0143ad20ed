import { describeFeatureBundle } from '../../test/bundle';
import { PART_LABELS, SECTION_ORDER } from './exportView';
import en from './i18n/en.json';
import nl from './i18n/nl.json';

// Every source file of the feature, plus the shell and home page that link here.
const sources = import.meta.glob<string>(['./*.{ts,tsx}', '../home/Today.tsx', '../../app/AppShell.tsx', '../../app/UserMenu.tsx', '../../app/MoreMenu.tsx'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

describeFeatureBundle('privacy', 'privacy', {
  nl,
  en,
  sources,
  // Keys built from a template: every section, part and retention kind.
  templated: [
    ...SECTION_ORDER.map((s) => `privacy.section.${s}`),
    ...PART_LABELS.map((p) => `privacy.part.${p}`),
    ...['chat', 'posts', 'documents', 'notifications', 'access_log', 'login_attempts'].map((k) => `privacy.retention.kinds.${k}`),
  ],
  isTemplated: (key) => /^(section|part|retention\.kinds)\./.test(key),
});
