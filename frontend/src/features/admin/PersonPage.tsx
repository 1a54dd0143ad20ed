import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ROLE_KEYS } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { roleLabel, teamRoleLabel } from '../../lib/labels';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useCurrentUser } from '../session/api';
import { adminPaths } from './access';
import { useAdminUser, useEndSessions, useSetActive, useSetRoles } from './api';
import { FieldError, ProblemSummary, useFieldErrors } from '../../components/form';
import type { AdminUser } from './types';

/** /beheer/mensen/:userId: one person's teams, roles, activation and sessions. */
export function PersonPage() {
  const { t } = useTranslation();
  const { userId = '' } = useParams();
  const person = useAdminUser(userId);
  useDocumentTitle(person.data ? `${person.data.name} – ${t('admin.title')}` : t('admin.title'));
  if (person.isPending) return <Loading label={t('status.loading')} />;
  if (person.isError) return <ErrorAlert error={person.error} onRetry={() => void person.refetch()} />;
  const u = person.data;
  return (
    <div className="stack" data-testid="admin-person">
      <p>
        <Link to={adminPaths.people} className="arrow-link">
          {t('admin.person.back')}
        </Link>
      </p>
      <h2>
        {u.name} {!u.active && <span className="badge adm-badge--off">{t('admin.people.inactive')}</span>}
      </h2>
      <p className="muted">{u.email}</p>
      <div className="adm-columns">
        <RolesForm key={u.roles.join() + u.deniedRoles.join()} user={u} />
        <div className="stack">
          <section className="panel stack" aria-labelledby="adm-person-teams">
            <h3 id="adm-person-teams">{t('admin.person.teams')}</h3>
            {u.teams && u.teams.length > 0 ? (
              <ul className="adm-list" data-testid="person-teams">
                {u.teams.map((tm) => (
                  <li key={tm.id} className="adm-row">
                    <Link to={adminPaths.team(tm.id)} className="adm-row__title">
                      {tm.name}
                    </Link>
                    <span className="adm-row__meta">
                      {tm.teamRoles.map((r) => teamRoleLabel(t, r)).join(', ') || t('admin.person.noTeamRoles')}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">{t('admin.person.noTeams')}</p>
            )}
          </section>
          <Account user={u} />
        </div>
      </div>
    </div>
  );
}

/**
 * The roles: each a checkbox with where it comes from. A role the identity
 * provider claims (its groups) shows that source; unticking it denies it in
 * Plein, whatever the provider says, until it is given back.
 */
function RolesForm({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const set = useSetRoles(user.id);
  const [roles, setRoles] = useState(user.roles);
  useEffect(() => setRoles(user.roles), [user.roles]);
  const dirty = [...roles].sort().join() !== [...user.roles].sort().join();
  const rolesError = useFieldErrors(set.error).of('roles');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!set.isPending) set.mutate(roles);
  };
  const source = (r: string) => {
    if (user.claimRoles.includes(r) && user.deniedRoles.includes(r)) return t('admin.person.source.denied');
    if (user.claimRoles.includes(r)) return t('admin.person.source.claims');
    if (user.assignedRoles.includes(r)) return t('admin.person.source.plein');
    return '';
  };
  return (
    <form className="panel stack adm-form" onSubmit={onSubmit} noValidate data-testid="person-roles">
      <ProblemSummary error={set.error} />
      <fieldset className="adm-fieldset" aria-describedby={rolesError ? 'adm-roles-error' : 'adm-roles-hint'}>
        <legend>
          <h3>{t('admin.person.roles')}</h3>
        </legend>
        <p className="field-hint" id="adm-roles-hint">
          {t('admin.person.rolesHint')}
        </p>
        <ul className="adm-checklist">
          {ROLE_KEYS.map((r) => (
            <li key={r}>
              <label className="adm-check">
                <input
                  type="checkbox"
                  checked={roles.includes(r)}
                  onChange={(e) => setRoles((cur) => (e.target.checked ? [...cur, r] : cur.filter((x) => x !== r)))}
                  data-testid={`role-${r}`}
                />
                <span>
                  {roleLabel(t, r)}
                  {source(r) && <span className="adm-source small"> · {source(r)}</span>}
                </span>
              </label>
            </li>
          ))}
        </ul>
        <FieldError id="adm-roles-error" message={rolesError} />
      </fieldset>
      {user.id === me.id && <p className="field-hint">{t('admin.person.ownAdmin')}</p>}
      {set.isSuccess && !dirty && (
        <p role="status" className="adm-saved">
          {t('admin.saved')}
        </p>
      )}
      <div>
        <button type="submit" className="button button--primary" disabled={!dirty} aria-disabled={set.isPending || undefined} data-testid="roles-save">
          {t('admin.person.saveRoles')}
        </button>
      </div>
    </form>
  );
}

function Account({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const active = useSetActive(user.id);
  const end = useEndSessions(user.id);
  const self = user.id === me.id;
  return (
    <section className="panel stack" aria-labelledby="adm-account">
      <h3 id="adm-account">{t('admin.person.account')}</h3>
      <p>{user.active ? t('admin.person.isActive') : t('admin.person.isInactive')}</p>
      {!self && (
        <div>
          <button
            type="button"
            className="button button--secondary"
            aria-disabled={active.isPending || undefined}
            onClick={() => {
              if (active.isPending) return;
              if (user.active && !window.confirm(t('admin.person.deactivateConfirm', { name: user.name }))) return;
              active.mutate(!user.active);
            }}
            data-testid="person-active"
          >
            {user.active ? t('admin.person.deactivate') : t('admin.person.reactivate')}
          </button>
        </div>
      )}
      <ProblemSummary error={active.error} />
      {!self && (
        <>
          <p className="field-hint">{t('admin.person.endSessionsHint')}</p>
          <div>
            <button
              type="button"
              className="button button--secondary"
              aria-disabled={end.isPending || undefined}
              onClick={() => {
                if (!end.isPending) end.mutate();
              }}
              data-testid="person-end-sessions"
            >
              {t('admin.person.endSessions')}
            </button>
          </div>
        </>
      )}
      {end.isSuccess && (
        <p role="status" className="adm-saved">
          {t('admin.person.sessionsEnded')}
        </p>
      )}
      <ProblemSummary error={end.error} />
    </section>
  );
}
