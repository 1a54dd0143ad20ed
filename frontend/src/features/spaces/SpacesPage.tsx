import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { SearchField } from '../../components/SearchField';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FieldError } from '../../components/form';
import { matchesQuery } from '../../lib/text';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useRegions } from '../org/api';
import { useCreateCommunity, useSpacesOverview } from './api';
import { spaceHref } from './paths';
import type { SpaceSummary } from './types';
import { CharCount, fits } from '../../components/CharCount';
import { QueryView } from '../../components/QueryView';
import { PageHeader } from '../../components/PageHeader';

const spaceLink = (id: string) => spaceHref(id);

/** /ruimtes: my teams, all teams (filterable) and the communities, with a form to start a community. */
export function SpacesPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('spaces.overview.title'));
  const overview = useSpacesOverview();
  const regions = useRegions();
  const [filter, setFilter] = useState('');
  const regionName = (id?: string) => (id ? (regions.data?.find((r) => r.id === id)?.name ?? id) : '');

  const myTeams = overview.data?.teams.filter((s) => s.member) ?? [];
  const otherTeams = (overview.data?.teams.filter((s) => !s.member) ?? []).filter((s) =>
    matchesQuery(filter, [s.name, regionName(s.regionId), s.description]),
  );
  const communities = [...(overview.data?.communities ?? [])].sort((a, b) => Number(b.member) - Number(a.member));

  return (
    <div className="stack sp-spaces-overview" data-testid="spaces-overview">
      <PageHeader title={t('spaces.overview.title')} intro={t('spaces.overview.intro')}>
        <ul className="sp-inline-links">
          <li>
            <Link to="/mededelingen" className="arrow-link">
              {t('spaces.announcements.title')}
            </Link>
          </li>
          <li>
            <Link to="/meldingen" className="arrow-link">
              {t('spaces.notifications.title')}
            </Link>
          </li>
        </ul>
      </PageHeader>

      <QueryView query={overview} loading={t('spaces.overview.loading')}>
        {() => (
          <>
            <section className="stack stack--tight" aria-labelledby="my-teams">
              <h2 id="my-teams">{t('spaces.overview.myTeams')}</h2>
              {myTeams.length === 0 ? (
                <p className="muted">{t('spaces.overview.noTeams')}</p>
              ) : (
                <SpaceCards items={myTeams} regionName={regionName} />
              )}
            </section>

            <section className="stack stack--tight" aria-labelledby="communities">
              <h2 id="communities">{t('spaces.overview.communities')}</h2>
              <p className="muted">{t('spaces.overview.communitiesIntro')}</p>
              {communities.length === 0 ? (
                <p className="muted">{t('spaces.overview.noCommunities')}</p>
              ) : (
                <SpaceCards items={communities} regionName={regionName} />
              )}
              <NewCommunity />
            </section>

            <section className="stack stack--tight" aria-labelledby="all-teams">
              <h2 id="all-teams">{t('spaces.overview.allTeams')}</h2>
              <div className="search-box">
                <SearchField label={t('spaces.overview.filter')} value={filter} onValueChange={setFilter} />
              </div>
              <p className="result-count" role="status" aria-live="polite">
                {filter.trim() ? t('spaces.overview.filterResults', { count: otherTeams.length }) : ''}
              </p>
              {otherTeams.length > 0 && (
                <ul className="team-list">
                  {otherTeams.map((s) => (
                    <li key={s.id} className="team-row">
                      <Link to={spaceLink(s.id)} className="team-row__link">
                        {s.name}
                      </Link>
                      <span className="team-row__meta">
                        {s.regionId && <span>{regionName(s.regionId)}</span>}
                        <span>{t('spaces.space.memberCount', { count: s.memberCount })}</span>
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </>
        )}
      </QueryView>
    </div>
  );
}

function SpaceCards({ items, regionName }: { items: SpaceSummary[]; regionName: (id?: string) => string }) {
  const { t } = useTranslation();
  return (
    <ul className="card-grid">
      {items.map((s) => (
        <li key={s.id} className="card" data-testid="space-card" data-space-id={s.id}>
          <h3>
            <Link to={spaceLink(s.id)} className="card__link">
              {s.name}
            </Link>
          </h3>
          <p className="card__meta">
            {s.kind === 'team' && s.regionId ? `${regionName(s.regionId)} · ` : ''}
            {t('spaces.space.memberCount', { count: s.memberCount })}
          </p>
          {s.description && <p className="sp-space-card__description">{s.description}</p>}
          {s.member && s.kind === 'community' && <p className="badge badge--own">{t('spaces.space.youAreMember')}</p>}
        </li>
      ))}
    </ul>
  );
}

/** The server's limits for a community (spaces.go). */
const MAX_NAME = 80;
const MAX_DESCRIPTION = 4000;

function NewCommunity() {
  const { t } = useTranslation();
  const create = useCreateCommunity();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (create.isPending) return;
    if (!name.trim()) {
      setError(t('spaces.overview.nameRequired'));
      return;
    }
    if (!fits(name, MAX_NAME) || !fits(description, MAX_DESCRIPTION)) return; // the counters say by how much
    create.mutate(
      { name: name.trim(), description: description.trim() },
      { onSuccess: (space) => navigate(spaceLink(space.id)) },
    );
  }

  if (!open) {
    return (
      <div>
        <button type="button" className="button button--secondary" onClick={() => setOpen(true)}>
          {t('spaces.overview.newCommunity')}
        </button>
      </div>
    );
  }

  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t('spaces.overview.newCommunity')}</h3>
      <div className="sp-field">
        <label htmlFor={`${id}-name`} className="field-label">
          {t('spaces.overview.communityName')}
        </label>
        <input
          id={`${id}-name`}
          className="input"
          value={name}
          aria-invalid={error || !fits(name, MAX_NAME) ? true : undefined}
          aria-describedby={error ? `${id}-error ${id}-name-count` : `${id}-name-count`}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
        />
        <CharCount id={`${id}-name-count`} text={name} max={MAX_NAME} />
        <FieldError id={`${id}-error`} message={error ?? undefined} />
      </div>
      <div className="sp-field">
        <label htmlFor={`${id}-description`} className="field-label">
          {t('spaces.overview.communityDescription')}
        </label>
        <textarea
          id={`${id}-description`}
          className="input sp-textarea"
          rows={3}
          value={description}
          aria-invalid={!fits(description, MAX_DESCRIPTION) || undefined}
          aria-describedby={`${id}-description-count`}
          onChange={(e) => setDescription(e.target.value)}
        />
        <CharCount id={`${id}-description-count`} text={description} max={MAX_DESCRIPTION} />
      </div>
      {create.isError && <ErrorAlert error={create.error} />}
      <div className="sp-form-buttons">
        <button type="submit" className="button button--primary" aria-disabled={create.isPending || undefined}>
          {t('spaces.overview.createCommunity')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
          {t('spaces.common.cancel')}
        </button>
      </div>
    </form>
  );
}
