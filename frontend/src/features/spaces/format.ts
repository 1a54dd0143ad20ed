import type { TFunction } from 'i18next';
import { addDays, dayLabel as dayLabelIn, formatTime, localDay, parseDate } from '../../lib/dates';

export { addDays, formatTime, localDay };

/** "12 november 2026 om 09:30"-style date and time in the UI language. */
export function formatDateTime(iso: string | undefined, language: string): string {
  const date = parseDate(iso);
  if (!date) return '';
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatDate(iso: string | undefined, language: string, style: 'long' | 'medium' = 'long'): string {
  const date = parseDate(iso);
  if (!date) return '';
  return new Intl.DateTimeFormat(language, { dateStyle: style }).format(date);
}

/** "Vandaag", "Gisteren" or e.g. "maandag 16 november" (with the year when not this year). */
export function dayLabel(iso: string, t: TFunction, language: string, now = new Date()): string {
  return dayLabelIn(iso, { today: t('spaces.time.today'), yesterday: t('spaces.time.yesterday') }, language, now);
}

/** Scroll an element into view and focus it (the target of a notification link). */
export function revealTarget(element: HTMLElement | null): void {
  if (!element) return;
  element.scrollIntoView?.({ block: 'start' });
  element.focus({ preventScroll: true });
}

/** Group items by local day, keeping their order. */
export function groupByDay<T>(items: readonly T[], at: (item: T) => string): { day: string; items: T[] }[] {
  const groups: { day: string; items: T[] }[] = [];
  for (const item of items) {
    const day = localDay(at(item));
    const last = groups[groups.length - 1];
    if (last && last.day === day) last.items.push(item);
    else groups.push({ day, items: [item] });
  }
  return groups;
}

/** Human file size: "850 B", "12 kB", "3,4 MB". */
export function formatSize(bytes: number, language: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

export function formatPercent(rate: number, language: string): string {
  if (!Number.isFinite(rate)) return '';
  // The server sends a fraction (0..1); tolerate a percentage as well.
  const fraction = rate > 1 ? rate / 100 : rate;
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

/** True for a same-site app path ("/ruimtes/x"), never "//host" or "https://…". */
export function isAppPath(link: string | undefined): link is string {
  return !!link && link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\');
}

/** "1781, Centrum ,, Julianadorp" → ["1781", "Centrum", "Julianadorp"] (no duplicates). */
export function splitList(value: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of value.split(',')) {
    const item = part.trim();
    if (item && !seen.has(item.toLocaleLowerCase('nl'))) {
      seen.add(item.toLocaleLowerCase('nl'));
      out.push(item);
    }
  }
  return out;
}
