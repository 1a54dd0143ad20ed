import i18n from '../../i18n';

function locale(): string {
  return i18n.language === 'en' ? 'en-GB' : 'nl-NL';
}

/** "di 8 dec., 13:30" */
export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(locale(), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Amsterdam',
  }).format(new Date(iso));
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/Amsterdam' }).format(
    new Date(iso),
  );
}

/** "2026-10" → "okt 2026" */
export function formatMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number);
  if (!y || !m) return ym;
  return new Intl.DateTimeFormat(locale(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

export function formatNumber(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined) return '–';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(v);
}

export function formatChange(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined) return '–';
  const s = formatNumber(v, digits);
  return v > 0 ? `+${s}` : s;
}

export type PhaseKey = '0' | '1' | '2' | '3' | '4';

export function phaseKey(n: number): PhaseKey {
  return (n >= 1 && n <= 4 ? String(n) : '0') as PhaseKey;
}
