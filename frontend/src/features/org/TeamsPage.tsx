import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SearchField } from '../../components/SearchField';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useCurrentUser } from '../session/api';
import { useRegions, useTeams } from './api';
import { filterTeams, groupTeamsByRegion } from './grouping';
import { PageHeader } from '../../components/PageHeader';

export function TeamsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('teams.documentTitle'));
  const user = useCurrentUser();
  const regions = useRegions();
  const teams = useTeams();
  const [searchParams, setSearchParams] = useSearchParams();
  const query = searchParams.get('q') ?? '';

  const ownTeamIds = useMemo(() => new Set(user.teams.map((team) => team.id)), [user.teams]);

  const filtered = useMemo(() => filterTeams(teams.data ?? [], query), [teams.data, query]);
  const groups = useMemo(() => groupTeamsByRegion(regions.data ?? [], filtered), [regions.data, filtered]);

  function setQuery(value: string) {
    setSearchParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set('q', value);
        else next.delete('q');
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  }

  const isPending = regions.isPending || teams.isPending;

  // Support links such as /teams#region-den-helder (from the team page breadcrumb).
  const { hash } = useLocation();
  useEffect(() => {
    if (isPending || !hash) return;
    const target = document.getElementById(decodeURIComponent(hash.slice(1)));
    target?.scrollIntoView?.({ block: 'start' });
  }, [hash, isPending]);
  const error = regions.error ?? teams.error;
  const hasQuery = query.trim() !== '';

  return (
    <div className="stack" aria-busy={isPending || undefined}>
      <PageHeader title={t('teams.title')} intro={t('teams.intro')} />

      <div className="search-box" role="search">
        <SearchField
          label={t('teams.filterLabel')}
          value={query}
          onValueChange={setQuery}
          hint={t('teams.filterHint')}
          clear={{ label: t('teams.filterClear'), onClear: () => setQuery(''), show: hasQuery }}
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="search"
        />
      </div>

      {isPending ? (
        <Loading label={t('teams.loading')} />
      ) : error ? (
        <ErrorAlert
          error={error}
          onRetry={() => {
            if (regions.isError) void regions.refetch();
            if (teams.isError) void teams.refetch();
          }}
        />
      ) : (
        <>
          <p className="result-count" role="status" aria-live="polite">
            {hasQuery
              ? filtered.length === 0
                ? t('teams.noResults', { query: query.trim() })
                : t('teams.results', { count: filtered.length })
              : (teams.data?.length ?? 0) === 0
                ? t('teams.noTeams')
                : t('teams.regionTeams', { count: teams.data?.length ?? 0 })}
          </p>
          {groups.map((group) => {
            const headingId = `region-${group.id}`;
            return (
              <section key={group.id} className="region" aria-labelledby={headingId}>
                <h2 id={headingId} className="region__title">
                  {group.name ?? t('teams.otherRegion')}{' '}
                  <span className="region__count">{t('teams.regionTeams', { count: group.teams.length })}</span>
                </h2>
                <ul className="team-list">
                  {group.teams.map((team) => (
                    <li key={team.id} className={ownTeamIds.has(team.id) ? 'team-row team-row--own' : 'team-row'}>
                      <Link to={`/teams/${encodeURIComponent(team.id)}`} className="team-row__link">
                        {team.name}
                      </Link>
                      {ownTeamIds.has(team.id) && <span className="badge badge--own">{t('teams.yourTeam')}</span>}
                      <span className="team-row__meta">
                        {team.workingArea.length > 0 && (
                          <span>
                            <span className="visually-hidden">{t('teams.workingArea')}: </span>
                            {team.workingArea.join(', ')}
                          </span>
                        )}
                        <span>{t('teams.memberCount', { count: team.memberCount })}</span>
                      </span>
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
        </>
      )}
    </div>
  );
}
