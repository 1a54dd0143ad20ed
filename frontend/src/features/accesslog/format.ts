import type { TFunction } from 'i18next';
import { TIME_ZONE } from './filters';
import { isAccessAction } from './types';

// The log is read in Dutch time with seconds, whatever the interface language:
// "23-11-2026 15:09:51". Numeric, so it reads the same in English.
const dateFormat = new Intl.DateTimeFormat('nl-NL', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('nl-NL', {
  timeZone: TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** "23-11-2026 15:09:51" in Amsterdam time; the raw text when it is no time. */
export function formatAt(at: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  return `${dateFormat.format(date)} ${timeFormat.format(date)}`;
}

/** A YYYY-MM-DD date as "17-11-2026". */
export function formatDay(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' }).format(date);
}

/** Translated label of a recorded action; unknown actions are shown as sent. */
export function actionLabel(t: TFunction, action: string): string {
  return isAccessAction(action) ? t(`accesslog.actions.${action}`) : action;
}
