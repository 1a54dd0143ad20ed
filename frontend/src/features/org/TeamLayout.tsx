import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation, useOutletContext, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import type { TeamDetail } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { SavedCopyNote } from '../../components/OfflineStatus';
import { useSpace } from '../spaces/api';
import { DocumentTitle } from '../spaces/DocumentTitle';
import { isOutsider } from '../spaces/SpaceLayout';
import type { Space } from '../spaces/types';
import { useRegions, useTeam } from './api';
import { teamChannelPath } from './paths';

/** What the team page's sections get from the layout (compatible with the spaces pages' useSpaceOutlet). */
export interface TeamOutlet {
  space: Space;
  team: ReturnType<typeof useTeam>;
}

export function useTeamOutlet(): TeamOutlet {
  return useOutletContext<TeamOutlet>();
}

// The team's chat channel (chat.TeamChannelID on the server): ./paths.ts, so
// that home can link to it without loading this page.
export { teamChannelPath };

/**
 * /teams/:teamId/*: one page per team. The header (name, region, members),
 * the sections as tabs, then the section. The team's space (profile, posts,
 * documents, agenda) and the organisation's team (members, taakrollen) are
 * loaded here once. Each section sets the document title.
 */
export function TeamLayout() {
  const { t } = useTranslation();
  const { teamId = '' } = useParams();
  const space = useSpace(teamId);
  const team = useTeam(teamId);
  const notFound = space.isError && isApiError(space.error) && space.error.isNotFound;

  if (space.isPending) {
    return (
      <div aria-busy="true">
        <DocumentTitle title={t('team.loading')} />
        <Loading label={t('team.loading')} />
      </div>
    );
  }

  if (space.isError) {
    return (
      <div className="stack">
        <DocumentTitle title={notFound ? t('team.notFoundTitle') : t('error.title')} />
        <TeamBreadcrumb />
        {notFound ? (
          <div className="stack stack--tight" data-testid="team-not-found">
            <h1>{t('team.notFoundTitle')}</h1>
            <p>{t('team.notFoundBody')}</p>
          </div>
        ) : (
          <>
            <h1>{t('error.title')}</h1>
            <ErrorAlert error={space.error} onRetry={() => void space.refetch()} />
          </>
        )}
        <p>
          <Link to="/teams">{t('team.backToTeams')}</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="stack tp" data-testid="team-page" data-team-id={space.data.id}>
      <TeamBreadcrumb team={team.data} name={space.data.name} />
      <SavedCopyNote path={`/spaces/${encodeURIComponent(teamId)}`} dataUpdatedAt={space.dataUpdatedAt} />
      <TeamHeader space={space.data} team={team.data} />
      <TeamTabs space={space.data} />
      <Outlet context={{ space: space.data, team } satisfies TeamOutlet} />
    </div>
  );
}

function TeamBreadcrumb({ team, name }: { team?: TeamDetail; name?: string }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('team.breadcrumb')} className="breadcrumb tp-breadcrumb">
      <ol>
        <li>
          <Link to="/teams">{t('nav.teams')}</Link>
        </li>
        {team && (
          <li>
            <Link to={`/teams#region-${team.regionId}`}>{team.regionName}</Link>
          </li>
        )}
        {name && (
          <li>
            <span aria-current="page">{name}</span>
          </li>
        )}
      </ol>
    </nav>
  );
}

function TeamHeader({ space, team }: { space: Space; team?: TeamDetail }) {
  const { t } = useTranslation();
  const regions = useRegions();
  const regionName = team?.regionName ?? regions.data?.find((r) => r.id === space.regionId)?.name;
  return (
    <header className="page-header tp-header">
      <div className="tp-header__title">
        <h1 data-testid="team-title">{space.name}</h1>
        {space.member && <span className="badge badge--own tp-header__own">{t('team.yourTeam')}</span>}
      </div>
      <p className="muted tp-header__meta">
        {regionName && <span>{t('team.regionNamed', { name: regionName })} · </span>}
        {t('teams.memberCount', { count: space.memberCount })}
      </p>
    </header>
  );
}

function TeamTabs({ space }: { space: Space }) {
  const { t } = useTranslation();
  const nav = useRef<HTMLElement>(null);
  const location = useLocation();
  // On a phone the tabs scroll sideways: keep the current one in view.
  useEffect(() => {
    const active = nav.current?.querySelector<HTMLElement>('[aria-current="page"]');
    const box = nav.current;
    if (active && box && typeof box.scrollTo === 'function') {
      const a = active.getBoundingClientRect();
      const b = box.getBoundingClientRect();
      box.scrollTo({ left: Math.max(0, box.scrollLeft + a.left - b.left - (b.width - a.width) / 2) });
    }
  }, [location.pathname]);
  const base = `/teams/${encodeURIComponent(space.id)}`;
  const cls = ({ isActive }: { isActive: boolean }) => (isActive ? 'sp-space-tabs__link sp-is-active' : 'sp-space-tabs__link');
  const tabs: { to: string; label: string; end?: boolean; testId: string }[] = [
    { to: base, label: t('team.sections.overview'), end: true, testId: 'team-tab-overview' },
    { to: `${base}/berichten`, label: t('team.sections.posts'), testId: 'team-tab-posts' },
    ...(!isOutsider(space) ? [{ to: `${base}/documenten`, label: t('team.sections.documents'), testId: 'team-tab-documents' }] : []),
    { to: `${base}/agenda`, label: t('team.sections.agenda'), testId: 'team-tab-agenda' },
    { to: `${base}/cijfers`, label: t('team.sections.figures'), testId: 'team-tab-figures' },
    { to: `${base}/leden`, label: t('team.sections.members'), testId: 'team-tab-members' },
    ...(space.member ? [{ to: teamChannelPath(space.id), label: t('team.sections.chat'), testId: 'team-tab-chat' }] : []),
  ];
  return (
    <nav ref={nav} className="sp-space-tabs tp-tabs" aria-label={t('team.sections.label')}>
      <ul className="sp-space-tabs__list">
        {tabs.map((tab) => (
          <li key={tab.testId}>
            <NavLink to={tab.to} end={tab.end} className={cls} data-testid={tab.testId}>
              {tab.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
