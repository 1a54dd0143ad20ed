import adminEn from '../features/admin/i18n/en.json';
import adminNl from '../features/admin/i18n/nl.json';
import accesslogEn from '../features/accesslog/i18n/en.json';
import accesslogNl from '../features/accesslog/i18n/nl.json';
import auditsEn from '../features/audits/i18n/en.json';
import auditsNl from '../features/audits/i18n/nl.json';
import knowledgeEn from '../features/knowledge/i18n/en.json';
import knowledgeNl from '../features/knowledge/i18n/nl.json';
import learningEn from '../features/learning/i18n/en.json';
import learningNl from '../features/learning/i18n/nl.json';
import privacyEn from '../features/privacy/i18n/en.json';
import privacyNl from '../features/privacy/i18n/nl.json';
import spacesEn from '../features/spaces/i18n/en.json';
import spacesNl from '../features/spaces/i18n/nl.json';
import en from './en.json';
import nl from './nl.json';

/**
 * The translation bundles. Shared words live in ./nl.json and ./en.json;
 * a large feature keeps its own bundle beside its code, mounted under the
 * feature's key (t('knowledge.…'), t('spaces.…'), t('accesslog.…'), t('learning.…'), t('admin.…')).
 */
export const nlBundle = { ...nl, knowledge: knowledgeNl, spaces: spacesNl, accesslog: accesslogNl, learning: learningNl, audits: auditsNl, admin: adminNl, privacy: privacyNl };
export const enBundle = { ...en, knowledge: knowledgeEn, spaces: spacesEn, accesslog: accesslogEn, learning: learningEn, audits: auditsEn, admin: adminEn, privacy: privacyEn };
