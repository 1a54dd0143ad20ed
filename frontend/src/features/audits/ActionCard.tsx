import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Field, ProblemSummary, useFieldErrors, useFieldIds } from '../../components/form';
import { teamRoleLabel } from '../../lib/labels';
import { useUpdateAction } from './api';
import { actionStatusLabel, formatDate } from './format';
import type { Action } from './types';

/** One action: what, who, when, its state, and the buttons the actor may use. */
export function ActionCard({ action, showAudit = false }: { action: Action; showAudit?: boolean }) {
  const { t, i18n } = useTranslation();
  const update = useUpdateAction();
  const [mode, setMode] = useState<'none' | 'close' | 'reopen'>('none');
  const [text, setText] = useState('');
  const fid = useFieldIds();
  const errors = useFieldErrors(update.error);
  const owner = action.ownerName || (action.ownerTeamRole ? t('audits.action.ownerRole', { role: teamRoleLabel(t, action.ownerTeamRole) }) : '');
  // The text the form sends: the evidence when closing, the note when reopening.
  const field = mode === 'close' ? 'evidence' : 'note';
  const send = (status: Action['status'], extra: { evidence?: string; note?: string } = {}) =>
    update.mutate({ id: action.id, status, ...extra }, { onSuccess: () => { setMode('none'); setText(''); } });

  return (
    <article className="audit-action" data-testid="audit-action" data-status={action.status} data-action-id={action.id}>
      <header className="audit-action__head">
        <h4 className="audit-action__title">{action.title}</h4>
        <span className={`audit-badge audit-badge--${action.status}`}>{actionStatusLabel(t, action.status)}</span>
        {action.overdue && <span className="audit-badge audit-badge--overdue">{t('audits.action.overdue')}</span>}
      </header>
      <dl className="audit-meta">
        <div>
          <dt>{t('audits.action.owner')}</dt>
          <dd>{owner}</dd>
        </div>
        <div>
          <dt>{t('audits.action.due')}</dt>
          <dd>{formatDate(action.due, i18n.language)}</dd>
        </div>
        {showAudit && (
          <div>
            <dt>{t('audits.action.team')}</dt>
            <dd>
              {action.teamName} · <Link to={`/audits/${encodeURIComponent(action.auditId)}`}>{action.roundLabel}</Link>
            </dd>
          </div>
        )}
      </dl>
      {showAudit && action.criterionText && <p className="audit-action__finding">{action.criterionText}</p>}
      {action.evidence && (
        <p className="audit-action__evidence">
          <strong>{t('audits.action.evidence')}:</strong> {action.evidence}
        </p>
      )}
      {action.reopenNote && (
        <p className="audit-action__evidence">
          <strong>{t('audits.action.reopened')}:</strong> {action.reopenNote}
        </p>
      )}
      {mode === 'none' && <ProblemSummary error={update.error} />}
      {mode !== 'none' ? (
        <form
          className="stack stack--tight"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (update.isPending) return;
            if (mode === 'close') send('closed', { evidence: text });
            else send('open', { note: text });
          }}
        >
          <ProblemSummary error={update.error} errors={errors} fields={[field]} idOf={fid} />
          <Field id={fid(field)} name={field} label={mode === 'close' ? t('audits.action.evidenceLabel') : t('audits.action.reopenLabel')} error={errors.of(field)}>
            {(c) => <textarea {...c} className="input audit-textarea" value={text} onChange={(e) => setText(e.target.value)} required maxLength={2000} />}
          </Field>
          <div className="audit-buttons">
            <button type="submit" className="button button--primary" disabled={update.isPending}>
              {mode === 'close' ? t('audits.action.closeSubmit') : t('audits.action.reopenSubmit')}
            </button>
            <button
              type="button"
              className="button button--quiet"
              onClick={() => {
                setMode('none');
                update.reset();
              }}
            >
              {t('audits.cancel')}
            </button>
          </div>
        </form>
      ) : (
        (action.canWork || action.canConfirm) && (
          <div className="audit-buttons">
            {action.canWork && action.status === 'open' && (
              <button type="button" className="button button--secondary" onClick={() => send('in_progress')} disabled={update.isPending}>
                {t('audits.action.start')}
              </button>
            )}
            {action.canWork && (
              <button type="button" className="button button--primary" onClick={() => setMode('close')}>
                {t('audits.action.close')}
              </button>
            )}
            {action.canConfirm && (
              <>
                <button type="button" className="button button--primary" onClick={() => send('confirmed')} disabled={update.isPending}>
                  {t('audits.action.confirm')}
                </button>
                <button type="button" className="button button--secondary" onClick={() => setMode('reopen')}>
                  {t('audits.action.reopen')}
                </button>
              </>
            )}
          </div>
        )
      )}
    </article>
  );
}
