// The shape of all texts together, for typed keys (i18next.d.ts). Type-only:
// at run time the bundles are loaded per language and per feature (./index.ts).
import type accesslog from '../features/accesslog/i18n/nl.json';
import type admin from '../features/admin/i18n/nl.json';
import type audits from '../features/audits/i18n/nl.json';
import type chat from '../features/chat/i18n/nl.json';
import type dashboard from '../features/dashboard/i18n/nl.json';
import type knowledge from '../features/knowledge/i18n/nl.json';
import type learning from '../features/learning/i18n/nl.json';
import type privacy from '../features/privacy/i18n/nl.json';
import type spaces from '../features/spaces/i18n/nl.json';
import type shell from './nl.json';

/**
 * The shell's texts (./nl.json) with each feature's bundle mounted under the
 * feature's key (t('knowledge.…'), t('chat.…'), …); where the shell holds a
 * few of a feature's keys (the ones its first screen needs) the two merge.
 */
export type TranslationBundle = typeof shell & {
  accesslog: typeof accesslog;
  admin: typeof admin;
  audits: typeof audits;
  chat: typeof chat;
  dashboard: typeof dashboard;
  knowledge: typeof knowledge;
  learning: typeof learning;
  privacy: typeof privacy;
  spaces: typeof spaces;
};
