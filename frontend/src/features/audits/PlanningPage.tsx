import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ErrorSummary, Field, FieldError, fieldErrorsOf, ProblemSummary, useFieldErrors, useFieldIds } from '../../components/form';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useCreateRound, useOpenRound, useRound, useRounds, useSetAssignments } from './api';
import { typeLabel } from './format';
import { TableRegion } from '../../components/TableRegion';
import { PageHeader } from '../../components/PageHeader';

/** /audits/planning: the rounds, and a new round with a proposed assignment (planners). */
export function PlanningPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('audits.plan.title'));
  const rounds = useRounds();
  const create = useCreateRound();
  const navigate = useNavigate();
  const [type, setType] = useState('peer');
  const [quarter, setQuarter] = useState('');
  const errors = useFieldErrors(create.error);
  const fid = useFieldIds();
  return (
    <div className="stack">
      <PageHeader
        title={t('audits.plan.title')}
        intro={t('audits.plan.intro')}
        meta={<Link to="/audits">{t('audits.title')}</Link>}
      />
      <form
        className="stack stack--tight audit-plan-form"
        noValidate
        data-testid="audit-plan-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (create.isPending) return;
          create.mutate({ type, quarter: quarter.trim().toUpperCase() }, { onSuccess: (v) => navigate(`/audits/rondes/${encodeURIComponent(v.id)}`) });
        }}
      >
        <h2>{t('audits.plan.new')}</h2>
        <ProblemSummary error={create.error} errors={errors} fields={['type', 'quarter']} idOf={fid} testId="audit-plan-problem" />
        <Field id={fid('type')} name="type" label={t('audits.plan.type')} error={errors.of('type')}>
          {(c) => (
            <select {...c} className="input" value={type} onChange={(e) => setType(e.target.value)}>
              <option value="peer">{typeLabel(t, 'peer')}</option>
              <option value="internal">{typeLabel(t, 'internal')}</option>
            </select>
          )}
        </Field>
        <Field id={fid('quarter')} name="quarter" label={t('audits.plan.quarter')} hint={t('audits.plan.quarterHint')} error={errors.of('quarter')}>
          {(c) => <input {...c} className="input" value={quarter} onChange={(e) => setQuarter(e.target.value)} placeholder="2027-Q1" required />}
        </Field>
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
  const fid = useFieldIds();
  // A refused save names the broken rule per assignment: shown in Dutch beside the row.
  const refused = new Map<number, string>();
  for (const fe of fieldErrorsOf(save.error)) {
    const m = /^assignments\[(\d+)\]/.exec(fe.field);
    const rule = typeof fe.params?.rule === 'string' ? fe.params.rule : '';
    if (m) refused.set(Number(m[1]), t(`audits.rule.${rule}`, { defaultValue: rule }));
  }
  const loads = round.auditors.map((a) => a.load);
  return (
    <div className="stack">
      <PageHeader
        title={t('audits.plan.roundTitle', { round: round.label, type: typeLabel(t, round.type) })}
        meta={<Link to="/audits/planning">{t('audits.plan.title')}</Link>}
      >
        <p className="page-header__intro">
          {t(`audits.roundStatus.${round.status}`)} · {t('audits.report.ofTotal', { n: round.progress.finished, total: round.progress.audits })}
        </p>
      </PageHeader>
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
      {refused.size > 0 ? (
        <ErrorSummary
          title={t('audits.plan.refusedRows', { count: refused.size })}
          items={[...refused].map(([i, rule]) => ({
            message: `${round.assignments[i]?.teamName ?? ''}: ${rule}`,
            target: fid(`assignment-${i}`),
          }))}
          focusKey={save.error}
          testId="round-problem"
        />
      ) : (
        <ProblemSummary error={save.error} title={t('audits.plan.refused')} testId="round-problem" />
      )}
      <TableRegion caption={t('audits.plan.assignment')} className="data-table" data-testid="round-assignments">
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
                    id={fid(`assignment-${i}`)}
                    className="input"
                    aria-label={t('audits.plan.auditorFor', { team: a.teamName })}
                    aria-invalid={refused.has(i) || undefined}
                    aria-describedby={refused.has(i) ? fid(`assignment-${i}-error`) : undefined}
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
                {planning && <FieldError id={fid(`assignment-${i}-error`)} message={refused.get(i)} testId="assignment-error" />}
                {!planning &&
                  (a.auditId ? <Link to={`/audits/${encodeURIComponent(a.auditId)}`}>{a.auditorName}</Link> : a.auditorName)}
              </td>
            </tr>
          ))}
        </tbody>
      </TableRegion>
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
      <ProblemSummary error={open.error} />
    </div>
  );
}
