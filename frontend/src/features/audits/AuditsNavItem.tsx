import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';

function AuditIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <g fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
        <path d="M9 4h6v3H9z" />
        <path d="M15 5.5h2.5A1.5 1.5 0 0 1 19 7v12.5a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 5 19.5V7a1.5 1.5 0 0 1 1.5-1.5H9" />
        <path d="m8.5 13.5 2.2 2.2 4.8-4.8" />
      </g>
    </svg>
  );
}

/** "Audits" item of the main navigation. */
export function AuditsNavItem() {
  const { t } = useTranslation();
  return (
    <NavLink to="/audits" className="main-nav__link" data-testid="nav-audits">
      <AuditIcon className="main-nav__icon" />
      <span>{t('audits.nav')}</span>
    </NavLink>
  );
}
