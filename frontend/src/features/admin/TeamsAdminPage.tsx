import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useRegions } from '../org/api';
import { Collate, slugify } from './text';
import { adminPaths } from './access';
import { useAdminTeams, useCreateTeam } from './api';
import { Field, ProblemSummary, useFieldErrors, useFieldIds } from '../../components/form';
import { QueryView } from '../../components/QueryView';

/** /beheer: every team, filtered by region and a search; a new team. */
export function TeamsAdminPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const region = params.get('regio') ?? '';
  const q = params.get('zoek') ?? '';
  const regions = useRegions();
  const teams = useAdminTeams();
  const shown = useMemo(() => {
    const needle = Collate(q.trim());
    return (teams.data ?? []).filter(
      (tm) =>
        (!region || tm.regionId === region) &&
        (!needle || Collate(tm.name).includes(needle) || tm.workingArea.some((w) => Collate(w).includes(needle))),
    );
  }, [teams.data, region, q]);
  const regionName = (id: string) => regions.data?.find((r) => r.id === id)?.name ?? id;
  const setParam = (key: string, value: string) =>
    setParams(
      (p) => {
        if (value) p.set(key, value);
        else p.delete(key);
        return p;
      },
      { replace: true },
    );

  return (
    <section className="stack" aria-labelledby="adm-teams-title">
      <h2 id="adm-teams-title">{t('admin.teams.title')}</h2>
      <div className="adm-filters" role="search">
        <div className="adm-field">
          <label className="field-label" htmlFor="adm-team-region">
            {t('admin.teams.filterRegion')}
          </label>
          <select id="adm-team-region" className="input" value={region} onChange={(e) => setParam('regio', e.target.value)}>
            <option value="">{t('admin.teams.allRegions')}</option>
            {regions.data?.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div className="adm-field">
          <label className="field-label" htmlFor="adm-team-q">
            {t('admin.teams.search')}
          </label>
          <input id="adm-team-q" className="input" type="search" value={q} onChange={(e) => setParam('zoek', e.target.value)} />
        </div>
      </div>
      <QueryView query={teams} loading={t('status.loading')}>
        {() => (
          <>
            <p className="result-count" aria-live="polite">
              {t('admin.teams.count', { count: shown.length })}
            </p>
            <ul className="adm-list" data-testid="admin-team-list">
              {shown.map((tm) => (
                <li key={tm.id} className="adm-row">
                  <Link to={adminPaths.team(tm.id)} className="adm-row__title">
                    {tm.name}
                  </Link>
                  <span className="adm-row__meta">
                    {regionName(tm.regionId)} · {t('admin.teams.members', { count: tm.memberCount })}
                    {tm.archived && <> · <span className="adm-badge">{t('admin.archive.badge')}</span></>}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </QueryView>
      <NewTeamForm defaultRegion={region} />
    </section>
  );
}

function NewTeamForm({ defaultRegion }: { defaultRegion: string }) {
  const { t } = useTranslation();
  const regions = useRegions();
  const create = useCreateTeam();
  const createErrors = useFieldErrors(create.error);
  const fid = useFieldIds();
  const navigate = useNavigate();
  const [id, setId] = useState('');
  const [idTouched, setIdTouched] = useState(false);
  const [name, setName] = useState('');
  const [regionId, setRegionId] = useState(defaultRegion);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (create.isPending) return;
    create.mutate(
      { id: id.trim(), name, regionId, workingArea: [], description: '', contact: { phone: '', email: '' } },
      { onSuccess: (team) => void navigate(adminPaths.team(team.id)) },
    );
  };
  return (
    <form className="panel stack adm-form" onSubmit={onSubmit} noValidate aria-labelledby="adm-new-team" data-testid="admin-new-team">
      <h3 id="adm-new-team">{t('admin.teams.new')}</h3>
      <ProblemSummary error={create.error} errors={createErrors} fields={['name', 'id', 'regionId']} idOf={fid} />
      <Field label={t('admin.teams.name')} id={fid('name')} name="name" error={createErrors.of('name')}>
        {(p) => <input {...p} className="input" value={name} onChange={(e) => {
              setName(e.target.value);
              if (!idTouched) setId(slugify(e.target.value));
            }} data-testid="new-team-name" />}
      </Field>
      <Field label={t('admin.teams.id')} id={fid('id')} name="id" error={createErrors.of('id')} hint={t('admin.teams.idHint')}>
        {(p) => <input {...p} className="input" value={id} onChange={(e) => {
              setId(e.target.value);
              setIdTouched(true);
            }} data-testid="new-team-id" />}
      </Field>
      <Field label={t('admin.teams.region')} id={fid('regionId')} name="regionId" error={createErrors.of('regionId')}>
        {(p) => (
          <select {...p} className="input" value={regionId} onChange={(e) => setRegionId(e.target.value)} data-testid="new-team-region">
            <option value="">{t('admin.teams.chooseRegion')}</option>
            {regions.data?.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div>
        <button type="submit" className="button button--primary" aria-disabled={create.isPending || undefined} data-testid="new-team-submit">
          {t('admin.teams.create')}
        </button>
      </div>
    </form>
  );
}
