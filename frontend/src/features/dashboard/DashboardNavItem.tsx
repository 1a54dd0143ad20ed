import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';

function DashboardIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <g fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
        <path d="M4 20h16" />
        <path d="M6.5 16v-4M11 16V7M15.5 16v-6M20 16V4.5" />
      </g>
    </svg>
  );
}

/** "Dashboard" item of the main navigation. */
export function DashboardNavItem() {
  const { t } = useTranslation();
  return (
    <NavLink to="/dashboard" className="main-nav__link" data-testid="nav-dashboard">
      <DashboardIcon className="main-nav__icon" />
      <span>{t('nav.dashboard')}</span>
    </NavLink>
  );
}
