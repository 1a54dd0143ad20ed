import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { TEAM_ROLE_KEYS, type TeamDetail, type TeamMember } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { isIdentifierSuspected, useIdentifierWarning } from '../../components/IdentifierWarning';
import { Loading } from '../../components/Loading';
import { teamRoleLabel } from '../../lib/labels';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useRegions, useTeam } from '../org/api';
import { adminPaths } from './access';
import { useAdminUsers, useRemoveMember, useSetArchived, useSetMember, useUpdateTeam } from './api';
import { Field, ProblemSummary, useFieldErrors, useFieldIds } from '../../components/form';
import { useDebounced } from './useDebounced';

/** /beheer/teams/:teamId: a team's profile, its members and their taakrollen. */
export function TeamAdminPage() {
  const { t } = useTranslation();
  const { teamId = '' } = useParams();
  const team = useTeam(teamId);
  useDocumentTitle(team.data ? `${team.data.name} – ${t('admin.title')}` : t('admin.title'));
  if (team.isPending) return <Loading label={t('status.loading')} />;
  if (team.isError) return <ErrorAlert error={team.error} onRetry={() => void team.refetch()} />;
  return (
    <div className="stack" data-testid="admin-team">
      <p>
        <Link to={adminPaths.teams} className="arrow-link">
          {t('admin.team.back')}
        </Link>
      </p>
      <h2>{team.data.name}</h2>
      <p className="muted">
        <Link to={`/teams/${encodeURIComponent(team.data.id)}`}>{t('admin.team.open')}</Link>
      </p>
      {team.data.archivedAt ? (
        <ArchivePanel team={team.data} />
      ) : (
        <>
          <div className="adm-columns">
            <ProfileForm key={team.data.updatedAt} team={team.data} />
            <Members team={team.data} />
          </div>
          <ArchivePanel team={team.data} />
        </>
      )}
    </div>
  );
}

/**
 * Archive a team that stopped (merged or ended), or restore it. Members
 * without another team must be moved first (the server says so: 409
 * team_has_members); the others leave with the archive.
 */
function ArchivePanel({ team }: { team: TeamDetail }) {
  const { t, i18n } = useTranslation();
  const set = useSetArchived(team.id);
  const [confirming, setConfirming] = useState(false);
  const archived = !!team.archivedAt;
  const date = archived ? new Date(team.archivedAt!).toLocaleDateString(i18n.language, { dateStyle: 'long' }) : '';
  return (
    <section className="panel stack adm-form" aria-labelledby="adm-archive" data-testid="admin-team-archive">
      <h3 id="adm-archive">{archived ? t('admin.archive.archivedTitle') : t('admin.archive.title')}</h3>
      <p className="field-hint">{archived ? t('admin.archive.archivedHint', { date }) : t('admin.archive.hint')}</p>
      {set.isError && <ErrorAlert error={set.error} />}
      {archived ? (
        <div>
          <button type="button" className="button button--secondary" onClick={() => set.mutate(false)} aria-disabled={set.isPending || undefined} data-testid="team-unarchive">
            {t('admin.archive.restore')}
          </button>
        </div>
      ) : confirming ? (
        <div className="stack">
          <p role="alert">{t('admin.archive.confirm', { name: team.name })}</p>
          <div className="sp-form-buttons">
            <button type="button" className="button button--primary" onClick={() => set.mutate(true, { onSettled: () => setConfirming(false) })} aria-disabled={set.isPending || undefined} data-testid="team-archive-confirm">
              {t('admin.archive.confirmButton')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
              {t('admin.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div>
          <button type="button" className="button button--secondary" onClick={() => setConfirming(true)} data-testid="team-archive">
            {t('admin.archive.archive')}
          </button>
        </div>
      )}
    </section>
  );
}

/** The profile form's fields, top to bottom (the order of its error summary). */
const PROFILE_FIELDS = ['name', 'regionId', 'description', 'workingArea', 'phone', 'email'];

function ProfileForm({ team }: { team: TeamDetail }) {
  const { t } = useTranslation();
  const regions = useRegions();
  const update = useUpdateTeam(team.id);
  const updateErrors = useFieldErrors(update.error);
  const fid = useFieldIds();
  const [name, setName] = useState(team.name);
  const [regionId, setRegionId] = useState(team.regionId);
  const [description, setDescription] = useState(team.description);
  const [area, setArea] = useState(team.workingArea.join(', '));
  const [phone, setPhone] = useState(team.contact.phone ?? '');
  const [email, setEmail] = useState(team.contact.email ?? '');
  const descriptionRef = useRef<HTMLTextAreaElement>(null);
  const warning = useIdentifierWarning(descriptionRef);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    send(false);
  };
  const send = (acknowledgeIdentifiers: boolean) => {
    if (update.isPending) return;
    const workingArea = area
      .split(/[,\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
    update.mutate(
      { name, regionId, description, workingArea, contact: { phone, email }, ...(acknowledgeIdentifiers ? { acknowledgeIdentifiers } : {}) },
      { onError: (error) => warning.held(error, () => send(true)) },
    );
  };
  return (
    <form className="panel stack adm-form" onSubmit={onSubmit} noValidate aria-labelledby="adm-profile" data-testid="admin-team-profile">
      <h3 id="adm-profile">{t('admin.team.profile')}</h3>
      <p className="field-hint">{t('admin.team.profileHint')}</p>
      {!isIdentifierSuspected(update.error) && (
        <ProblemSummary error={update.error} errors={updateErrors} fields={PROFILE_FIELDS} idOf={fid} />
      )}
      <Field label={t('admin.teams.name')} id={fid('name')} name="name" error={updateErrors.of('name')}>
        {(p) => <input {...p} className="input" value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label={t('admin.teams.region')} id={fid('regionId')} name="regionId" error={updateErrors.of('regionId')}>
        {(p) => (
          <select {...p} className="input" value={regionId} onChange={(e) => setRegionId(e.target.value)}>
            {regions.data?.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('admin.team.description')} id={fid('description')} name="description" error={updateErrors.of('description')}>
        {(p) => <textarea {...p} ref={descriptionRef} className="input" rows={4} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <Field label={t('admin.team.workingArea')} id={fid('workingArea')} name="workingArea" error={updateErrors.of('workingArea')} hint={t('admin.team.workingAreaHint')}>
        {(p) => <input {...p} className="input" value={area} onChange={(e) => setArea(e.target.value)} />}
      </Field>
      <Field label={t('admin.team.phone')} id={fid('phone')} name="phone" error={updateErrors.of('phone')}>
        {(p) => <input {...p} className="input" type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />}
      </Field>
      <Field label={t('admin.team.email')} id={fid('email')} name="email" error={updateErrors.of('email')}>
        {(p) => <input {...p} className="input" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      {warning.dialog}
      {update.isSuccess && (
        <p role="status" className="adm-saved">
          {t('admin.saved')}
        </p>
      )}
      <div>
        <button type="submit" className="button button--primary" aria-disabled={update.isPending || undefined} data-testid="team-profile-save">
          {t('admin.save')}
        </button>
      </div>
    </form>
  );
}

function Members({ team }: { team: TeamDetail }) {
  const { t } = useTranslation();
  return (
    <section className="panel stack" aria-labelledby="adm-members">
      <h3 id="adm-members">{t('admin.team.members')}</h3>
      {team.members.length === 0 ? (
        <p className="muted">{t('admin.team.noMembers')}</p>
      ) : (
        <ul className="adm-list" data-testid="admin-members">
          {team.members.map((m) => (
            <MemberRow key={m.userId} teamId={team.id} member={m} />
          ))}
        </ul>
      )}
      <AddMember team={team} />
    </section>
  );
}

function MemberRow({ teamId, member }: { teamId: string; member: TeamMember }) {
  const { t } = useTranslation();
  const id = useId();
  const set = useSetMember(teamId);
  const remove = useRemoveMember(teamId);
  const [roles, setRoles] = useState(member.teamRoles);
  useEffect(() => setRoles(member.teamRoles), [member.teamRoles]);
  const dirty = [...roles].sort().join() !== [...member.teamRoles].sort().join();
  const fromIdp = member.source === 'claims';
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!set.isPending) set.mutate({ userId: member.userId, teamRoles: roles });
  };
  return (
    <li className="adm-row" data-testid={`member-${member.userId}`}>
      <form onSubmit={onSubmit} className="stack stack--tight">
        <ProblemSummary error={set.error ?? remove.error} />
        <fieldset className="adm-fieldset">
          <legend className="adm-row__title">
            <Link to={adminPaths.person(member.userId)}>{member.name}</Link>
            {fromIdp && <span className="adm-source small"> · {t('admin.team.fromIdp')}</span>}
          </legend>
          {fromIdp && <p className="field-hint">{t('admin.team.fromIdpHint')}</p>}
          <p className="field-hint" id={`${id}-hint`}>
            {t('admin.team.teamRolesOf', { name: member.name })}
          </p>
          <div className="adm-checks">
            {TEAM_ROLE_KEYS.map((r) => (
              <label key={r} className="adm-check">
                <input
                  type="checkbox"
                  checked={roles.includes(r)}
                  onChange={(e) => setRoles((cur) => (e.target.checked ? [...cur, r] : cur.filter((x) => x !== r)))}
                  data-testid={`teamrole-${r}`}
                />
                {teamRoleLabel(t, r)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="adm-actions">
          <button type="submit" className="button button--secondary" disabled={!dirty} aria-disabled={set.isPending || undefined} data-testid="teamroles-save">
            {t('admin.team.saveTeamRoles')}
          </button>
          {!fromIdp && (
            <button
              type="button"
              className="button button--quiet"
              aria-disabled={remove.isPending || undefined}
              onClick={() => {
                if (!remove.isPending && window.confirm(t('admin.team.removeConfirm', { name: member.name }))) remove.mutate(member.userId);
              }}
              data-testid="member-remove"
            >
              {t('admin.team.remove', { name: member.name })}
            </button>
          )}
        </div>
      </form>
    </li>
  );
}

/** The people picker: search by name or e-mail, add with no taakrollen. */
function AddMember({ team }: { team: TeamDetail }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const needle = q.trim();
  const asked = useDebounced(needle);
  const people = useAdminUsers(asked, asked.length >= 2);
  const set = useSetMember(team.id);
  const setErrors = useFieldErrors(set.error);
  const fid = useFieldIds();
  const inTeam = new Set(team.members.map((m) => m.userId));
  const candidates = needle.length >= 2 ? (people.data ?? []).filter((u) => u.active && !inTeam.has(u.id)).slice(0, 10) : [];
  return (
    <div className="stack stack--tight" data-testid="admin-add-member">
      <h4>{t('admin.team.addMember')}</h4>
      <ProblemSummary error={set.error} errors={setErrors} fields={['userId']} idOf={fid} />
      <Field label={t('admin.team.searchPerson')} id={fid('userId')} name="userId" error={setErrors.of('userId')} hint={t('admin.team.searchPersonHint')}>
        {(p) => <input {...p} className="input" type="search" value={q} onChange={(e) => setQ(e.target.value)} data-testid="member-search" />}
      </Field>
      {needle.length >= 2 && (
        <p className="result-count" aria-live="polite">
          {people.isFetching ? t('status.loading') : t('admin.people.found', { count: candidates.length })}
        </p>
      )}
      {candidates.length > 0 && (
        <ul className="adm-list">
          {candidates.map((u) => (
            <li key={u.id} className="adm-row adm-row--inline">
              <span>
                {u.name} <span className="muted small">{u.email}</span>
              </span>
              <button
                type="button"
                className="button button--secondary"
                aria-disabled={set.isPending || undefined}
                onClick={() => {
                  if (!set.isPending) set.mutate({ userId: u.id, teamRoles: [] }, { onSuccess: () => setQ('') });
                }}
                data-testid="member-add"
              >
                {t('admin.team.add', { name: u.name })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
