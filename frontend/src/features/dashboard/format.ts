import type { TFunction } from 'i18next';
import type { Indicator, Signal, TrafficLight } from './types';

export const BUILTIN_KEYS = [
  'clientSatisfiedPct',
  'clientGrade',
  'employeeGrade',
  'productivityPct',
  'absencePct',
  'businessResult',
] as const;
type BuiltinKey = (typeof BUILTIN_KEYS)[number];

function isBuiltin(key: string): key is BuiltinKey {
  return (BUILTIN_KEYS as readonly string[]).includes(key);
}

/** Translated indicator name; indicators the organisation added keep their own name. */
export function indicatorName(t: TFunction, ind: Pick<Indicator, 'key' | 'name'>): string {
  return isBuiltin(ind.key) ? t(`dashboard.indicators.${ind.key}.name`) : ind.name;
}

/** Short name for table headers. */
export function indicatorShortName(t: TFunction, ind: Pick<Indicator, 'key' | 'name'>): string {
  return isBuiltin(ind.key) ? t(`dashboard.indicators.${ind.key}.short`) : ind.name;
}

/**
 * Decimals shown per unit, the same everywhere (cards, tables, charts,
 * averages): percentages and grades one ("91,2%", "7,6"), euros none, other
 * numbers at most one.
 */
function decimals(unit: string): { min: number; max: number } {
  if (unit === 'EUR') return { min: 0, max: 0 };
  if (unit === 'number') return { min: 0, max: 1 };
  return { min: 1, max: 1 };
}

/** "5,6%", "7,6", "€ 7.869", "−€ 8.335" (the minus before the sign, as in changes). Empty string for null. */
export function formatValue(value: number | null | undefined, unit: string, language: string): string {
  if (value === null || value === undefined) return '';
  if (unit === 'EUR') {
    const body = new Intl.NumberFormat(language, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(Math.abs(value));
    return Math.round(value) < 0 ? `−${body}` : body;
  }
  const d = decimals(unit);
  const n = new Intl.NumberFormat(language, { minimumFractionDigits: d.min, maximumFractionDigits: d.max }).format(value);
  return unit === '%' ? `${n}%` : n;
}

/** A change with its sign: "+0,2", "−1,3", "+€ 3.492". Percentages are points, so no "%" sign. */
export function formatChange(change: number, unit: string, language: string): string {
  const abs = Math.abs(change);
  const body =
    unit === 'EUR'
      ? new Intl.NumberFormat(language, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(abs)
      : new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(abs);
  if (change > 0) return `+${body}`;
  if (change < 0) return `−${body}`;
  return body;
}

export type Trend = 'up' | 'down' | 'flat';
export type Judgement = 'better' | 'worse' | 'same';

export function trendOf(change: number): Trend {
  return change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
}

/** Whether a change is an improvement, given the indicator's direction. */
export function judge(change: number, direction: Indicator['direction']): Judgement {
  if (change === 0) return 'same';
  const better = direction === 'lower' ? change < 0 : change > 0;
  return better ? 'better' : 'worse';
}

export const TREND_ARROWS: Record<Trend, string> = { up: '▲', down: '▼', flat: '▶' };
/** Shape per traffic light so that colour is never the only cue. */
export const STATUS_SYMBOLS: Record<TrafficLight, string> = { green: '✓', amber: '!', red: '✕', none: '–' };

export function statusLabel(t: TFunction, status: TrafficLight | undefined): string {
  return t(`dashboard.status.${status ?? 'none'}`);
}

/** "2026-10" → "oktober 2026". */
export function formatMonth(month: string | null | undefined, language: string, style: 'long' | 'short' = 'long'): string {
  if (!month) return '';
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return month;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  return new Intl.DateTimeFormat(language, { month: style, year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** Months from first to last inclusive, as yyyy-mm. */
export function monthRange(first: string, last: string): string[] {
  const toIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
  const out: string[] = [];
  for (let i = toIndex(first); i <= toIndex(last) && out.length < 600; i++) {
    out.push(`${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Signal text in the reader's language; unknown kinds keep the server's (Dutch) message. */
export function signalText(t: TFunction, signal: Signal, indicators: Indicator[]): string {
  if (signal.kind === 'no_figures') return t('dashboard.signals.noFigures', { team: signal.teamName });
  const ind = indicators.find((i) => i.key === signal.key);
  if (signal.kind === 'off_target' && ind) {
    const full = indicatorName(t, ind);
    // Mid-sentence: "Den Helder-Centrum: rapportcijfer cliënten 3 maanden …".
    const name = full.charAt(0).toLocaleLowerCase() + full.slice(1);
    return ind.direction === 'lower'
      ? t('dashboard.signals.aboveTarget', { team: signal.teamName, indicator: name, count: signal.months ?? 3 })
      : t('dashboard.signals.belowTarget', { team: signal.teamName, indicator: name, count: signal.months ?? 3 });
  }
  return signal.message;
}

export function hasRole(roles: string[], ...wanted: string[]): boolean {
  return roles.some((r) => wanted.includes(r));
}

export const IMPORT_ROLES = ['ondersteunende_dienst', 'beheerder'];
