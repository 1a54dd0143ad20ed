import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { ActionCard } from './ActionCard';
import { useAuditAction } from './api';
import { PageHeader } from '../../components/PageHeader';

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
      <PageHeader title={t('audits.action.heading')} meta={<Link to="/audits">{t('audits.title')}</Link>} />
      <ActionCard action={q.data} showAudit />
    </div>
  );
}
