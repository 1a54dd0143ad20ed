import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useRegionDashboard } from './api';
import { DashboardNav } from './DashboardNav';
import { formatMonth, indicatorName } from './format';
import { IndicatorCard } from './IndicatorCard';
import { TeamsTable, type SortOrder } from './TeamsTable';
import { TrendChart } from './TrendChart';
import type { RegionView } from './types';
import { PageHeader } from '../../components/PageHeader';

/** /dashboard/regions/:regionId: a region against the organisation, and its teams. */
export function RegionPage() {
  const { t } = useTranslation();
  const { regionId = '' } = useParams();
  const [search] = useSearchParams();
  const view = useRegionDashboard(regionId, search.get('month') ?? undefined);
  const notFound = view.isError && isApiError(view.error) && view.error.isNotFound;
  useDocumentTitle(view.data ? t('dashboard.region.documentTitle', { region: view.data.region.name }) : t('dashboard.title'));

  return (
    <div className="stack dash">
      <DashboardNav />
      {view.isPending ? (
        <div aria-busy="true">
          <Loading label={t('dashboard.loading')} />
        </div>
      ) : view.isError ? (
        <>
          <h1>{notFound ? t('dashboard.region.notFound') : t('dashboard.title')}</h1>
          <ErrorAlert error={view.error} onRetry={() => void view.refetch()} />
          <p>
            <Link to="/dashboard/organisation">{t('dashboard.region.back')}</Link>
          </p>
        </>
      ) : (
        <RegionContent view={view.data} />
      )}
    </div>
  );
}

function RegionContent({ view }: { view: RegionView }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [sort, setSort] = useState<{ key: string; order: SortOrder }>({ key: 'name', order: 'asc' });
  const months = view.series.map((p) => p.month);
  return (
    <>
      <PageHeader title={t('dashboard.region.heading', { region: view.region.name })}>
        {view.month && (
          <p className="page-header__intro" data-testid="dashboard-month" data-month={view.month}>
            {t('dashboard.region.figuresOf', { month: formatMonth(view.month, lang), count: view.region.teams })}
          </p>
        )}
      </PageHeader>
      {!view.month ? (
        <div className="empty-state">
          <p className="empty-state__title">{t('dashboard.org.noFigures')}</p>
        </div>
      ) : (
        <>
          <div className="indicator-grid">
            {view.indicators.map((ind) => (
              <IndicatorCard
                key={ind.key}
                indicator={ind.aggregate === 'sum' ? { ...ind, target: null } : ind}
                value={view.region.values[ind.key] ?? null}
                change={view.region.changes[ind.key] ?? null}
                status={view.region.status[ind.key] ?? 'none'}
                organisation={view.organisation.values[ind.key] ?? null}
                organisationLabel={ind.aggregate === 'sum' ? t('dashboard.region.organisationTotal') : t('dashboard.card.organisation')}
                suppressed={view.region.suppressed?.[ind.key]}
                minGroupSize={view.minGroupSize}
              >
                <TrendChart
                  title={indicatorName(t, ind)}
                  unit={ind.unit}
                  months={months}
                  target={ind.aggregate === 'sum' ? null : ind.target}
                  lines={[
                    { variant: 'region', label: view.region.name, values: view.series.map((p) => p.region?.[ind.key] ?? null) },
                    ...(ind.aggregate === 'sum'
                      ? []
                      : [
                          {
                            variant: 'organisation' as const,
                            label: t('dashboard.card.organisation'),
                            values: view.series.map((p) => p.organisation?.[ind.key] ?? null),
                          },
                        ]),
                  ]}
                />
              </IndicatorCard>
            ))}
          </div>
          <TeamsTable
            testId="region-table"
            caption={t('dashboard.region.teamsCaption', { region: view.region.name, month: formatMonth(view.month, lang) })}
            indicators={view.indicators}
            rows={view.teams}
            sort={sort.key}
            order={sort.order}
            onSort={(key, order) => setSort({ key, order })}
            showRegion={false}
          />
        </>
      )}
    </>
  );
}
