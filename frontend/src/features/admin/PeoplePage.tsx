import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { roleLabel } from '../../lib/labels';
import { adminPaths } from './access';
import { useAdminUsers } from './api';
import { useDebounced } from './useDebounced';
import { QueryView } from '../../components/QueryView';

/** /beheer/mensen: people by name or e-mail, with their roles and teams. */
export function PeoplePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('zoek') ?? '';
  const people = useAdminUsers(useDebounced(q.trim()));
  return (
    <section className="stack" aria-labelledby="adm-people-title">
      <h2 id="adm-people-title">{t('admin.people.title')}</h2>
      <div className="adm-filters" role="search">
        <div className="adm-field">
          <label className="field-label" htmlFor="adm-people-q">
            {t('admin.people.search')}
          </label>
          <input
            id="adm-people-q"
            className="input"
            type="search"
            value={q}
            onChange={(e) =>
              setParams(
                (p) => {
                  if (e.target.value) p.set('zoek', e.target.value);
                  else p.delete('zoek');
                  return p;
                },
                { replace: true },
              )
            }
            data-testid="people-search"
          />
        </div>
      </div>
      <QueryView query={people} loading={t('status.loading')}>
        {(data) => (
          <>
            <p className="result-count" aria-live="polite">
              {t('admin.people.found', { count: data.length })}
            </p>
            <ul className="adm-list" data-testid="admin-people-list">
              {data.map((u) => (
                <li key={u.id} className="adm-row">
                  <Link to={adminPaths.person(u.id)} className="adm-row__title">
                    {u.name}
                  </Link>
                  {!u.active && <span className="badge adm-badge--off">{t('admin.people.inactive')}</span>}
                  <span className="adm-row__meta">{u.email}</span>
                  <span className="adm-row__meta">
                    {u.roles.map((r) => roleLabel(t, r)).join(', ') || t('admin.people.noRoles')}
                    {u.teams && u.teams.length > 0 && <> · {u.teams.map((tm) => tm.name).join(', ')}</>}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </QueryView>
    </section>
  );
}
