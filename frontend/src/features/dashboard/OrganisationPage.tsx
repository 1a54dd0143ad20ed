import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { organisationCsvUrl, useOrganisationDashboard } from './api';
import { DashboardNav } from './DashboardNav';
import { formatMonth, formatValue, indicatorName, indicatorShortName, monthRange } from './format';
import { ChangeText, StatusBadge } from './IndicatorCard';
import { TeamsTable, type SortOrder } from './TeamsTable';
import type { AggRow, Indicator, OrgView } from './types';
import { TableRegion } from '../../components/TableRegion';
import { PageHeader } from '../../components/PageHeader';

/** /dashboard/organisation: every team, sortable, per month, filterable by region; CSV and print. */
export function OrganisationPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [search, setSearch] = useSearchParams();
  const month = search.get('month') ?? undefined;
  const region = search.get('region') ?? '';
  const sort = search.get('sort') ?? 'name';
  const order: SortOrder = search.get('order') === 'desc' ? 'desc' : 'asc';
  const view = useOrganisationDashboard(month);

  useDocumentTitle(t('dashboard.org.documentTitle'));

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setSearch(next, { replace: true });
  };

  return (
    <div className="stack dash dash--org">
      <DashboardNav />
      <PageHeader title={t('dashboard.org.title')}>
        {view.data?.month && (
          <p className="page-header__intro" data-testid="dashboard-month" data-month={view.data.month}>
            {t('dashboard.org.figuresOf', { month: formatMonth(view.data.month, lang) })}
          </p>
        )}
      </PageHeader>
      {view.isPending ? (
        <div aria-busy="true">
          <Loading label={t('dashboard.loading')} />
        </div>
      ) : view.isError ? (
        <ErrorAlert error={view.error} onRetry={() => void view.refetch()} />
      ) : !view.data.month ? (
        <div className="empty-state">
          <p className="empty-state__title">{t('dashboard.org.noFigures')}</p>
        </div>
      ) : (
        <OrgContent
          view={view.data}
          region={region}
          sort={sort}
          order={order}
          onMonth={(m) => update({ month: m === view.data.lastMonth ? undefined : m })}
          onRegion={(r) => update({ region: r || undefined })}
          onSort={(s, o) => update({ sort: s === 'name' ? undefined : s, order: o === 'asc' ? undefined : o })}
        />
      )}
    </div>
  );
}

function OrgContent({
  view,
  region,
  sort,
  order,
  onMonth,
  onRegion,
  onSort,
}: {
  view: OrgView;
  region: string;
  sort: string;
  order: SortOrder;
  onMonth: (m: string) => void;
  onRegion: (r: string) => void;
  onSort: (s: string, o: SortOrder) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const months = view.firstMonth && view.lastMonth ? monthRange(view.firstMonth, view.lastMonth).reverse() : [];
  const rows = region ? view.teams.filter((r) => r.regionId === region) : view.teams;
  const regionName = view.regions.find((r) => r.id === region)?.name;
  const known = sort === 'name' || sort === 'region' || view.indicators.some((i) => i.key === sort);

  return (
    <>
      <div className="dash-toolbar">
        <div className="dash-filters no-print">
          <div className="dash-filter">
            <label className="field-label" htmlFor="dash-month">
              {t('dashboard.org.month')}
            </label>
            <select id="dash-month" className="input select" value={view.month ?? ''} onChange={(e) => onMonth(e.target.value)}>
              {months.map((m) => (
                <option key={m} value={m}>
                  {formatMonth(m, lang)}
                </option>
              ))}
            </select>
          </div>
          <div className="dash-filter">
            <label className="field-label" htmlFor="dash-region">
              {t('dashboard.org.regionFilter')}
            </label>
            <select id="dash-region" className="input select" value={region} onChange={(e) => onRegion(e.target.value)}>
              <option value="">{t('dashboard.org.allRegions')}</option>
              {view.regions.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="dash-actions no-print">
          <a
            className="button button--secondary"
            href={organisationCsvUrl({ month: view.month ?? undefined, sort: known ? sort : undefined, order })}
            download
            data-testid="org-csv"
          >
            {t('dashboard.org.csv')}
          </a>
          <button type="button" className="button button--secondary" onClick={() => window.print()} data-testid="org-print">
            {t('dashboard.org.print')}
          </button>
        </div>
      </div>

      <AggTable
        caption={t('dashboard.org.regionsCaption', { month: formatMonth(view.month, lang) })}
        indicators={view.indicators}
        rows={[...view.regions, view.organisation]}
        organisationLabel={t('dashboard.org.organisation')}
      />

      <TeamsTable
        testId="org-table"
        caption={
          regionName
            ? t('dashboard.org.teamsCaptionRegion', { region: regionName, month: formatMonth(view.month, lang), count: rows.length })
            : t('dashboard.org.teamsCaption', { month: formatMonth(view.month, lang), count: rows.length })
        }
        indicators={view.indicators}
        rows={rows}
        sort={known ? sort : 'name'}
        order={order}
        onSort={onSort}
      />
      <p className="small muted">{t('dashboard.org.legend', { size: view.minGroupSize })}</p>
    </>
  );
}

/** Regions and organisation: averages per month (not sortable; few rows). */
export function AggTable({
  caption,
  indicators,
  rows,
  organisationLabel,
}: {
  caption: string;
  indicators: Indicator[];
  rows: AggRow[];
  organisationLabel: string;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <TableRegion caption={caption} className="data-table">
      <thead>
        <tr>
          <th scope="col">{t('dashboard.org.region')}</th>
          {indicators.map((ind) => (
            <th scope="col" key={ind.key} className="num" title={indicatorName(t, ind)}>
              {indicatorShortName(t, ind)}
              {ind.aggregate === 'sum' && <span className="small"> ({t('dashboard.org.total')})</span>}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id || 'org'} className={row.id ? undefined : 'data-table__total'}>
            <th scope="row">
              {row.id ? <Link to={`/dashboard/regions/${encodeURIComponent(row.id)}`}>{row.name}</Link> : organisationLabel}
            </th>
            {indicators.map((ind) => {
              const v = row.values[ind.key];
              return (
                <td key={ind.key} className="num">
                  {row.suppressed?.[ind.key] ? (
                    <span className="muted">
                      {t('dashboard.hidden.cell')}
                      <span className="visually-hidden"> ({t('dashboard.hidden.complementary')})</span>
                    </span>
                  ) : v === null || v === undefined ? (
                    <span className="muted">{t('dashboard.noValueShort')}</span>
                  ) : (
                    <span className="cell">
                      <span className="cell__value">
                        {row.status[ind.key] && row.status[ind.key] !== 'none' && <StatusBadge status={row.status[ind.key]} compact />}{' '}
                        {formatValue(v, ind.unit, lang)}
                      </span>
                      <ChangeText change={row.changes[ind.key]} indicator={ind} compact />
                    </span>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </TableRegion>
  );
}
