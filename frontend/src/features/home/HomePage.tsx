import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { teamRoleLabel, roleLabel } from '../../lib/labels';
import { firstName } from '../../lib/text';
import { lazyPages } from '../../lib/lazyPages';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { Loading } from '../../components/Loading';
import { useAuditHome } from '../audits/api';
import { MyAuditsSection } from '../audits/MyAuditsSection';
import { useRegions } from '../org/api';
import { useCurrentUser } from '../session/api';
import { Recent, StartingPoints, TodoList } from './Today';
import { PageHeader } from '../../components/PageHeader';

// A team coach's home is the coach board: fetched with the learning pages, not carried by everyone's home.
const CoachBoardPage = lazyPages(() => import('../learning/pages'), ['learning'])('CoachBoardPage');

type DayPart = 'morning' | 'afternoon' | 'evening';

export function dayPart(date: Date): DayPart {
  const hour = date.getHours();
  if (hour >= 5 && hour < 12) return 'morning';
  if (hour >= 12 && hour < 18) return 'afternoon';
  return 'evening';
}

/**
 * Home, "Vandaag": where this person starts (per role), what is theirs to
 * do, and what is new — today's and tomorrow's agenda, posts in their teams
 * and communities, unread chat, news from the support services. Their teams
 * and functions come last.
 */
export function HomePage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('home.documentTitle'));
  const user = useCurrentUser();
  const name = firstName(user.name);
  const audits = useAuditHome();
  // A coach of the learning programme starts on the coach board.
  if (user.roles.includes('teamcoach')) return <CoachBoardPage />;
  const today = new Intl.DateTimeFormat(i18n.language, { weekday: 'long', day: 'numeric', month: 'long' }).format(new Date());

  return (
    <div className="stack">
      <PageHeader title={t(`home.greeting.${dayPart(new Date())}`, { name })}>
        <p className="page-header__intro" data-testid="home-today">
          {t('home.today', { date: today })}
        </p>
      </PageHeader>

      <div className="tp-today">
        <StartingPoints user={user} />
        {/* An auditor's assigned audits and actions waiting for them (nothing
            for most people) come first when there are any: what follows is
            shown once that is known, not pushed down when it arrives (a
            layout shift of 0.31 on a phone, most of Lighthouse's verdict).
            The request leaves with the page (public/home-early.js). */}
        {audits.isPending ? (
          <Loading label={t('status.loading')} />
        ) : (
          <>
            <MyAuditsSection />
            <TodoList user={user} />
            <Recent user={user} />
            <MyTeams />
          </>
        )}
      </div>
    </div>
  );
}

function MyTeams() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  // Region names are a nice-to-have on the cards; the page works without them.
  const regions = useRegions();
  const regionName = (id: string) => regions.data?.find((region) => region.id === id)?.name;
  return (
    <section aria-labelledby="home-teams" className="panel tp-card tp-card--wide" data-testid="home-teams">
      <h2 id="home-teams">{user.teams.length > 0 ? t('home.myTeams', { count: user.teams.length }) : t('home.teamsAndRoles')}</h2>
      {user.teams.length > 0 ? (
        <ul className="card-grid">
          {user.teams.map((team) => {
            const region = regionName(team.regionId);
            return (
              <li key={team.id} className="card team-card" data-testid="team-card">
                <h3 className="card__title">
                  <Link to={`/teams/${encodeURIComponent(team.id)}`} className="card__link">
                    {team.name}
                  </Link>
                </h3>
                {region && <p className="card__meta">{region}</p>}
                {team.teamRoles.length > 0 && (
                  <div className="card__footer">
                    <p className="visually-hidden">{t('home.taskRoles')}</p>
                    <ul className="badges">
                      {team.teamRoles.map((role) => (
                        <li key={role} className="badge badge--task">
                          {teamRoleLabel(t, role)}
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="muted" data-testid="home-no-team">
          {t('home.noTeamNote')}{' '}
          <Link to="/teams">{t('home.allTeams')}</Link>
        </p>
      )}
      <div>
        <p className="visually-hidden">{t('home.myRoles')}</p>
        {user.roles.length > 0 ? (
          <ul className="badges">
            {user.roles.map((role) => (
              <li key={role} className="badge badge--role">
                {roleLabel(t, role)}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('home.noRoles')}</p>
        )}
      </div>
    </section>
  );
}
