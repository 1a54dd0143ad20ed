import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useCurrentUser } from '../session/api';
import { IMPORT_ROLES, hasRole } from './format';

/** Sub-navigation of the dashboard area. "Importeren" only for those who import. */
export function DashboardNav() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  return (
    <nav className="dash-nav no-print" aria-label={t('dashboard.nav.label')}>
      <ul>
        {user.teams.length > 0 && (
          <li>
            <NavLink to="/dashboard" end className="dash-nav__link">
              {user.teams.length > 1 ? t('dashboard.nav.myTeams') : t('dashboard.nav.myTeam')}
            </NavLink>
          </li>
        )}
        <li>
          <NavLink to="/dashboard/organisation" className="dash-nav__link">
            {t('dashboard.nav.organisation')}
          </NavLink>
        </li>
        {hasRole(user.roles, ...IMPORT_ROLES) && (
          <li>
            <NavLink to="/dashboard/import" className="dash-nav__link" data-testid="dashboard-import-link">
              {t('dashboard.nav.import')}
            </NavLink>
          </li>
        )}
      </ul>
    </nav>
  );
}
