import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { ActionCard } from './ActionCard';
import { useRegionOverview } from './api';
import { formatScore } from './format';
import { RoundsTable } from './RoundsTable';
import { TableRegion } from '../../components/TableRegion';
import { PageHeader } from '../../components/PageHeader';

/** /audits/regio/:regionId: the region's teams, overdue actions and results per round. */
export function RegionPage() {
  const { t } = useTranslation();
  const { regionId = '' } = useParams();
  const q = useRegionOverview(regionId);
  useDocumentTitle(q.data ? t('audits.region.heading', { region: q.data.regionName }) : t('audits.title'));
  if (q.isPending) return <Loading label={t('audits.loading')} />;
  if (q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const v = q.data;
  const overdue = v.teams.reduce((n, tm) => n + tm.overdueActions, 0);
  return (
    <div className="stack audit-print">
      <PageHeader
        title={t('audits.region.heading', { region: v.regionName })}
        meta={<Link to="/audits">{t('audits.title')}</Link>}
      >
        <p className="page-header__intro" data-testid="region-overdue-count">
          {t('audits.region.overdueCount', { count: overdue })}
        </p>
        <p className="no-print">
          <button type="button" className="button button--quiet" onClick={() => window.print()}>
            {t('audits.print')}
          </button>
        </p>
      </PageHeader>
      <TableRegion caption={t('audits.region.teams')} className="data-table" data-testid="region-teams">
        <thead>
          <tr>
            <th scope="col">{t('audits.region.team')}</th>
            <th scope="col">{t('audits.region.openFindings')}</th>
            <th scope="col">{t('audits.region.openActions')}</th>
            <th scope="col">{t('audits.region.overdueActions')}</th>
            <th scope="col">{t('audits.region.lastScore')}</th>
          </tr>
        </thead>
        <tbody>
          {v.teams.map((tm) => (
            <tr key={tm.teamId} data-team-id={tm.teamId}>
              <th scope="row">
                <Link to={`/teams/${encodeURIComponent(tm.teamId)}`}>{tm.teamName}</Link>
              </th>
              <td>{tm.openFindings}</td>
              <td data-testid="open-actions">{tm.openActions}</td>
              <td className={tm.overdueActions > 0 ? 'audit-cell--alert' : undefined}>{tm.overdueActions}</td>
              <td>
                {formatScore(tm.lastScore)}
                {tm.lastRound && <span className="visually-hidden"> ({tm.lastRound})</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </TableRegion>
      <section aria-labelledby="region-overdue" className="stack stack--tight">
        <h2 id="region-overdue">{t('audits.region.overdue')}</h2>
        {v.overdue.length === 0 ? <p>{t('audits.region.noOverdue')}</p> : v.overdue.map((a) => <ActionCard key={a.id} action={a} showAudit />)}
      </section>
      <section aria-labelledby="region-rounds" className="stack stack--tight">
        <h2 id="region-rounds">{t('audits.region.rounds')}</h2>
        <RoundsTable rounds={v.rounds} themes={v.themes} caption={t('audits.region.rounds')} />
      </section>
    </div>
  );
}
