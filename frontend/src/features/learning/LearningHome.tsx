import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useCurrentUser } from '../session/api';
import { useLearningMe } from './api';
import { CoachBoardPage } from './CoachBoardPage';
import { TeamLearningPanel } from './TeamLearningPanel';
import './learning.css';
import { PageHeader } from '../../components/PageHeader';

/** /leren: a coach sees the board; a team member their team's programme; everyone the yield. */
export function LearningHome() {
  const { t } = useTranslation();
  const me = useLearningMe();
  const user = useCurrentUser();
  useDocumentTitle(t('learning.home.title'));
  if (me.data?.coach) return <CoachBoardPage />;
  return (
    <div className="stack ln">
      <PageHeader title={t('learning.home.title')} intro={t('learning.home.intro')} />
      {user.teams.map((tm) => (
        <TeamLearningPanel key={tm.id} teamId={tm.id} />
      ))}
      <p className="ln-actions">
        <Link className="arrow-link" to="/leren/opbrengsten" data-testid="yield-link">
          {t('learning.home.yield')}
        </Link>
        <Link className="arrow-link" to="/leren/programma">
          {t('learning.programme.link')}
        </Link>
      </p>
    </div>
  );
}
