import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useCurrentUser } from '../session/api';
import { adminPaths, canAdminister } from './access';
import './admin.css';
import { PageHeader } from '../../components/PageHeader';

/**
 * /beheer: the administration, with its sub-navigation. Teams is the
 * start; the access log and the privacy page (erasure, from
 * features/privacy) are linked from here as well. Anyone who is not an
 * administrator gets a refusal and no request is made (the server would
 * answer 403 admin_only).
 */
export function AdminLayout() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  useDocumentTitle(t('admin.title'));
  if (!canAdminister(user)) {
    return (
      <div className="stack" data-testid="admin-no-access">
        <PageHeader title={t('admin.title')} />
        <div className="empty-state" role="alert">
          <p className="empty-state__title">{t('admin.noAccess.title')}</p>
          <p>{t('admin.noAccess.body')}</p>
        </div>
      </div>
    );
  }
  const tabs = [
    { to: adminPaths.teams, label: t('admin.tabs.teams'), end: true, testId: 'admin-tab-teams' },
    { to: adminPaths.regions, label: t('admin.tabs.regions'), testId: 'admin-tab-regions' },
    { to: adminPaths.people, label: t('admin.tabs.people'), testId: 'admin-tab-people' },
    { to: adminPaths.changes, label: t('admin.tabs.changes'), testId: 'admin-tab-changes' },
    { to: adminPaths.accessLog, label: t('admin.tabs.accessLog'), testId: 'admin-tab-accesslog' },
    { to: adminPaths.privacy, label: t('admin.tabs.privacy'), testId: 'admin-tab-privacy' },
  ];
  return (
    <div className="stack adm" data-testid="admin-page">
      <PageHeader title={t('admin.title')} intro={t('admin.intro')} />
      <nav aria-label={t('admin.tabs.label')} className="adm-tabs">
        <ul>
          {tabs.map((tab) => (
            <li key={tab.to}>
              <NavLink to={tab.to} end={tab.end} className="adm-tabs__link" data-testid={tab.testId}>
                {tab.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
