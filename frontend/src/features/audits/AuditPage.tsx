import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { TEAM_ROLE_KEYS } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, ProblemSummary, useFieldErrors, useFieldIds } from '../../components/form';
import { Loading } from '../../components/Loading';
import { teamRoleLabel } from '../../lib/labels';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useTeam } from '../org/api';
import { ActionCard } from './ActionCard';
import { photoUrl, useAudit, useCreateAction } from './api';
import { auditStatusLabel, formatDate, scoreLabel, typeLabel } from './format';
import { newClientId } from './offline';
import type { Audit, Finding } from './types';
import { TableRegion } from '../../components/TableRegion';
import { PageHeader } from '../../components/PageHeader';

/** /audits/:auditId: an audit with its answers, findings and actions. */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const { auditId = '' } = useParams();
  const q = useAudit(auditId);
  useDocumentTitle(q.data ? t('audits.audit.documentTitle', { team: q.data.teamName, round: q.data.roundLabel }) : t('audits.title'));
  if (q.isPending) return <Loading label={t('audits.loading')} />;
  if (q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const audit = q.data;
  const answers = new Map((audit.answers ?? []).map((a) => [a.criterion, a]));
  return (
    <div className="stack audit-page audit-print">
      <PageHeader
        title={t('audits.audit.heading', { team: audit.teamName })}
        meta={<><Link to="/audits">{t('audits.title')}</Link> · {typeLabel(t, audit.type)} · {audit.roundLabel}</>}
      >
        <dl className="audit-meta">
          <div>
            <dt>{t('audits.audit.region')}</dt>
            <dd>{audit.regionName}</dd>
          </div>
          <div>
            <dt>{t('audits.audit.auditor')}</dt>
            <dd>{audit.auditorName}</dd>
          </div>
          <div>
            <dt>{t('audits.audit.status')}</dt>
            <dd>
              <span className={`audit-badge audit-badge--${audit.status}`} data-testid="audit-status">
                {auditStatusLabel(t, audit.status)}
              </span>
              {audit.finishedAt && ` · ${formatDate(audit.finishedAt, i18n.language)}`}
            </dd>
          </div>
        </dl>
        {audit.can?.conduct && (
          <p>
            <Link to={`/audits/${encodeURIComponent(audit.id)}/uitvoeren`} className="button button--primary">
              {t('audits.audit.conduct')}
            </Link>
          </p>
        )}
        <p className="no-print">
          <button type="button" className="button button--quiet" onClick={() => window.print()}>
            {t('audits.print')}
          </button>
        </p>
      </PageHeader>
      {audit.summary && <p className="audit-summary">{audit.summary}</p>}

      {audit.status === 'finished' && (
        <section aria-labelledby="audit-findings" className="stack stack--tight">
          <h2 id="audit-findings">{t('audits.audit.findings', { count: audit.findingList?.length ?? 0 })}</h2>
          {(audit.findingList ?? []).length === 0 && <p>{t('audits.audit.noFindings')}</p>}
          {(audit.findingList ?? []).map((f) => (
            <FindingCard key={f.id} audit={audit} finding={f} />
          ))}
        </section>
      )}

      <section aria-labelledby="audit-answers" className="stack stack--tight">
        <h2 id="audit-answers">{t('audits.audit.answers')}</h2>
        {(audit.template?.themes ?? []).map((th) => (
          <TableRegion caption={th.name} className="data-table audit-answers">
            <thead>
              <tr>
                <th scope="col">{t('audits.audit.criterion')}</th>
                <th scope="col">{t('audits.audit.score')}</th>
                <th scope="col">{t('audits.audit.note')}</th>
              </tr>
            </thead>
            <tbody>
              {th.criteria.map((c) => {
                const a = answers.get(c.key);
                const photos = (audit.photos ?? []).filter((p) => p.criterion === c.key);
                return (
                  <tr key={c.key}>
                    <th scope="row">{c.text}</th>
                    <td>{a ? <span className={`audit-score-tag audit-score-tag--${a.score}`}>{scoreLabel(t, a.score)}</span> : '–'}</td>
                    <td>
                      {a?.note}
                      {photos.map((p) => (
                        <a key={p.id} href={photoUrl(audit.id, p.id)} className="audit-photo-link" target="_blank" rel="noreferrer">
                          {t('audits.audit.photoLink', { name: p.name })}
                        </a>
                      ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </TableRegion>
        ))}
      </section>
      {(audit.corrections ?? []).length > 0 && (
        <section aria-labelledby="audit-corrections" className="stack stack--tight">
          <h2 id="audit-corrections">{t('audits.audit.corrections')}</h2>
          <ul>
            {audit.corrections?.map((c) => (
              <li key={c.id}>
                {t('audits.audit.correction', { criterion: c.criterion, score: scoreLabel(t, c.score), reason: c.reason })}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function FindingCard({ audit, finding }: { audit: Audit; finding: Finding }) {
  const { t } = useTranslation();
  const actions = (audit.actions ?? []).filter((a) => a.criterion === finding.criterion);
  return (
    <article className="audit-finding" data-testid="audit-finding" data-criterion={finding.criterion}>
      <p className="card__meta">{finding.themeName}</p>
      <h3 className="audit-finding__title">{finding.criterionText}</h3>
      <p>
        <span className={`audit-score-tag audit-score-tag--${finding.score}`}>{scoreLabel(t, finding.score)}</span>
        {finding.corrected && ` · ${t('audits.audit.corrected')}`}
        {finding.note && ` · ${finding.note}`}
      </p>
      {actions.map((a) => (
        <ActionCard key={a.id} action={a} />
      ))}
      {audit.can?.addAction && <AddAction audit={audit} criterion={finding.criterion} />}
    </article>
  );
}

function AddAction({ audit, criterion }: { audit: Audit; criterion: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [ownerKind, setOwnerKind] = useState<'role' | 'person'>('role');
  const [role, setRole] = useState<string>('kwaliteit');
  const [person, setPerson] = useState('');
  const [due, setDue] = useState('');
  const [clientId, setClientId] = useState(newClientId);
  const create = useCreateAction(audit.id);
  const team = useTeam(audit.teamId);
  const id = useId();
  const fid = useFieldIds();
  const errors = useFieldErrors(create.error);
  const ownerField = ownerKind === 'role' ? 'ownerTeamRole' : 'ownerUserId';
  if (!open) {
    return (
      <p className="no-print">
        <button type="button" className="button button--secondary" onClick={() => setOpen(true)}>
          {t('audits.addAction.open')}
        </button>
      </p>
    );
  }
  return (
    <form
      className="audit-add-action stack stack--tight"
      noValidate
      data-testid="audit-add-action"
      onSubmit={(e) => {
        e.preventDefault();
        if (create.isPending) return;
        create.mutate(
          { clientId, criterion, title, due, ...(ownerKind === 'role' ? { ownerTeamRole: role } : { ownerUserId: person }) },
          {
            onSuccess: () => {
              setOpen(false);
              setTitle('');
              setDue('');
              setClientId(newClientId());
            },
          },
        );
      }}
    >
      <ProblemSummary error={create.error} errors={errors} fields={['title', ownerField, 'due']} idOf={fid} />
      <Field id={fid('title')} name="title" label={t('audits.addAction.title')} error={errors.of('title')}>
        {(c) => <input {...c} className="input" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />}
      </Field>
      <fieldset className="audit-owner">
        <legend className="field-label">{t('audits.addAction.owner')}</legend>
        <label>
          <input type="radio" name={`${id}-kind`} checked={ownerKind === 'role'} onChange={() => setOwnerKind('role')} /> {t('audits.addAction.ownerRole')}
        </label>
        <label>
          <input type="radio" name={`${id}-kind`} checked={ownerKind === 'person'} onChange={() => setOwnerKind('person')} /> {t('audits.addAction.ownerPerson')}
        </label>
      </fieldset>
      {ownerKind === 'role' ? (
        <Field id={fid(ownerField)} name={ownerField} label={t('audits.addAction.role')} error={errors.of(ownerField)}>
          {(c) => (
            <select {...c} className="input" value={role} onChange={(e) => setRole(e.target.value)}>
              {TEAM_ROLE_KEYS.map((r) => (
                <option key={r} value={r}>
                  {teamRoleLabel(t, r)}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <Field id={fid(ownerField)} name={ownerField} label={t('audits.addAction.person')} error={errors.of(ownerField)}>
          {(c) => (
            <select {...c} className="input" value={person} onChange={(e) => setPerson(e.target.value)} required>
              <option value="">{t('audits.addAction.choose')}</option>
              {team.data?.members.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field id={fid('due')} name="due" label={t('audits.addAction.due')} error={errors.of('due')}>
        {(c) => <input {...c} type="date" className="input" value={due} onChange={(e) => setDue(e.target.value)} required />}
      </Field>
      <div className="audit-buttons">
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {t('audits.addAction.submit')}
        </button>
        <button type="button" className="button button--quiet" onClick={() => setOpen(false)}>
          {t('audits.cancel')}
        </button>
      </div>
    </form>
  );
}
