import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatValue, indicatorName, indicatorShortName } from './format';
import { ChangeText, StatusBadge } from './IndicatorCard';
import type { Indicator, TeamRow } from './types';

export type SortOrder = 'asc' | 'desc';

/** Sort like the server: by name, region (then name) or an indicator; missing values last in either order. */
export function sortRows(rows: TeamRow[], key: string, order: SortOrder, language: string): TeamRow[] {
  const collator = new Intl.Collator(language, { sensitivity: 'base', numeric: true });
  const sign = order === 'desc' ? -1 : 1;
  const byName = (a: TeamRow, b: TeamRow) => collator.compare(a.name, b.name);
  return [...rows].sort((a, b) => {
    if (key === 'name') return sign * byName(a, b);
    if (key === 'region') return sign * collator.compare(a.regionName, b.regionName) || byName(a, b);
    const av = a.values[key];
    const bv = b.values[key];
    const aMissing = av === null || av === undefined;
    const bMissing = bv === null || bv === undefined;
    if (aMissing && bMissing) return byName(a, b);
    if (aMissing) return 1;
    if (bMissing) return -1;
    return sign * (av - bv) || byName(a, b);
  });
}

interface TeamsTableProps {
  caption: string;
  indicators: Indicator[];
  rows: TeamRow[];
  sort: string;
  order: SortOrder;
  onSort: (key: string, order: SortOrder) => void;
  showRegion?: boolean;
  testId?: string;
}

/** All teams with every indicator; each column header is a sort button (aria-sort on the sorted column). */
export function TeamsTable({ caption, indicators, rows, sort, order, onSort, showRegion = true, testId }: TeamsTableProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const sorted = sortRows(rows, sort, order, lang);

  const columns: { key: string; label: string; full: string; numeric: boolean }[] = [
    { key: 'name', label: t('dashboard.org.team'), full: t('dashboard.org.team'), numeric: false },
    ...(showRegion ? [{ key: 'region', label: t('dashboard.org.region'), full: t('dashboard.org.region'), numeric: false }] : []),
    ...indicators.map((ind) => ({ key: ind.key, label: indicatorShortName(t, ind), full: indicatorName(t, ind), numeric: true })),
  ];
  const sortedColumn = columns.find((c) => c.key === sort);

  const header = (col: (typeof columns)[number]) => {
    const active = col.key === sort;
    const next: SortOrder = active ? (order === 'asc' ? 'desc' : 'asc') : 'asc';
    return (
      <th
        key={col.key}
        scope="col"
        className={col.numeric ? 'num' : undefined}
        aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : undefined}
      >
        <button
          type="button"
          className="sort-button"
          onClick={() => onSort(col.key, next)}
          title={col.full !== col.label ? col.full : undefined}
        >
          <span>{col.label}</span>
          {col.full !== col.label && <span className="visually-hidden"> ({col.full})</span>}
          <span className="sort-button__icon" aria-hidden="true">
            {active ? (order === 'asc' ? '▲' : '▼') : '↕'}
          </span>
        </button>
      </th>
    );
  };

  return (
    <>
      <div className="table-scroll" role="region" aria-labelledby={`${testId ?? 'teams'}-caption`} tabIndex={0}>
        <table className="data-table data-table--teams" data-testid={testId}>
          <caption id={`${testId ?? 'teams'}-caption`}>
            {caption}
            <span className="visually-hidden">. {t('dashboard.org.sortHint')}</span>
          </caption>
          <thead>
            <tr>{columns.map(header)}</tr>
          </thead>
          <tbody>
            {sorted.map((row) => (
              <tr key={row.id} data-team={row.id}>
                <th scope="row">
                  <Link to={`/dashboard/teams/${encodeURIComponent(row.id)}`}>{row.name}</Link>
                </th>
                {showRegion && (
                  <td>
                    <Link to={`/dashboard/regions/${encodeURIComponent(row.regionId)}`}>{row.regionName}</Link>
                  </td>
                )}
                {indicators.map((ind) => {
                  const v = row.values[ind.key];
                  const hidden = row.suppressed?.[ind.key];
                  const change = row.changes[ind.key];
                  return (
                    <td key={ind.key} className={`num${change ? ' cell--changed' : ''}`}>
                      {hidden ? (
                        <span className="muted" title={t('dashboard.hidden.smallTeamShort')}>
                          {t('dashboard.hidden.cell')}
                          <span className="visually-hidden"> ({t('dashboard.hidden.smallTeamShort')})</span>
                        </span>
                      ) : v === null || v === undefined ? (
                        <span className="muted">{t('dashboard.noValueShort')}</span>
                      ) : (
                        <span className="cell">
                          <span className="cell__value">
                            <StatusBadge status={row.status[ind.key]} compact /> {formatValue(v, ind.unit, lang)}
                          </span>
                          <ChangeText change={change} indicator={ind} compact />
                        </span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {sortedColumn
          ? t(order === 'asc' ? 'dashboard.org.sortedAsc' : 'dashboard.org.sortedDesc', { column: sortedColumn.full })
          : ''}
      </p>
    </>
  );
}
