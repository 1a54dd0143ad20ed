import type { TFunction } from 'i18next';
import type { ActionStatus, AuditStatus, Score } from './types';

export function scoreLabel(t: TFunction, score: Score | string): string {
  return t(`audits.score.${score}`, { defaultValue: score });
}

export function auditStatusLabel(t: TFunction, status: AuditStatus | string): string {
  return t(`audits.status.${status}`, { defaultValue: status });
}

export function actionStatusLabel(t: TFunction, status: ActionStatus | string): string {
  return t(`audits.actionStatus.${status}`, { defaultValue: status });
}

export function typeLabel(t: TFunction, type: string): string {
  return t(`audits.type.${type}`, { defaultValue: type });
}

/** 2027-03-31 → "31 maart 2027" (nl) or "31 March 2027" (en). */
export function formatDate(isoDate: string | undefined, lang: string): string {
  if (!isoDate) return '';
  const d = new Date(isoDate.length === 10 ? `${isoDate}T12:00:00Z` : isoDate);
  if (Number.isNaN(d.getTime())) return isoDate;
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}

/** Heat band of a 0–100 theme score: named, never colour alone. */
export type Band = 'good' | 'fair' | 'poor' | 'none';

export function band(value: number | null | undefined): Band {
  if (value === null || value === undefined) return 'none';
  if (value >= 80) return 'good';
  if (value >= 55) return 'fair';
  return 'poor';
}

export function formatScore(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : String(Math.round(value));
}
