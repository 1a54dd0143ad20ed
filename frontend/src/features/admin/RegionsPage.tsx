import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { RegionSummary } from '../../api/types';
import { useRegions } from '../org/api';
import { adminPaths } from './access';
import { useCreateRegion, useRenameRegion } from './api';
import { Field, ProblemSummary, useFieldErrors, useFieldIds } from '../../components/form';
import { slugify } from './text';
import { QueryView } from '../../components/QueryView';

/** /beheer/regios: the regions, renamed in place; a new region. */
export function RegionsPage() {
  const { t } = useTranslation();
  const regions = useRegions();
  return (
    <section className="stack" aria-labelledby="adm-regions-title">
      <h2 id="adm-regions-title">{t('admin.regions.title')}</h2>
      <QueryView query={regions} loading={t('status.loading')}>
        {(data) => (
          <ul className="adm-list" data-testid="admin-region-list">
            {data.map((r) => (
              <RegionRow key={r.id} region={r} />
            ))}
          </ul>
        )}
      </QueryView>
      <NewRegionForm />
    </section>
  );
}

function RegionRow({ region }: { region: RegionSummary }) {
  const { t } = useTranslation();
  const rename = useRenameRegion();
  const renameErrors = useFieldErrors(rename.error);
  const fid = useFieldIds();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(region.name);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!rename.isPending) rename.mutate({ id: region.id, name }, { onSuccess: () => setEditing(false) });
  };
  return (
    <li className="adm-row" data-testid={`region-${region.id}`}>
      {editing ? (
        <form onSubmit={onSubmit} noValidate className="stack stack--tight">
          <ProblemSummary error={rename.error} errors={renameErrors} fields={['name']} idOf={fid} />
          <Field label={t('admin.regions.newName', { name: region.name })} id={fid('name')} name="name" error={renameErrors.of('name')}>
            {(p) => <input {...p} className="input" value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <div className="adm-actions">
            <button type="submit" className="button button--primary" aria-disabled={rename.isPending || undefined}>
              {t('admin.save')}
            </button>
            <button
              type="button"
              className="button button--quiet"
              onClick={() => {
                setEditing(false);
                setName(region.name);
                rename.reset();
              }}
            >
              {t('admin.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="adm-row--inline">
          <span>
            <span className="adm-row__title">{region.name}</span>{' '}
            <Link className="adm-row__meta" to={`${adminPaths.teams}?regio=${encodeURIComponent(region.id)}`}>
              {t('admin.teams.count', { count: region.teamCount })}
            </Link>
          </span>
          <button type="button" className="button button--quiet" onClick={() => setEditing(true)}>
            {t('admin.regions.rename', { name: region.name })}
          </button>
        </div>
      )}
    </li>
  );
}

function NewRegionForm() {
  const { t } = useTranslation();
  const create = useCreateRegion();
  const createErrors = useFieldErrors(create.error);
  const fid = useFieldIds();
  const [id, setId] = useState('');
  const [idTouched, setIdTouched] = useState(false);
  const [name, setName] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (create.isPending) return;
    create.mutate(
      { id: id.trim(), name },
      {
        onSuccess: () => {
          setId('');
          setName('');
          setIdTouched(false);
        },
      },
    );
  };
  return (
    <form className="panel stack adm-form" onSubmit={onSubmit} noValidate aria-labelledby="adm-new-region" data-testid="admin-new-region">
      <h3 id="adm-new-region">{t('admin.regions.new')}</h3>
      <ProblemSummary error={create.error} errors={createErrors} fields={['name', 'id']} idOf={fid} />
      <Field label={t('admin.regions.name')} id={fid('name')} name="name" error={createErrors.of('name')}>
        {(p) => (
          <input
            {...p}
            className="input"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (!idTouched) setId(slugify(e.target.value));
            }}
            data-testid="new-region-name"
          />
        )}
      </Field>
      <Field label={t('admin.teams.id')} id={fid('id')} name="id" error={createErrors.of('id')} hint={t('admin.regions.idHint')}>
        {(p) => (
          <input
            {...p}
            className="input"
            value={id}
            onChange={(e) => {
              setId(e.target.value);
              setIdTouched(true);
            }}
            data-testid="new-region-id"
          />
        )}
      </Field>
      {create.isSuccess && (
        <p role="status" className="adm-saved">
          {t('admin.regions.created')}
        </p>
      )}
      <div>
        <button type="submit" className="button button--primary" aria-disabled={create.isPending || undefined} data-testid="new-region-submit">
          {t('admin.regions.create')}
        </button>
      </div>
    </form>
  );
}
