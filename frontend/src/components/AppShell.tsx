import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, ScrollRestoration, useLocation } from 'react-router';
import type { SessionUser } from '../api/types';
import { ChatNavItem } from '../features/chat/ChatNavItem';
import { ChatProvider } from '../features/chat/ChatProvider';
import { DashboardNavItem } from '../features/dashboard/DashboardNavItem';
import { KnowledgeNavItem } from '../features/knowledge/KnowledgeNavItem';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { GlobalSearchBox } from '../features/search/GlobalSearchBox';
import { MY_DATA_PATH } from '../features/privacy/access';
import { useLogout } from '../features/session/api';
import { initials } from '../lib/text';
import { ErrorAlert } from './ErrorAlert';
import { HomeIcon, PleinMark, TeamsIcon } from './Icons';
import { LanguageToggle } from './LanguageToggle';
import { MoreMenu } from './MoreMenu';
import { OfflineStatus } from './OfflineStatus';

interface AppShellProps {
  user: SessionUser;
}

/** Authenticated layout: skip link, header (brand, nav, language, user menu), main. */
export function AppShell({ user }: AppShellProps) {
  const { t } = useTranslation();
  const logout = useLogout();
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
              <MoreMenu />
            </ul>
          </nav>
          <div className="shell__actions">
            <GlobalSearchBox />
            <NotificationBell />
            <LanguageToggle />
            <section className="user-menu" aria-label={t('shell.userMenu')}>
              {/* Name and avatar open "Mijn gegevens" (what Plein holds about me, AVG). */}
              <Link to={MY_DATA_PATH} className="user-menu__me" data-testid="nav-mydata" title={t('privacy.nav')}>
                <span className="avatar" aria-hidden="true">
                  {initials(user.name)}
                </span>
                <span className="user-menu__name" data-testid="user-name">
                  {user.name}
                </span>
                <span className="visually-hidden">, {t('privacy.nav')}</span>
              </Link>
              <button
                type="button"
                className="button button--quiet user-menu__logout"
                data-testid="logout-button"
                onClick={() => {
                  if (!logout.isPending) logout.mutate();
                }}
                aria-disabled={logout.isPending || undefined}
              >
                {logout.isPending ? t('shell.loggingOut') : t('shell.logout')}
              </button>
            </section>
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
