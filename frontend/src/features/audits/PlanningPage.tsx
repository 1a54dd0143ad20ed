import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useCreateRound, useOpenRound, useRound, useRounds, useSetAssignments } from './api';
import { typeLabel } from './format';

/** /audits/planning: the rounds, and a new round with a proposed assignment (planners). */
export function PlanningPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('audits.plan.title'));
  const rounds = useRounds();
  const create = useCreateRound();
  const navigate = useNavigate();
  const [type, setType] = useState('peer');
  const [quarter, setQuarter] = useState('');
  const id = useId();
  return (
    <div className="stack">
      <header className="page-header">
        <p className="card__meta">
          <Link to="/audits">{t('audits.title')}</Link>
        </p>
        <h1>{t('audits.plan.title')}</h1>
        <p className="page-header__intro">{t('audits.plan.intro')}</p>
      </header>
      <form
        className="stack stack--tight audit-plan-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ type, quarter: quarter.trim().toUpperCase() }, { onSuccess: (v) => navigate(`/audits/rondes/${encodeURIComponent(v.id)}`) });
        }}
      >
        <h2>{t('audits.plan.new')}</h2>
        <label htmlFor={`${id}-type`} className="field-label">
          {t('audits.plan.type')}
        </label>
        <select id={`${id}-type`} className="input" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="peer">{typeLabel(t, 'peer')}</option>
          <option value="internal">{typeLabel(t, 'internal')}</option>
        </select>
        <label htmlFor={`${id}-quarter`} className="field-label">
          {t('audits.plan.quarter')}
        </label>
        <input
          id={`${id}-quarter`}
          className="input"
          value={quarter}
          onChange={(e) => setQuarter(e.target.value)}
          placeholder="2027-Q1"
          pattern="[0-9]{4}-[Qq][1-4]"
          aria-describedby={`${id}-quarter-hint`}
          required
        />
        <p id={`${id}-quarter-hint`} className="field-hint">
          {t('audits.plan.quarterHint')}
        </p>
        {create.isError && <ErrorAlert error={create.error} />}
        <div className="audit-buttons">
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            {t('audits.plan.propose')}
          </button>
        </div>
      </form>
      <section aria-labelledby="plan-rounds" className="stack stack--tight">
        <h2 id="plan-rounds">{t('audits.plan.rounds')}</h2>
        {rounds.isPending ? (
          <Loading label={t('audits.loading')} />
        ) : rounds.isError ? (
          <ErrorAlert error={rounds.error} />
        ) : (
          <ul className="audit-links">
            {rounds.data.map((r) => (
              <li key={r.id}>
                <Link to={`/audits/rondes/${encodeURIComponent(r.id)}`} className="arrow-link">
                  {`${r.label} · ${typeLabel(t, r.type)} · ${t(`audits.roundStatus.${r.status}`)}`}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** /audits/rondes/:roundId: adjust the proposal (the rule is checked on every save) and open the round. */
export function RoundPage() {
  const { t } = useTranslation();
  const { roundId = '' } = useParams();
  const q = useRound(roundId);
  useDocumentTitle(q.data ? t('audits.plan.roundTitle', { round: q.data.label, type: typeLabel(t, q.data.type) }) : t('audits.plan.title'));
  if (q.isPending) return <Loading label={t('audits.loading')} />;
  if (q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  return <RoundEditor key={JSON.stringify(q.data.assignments)} round={q.data} />;
}

function RoundEditor({ round }: { round: NonNullable<ReturnType<typeof useRound>['data']> }) {
  const { t } = useTranslation();
  const save = useSetAssignments(round.id);
  const open = useOpenRound(round.id);
  const [draft, setDraft] = useState(() => round.assignments.map((a) => ({ teamId: a.teamId, auditorId: a.auditorId })));
  const planning = round.status === 'planning';
  const changed = draft.some((d, i) => d.auditorId !== round.assignments[i]?.auditorId);
  const teamName = (id: string) => round.assignments.find((a) => a.teamId === id)?.teamName ?? id;
  // A refused save names the broken rule per assignment: shown in Dutch beside the row.
  const refused = new Map<number, string>();
  if (save.isError && isApiError(save.error) && save.error.status === 422) {
    for (const fe of save.error.errors) {
      const m = /^assignments\[(\d+)\]/.exec(fe.field);
      const rule = typeof fe.params?.rule === 'string' ? fe.params.rule : '';
      if (m) refused.set(Number(m[1]), rule);
    }
  }
  const loads = round.auditors.map((a) => a.load);
  return (
    <div className="stack">
      <header className="page-header">
        <p className="card__meta">
          <Link to="/audits/planning">{t('audits.plan.title')}</Link>
        </p>
        <h1>{t('audits.plan.roundTitle', { round: round.label, type: typeLabel(t, round.type) })}</h1>
        <p className="page-header__intro">
          {t(`audits.roundStatus.${round.status}`)} · {t('audits.report.ofTotal', { n: round.progress.finished, total: round.progress.audits })}
        </p>
      </header>
      {round.violations.length > 0 && (
        <div className="callout callout--error" role="alert">
          <p className="callout__title">{t('audits.plan.violations')}</p>
          <ul>
            {round.violations.map((v) => (
              <li key={`${v.teamId}-${v.rule}`}>{`${teamName(v.teamId)}: ${t(`audits.rule.${v.rule}`, { defaultValue: v.message })}`}</li>
            ))}
          </ul>
        </div>
      )}
      {round.warnings.length > 0 && (
        <div className="callout callout--warning" data-testid="round-warnings">
          <div>
            <p className="callout__title">{t('audits.plan.warnings')}</p>
            <ul>
              {round.warnings.map((w, i) => (
                <li key={i}>
                  {w.rule === 'imbalance'
                    ? t('audits.rule.imbalance', { min: Math.min(...loads), max: Math.max(...loads) })
                    : `${teamName(w.teamId ?? '')}: ${t(`audits.rule.${w.rule}`, { defaultValue: w.message })}`}
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
      {save.isError && refused.size === 0 && <ErrorAlert error={save.error} title={t('audits.plan.refused')} />}
      {refused.size > 0 && (
        <p className="callout callout--error" role="alert">
          {t('audits.plan.refusedRows', { count: refused.size })}
        </p>
      )}
      <div className="table-scroll" role="region" aria-label={t('audits.plan.assignment')} tabIndex={0}>
        <table className="data-table" data-testid="round-assignments">
          <caption>{t('audits.plan.assignment')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audits.region.team')}</th>
              <th scope="col">{t('audits.audit.region')}</th>
              <th scope="col">{t('audits.audit.auditor')}</th>
            </tr>
          </thead>
          <tbody>
            {round.assignments.map((a, i) => (
              <tr key={a.teamId}>
                <th scope="row">{a.teamName}</th>
                <td>{a.regionName}</td>
                <td>
                  {planning ? (
                    <select
                      className="input"
                      aria-label={t('audits.plan.auditorFor', { team: a.teamName })}
                      value={draft[i]?.auditorId ?? ''}
                      onChange={(e) => setDraft(draft.map((d, j) => (j === i ? { ...d, auditorId: e.target.value } : d)))}
                    >
                      <option value="">{t('audits.plan.nobody')}</option>
                      {round.auditors.map((c) => (
                        <option key={c.userId} value={c.userId}>
                          {t('audits.plan.auditorOption', { name: c.name, load: c.load })}
                        </option>
                      ))}
                    </select>
                  ) : null}
                  {planning && refused.has(i) && (
                    <p className="audit-error" data-testid="assignment-error">
                      {t(`audits.rule.${refused.get(i) ?? ''}`, { defaultValue: refused.get(i) ?? '' })}
                    </p>
                  )}
                  {!planning &&
                    (a.auditId ? <Link to={`/audits/${encodeURIComponent(a.auditId)}`}>{a.auditorName}</Link> : a.auditorName)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {planning && (
        <div className="audit-buttons">
          <button type="button" className="button button--secondary" disabled={!changed || save.isPending} onClick={() => save.mutate(draft)}>
            {t('audits.plan.save')}
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={changed || round.violations.length > 0 || open.isPending}
            onClick={() => open.mutate()}
          >
            {t('audits.plan.open')}
          </button>
        </div>
      )}
      {open.isError && <ErrorAlert error={open.error} />}
    </div>
  );
}
