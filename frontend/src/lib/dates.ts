// Dates and times as the screens say them, in the UI language.

/** An ISO time as a Date; a date without a time ("2026-12-01", all-day events) is a local calendar day. Null when absent or unreadable. */
export function parseDate(iso: string | undefined): Date | null {
  if (!iso) return null;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00`) : new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Local calendar day of an ISO time or Date as yyyy-mm-dd ('' when unreadable). */
export function localDay(value: string | Date): string {
  const date = typeof value === 'string' ? parseDate(value) : value;
  if (!date) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function addDays(date: Date, days: number): Date {
  const copy = new Date(date);
  copy.setDate(copy.getDate() + days);
  return copy;
}

/** "09:30": the time of day. */
export function formatTime(iso: string | undefined, language: string): string {
  const date = parseDate(iso);
  if (!date) return '';
  return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' }).format(date);
}

/**
 * The day as a heading says it: the caller's word for today or yesterday, or
 * e.g. "maandag 16 november" (with the year when not this year).
 */
export function dayLabel(iso: string, words: { today: string; yesterday: string }, language: string, now = new Date()): string {
  const date = parseDate(iso);
  if (!date) return '';
  if (localDay(date) === localDay(now)) return words.today;
  if (localDay(date) === localDay(addDays(now, -1))) return words.yesterday;
  return new Intl.DateTimeFormat(language, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  }).format(date);
}
