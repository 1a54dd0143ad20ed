import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useKnowledgeMeta } from './api';

function KnowledgeIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <g fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
        <path d="M4 5.5A1.5 1.5 0 0 1 5.5 4H11v16H5.5A1.5 1.5 0 0 1 4 18.5z" />
        <path d="M20 5.5A1.5 1.5 0 0 0 18.5 4H13v16h5.5a1.5 1.5 0 0 0 1.5-1.5z" />
        <path d="M6.5 8h2.5M6.5 11h2.5M15 8h2.5M15 11h2.5" />
      </g>
    </svg>
  );
}

/** "Kennisbank" item of the main navigation, with the number of articles I still must confirm. */
export function KnowledgeNavItem() {
  const { t } = useTranslation();
  const meta = useKnowledgeMeta();
  const pending = meta.data?.pendingConfirmations ?? 0;
  return (
    <NavLink to="/kennisbank" className="main-nav__link main-nav__link--knowledge" data-testid="nav-knowledge">
      <KnowledgeIcon className="main-nav__icon" />
      <span>{t('knowledge.nav')}</span>{' '}
      {pending > 0 && (
        <span className="nav-badge" data-testid="knowledge-pending-badge" data-count={pending}>
          <span aria-hidden="true">{pending > 99 ? '99+' : pending}</span>
          <span className="visually-hidden">{t('knowledge.navPending', { count: pending })}</span>
        </span>
      )}
    </NavLink>
  );
}
