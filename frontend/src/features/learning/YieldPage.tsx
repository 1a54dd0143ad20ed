import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useYield, yieldCsvUrl } from './api';
import { formatChange, formatMonth, formatNumber } from './format';
import type { Movement, Yield, YieldMonth, YieldRow } from './types';
import './learning.css';
import { PageHeader } from '../../components/PageHeader';

type FigureKey = 'clientSatisfiedPct' | 'employeeGrade' | 'absencePct' | 'productivityPct' | 'businessResult';

function rowLink(r: YieldRow): string {
  return `/leren/opbrengsten?level=${r.kind}&id=${encodeURIComponent(r.id)}`;
}

/** The yield: maturity movement next to the figures' movement, as chart and table, CSV and print. */
export function YieldPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const level = params.get('level') ?? 'organisation';
  const id = params.get('id') ?? '';
  const y = useYield(level, id);
  useDocumentTitle(t('learning.yield.title'));
  return (
    <div className="stack ln ln-yield">
      <PageHeader title={t('learning.yield.title')}>
        {y.data && (
          <p className="ln-lead" data-testid="yield-name">
            {t(`learning.yield.level.${y.data.level}`)}: {y.data.level === 'organisation' ? t('learning.yield.organisation') : y.data.name}
          </p>
        )}
        <p className="page-header__intro">{t('learning.yield.intro')}</p>
      </PageHeader>
      {y.isPending && <p>{t('learning.loading')}</p>}
      {y.isError && <ErrorAlert error={y.error} />}
      {y.data && <YieldBody y={y.data} level={level} id={id} />}
    </div>
  );
}

function YieldBody({ y, level, id }: { y: Yield; level: string; id: string }) {
  const { t } = useTranslation();
  const figures = y.figures as FigureKey[];
  const rows = y.level === 'team' ? [] : y.rows;
  return (
    <>
      <aside className="callout callout--warning" data-testid="yield-note">
        <p className="callout__title">{t('learning.yield.association')}</p>
        <p>{y.note}</p>
      </aside>
      <p className="ln-actions ln-noprint">
        {y.level !== 'organisation' && (
          <Link className="arrow-link" to="/leren/opbrengsten">
            {t('learning.yield.back', { name: t('learning.yield.organisation') })}
          </Link>
        )}
        <a className="button button--secondary" href={yieldCsvUrl(level, id)} download data-testid="yield-csv">
          {t('learning.yield.csv')}
        </a>
        <button type="button" className="button button--secondary" onClick={() => window.print()}>
          {t('learning.yield.print')}
        </button>
      </p>
      <section aria-labelledby="ln-yield-total" className="card stack stack--tight" data-testid="yield-total">
        <h2 id="ln-yield-total">{y.level === 'organisation' ? t('learning.yield.organisation') : y.name}</h2>
        <p>
          {t('learning.yield.maturity')}: {formatNumber(y.total.maturity.start)} → {formatNumber(y.total.maturity.end)}{' '}
          <strong data-testid="yield-maturity-change">({formatChange(y.total.maturity.change)})</strong>
        </p>
        <ul className="ln-list">
          {figures.map((k) => (
            <li key={k}>
              {t(`learning.yield.figures.${k}`)}: <MovementText m={y.total.figures[k]} digits={k === 'businessResult' ? 0 : 1} />
            </li>
          ))}
        </ul>
      </section>
      {rows.length > 0 && (
        <section aria-labelledby="ln-yield-chart" className="stack stack--tight">
          <h2 id="ln-yield-chart">{t('learning.yield.chart')}</h2>
          <p className="ln-muted">{t('learning.yield.chartHint')}</p>
          <ChangeBars rows={rows} />
        </section>
      )}
      {rows.length > 0 && (
        <section aria-labelledby="ln-yield-table" className="stack stack--tight">
          <h2 id="ln-yield-table">{t('learning.yield.rows')}</h2>
          <div className="table-scroll">
            <table className="data-table data-table--compact" data-testid="yield-table">
              <thead>
                <tr>
                  <th scope="col">{t('learning.yield.name')}</th>
                  <th scope="col">{t('learning.yield.teams')}</th>
                  <th scope="col">{t('learning.yield.maturity')}</th>
                  {figures.map((k) => (
                    <th scope="col" key={k}>
                      {t(`learning.yield.figures.${k}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={`${r.kind}:${r.id}`}>
                    <th scope="row">
                      <Link to={rowLink(r)}>{r.name}</Link>
                      {r.kind !== 'team' && <span className="ln-muted"> · {t(`learning.yield.level.${r.kind}`)}</span>}
                    </th>
                    <td>{r.teams}</td>
                    <td>
                      <MovementText m={r.maturity} />
                    </td>
                    {figures.map((k) => (
                      <td key={k}>
                        <MovementText m={r.figures[k]} digits={k === 'businessResult' ? 0 : 1} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {y.series && y.series.length > 0 && (
        <section aria-labelledby="ln-yield-series" className="stack stack--tight">
          <h2 id="ln-yield-series">{t('learning.yield.series')}</h2>
          <p className="ln-muted">{t('learning.yield.chartHint')}</p>
          <SeriesChart series={y.series} />
          <div className="table-scroll">
            <table className="data-table data-table--compact" data-testid="yield-series">
              <thead>
                <tr>
                  <th scope="col">{t('learning.yield.month')}</th>
                  <th scope="col">{t('learning.yield.maturity')}</th>
                  {figures.map((k) => (
                    <th scope="col" key={k}>
                      {t(`learning.yield.figures.${k}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {y.series.map((m) => (
                  <tr key={m.month}>
                    <th scope="row">{formatMonth(m.month)}</th>
                    <td>{formatNumber(m.maturity)}</td>
                    {figures.map((k) => (
                      <td key={k}>{formatNumber(m.figures[k], k === 'businessResult' ? 0 : 1)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}

function MovementText({ m, digits = 1 }: { m: Movement | undefined; digits?: number }) {
  const { t } = useTranslation();
  if (!m) return <>–</>;
  if (m.start === null || m.end === null) {
    return <>{m.withheld > 0 ? t('learning.yield.withheld', { count: m.withheld }) : '–'}</>;
  }
  return (
    <>
      {formatNumber(m.start, digits)} → {formatNumber(m.end, digits)} ({formatChange(m.change, digits)})
      {m.withheld > 0 && <span className="ln-muted"> · {t('learning.yield.withheld', { count: m.withheld })}</span>}
    </>
  );
}

/** Bars of the maturity change per row; decorative, the table is the accessible version. */
function ChangeBars({ rows }: { rows: YieldRow[] }) {
  const max = Math.max(0.5, ...rows.map((r) => Math.abs(r.maturity.change ?? 0)));
  return (
    <ul className="ln-bars" aria-hidden="true" data-testid="yield-chart">
      {rows.map((r) => {
        const c = r.maturity.change ?? 0;
        return (
          <li key={`${r.kind}:${r.id}`} className="ln-bars__row">
            <span className="ln-bars__label">{r.name}</span>
            <span className="ln-bars__track">
              <span className={c >= 0 ? 'ln-bars__bar' : 'ln-bars__bar ln-bars__bar--down'} style={{ width: `${(Math.abs(c) / max) * 100}%` }} />
            </span>
            <span className="ln-bars__value">{formatChange(r.maturity.change)}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** Team phase (left axis 1–4) and client satisfaction (right axis, %) per month; decorative, the table follows. */
function SeriesChart({ series }: { series: YieldMonth[] }) {
  const { t } = useTranslation();
  const w = 600;
  const h = 180;
  const pad = 24;
  const x = (i: number) => pad + (i * (w - 2 * pad)) / Math.max(1, series.length - 1);
  const sat = series.map((m) => m.figures.clientSatisfiedPct).filter((v): v is number => v !== null && v !== undefined);
  const lo = Math.min(...sat, 100);
  const hi = Math.max(...sat, 0);
  const ySat = (v: number) => h - pad - ((v - lo) / Math.max(1, hi - lo)) * (h - 2 * pad);
  const yMat = (v: number) => h - pad - ((v - 1) / 3) * (h - 2 * pad);
  const line = (pts: [number, number][]) => pts.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
  const mat: [number, number][] = [];
  const cs: [number, number][] = [];
  series.forEach((m, i) => {
    if (m.maturity !== null) mat.push([x(i), yMat(m.maturity)]);
    const v = m.figures.clientSatisfiedPct;
    if (v !== null && v !== undefined) cs.push([x(i), ySat(v)]);
  });
  return (
    <figure className="ln-chart" aria-hidden="true" data-testid="yield-series-chart">
      <svg viewBox={`0 0 ${w} ${h}`} className="ln-chart__svg" focusable="false">
        <path d={line(mat)} className="ln-chart__maturity" />
        <path d={line(cs)} className="ln-chart__figure" />
      </svg>
      <figcaption className="ln-chart__legend">
        <span className="ln-chart__key ln-chart__key--maturity" /> {t('learning.yield.maturity')}{' '}
        <span className="ln-chart__key ln-chart__key--figure" /> {t('learning.yield.figures.clientSatisfiedPct')}
      </figcaption>
    </figure>
  );
}
