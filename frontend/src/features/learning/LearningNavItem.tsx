import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';

function LearningIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <g fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
        <path d="M3 9l9-4 9 4-9 4z" />
        <path d="M7 11v4.5c1.5 1.3 3.2 2 5 2s3.5-.7 5-2V11" />
        <path d="M21 9v5" />
      </g>
    </svg>
  );
}

/** "Leren" item of the main navigation. */
export function LearningNavItem() {
  const { t } = useTranslation();
  return (
    <NavLink to="/leren" className="main-nav__link" data-testid="nav-learning">
      <LearningIcon className="main-nav__icon" />
      <span>{t('learning.nav')}</span>
    </NavLink>
  );
}
