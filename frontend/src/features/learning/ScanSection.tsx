import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, ProblemSummary, useFieldErrors, useFieldIds } from '../../components/form';
import { useQuestions, useScanActions } from './api';
import { formatDate, formatNumber, phaseKey } from './format';
import { themeTitle } from './themes';
import type { Scan, TeamLearning } from './types';

/** The team's scans: the open one (answer, or for the coach: observe and close) and the history. */
export function ScanSection({ v }: { v: TeamLearning }) {
  const { t } = useTranslation();
  const actions = useScanActions(v.team.id);
  const scans = [...v.scans].reverse();
  const open = scans.find((s) => s.open);
  return (
    <section aria-labelledby="ln-scans" className="stack stack--tight" data-testid="scan-section">
      <h2 id="ln-scans">{t('learning.scan.title')}</h2>
      {open && <OpenScan s={open} teamId={v.team.id} />}
      {!open && v.canManage && (
        <p>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => actions.open.mutate(v.scans.length === 0 ? 'start' : 'quarter')}
            disabled={actions.open.isPending}
            data-testid="scan-open"
          >
            {t('learning.scan.open')}
          </button>
        </p>
      )}
      {actions.open.isError && <ErrorAlert error={actions.open.error} />}
      <h3 className="ln-h4">{t('learning.scan.history')}</h3>
      {scans.filter((s) => !s.open).length === 0 && <p>{t('learning.scan.none')}</p>}
      <ul className="ln-scans">
        {scans
          .filter((s) => !s.open)
          .slice(0, 4)
          .map((s) => (
            <li key={s.id}>
              <ClosedScan s={s} />
            </li>
          ))}
      </ul>
    </section>
  );
}

function OpenScan({ s, teamId }: { s: Scan; teamId: string }) {
  const { t } = useTranslation();
  const actions = useScanActions(teamId);
  const [obs, setObs] = useState(s.observation);
  const [phase, setPhase] = useState(s.observedPhase);
  const scanErrors = useFieldErrors([actions.observe.error, actions.close.error]);
  const fid = useFieldIds();
  return (
    <div className="card stack stack--tight" data-testid="scan-open-card">
      <h3 className="card__title">
        {t(`learning.scan.kind.${s.kind}`)} · {t('learning.scan.openedOn', { date: formatDate(s.openedAt) })}
      </h3>
      <p data-testid="scan-respondents">{t('learning.scan.respondents', { count: s.respondents })}</p>
      {s.canAnswer && (
        <p>
          <Link className="button button--primary" to={`/leren/team/${encodeURIComponent(teamId)}/scan`} data-testid="scan-fill">
            {t('learning.scan.fill')}
          </Link>
        </p>
      )}
      {s.answeredByMe && <p>{t('learning.scan.answered')}</p>}
      {s.canManage && (
        <form
          className="stack stack--tight"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!actions.observe.isPending) actions.observe.mutate({ id: s.id, observation: obs, phase });
          }}
        >
          <ProblemSummary error={[actions.observe.error, actions.close.error]} errors={scanErrors} fields={['observation', 'phase']} idOf={fid} />
          <Field className="ln-field" id={fid('observation')} name="observation" label={t('learning.scan.observation')} error={scanErrors.of('observation')}>
            {(c) => <textarea {...c} className="input" rows={3} value={obs} onChange={(e) => setObs(e.target.value)} />}
          </Field>
          <Field className="ln-field" id={fid('phase')} name="phase" label={t('learning.scan.observedPhase')} error={scanErrors.of('phase')}>
            {(c) => (
              <select {...c} className="input" value={phase} onChange={(e) => setPhase(Number(e.target.value))}>
                {[0, 1, 2, 3, 4].map((n) => (
                  <option key={n} value={n}>
                    {n === 0 ? '–' : `${n} · ${t(`learning.phase.${phaseKey(n)}`)}`}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <p className="ln-actions">
            <button type="submit" className="button button--secondary" disabled={actions.observe.isPending}>
              {t('learning.scan.saveObservation')}
            </button>
            <button
              type="button"
              className="button button--primary"
              data-testid="scan-close"
              onClick={() => {
                if (window.confirm(t('learning.scan.closeConfirm'))) actions.close.mutate(s.id);
              }}
            >
              {t('learning.scan.close')}
            </button>
          </p>
        </form>
      )}
    </div>
  );
}

function ClosedScan({ s }: { s: Scan }) {
  const { t } = useTranslation();
  const q = useQuestions();
  const title = (key: string) => themeTitle(t, key, q.data?.themes.find((th) => th.key === key)?.title ?? key);
  return (
    <div className="card stack stack--tight" data-testid="scan-closed" data-has-profile={s.profile ? 'true' : 'false'}>
      <h4 className="card__title">
        {t(`learning.scan.kind.${s.kind}`)} · {s.closedAt && t('learning.scan.closedOn', { date: formatDate(s.closedAt) })}
      </h4>
      <p>
        {t('learning.phaseLabel')}: <strong>{t(`learning.phase.${phaseKey(s.phase)}`)}</strong> ·{' '}
        {t('learning.scan.respondents', { count: s.respondents })}
      </p>
      {s.profile ? (
        <div className="table-scroll">
          <table className="data-table data-table--compact" data-testid="scan-profile">
            <caption className="visually-hidden">{t('learning.scan.profile')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('learning.scan.theme')}</th>
                <th scope="col">{t('learning.team.score')}</th>
              </tr>
            </thead>
            <tbody>
              {themeOrder(s.profile.themes, q.data?.themes.map((th) => th.key)).map(([k, val]) => (
                <tr key={k}>
                  <th scope="row">{title(k)}</th>
                  <td>
                    <span className="ln-bar" aria-hidden="true">
                      <span style={{ width: `${(val / 4) * 100}%` }} />
                    </span>{' '}
                    {formatNumber(val)}
                  </td>
                </tr>
              ))}
              <tr>
                <th scope="row">{t('learning.scan.mean')}</th>
                <td>{formatNumber(s.profile.mean)}</td>
              </tr>
            </tbody>
          </table>
        </div>
      ) : (
        <p className="ln-muted">{t('learning.scan.tooFew', { min: s.minRespondents })}</p>
      )}
      {s.observation && (
        <p>
          <span className="field-label">{t('learning.scan.observation')}:</span> {s.observation}
        </p>
      )}
    </div>
  );
}

/** The profile's themes in questionnaire order (the server's order until it is loaded). */
function themeOrder(themes: Record<string, number>, order: string[] | undefined): [string, number][] {
  const entries = Object.entries(themes);
  if (!order) return entries;
  return [...entries].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
}
