import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { ActionCard } from './ActionCard';
import { useTeamAudits } from './api';
import { scoreLabel } from './format';
import './audits.css';

/**
 * For the team page's overview: the team's open findings and actions. Shows
 * nothing to people who may not see the team's audits (403) and while
 * loading; the team page stays usable when this part fails.
 */
export function TeamAuditsPanel({ teamId, className = 'stack stack--tight audit-panel' }: { teamId: string; className?: string }) {
  const { t } = useTranslation();
  const q = useTeamAudits(teamId);
  if (q.isPending || (q.isError && isApiError(q.error) && (q.error.status === 403 || q.error.status === 404))) return null;
  if (q.isError) return null;
  const v = q.data;
  const latest = v.audits.find((a) => a.status === 'finished');
  return (
    <section aria-labelledby={`team-audits-${teamId}`} className={className} data-testid="team-audits-panel">
      <h2 id={`team-audits-${teamId}`}>{t('audits.panel.title', { team: v.teamName })}</h2>
      {latest && (
        <p>
          {t('audits.panel.latest', { round: latest.roundLabel, findings: latest.findings })}{' '}
          <Link to={`/audits/${encodeURIComponent(latest.id)}`}>{t('audits.panel.view')}</Link>
        </p>
      )}
      <h3>{t('audits.panel.findings', { count: v.openFindings.length })}</h3>
      {v.openFindings.length === 0 ? (
        <p>{t('audits.panel.noFindings')}</p>
      ) : (
        <ul className="audit-panel__findings">
          {v.openFindings.map((f) => (
            <li key={f.id} data-testid="team-finding">
              <Link to={`/audits/${encodeURIComponent(f.auditId)}`}>{f.criterionText}</Link> ·{' '}
              <span className={`audit-score-tag audit-score-tag--${f.score}`}>{scoreLabel(t, f.score)}</span> · {f.roundLabel}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('audits.panel.actions', { count: v.actions.length })}</h3>
      {v.actions.length === 0 ? <p>{t('audits.panel.noActions')}</p> : v.actions.map((a) => <ActionCard key={a.id} action={a} />)}
    </section>
  );
}
