import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { auditStatusLabel, typeLabel } from './format';
import type { Audit } from './types';

/** An audit in a list: team, round, progress, and the way in. */
export function AuditCard({ audit }: { audit: Audit }) {
  const { t } = useTranslation();
  const conduct = audit.status !== 'finished';
  const to = `/audits/${encodeURIComponent(audit.id)}${conduct ? '/uitvoeren' : ''}`;
  return (
    <li className="card audit-card" data-testid="audit-card" data-audit-id={audit.id}>
      <h3 className="card__title">
        <Link to={to} className="card__link">
          {t('audits.card.title', { team: audit.teamName })}
        </Link>
      </h3>
      <p className="card__meta">
        {typeLabel(t, audit.type)} · {audit.roundLabel} · {audit.regionName}
      </p>
      <p>
        <span className={`audit-badge audit-badge--${audit.status}`}>{auditStatusLabel(t, audit.status)}</span>{' '}
        {t('audits.card.progress', { answered: audit.answered, total: audit.total })}
      </p>
    </li>
  );
}
