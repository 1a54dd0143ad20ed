import type { TFunction } from 'i18next';
import { ARTICLE_STATUSES, ARTICLE_TYPES, CATEGORIES, OWNERS, type PersonRef, type Snippet } from './types';

function oneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

/** Translated labels; unknown future values are shown as sent. */
export function categoryLabel(t: TFunction, value: string): string {
  return oneOf(CATEGORIES, value) ? t(`knowledge.category.${value}`) : value;
}

export function typeLabel(t: TFunction, value: string): string {
  return oneOf(ARTICLE_TYPES, value) ? t(`knowledge.type.${value}`) : value;
}

export function ownerLabel(t: TFunction, value: string): string {
  return oneOf(OWNERS, value) ? t(`knowledge.owner.${value}`) : value;
}

export function statusLabel(t: TFunction, value: string): string {
  return oneOf(ARTICLE_STATUSES, value) ? t(`knowledge.status.${value}`) : value;
}

/** Roles that may edit (the server decides; this only shapes navigation). */
export const EDITOR_ROLES = ['ondersteunende_dienst', 'beheerder'] as const;
/** Roles that see the confirmations overview (/knowledge/reports/confirmations). */
export const REPORT_ROLES = [...EDITOR_ROLES, 'coordinerend_wijkverpleegkundige'] as const;

export function hasAnyRole(roles: readonly string[], wanted: readonly string[]): boolean {
  return roles.some((r) => wanted.includes(r));
}

/** "3 maart 2026" from an RFC 3339 timestamp. */
export function formatDate(iso: string | undefined, language: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(language, { day: 'numeric', month: 'long', year: 'numeric' }).format(d);
}

/** "3 maart 2026, 14:05". */
export function formatDateTime(iso: string | undefined, language: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short' }).format(d);
}

/** A calendar day "yyyy-mm-dd" (no time zone shift). */
export function formatDay(day: string | undefined, language: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  if (!m) return day ?? '';
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Intl.DateTimeFormat(language, { day: 'numeric', month: 'long', year: 'numeric' }).format(d);
}

/** "85%" from a 0..1 rate. */
export function formatRate(rate: number, language: string): string {
  const safe = Number.isFinite(rate) ? Math.min(1, Math.max(0, rate)) : 0;
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(safe);
}

/** "240 kB", "1,2 MB". */
export function formatSize(bytes: number, language: string): string {
  const nf = (n: number, digits: number) => new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(n);
  if (bytes < 1000) return `${nf(bytes, 0)} B`;
  if (bytes < 1_000_000) return `${nf(bytes / 1000, 0)} kB`;
  return `${nf(bytes / 1_000_000, 1)} MB`;
}

/** Short file kind from a content type: "PDF", "PNG", "Word", "Excel", "Tekst". */
export function fileKind(contentType: string): string {
  const ct = contentType.toLowerCase();
  if (ct.includes('pdf')) return 'PDF';
  if (ct.includes('png')) return 'PNG';
  if (ct.includes('jpeg') || ct.includes('jpg')) return 'JPEG';
  if (ct.includes('wordprocessingml')) return 'Word';
  if (ct.includes('spreadsheetml')) return 'Excel';
  if (ct.startsWith('text/')) return 'TXT';
  return ct.split('/')[1]?.toUpperCase() ?? ct;
}

/** Only http(s) links leave Plein; anything else (javascript:, data:) is not a link. */
export function safeExternalUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Name of a person given as {id,name} or as a bare name. */
export function personName(person: PersonRef | string | undefined): string {
  if (!person) return '';
  return typeof person === 'string' ? person : person.name;
}

export interface Segment {
  text: string;
  mark: boolean;
}

/**
 * Splits a snippet into plain and highlighted parts. Marks are [start, end)
 * UTF-16 indices; out-of-range, empty and overlapping marks are tolerated
 * (clamped, dropped, merged). The text is never interpreted as HTML.
 */
export function snippetSegments(snippet: Snippet): Segment[] {
  const { text } = snippet;
  const ranges = (snippet.marks ?? [])
    .filter((m) => Array.isArray(m) && m.length === 2 && Number.isFinite(m[0]) && Number.isFinite(m[1]))
    .map(([s, e]) => [Math.max(0, Math.min(text.length, Math.floor(s))), Math.max(0, Math.min(text.length, Math.floor(e)))] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [s, e] of ranges) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  const out: Segment[] = [];
  let at = 0;
  for (const [s, e] of merged) {
    if (s > at) out.push({ text: text.slice(at, s), mark: false });
    out.push({ text: text.slice(s, e), mark: true });
    at = e;
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: false });
  return out;
}

/** Today as yyyy-mm-dd in local time, plus `months`. */
export function dayFromNow(months: number, now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth() + months, now.getDate());
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
