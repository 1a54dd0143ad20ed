import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuditHome } from './api';
import { AuditCard } from './AuditCard';
import './audits.css';

/**
 * For the home page: the audits assigned to me and the actions waiting for
 * me. Renders nothing when there are none (most people), or on an error.
 */
export function MyAuditsSection() {
  const { t } = useTranslation();
  const home = useAuditHome();
  if (!home.data) return null;
  const { audits, actions, toConfirm } = home.data;
  if (audits.length === 0 && actions.length === 0 && toConfirm.length === 0) return null;
  return (
    <section aria-labelledby="home-audits" className="panel tp-card tp-card--wide stack stack--tight" data-testid="home-audits">
      <h2 id="home-audits">{t('audits.home.myAudits')}</h2>
      {audits.length > 0 && (
        <ul className="card-grid">
          {audits.map((a) => (
            <AuditCard key={a.id} audit={a} />
          ))}
        </ul>
      )}
      {(actions.length > 0 || toConfirm.length > 0) && (
        <p>{t('audits.home.actionsWaiting', { count: actions.length + toConfirm.length })}</p>
      )}
      <p>
        <Link to="/audits" className="arrow-link">
          {t('audits.home.toAudits')}
        </Link>
      </p>
    </section>
  );
}
