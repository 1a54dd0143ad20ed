import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, ScrollRestoration, useLocation } from 'react-router';
import type { SessionUser } from '../api/types';
import { ChatNavItem } from '../features/chat/ChatNavItem';
import { ChatProvider } from '../features/chat/ChatProvider';
import { DashboardNavItem } from '../features/dashboard/DashboardNavItem';
import { KnowledgeNavItem } from '../features/knowledge/KnowledgeNavItem';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { useSyncPushLanguage } from '../features/notifications/push';
import { GlobalSearchBox } from '../features/search/GlobalSearchBox';
import { useLogout } from '../features/session/api';
import { ErrorAlert } from '../components/ErrorAlert';
import { HomeIcon, PleinMark, TeamsIcon } from '../components/Icons';
import { LanguageToggle } from '../components/LanguageToggle';
import { MoreMenu } from './MoreMenu';
import { OfflineStatus } from '../components/OfflineStatus';
import { UserMenu } from './UserMenu';

interface AppShellProps {
  user: SessionUser;
}

/**
 * Authenticated layout: skip link, header (brand, nav, search, notifications,
 * language, user menu), main. Phone-first: on phones the header is one row of
 * 44 px icon buttons and the navigation a compact bottom bar; from 48rem the
 * navigation sits in the header, which never wraps (issue #14 §4).
 */
export function AppShell({ user }: AppShellProps) {
  const { t, i18n } = useTranslation();
  const logout = useLogout();
  useSyncPushLanguage(i18n.language); // push texts follow the NL/EN switch
  const mainRef = useRef<HTMLElement>(null);
  const location = useLocation();
  const firstRender = useRef(true);
  const myTeam = user.teams[0];

  // After client-side navigation move focus to <main> so screen readers start
  // reading the new page (not on first load: the browser handles that).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <ChatProvider user={user}>
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('shell.skipLink')}
      </a>
      <header className="shell__header">
        <div className="shell__bar">
          <Link to="/" className="brand">
            <PleinMark className="brand__mark" />
            <span className="brand__name">{t('app.name')}</span>
          </Link>
          <nav className="main-nav" aria-label={t('shell.mainNav')}>
            <ul className="main-nav__list">
              <li>
                <NavLink to="/" end className="main-nav__link">
                  <HomeIcon className="main-nav__icon" />
                  <span>{t('nav.home')}</span>
                </NavLink>
              </li>
              <li>
                {/* "Mijn team" opens the (first) own team's page; without a team, all teams. */}
                <NavLink
                  to={myTeam ? `/teams/${encodeURIComponent(myTeam.id)}` : '/teams'}
                  end={!myTeam}
                  className="main-nav__link"
                  data-testid="nav-my-team"
                >
                  <TeamsIcon className="main-nav__icon" />
                  <span>{myTeam ? t('nav.myTeam') : t('nav.teams')}</span>
                </NavLink>
              </li>
              <li>
                <ChatNavItem />
              </li>
              <li>
                <KnowledgeNavItem />
              </li>
              <li className="main-nav__item--wide">
                <DashboardNavItem />
              </li>
              <MoreMenu user={user} />
            </ul>
          </nav>
          <div className="shell__actions">
            <GlobalSearchBox />
            <NotificationBell />
            <LanguageToggle />
            <UserMenu
              user={user}
              loggingOut={logout.isPending}
              onLogout={() => {
                if (!logout.isPending) logout.mutate();
              }}
            />
          </div>
        </div>
      </header>
      <OfflineStatus />
      {logout.isError && (
        <div className="shell__notice">
          <ErrorAlert error={logout.error} title={t('shell.logoutFailed')} />
        </div>
      )}
      <main id="main" ref={mainRef} className="page" tabIndex={-1}>
        <Outlet />
      </main>
      <ScrollRestoration />
    </div>
    </ChatProvider>
  );
}
