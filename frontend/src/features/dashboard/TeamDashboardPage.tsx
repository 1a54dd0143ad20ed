import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { getMyRegion } from '../../lib/myRegion';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useCurrentUser } from '../session/api';
import { useTeamDashboard } from './api';
import { DashboardNav } from './DashboardNav';
import { formatMonth, formatValue, hasRole, indicatorName, signalText } from './format';
import { IndicatorCard, suppressionNote } from './IndicatorCard';
import { TrendChart } from './TrendChart';
import type { Signal, TeamView } from './types';

/**
 * /dashboard (the reader's own team, ?team= to switch between own teams) and
 * /dashboard/teams/:teamId (any team). Without a team: the organisation view,
 * or for a region manager the region they chose on home.
 */
export function TeamDashboardPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const { teamId: routeTeam } = useParams();
  const [search, setSearch] = useSearchParams();
  const ownTeams = user.teams;
  const chosen = search.get('team');
  const teamId = routeTeam ?? (ownTeams.some((team) => team.id === chosen) ? chosen : ownTeams[0]?.id) ?? undefined;
  const view = useTeamDashboard(teamId);

  const name = view.data?.team.name ?? ownTeams.find((team) => team.id === teamId)?.name;
  useDocumentTitle(name ? t('dashboard.team.documentTitle', { team: name }) : t('dashboard.title'));

  if (!teamId) {
    // A region manager lands on their own region (as chosen on home), others on the organisation.
    const region = hasRole(user.roles, 'regiomanager') ? getMyRegion() : '';
    return <Navigate to={region ? `/dashboard/regions/${encodeURIComponent(region)}` : '/dashboard/organisation'} replace />;
  }

  const switcher = !routeTeam && ownTeams.length > 1 && (
    <div className="dash-filter no-print">
      <label className="field-label" htmlFor="dash-team">
        {t('dashboard.team.switch')}
      </label>
      <select
        id="dash-team"
        className="input select"
        value={teamId}
        onChange={(e) => setSearch({ team: e.target.value }, { replace: true })}
      >
        {ownTeams.map((team) => (
          <option key={team.id} value={team.id}>
            {team.name}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <div className="stack dash">
      <DashboardNav />
      {switcher}
      {view.isPending ? (
        <div aria-busy="true">
          <Loading label={t('dashboard.loading')} />
        </div>
      ) : view.isError ? (
        <>
          <h1>{isApiError(view.error) && view.error.isNotFound ? t('dashboard.team.notFound') : t('dashboard.title')}</h1>
          <ErrorAlert error={view.error} onRetry={() => void view.refetch()} />
        </>
      ) : (
        <TeamDashboard view={view.data} own={ownTeams.some((team) => team.id === view.data.team.id)} />
      )}
    </div>
  );
}

function TeamDashboard({ view, own }: { view: TeamView; own: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const months = view.series.map((p) => p.month);
  const size = [
    view.size.headcount !== null && view.size.headcount !== undefined ? t('dashboard.team.headcount', { count: view.size.headcount }) : '',
    view.size.fte !== null && view.size.fte !== undefined ? t('dashboard.team.fte', { value: formatValue(view.size.fte, 'number', lang) }) : '',
  ].filter(Boolean);

  return (
    <>
      <header className="page-header dash__header">
        {own && <p className="badge badge--own">{t('team.yourTeam')}</p>}
        <h1>{t('dashboard.team.heading', { team: view.team.name })}</h1>
        {view.month ? (
          <p className="page-header__intro" data-testid="dashboard-month" data-month={view.month}>
            {t('dashboard.team.figuresOf', { month: formatMonth(view.month, lang) })}
            {size.length > 0 && <> · {size.join(' · ')}</>}
          </p>
        ) : null}
        <p className="dash__links no-print">
          <Link to={`/dashboard/regions/${encodeURIComponent(view.team.regionId)}`} className="arrow-link">
            {t('dashboard.team.regionLink', { region: view.team.regionName })}
          </Link>{' '}
          <Link to={`/teams/${encodeURIComponent(view.team.id)}`} className="arrow-link">
            {t('dashboard.team.teamPageLink')}
          </Link>
        </p>
      </header>

      {!view.month ? (
        <div className="empty-state">
          <p className="empty-state__title">{t('dashboard.team.noFigures')}</p>
          <p>{t('dashboard.team.noFiguresBody')}</p>
        </div>
      ) : (
        <>
          <Signals signals={view.signals} view={view} />
          <div className="indicator-grid">
            {view.indicators.map((ind) => {
              const tile = view.latest.find((l) => l.key === ind.key);
              if (!tile) return null;
              const suppressedMonths = view.series.filter((p) => p.suppressed?.[ind.key]).length;
              const note =
                suppressedMonths > 0 && !tile.suppressed
                  ? suppressionNote(t, ind, 'small_team', view.minGroupSize)
                  : undefined;
              return (
                <IndicatorCard
                  key={ind.key}
                  indicator={{ ...ind, target: tile.target ?? ind.target }}
                  value={tile.value}
                  previous={tile.previous}
                  change={tile.change}
                  status={tile.status}
                  region={tile.region}
                  organisation={tile.organisation}
                  regionLabel={
                    ind.aggregate === 'sum'
                      ? t('dashboard.card.regionNamedPerTeam', { region: view.team.regionName })
                      : t('dashboard.card.regionNamed', { region: view.team.regionName })
                  }
                  suppressed={tile.suppressed}
                  minGroupSize={view.minGroupSize}
                >
                  <TrendChart
                    title={indicatorName(t, ind)}
                    unit={ind.unit}
                    months={months}
                    target={tile.target ?? ind.target}
                    note={note}
                    lines={[
                      { variant: 'team', label: view.team.name, values: view.series.map((p) => p.team?.[ind.key] ?? null) },
                      {
                        variant: 'region',
                        label:
                          ind.aggregate === 'sum'
                            ? t('dashboard.card.regionNamedPerTeam', { region: view.team.regionName })
                            : t('dashboard.card.regionNamed', { region: view.team.regionName }),
                        values: view.series.map((p) => p.region?.[ind.key] ?? null),
                      },
                      {
                        variant: 'organisation',
                        label: ind.aggregate === 'sum' ? t('dashboard.card.organisationPerTeam') : t('dashboard.card.organisation'),
                        values: view.series.map((p) => p.organisation?.[ind.key] ?? null),
                      },
                    ]}
                  />
                </IndicatorCard>
              );
            })}
          </div>
        </>
      )}
    </>
  );
}

export function Signals({ signals, view }: { signals: Signal[]; view: Pick<TeamView, 'indicators'> }) {
  const { t } = useTranslation();
  if (signals.length === 0) return null;
  return (
    <section className="signals" aria-labelledby="dash-signals">
      <h2 id="dash-signals" className="signals__title">
        {t('dashboard.signals.title')}
      </h2>
      <ul className="signals__list">
        {signals.map((s, i) => (
          <li key={`${s.team}-${s.key ?? s.kind}-${i}`} className="callout callout--warning" data-testid="dashboard-signal">
            <span className="callout__icon" aria-hidden="true">
              !
            </span>
            <span>{signalText(t, s, view.indicators)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
