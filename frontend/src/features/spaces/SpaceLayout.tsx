import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useOutletContext, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useRegions } from '../org/api';
import { useMembership, useSpace } from './api';
import { DocumentTitle } from './DocumentTitle';
import { spaceHref } from './paths';
import type { Space } from './types';

interface SpaceOutlet {
  space: Space;
}

/** The space loaded by SpaceLayout, for its child routes. */
export function useSpaceOutlet(): Space {
  return useOutletContext<SpaceOutlet>().space;
}

/** True when a non-member may not see the team-only parts (documents, team events) of this space. */
export function isOutsider(space: Space): boolean {
  return space.kind === 'team' && !space.member;
}

/** /ruimtes/:spaceId/*: breadcrumb, header with join/leave, section navigation, then the section. */
export function SpaceLayout() {
  const { t } = useTranslation();
  const { spaceId = '' } = useParams();
  const space = useSpace(spaceId);
  const notFound = space.isError && isApiError(space.error) && space.error.isNotFound;

  if (space.isPending) {
    return (
      <div aria-busy="true">
        <DocumentTitle title={t('spaces.space.loading')} />
        <Loading label={t('spaces.space.loading')} />
      </div>
    );
  }

  if (space.isError) {
    return (
      <div className="stack">
        <DocumentTitle title={notFound ? t('spaces.space.notFoundTitle') : t('error.title')} />
        <SpaceBreadcrumb />
        {notFound ? (
          <div className="stack stack--tight" data-testid="space-not-found">
            <h1>{t('spaces.space.notFoundTitle')}</h1>
            <p>{t('spaces.space.notFoundBody')}</p>
          </div>
        ) : (
          <>
            <h1>{t('error.title')}</h1>
            <ErrorAlert error={space.error} onRetry={() => void space.refetch()} />
          </>
        )}
        <p>
          <Link to="/ruimtes">{t('spaces.space.backToOverview')}</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="stack sp-space" data-testid="space" data-space-id={space.data.id}>
      <SpaceBreadcrumb space={space.data} />
      <SpaceHeader space={space.data} />
      <SpaceSections space={space.data} />
      <Outlet context={{ space: space.data } satisfies SpaceOutlet} />
    </div>
  );
}

export function SpaceBreadcrumb({ space, current }: { space?: Pick<Space, 'id' | 'name'>; current?: string }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('spaces.breadcrumb')} className="breadcrumb">
      <ol>
        <li>
          <Link to="/ruimtes">{t('spaces.overview.title')}</Link>
        </li>
        {space && (
          <li>
            {current ? (
              <Link to={spaceHref(space.id)}>{space.name}</Link>
            ) : (
              <span aria-current="page">{space.name}</span>
            )}
          </li>
        )}
        {space && current && (
          <li>
            <span aria-current="page">{current}</span>
          </li>
        )}
      </ol>
    </nav>
  );
}

function SpaceHeader({ space }: { space: Space }) {
  const { t } = useTranslation();
  const regions = useRegions();
  const regionName = space.regionId ? (regions.data?.find((r) => r.id === space.regionId)?.name ?? space.regionId) : '';
  const membership = useMembership(space.id);

  return (
    <header className="page-header sp-space-header">
      <ul className="badges">
        <li className="badge badge--role">{t(space.kind === 'team' ? 'spaces.kind.team' : 'spaces.kind.community')}</li>
        {space.member && (
          <li className="badge badge--own">
            {t(space.kind === 'team' ? 'spaces.space.yourTeam' : 'spaces.space.youAreMember')}
          </li>
        )}
      </ul>
      <h1 data-testid="space-title">{space.name}</h1>
      <p className="muted">
        {regionName && <span>{t('spaces.space.region', { name: regionName })} · </span>}
        {t('spaces.space.memberCount', { count: space.memberCount })}
      </p>
      {(space.canJoin || space.canLeave) && (
        <div className="sp-space-header__actions">
          {space.canJoin && (
            <button
              type="button"
              className="button button--primary"
              data-testid="space-join"
              aria-disabled={membership.isPending || undefined}
              onClick={() => !membership.isPending && membership.mutate('join')}
            >
              {t('spaces.space.join')}
            </button>
          )}
          {space.canLeave && (
            <button
              type="button"
              className="button button--secondary"
              data-testid="space-leave"
              aria-disabled={membership.isPending || undefined}
              onClick={() => !membership.isPending && membership.mutate('leave')}
            >
              {t('spaces.space.leave')}
            </button>
          )}
        </div>
      )}
      {membership.isError && <ErrorAlert error={membership.error} />}
    </header>
  );
}

function SpaceSections({ space }: { space: Space }) {
  const { t } = useTranslation();
  const base = `/ruimtes/${encodeURIComponent(space.id)}`;
  const cls = ({ isActive }: { isActive: boolean }) => (isActive ? 'sp-space-tabs__link sp-is-active' : 'sp-space-tabs__link');
  return (
    <nav className="sp-space-tabs" aria-label={t('spaces.sections.label')}>
      <ul className="sp-space-tabs__list">
        <li>
          <NavLink to={base} end className={cls}>
            {t('spaces.sections.home')}
          </NavLink>
        </li>
        {!isOutsider(space) && (
          <li>
            <NavLink to={`${base}/documenten`} className={cls}>
              {t('spaces.sections.documents')}
            </NavLink>
          </li>
        )}
        <li>
          <NavLink to={`${base}/agenda`} className={cls}>
            {t('spaces.sections.agenda')}
          </NavLink>
        </li>
        <li>
          <NavLink to={`${base}/profiel`} className={cls}>
            {t(space.canEdit ? 'spaces.sections.profileEdit' : 'spaces.sections.profile')}
          </NavLink>
        </li>
      </ul>
    </nav>
  );
}
