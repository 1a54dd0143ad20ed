import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMonth, formatValue } from './format';

export type LineVariant = 'team' | 'region' | 'organisation';

export interface ChartLine {
  variant: LineVariant;
  label: string;
  /** One value per month (same order as `months`); null = no figure. */
  values: (number | null)[];
}

interface TrendChartProps {
  title: string;
  unit: string;
  months: string[];
  lines: ChartLine[];
  target?: number | null;
  /** Shown under the chart and table (e.g. why figures are missing). */
  note?: string;
}

// Geometry of the SVG coordinate system; the SVG scales to its container.
const W = 320;
const H = 176;
const PAD = { top: 12, right: 10, bottom: 24, left: 44 };

/** Round numbers for the y-axis between lo and hi (about 4 ticks). */
export function niceTicks(lo: number, hi: number, count = 4): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo === hi) {
    const d = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    lo -= d;
    hi += d;
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => raw <= s) ?? 10 * mag;
  const start = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= hi + step * 0.5 && ticks.length < 12; v += step) ticks.push(Number(v.toFixed(10)));
  const top = ticks[ticks.length - 1] ?? start;
  if (top < hi) ticks.push(Number((top + step).toFixed(10)));
  return ticks;
}

/** Path segments through the non-null points (a gap where a month has no figure). */
function segments(values: (number | null)[], x: (i: number) => number, y: (v: number) => number) {
  const out: { d: string; points: [number, number][] }[] = [];
  let current: [number, number][] = [];
  values.forEach((v, i) => {
    if (v === null || v === undefined) {
      if (current.length) out.push({ d: '', points: current });
      current = [];
      return;
    }
    current.push([x(i), y(v)]);
  });
  if (current.length) out.push({ d: '', points: current });
  for (const s of out) s.d = s.points.map(([px, py], i) => `${i ? 'L' : 'M'}${px.toFixed(1)} ${py.toFixed(1)}`).join(' ');
  return out;
}

/**
 * Hand-rolled SVG line chart (no library: small, CSP-safe, only classes),
 * with a "show as table" alternative. The SVG has a text summary for screen
 * readers; the table has every value.
 */
export function TrendChart({ title, unit, months, lines, target, note }: TrendChartProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [asTable, setAsTable] = useState(false);
  const id = useId();
  const tableId = `${id}-table`;

  const all = lines.flatMap((l) => l.values.filter((v): v is number => v !== null && v !== undefined));
  if (target !== null && target !== undefined && all.length) all.push(target);
  const hasData = lines.some((l) => l.values.some((v) => v !== null && v !== undefined));
  const ticks = hasData ? niceTicks(Math.min(...all), Math.max(...all)) : [];
  const lo = ticks[0] ?? 0;
  const hi = ticks[ticks.length - 1] ?? 1;
  const n = Math.max(months.length, 1);
  const x = (i: number) => PAD.left + (n === 1 ? (W - PAD.left - PAD.right) / 2 : (i * (W - PAD.left - PAD.right)) / (n - 1));
  const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo || 1)) * (H - PAD.top - PAD.bottom);
  const fmt = (v: number | null | undefined) => formatValue(v, unit, lang);
  const tickFmt = (v: number) => (unit === 'EUR' ? new Intl.NumberFormat(lang, { notation: 'compact', maximumFractionDigits: 1 }).format(v) : formatValue(v, unit === '%' ? 'number' : unit, lang));
  const labelIdx = n > 2 ? [0, Math.floor((n - 1) / 2), n - 1] : months.map((_, i) => i);

  const summary = lines
    .map((line) => {
      const firstIdx = line.values.findIndex((v) => v !== null && v !== undefined);
      let lastIdx = -1;
      line.values.forEach((v, i) => {
        if (v !== null && v !== undefined) lastIdx = i;
      });
      if (firstIdx < 0) return t('dashboard.chart.summaryEmpty', { line: line.label });
      return t('dashboard.chart.summaryLine', {
        line: line.label,
        from: fmt(line.values[firstIdx]),
        fromMonth: formatMonth(months[firstIdx], lang),
        to: fmt(line.values[lastIdx]),
        toMonth: formatMonth(months[lastIdx], lang),
      });
    })
    .join(' ');
  const targetText = target !== null && target !== undefined ? ` ${t('dashboard.chart.summaryTarget', { target: fmt(target) })}` : '';

  return (
    <figure className="chart" data-testid="dashboard-chart">
      <figcaption className="chart__caption">
        <span className="chart__title">{t('dashboard.chart.title', { indicator: title })}</span>
        <button
          type="button"
          className="button button--quiet chart__toggle"
          data-testid="dashboard-table-toggle"
          aria-controls={asTable ? tableId : undefined}
          onClick={() => setAsTable((v) => !v)}
        >
          {asTable ? t('dashboard.chart.showChart') : t('dashboard.chart.showTable')}
        </button>
      </figcaption>
      {asTable ? (
        <div className="table-scroll" role="region" aria-labelledby={`${tableId}-caption`} tabIndex={0} id={tableId}>
          <table className="data-table data-table--compact">
            <caption id={`${tableId}-caption`}>{t('dashboard.chart.tableCaption', { indicator: title })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.chart.month')}</th>
                {lines.map((l) => (
                  <th scope="col" key={l.variant} className="num">
                    {l.label}
                  </th>
                ))}
                {target !== null && target !== undefined && (
                  <th scope="col" className="num">
                    {t('dashboard.card.target')}
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {months
                .map((m, i) => ({ m, i }))
                .reverse()
                .map(({ m, i }) => (
                  <tr key={m}>
                    <th scope="row">{formatMonth(m, lang)}</th>
                    {lines.map((l) => (
                      <td key={l.variant} className="num">
                        {l.values[i] === null || l.values[i] === undefined ? (
                          <span className="muted">{t('dashboard.noValueShort')}</span>
                        ) : (
                          fmt(l.values[i])
                        )}
                      </td>
                    ))}
                    {target !== null && target !== undefined && <td className="num">{fmt(target)}</td>}
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      ) : (
        <>
          <svg
            className="chart__svg"
            viewBox={`0 0 ${W} ${H}`}
            role="img"
            aria-label={`${t('dashboard.chart.title', { indicator: title })}. ${hasData ? summary + targetText : t('dashboard.chart.noData')}`}
          >
            {ticks.map((v) => (
              <g key={v} className="chart__grid">
                <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
                <text x={PAD.left - 6} y={y(v)} dy="0.32em" textAnchor="end">
                  {tickFmt(v)}
                </text>
              </g>
            ))}
            {labelIdx.map((i) => (
              <text
                key={i}
                className="chart__xlabel"
                x={x(i)}
                y={H - 6}
                textAnchor={i === 0 && n > 1 ? 'start' : i === n - 1 && n > 1 ? 'end' : 'middle'}
              >
                {formatMonth(months[i], lang, 'short')}
              </text>
            ))}
            {hasData && target !== null && target !== undefined && (
              <line className="chart__target" x1={PAD.left} x2={W - PAD.right} y1={y(target)} y2={y(target)} />
            )}
            {[...lines].reverse().map((line) =>
              segments(line.values, x, y).map((s, k) =>
                s.points.length === 1 ? (
                  <circle
                    key={`${line.variant}-${k}`}
                    className={`chart__dot chart__dot--${line.variant}`}
                    cx={s.points[0]?.[0]}
                    cy={s.points[0]?.[1]}
                    r={2.5}
                  />
                ) : (
                  <path key={`${line.variant}-${k}`} className={`chart__line chart__line--${line.variant}`} d={s.d} />
                ),
              ),
            )}
            {lines.slice(0, 1).map((line) => {
                const last = line.values.length - 1;
                const v = line.values[last];
                return v === null || v === undefined ? null : (
                  <circle key="last" className={`chart__dot chart__dot--last chart__dot--${line.variant}`} cx={x(last)} cy={y(v)} r={3.5} />
                );
              })}
          </svg>
          <ul className="chart__legend" aria-hidden="true">
            {lines.map((l) => (
              <li key={l.variant}>
                <svg className="chart__swatch" viewBox="0 0 24 8">
                  <line className={`chart__line chart__line--${l.variant}`} x1="1" x2="23" y1="4" y2="4" />
                </svg>
                {l.label}
              </li>
            ))}
            {target !== null && target !== undefined && (
              <li>
                <svg className="chart__swatch" viewBox="0 0 24 8">
                  <line className="chart__target" x1="1" x2="23" y1="4" y2="4" />
                </svg>
                {t('dashboard.card.target')}
              </li>
            )}
          </ul>
        </>
      )}
      {note && <p className="chart__note small muted">{note}</p>}
    </figure>
  );
}
