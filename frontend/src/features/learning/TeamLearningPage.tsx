import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, ProblemSummary, useFieldErrors, useFieldIds } from '../../components/form';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useCheckIn, useTeamLearning, useUpdateModule } from './api';
import { formatDate, formatDateTime, formatMonth, formatNumber, phaseKey } from './format';
import { PhaseBadge } from './PhaseBadge';
import { PlanSessionForm } from './PlanSessionForm';
import { Reflections } from './Reflections';
import { ScanSection } from './ScanSection';
import type { ModuleView, Session, TeamLearning } from './types';
import './learning.css';
import { PageHeader } from '../../components/PageHeader';

/** A team's learning page: next session, modules, reflections, scans. */
export function TeamLearningPage() {
  const { t } = useTranslation();
  const { teamId = '' } = useParams();
  const team = useTeamLearning(teamId);
  useDocumentTitle(team.data ? t('learning.team.title', { team: team.data.team.name }) : t('learning.home.title'));
  if (team.isPending) return <p>{t('learning.loading')}</p>;
  if (team.isError) return <ErrorAlert error={team.error} />;
  const v = team.data;
  return (
    <div className="stack ln">
      <PageHeader title={t('learning.team.title', { team: v.team.name })}>
        {!v.hasTrajectory && <p className="page-header__intro">{t('learning.home.noTrajectory')}</p>}
      </PageHeader>
      {v.hasTrajectory && <TeamBody v={v} />}
    </div>
  );
}

function TeamBody({ v }: { v: TeamLearning }) {
  const { t } = useTranslation();
  const [planning, setPlanning] = useState(false);
  return (
    <>
      <section className="card stack stack--tight" aria-labelledby="ln-overview">
        <h2 id="ln-overview" className="visually-hidden">
          {t('learning.phaseLabel')}
        </h2>
        <PhaseBadge phase={v.phase} />
        <dl className="ln-facts">
          <div>
            <dt>{t('learning.team.coach')}</dt>
            <dd>{v.coach.name}</dd>
          </div>
          <div>
            <dt>{t('learning.team.cohort')}</dt>
            <dd>{v.cohortName}</dd>
          </div>
          <div>
            <dt>{t('learning.team.period')}</dt>
            <dd>
              {formatMonth(v.startMonth)} – {formatMonth(v.endMonth)}
            </dd>
          </div>
          {v.attendanceRate !== null && (
            <div>
              <dt>{t('learning.team.attendanceRate')}</dt>
              <dd>{formatNumber(v.attendanceRate, 0)}%</dd>
            </div>
          )}
          <div>
            <dt>{t('learning.scan.title')}</dt>
            <dd>{t(`learning.scanStatus.${v.scanStatus}`)}</dd>
          </div>
        </dl>
        <p>
          <Link className="arrow-link" to={`/leren/opbrengsten?level=team&id=${encodeURIComponent(v.team.id)}`}>
            {t('learning.team.viewYield')}
          </Link>
        </p>
      </section>

      <section aria-labelledby="ln-next" className="stack stack--tight">
        <h2 id="ln-next">{t('learning.team.nextSession')}</h2>
        {v.nextSession ? <SessionCard s={v.nextSession} /> : <p>{t('learning.team.noNext')}</p>}
        {v.canManage && (
          <p>
            <button type="button" className="button button--secondary" aria-expanded={planning} onClick={() => setPlanning((p) => !p)}>
              {t('learning.board.plan')}
            </button>
          </p>
        )}
        {planning && <PlanSessionForm teams={[v.team]} onDone={() => setPlanning(false)} />}
      </section>

      {v.phase.trend.length > 0 && (
        <section aria-labelledby="ln-history" className="stack stack--tight">
          <h2 id="ln-history">{t('learning.team.history')}</h2>
          <div className="table-scroll">
            <table className="data-table data-table--compact">
              <caption className="visually-hidden">{t('learning.team.historyTable')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('learning.team.date')}</th>
                  <th scope="col">{t('learning.phaseLabel')}</th>
                  <th scope="col">{t('learning.team.score')}</th>
                </tr>
              </thead>
              <tbody>
                {v.phase.trend.map((p) => (
                  <tr key={p.date}>
                    <td>{formatDate(p.date)}</td>
                    <td>{t(`learning.phase.${phaseKey(p.phase)}`)}</td>
                    <td>{formatNumber(p.score)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      <section aria-labelledby="ln-modules" className="stack stack--tight">
        <h2 id="ln-modules">{t('learning.team.modules')}</h2>
        <ol className="ln-modules">
          {v.modules.map((m) => (
            <ModuleItem key={m.key} m={m} teamId={v.team.id} canManage={v.canManage} />
          ))}
        </ol>
      </section>

      {v.seesPrivate && <ScanSection v={v} />}
      {v.seesPrivate && <Reflections v={v} />}

      {v.sessions.length > 0 && (
        <section aria-labelledby="ln-sessions" className="stack stack--tight">
          <h2 id="ln-sessions">{t('learning.team.sessions')}</h2>
          <ul className="ln-list">
            {v.sessions.map((s) => (
              <li key={s.id}>
                <Link to={`/leren/sessies/${encodeURIComponent(s.id)}`}>{s.title}</Link> <span className="ln-muted">{formatDateTime(s.start)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

export function SessionCard({ s }: { s: Session }) {
  const { t } = useTranslation();
  const checkIn = useCheckIn(s.id);
  return (
    <div className="card ln-session" data-testid="next-session">
      <h3 className="card__title">
        <Link className="card__link" to={`/leren/sessies/${encodeURIComponent(s.id)}`}>
          {s.title}
        </Link>
      </h3>
      <p>{formatDateTime(s.start)}</p>
      <p>
        {s.place}
        {s.link && (
          <>
            {s.place ? ' · ' : ''}
            <a href={s.link} rel="noopener noreferrer" target="_blank">
              {t('learning.session.online')}
            </a>
          </>
        )}
      </p>
      {s.canCheckIn && (
        <button type="button" className="button button--primary" onClick={() => checkIn.mutate()} disabled={checkIn.isPending}>
          {t('learning.session.checkIn')}
        </button>
      )}
      {s.mine?.status === 'present' && <p role="status">{t('learning.session.checkedIn')}</p>}
      {checkIn.isError && <ErrorAlert error={checkIn.error} />}
    </div>
  );
}

function ModuleItem({ m, teamId, canManage }: { m: ModuleView; teamId: string; canManage: boolean }) {
  const { t } = useTranslation();
  const update = useUpdateModule(teamId);
  const [skipping, setSkipping] = useState(false);
  const [reason, setReason] = useState('');
  const updateErrors = useFieldErrors(update.error);
  const fid = useFieldIds();
  return (
    <li className={`ln-module ln-module--${m.status}`} data-testid="learning-module" data-status={m.status}>
      <details>
        <summary>
          <span className="ln-module__title">{m.title}</span>{' '}
          <span className={`badge ln-status ln-status--${m.status}`}>{t(`learning.moduleStatus.${m.status}`)}</span>{' '}
          <span className="ln-muted">{t('learning.team.planned', { month: formatMonth(m.plannedMonth) })}</span>
        </summary>
        <div className="stack stack--tight ln-module__body">
          {m.reason && (
            <p>
              {t('learning.team.reason')}: {m.reason}
            </p>
          )}
          {m.goals.length > 0 && (
            <>
              <h3 className="ln-h4">{t('learning.team.goals')}</h3>
              <ul>
                {m.goals.map((g) => (
                  <li key={g}>{g}</li>
                ))}
              </ul>
            </>
          )}
          {m.assignments.length > 0 && (
            <>
              <h3 className="ln-h4">{t('learning.team.assignments')}</h3>
              {m.assignments.map((a) => (
                <p key={a}>{a}</p>
              ))}
            </>
          )}
          {m.materials.length > 0 && (
            <>
              <h3 className="ln-h4">{t('learning.team.materials')}</h3>
              <ul>
                {m.materials.map((mat) => (
                  <li key={mat.title}>
                    {mat.articleId ? (
                      <Link to={`/kennisbank/${encodeURIComponent(mat.articleId)}`}>{mat.title}</Link>
                    ) : (
                      <a href={mat.url} rel="noopener noreferrer" target="_blank">
                        {mat.title}
                      </a>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
          {canManage && (
            <div className="ln-actions">
              {m.status !== 'done' && (
                <button type="button" className="button button--secondary" onClick={() => update.mutate({ key: m.key, status: 'done' })}>
                  {t('learning.team.markDone')}
                </button>
              )}
              {m.status !== 'planned' && (
                <button type="button" className="button button--quiet" onClick={() => update.mutate({ key: m.key, status: 'planned' })}>
                  {t('learning.team.markPlanned')}
                </button>
              )}
              {m.status !== 'skipped' && (
                <button type="button" className="button button--quiet" aria-expanded={skipping} onClick={() => setSkipping((s) => !s)}>
                  {t('learning.team.skip')}
                </button>
              )}
            </div>
          )}
          {skipping && (
            <form
              className="stack stack--tight"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                if (!update.isPending) update.mutate({ key: m.key, status: 'skipped', reason }, { onSuccess: () => setSkipping(false) });
              }}
            >
              <ProblemSummary error={update.error} errors={updateErrors} fields={['reason']} idOf={fid} />
              <Field className="ln-field" id={fid('reason')} name="reason" label={t('learning.team.skipReason')} error={updateErrors.of('reason')}>
                {(c) => <textarea {...c} className="input" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} required />}
              </Field>
              <p>
                <button type="submit" className="button button--primary">
                  {t('learning.team.skip')}
                </button>
              </p>
            </form>
          )}
          {!skipping && <ProblemSummary error={update.error} />}
        </div>
      </details>
    </li>
  );
}
