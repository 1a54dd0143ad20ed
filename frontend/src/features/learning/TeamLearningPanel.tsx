import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useTeamPanel } from './api';
import { formatDateTime } from './format';
import { PhaseBadge } from './PhaseBadge';
import './learning.css';

/** The learning summary on a team's page: phase, trend, next session. */
export function TeamLearningPanel({ teamId, className = 'card ln-panel' }: { teamId: string; className?: string }) {
  const { t } = useTranslation();
  const panel = useTeamPanel(teamId);
  return (
    <section className={className} aria-labelledby={`ln-panel-${teamId}`} data-testid="team-learning-panel">
      <h2 id={`ln-panel-${teamId}`} className="card__title">
        {t('learning.panel.title')}
      </h2>
      {panel.isPending && <p>{t('learning.loading')}</p>}
      {panel.isError && <p>{t('learning.error')}</p>}
      {panel.data && !panel.data.hasTrajectory && <p>{t('learning.panel.none')}</p>}
      {panel.data?.hasTrajectory && (
        <>
          <PhaseBadge phase={panel.data.phase} />
          <p>{t('learning.panel.modules', { done: panel.data.modulesDone, total: panel.data.modulesTotal })}</p>
          <p>
            {t('learning.team.nextSession')}:{' '}
            {panel.data.nextSession ? (
              <Link to={`/leren/sessies/${encodeURIComponent(panel.data.nextSession.id)}`}>
                {panel.data.nextSession.title}, {formatDateTime(panel.data.nextSession.start)}
              </Link>
            ) : (
              t('learning.team.noNext')
            )}
          </p>
          <p>
            <Link className="arrow-link" to={`/leren/team/${encodeURIComponent(teamId)}`}>
              {t('learning.panel.more')}
            </Link>
          </p>
        </>
      )}
    </section>
  );
}
