import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { teamRoleLabel, roleLabel } from '../../lib/labels';
import { firstName } from '../../lib/text';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { AccessLogHomeLink } from '../accesslog/AccessLogHomeLink';
import { MyAuditsSection } from '../audits/MyAuditsSection';
import { useRegions } from '../org/api';
import { useCurrentUser } from '../session/api';

type DayPart = 'morning' | 'afternoon' | 'evening';

export function dayPart(date: Date): DayPart {
  const hour = date.getHours();
  if (hour >= 5 && hour < 12) return 'morning';
  if (hour >= 12 && hour < 18) return 'afternoon';
  return 'evening';
}

export function HomePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('home.documentTitle'));
  const user = useCurrentUser();
  // Region names are a nice-to-have on the cards; the page works without them.
  const regions = useRegions();
  const regionName = (id: string) => regions.data?.find((region) => region.id === id)?.name;
  const name = firstName(user.name);

  return (
    <div className="stack">
      <header className="page-header">
        <h1>{t(`home.greeting.${dayPart(new Date())}`, { name })}</h1>
        <p className="page-header__intro">{t('home.intro')}</p>
      </header>

      <section aria-labelledby="home-teams" className="stack stack--tight">
        <h2 id="home-teams">{t('home.myTeams', { count: Math.max(user.teams.length, 1) })}</h2>
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
          <div className="empty-state">
            <p className="empty-state__title">{t('home.noTeams.title')}</p>
            <p>{t('home.noTeams.body')}</p>
          </div>
        )}
        <p>
          <Link to="/teams" className="arrow-link">
            {t('home.allTeams')}
          </Link>
        </p>
      </section>

      <MyAuditsSection />

      <section aria-labelledby="home-roles" className="stack stack--tight">
        <h2 id="home-roles">{t('home.myRoles')}</h2>
        {user.roles.length > 0 ? (
          <ul className="badges badges--large">
            {user.roles.map((role) => (
              <li key={role} className="badge badge--role">
                {roleLabel(t, role)}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('home.noRoles')}</p>
        )}
      </section>

      <AccessLogHomeLink user={user} />
    </div>
  );
}
