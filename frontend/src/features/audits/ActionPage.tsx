import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { ActionCard } from './ActionCard';
import { useAuditAction } from './api';

/** /audits/acties/:actionId: one action (where reminders link to). */
export function ActionPage() {
  const { t } = useTranslation();
  const { actionId = '' } = useParams();
  const q = useAuditAction(actionId);
  useDocumentTitle(q.data ? q.data.title : t('audits.title'));
  if (q.isPending) return <Loading label={t('audits.loading')} />;
  if (q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <div className="stack">
      <header className="page-header">
        <p className="card__meta">
          <Link to="/audits">{t('audits.title')}</Link>
        </p>
        <h1>{t('audits.action.heading')}</h1>
      </header>
      <ActionCard action={q.data} showAudit />
    </div>
  );
}
