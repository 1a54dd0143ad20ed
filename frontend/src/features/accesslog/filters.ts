import type { AccessLogQuery } from './types';

/** The filters' names in the page URL (Dutch, like the route). */
export const PARAMS = {
  from: 'van',
  to: 'tot',
  action: 'actie',
  user: 'wie',
  subject: 'onderwerp',
} as const satisfies Record<keyof AccessLogQuery, string>;

/** The server accepts at most 31 days, both ends included. */
export const MAX_DAYS = 31;
/** The default period: the last 7 days, today included (as the server's default). */
export const DEFAULT_DAYS = 7;

export const TIME_ZONE = 'Europe/Amsterdam';

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Today's date in Amsterdam, as YYYY-MM-DD. */
export function amsterdamToday(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Milliseconds of a YYYY-MM-DD date at 00:00 UTC, or NaN when it is no real date. */
function dayMs(day: string): number {
  if (!DAY_RE.test(day)) return Number.NaN;
  const ms = Date.parse(`${day}T00:00:00Z`);
  // Date.parse rolls 2026-02-31 over; a real date survives the round trip.
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === day ? ms : Number.NaN;
}

export function isDay(value: string): boolean {
  return !Number.isNaN(dayMs(value));
}

/** `day` moved by `days` (negative: earlier). */
export function addDays(day: string, days: number): string {
  return new Date(dayMs(day) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The filters with nothing chosen: the last 7 days, everyone, every action. */
export function defaultQuery(now: Date = new Date()): AccessLogQuery {
  const to = amsterdamToday(now);
  return { from: addDays(to, -(DEFAULT_DAYS - 1)), to, user: '', action: '', subject: '' };
}

/** The filters in the page URL; a missing period falls back to the default one. */
export function queryFromParams(params: URLSearchParams, defaults: AccessLogQuery): AccessLogQuery {
  const get = (name: string) => (params.get(name) ?? '').trim();
  return {
    from: get(PARAMS.from) || defaults.from,
    to: get(PARAMS.to) || defaults.to,
    user: get(PARAMS.user),
    action: get(PARAMS.action),
    subject: get(PARAMS.subject),
  };
}

/** The page URL's query for the filters: the period always, the rest when chosen. */
export function paramsFromQuery(query: AccessLogQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['from', 'to', 'action', 'user', 'subject'] as const) {
    const value = query[key].trim();
    if (value) params.set(PARAMS[key], value);
  }
  return params;
}

export type PeriodProblem = 'badDate' | 'endBeforeStart' | 'tooLong';

/**
 * Checks the period before asking the server (which checks it too and then
 * answers 422): real dates, the end not before the start, at most 31 days.
 */
export function checkPeriod(query: Pick<AccessLogQuery, 'from' | 'to'>): { field: 'from' | 'to'; problem: PeriodProblem }[] {
  const problems: { field: 'from' | 'to'; problem: PeriodProblem }[] = [];
  if (!isDay(query.from)) problems.push({ field: 'from', problem: 'badDate' });
  if (!isDay(query.to)) problems.push({ field: 'to', problem: 'badDate' });
  if (problems.length > 0) return problems;
  const days = (dayMs(query.to) - dayMs(query.from)) / 86_400_000 + 1;
  if (days < 1) problems.push({ field: 'to', problem: 'endBeforeStart' });
  else if (days > MAX_DAYS) problems.push({ field: 'to', problem: 'tooLong' });
  return problems;
}
