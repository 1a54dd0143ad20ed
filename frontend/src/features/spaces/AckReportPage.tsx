import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useAckReport } from './api';
import { DocumentTitle } from './DocumentTitle';
import { formatPercent } from './format';
import { TableRegion } from '../../components/TableRegion';
import { PageHeader } from '../../components/PageHeader';

/** /mededelingen/:id/rapportage: who acknowledged an announcement, per team, with the people still missing. */
export function AckReportPage() {
  const { t, i18n } = useTranslation();
  const { announcementId = '' } = useParams();
  const report = useAckReport(announcementId);

  const crumbs = (
    <nav aria-label={t('spaces.breadcrumb')} className="breadcrumb">
      <ol>
        <li>
          <Link to="/mededelingen">{t('spaces.announcements.title')}</Link>
        </li>
        <li>
          <span aria-current="page">{t('spaces.report.crumb')}</span>
        </li>
      </ol>
    </nav>
  );

  if (report.isPending) {
    return (
      <div aria-busy="true">
        <DocumentTitle title={t('spaces.report.loading')} />
        <Loading label={t('spaces.report.loading')} />
      </div>
    );
  }
  if (report.isError) {
    const denied = isApiError(report.error) && (report.error.status === 403 || report.error.status === 404);
    return (
      <div className="stack">
        <DocumentTitle title={t('spaces.report.title')} />
        {crumbs}
        <h1>{t('spaces.report.title')}</h1>
        {denied ? <p>{t('spaces.report.denied')}</p> : <ErrorAlert error={report.error} onRetry={() => void report.refetch()} />}
      </div>
    );
  }

  const r = report.data;
  const teams = [...r.teams].sort((a, b) => a.rate - b.rate || a.team.name.localeCompare(b.team.name, i18n.language));
  return (
    <div className="stack sp-ack-report" data-testid="ack-report">
      <DocumentTitle title={t('spaces.report.documentTitle', { title: r.announcement.title })} />
      {crumbs}
      <PageHeader title={t('spaces.report.heading', { title: r.announcement.title })}>
        <p className="page-header__intro" data-testid="ack-report-total">
          {t('spaces.report.total', {
            acked: r.total.acked,
            members: r.total.members,
            rate: formatPercent(r.total.rate, i18n.language),
          })}
        </p>
      </PageHeader>
      {teams.length === 0 ? (
        <p className="muted">{t('spaces.report.none')}</p>
      ) : (
        <TableRegion caption={t('spaces.report.caption')} wrapClassName="sp-table-scroll" className="sp-data-table">
          <thead>
            <tr>
              <th scope="col">{t('spaces.report.team')}</th>
              <th scope="col" className="sp-num">
                {t('spaces.report.acked')}
              </th>
              <th scope="col" className="sp-num">
                {t('spaces.report.rate')}
              </th>
              <th scope="col">{t('spaces.report.missing')}</th>
            </tr>
          </thead>
          <tbody>
            {teams.map((row) => (
              <tr key={row.team.id} data-testid="ack-report-row">
                <th scope="row">{row.team.name}</th>
                <td className="sp-num">{t('spaces.report.ackedOf', { acked: row.acked, members: row.members })}</td>
                <td className="sp-num">{formatPercent(row.rate, i18n.language)}</td>
                <td>
                  {row.missing.length === 0 ? (
                    <span className="muted">{t('spaces.report.everyone')}</span>
                  ) : (
                    row.missing.map((p) => p.name).join(', ')
                  )}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('spaces.report.totalRow')}</th>
              <td className="sp-num">{t('spaces.report.ackedOf', { acked: r.total.acked, members: r.total.members })}</td>
              <td className="sp-num">{formatPercent(r.total.rate, i18n.language)}</td>
              <td />
            </tr>
          </tfoot>
        </TableRegion>
      )}
    </div>
  );
}
