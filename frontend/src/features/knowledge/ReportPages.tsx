import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { matchesQuery } from '../../lib/text';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useRegions } from '../org/api';
import { useCurrentUser } from '../session/api';
import { reportCsvUrl, useConfirmationReport, useConfirmationsOverview, useKnowledgeMeta, useOverdueReport } from './api';
import { Breadcrumb } from './ArticlePage';
import { formatDay, formatRate, ownerLabel, REPORT_ROLES, hasAnyRole } from './format';
import { KnowledgeNav } from './KnowledgeNav';
import { RateBar } from './RateBar';
import type { TeamConfirmation } from './types';
import { QueryView } from '../../components/QueryView';
import { TableRegion } from '../../components/TableRegion';
import { PageHeader } from '../../components/PageHeader';

function NoAccess({ body }: { body: string }) {
  const { t } = useTranslation();
  return (
    <div className="empty-state" data-testid="kb-no-access">
      <p className="empty-state__title">{t('knowledge.noAccessTitle')}</p>
      <p>{body}</p>
    </div>
  );
}

/** /kennisbank/rapportage: overdue reviews (editors) and confirmation rates per article. */
export function ReportsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('knowledge.report.title'));
  const user = useCurrentUser();
  const meta = useKnowledgeMeta();
  const canEdit = meta.data?.canEdit ?? false;
  const allowed = canEdit || hasAnyRole(user.roles, REPORT_ROLES);
  return (
    <div className="stack kb">
      <KnowledgeNav />
      <PageHeader title={t('knowledge.report.title')} intro={t('knowledge.report.intro')} />
      {meta.isPending ? (
        <Loading label={t('knowledge.loading')} />
      ) : !allowed ? (
        <NoAccess body={t('knowledge.report.noAccess')} />
      ) : (
        <>
          {canEdit && <OverdueSection />}
          <ConfirmationsSection />
        </>
      )}
    </div>
  );
}

function OverdueSection() {
  const { t, i18n } = useTranslation();
  const overdue = useOverdueReport();
  return (
    <section className="kb-section" aria-labelledby="kb-overdue-title">
      <h2 id="kb-overdue-title">{t('knowledge.report.overdueTitle')}</h2>
      <QueryView query={overdue} loading={t('knowledge.loading')} empty={t('knowledge.report.overdueNone')}>
        {(data) => (
          <ul className="kb-list" data-testid="kb-overdue-list">
            {data.map((a) => (
              <li key={a.id} className="kb-card kb-card--overdue">
                <h3 className="kb-card__title">
                  <Link to={`/kennisbank/${encodeURIComponent(a.id)}`} className="kb-card__link">
                    {a.title}
                  </Link>
                </h3>
                <p className="kb-card__meta">
                  <span>{t('knowledge.report.dueSince', { date: formatDay(a.reviewDue, i18n.language) })}</span>
                  <span>{ownerLabel(t, a.owner)}</span>
                  <span>{t('knowledge.article.versionShort', { version: a.version })}</span>
                </p>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

function ConfirmationsSection() {
  const { t } = useTranslation();
  const overview = useConfirmationsOverview();
  const rows = useMemo(() => [...(overview.data ?? [])].sort((a, b) => a.rate - b.rate), [overview.data]);
  return (
    <section className="kb-section" aria-labelledby="kb-confirmations-title">
      <h2 id="kb-confirmations-title">{t('knowledge.report.confirmationsTitle')}</h2>
      {overview.isPending ? (
        <Loading label={t('knowledge.loading')} />
      ) : overview.isError ? (
        isApiError(overview.error) && overview.error.status === 403 ? (
          <p className="muted">{t('knowledge.report.noAccess')}</p>
        ) : (
          <ErrorAlert error={overview.error} onRetry={() => void overview.refetch()} />
        )
      ) : rows.length === 0 ? (
        <p className="muted">{t('knowledge.report.confirmationsNone')}</p>
      ) : (
        <TableRegion
          caption={t('knowledge.report.confirmationsCaption')}
          wrapClassName="kb-table-wrap"
          className="kb-table"
          data-testid="kb-confirmations-table"
        >
          <thead>
            <tr>
              <th scope="col">{t('knowledge.report.article')}</th>
              <th scope="col" className="num">
                {t('knowledge.report.confirmed')}
              </th>
              <th scope="col">{t('knowledge.report.rate')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.article.id} data-testid="kb-confirmation-row" data-id={r.article.id}>
                <th scope="row">
                  <Link to={`/kennisbank/${encodeURIComponent(r.article.id)}/rapportage`}>{r.article.title}</Link>{' '}
                  <span className="muted small">{t('knowledge.article.versionShort', { version: r.article.version })}</span>
                </th>
                <td className="num">{t('knowledge.report.ofMembers', { confirmed: r.confirmed, members: r.members })}</td>
                <td>
                  <RateBar rate={r.rate} />
                </td>
              </tr>
            ))}
          </tbody>
        </TableRegion>
      )}
    </section>
  );
}

/** /kennisbank/:id/rapportage: per team who confirmed, who is missing, and a CSV download. */
export function ArticleReportPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const report = useConfirmationReport(id);
  const regions = useRegions();
  const [filter, setFilter] = useState('');
  const filterId = useId();
  const title = report.data?.article.title;
  useDocumentTitle(title ? t('knowledge.report.articleTitle', { title }) : t('knowledge.report.title'));
  const regionNames = useMemo(() => new Map((regions.data ?? []).map((r) => [r.id, r.name])), [regions.data]);

  const teams = useMemo(
    () =>
      (report.data?.teams ?? []).filter((row) => matchesQuery(filter, [row.team.name, regionNames.get(row.regionId) ?? row.regionId])),
    [report.data, filter, regionNames],
  );

  if (report.isPending) return <Loading label={t('knowledge.loading')} />;
  if (report.isError) {
    const status = isApiError(report.error) ? report.error.status : 0;
    return (
      <div className="stack kb">
        <KnowledgeNav />
        <h1>{t('knowledge.report.title')}</h1>
        {status === 403 ? (
          <NoAccess body={t('knowledge.report.noAccessArticle')} />
        ) : status === 404 ? (
          <p>{t('knowledge.article.notFoundBody')}</p>
        ) : (
          <ErrorAlert error={report.error} onRetry={() => void report.refetch()} />
        )}
      </div>
    );
  }
  const r = report.data;
  return (
    <div className="stack kb kb-report-page">
      <KnowledgeNav />
      <Breadcrumb article={{ id: r.article.id, title: r.article.title }} current={t('knowledge.report.crumb')} />
      <PageHeader
        title={t('knowledge.report.articleTitle', { title: r.article.title })}
        intro={t('knowledge.report.versionIntro', { version: r.article.version })}
      />

      <div className="kb-report-total" data-testid="kb-report-total">
        <p className="kb-report-total__text">
          {t('knowledge.report.total', { confirmed: r.total.confirmed, members: r.total.members })}
        </p>
        <RateBar rate={r.total.rate} label={t('knowledge.report.rate')} />
      </div>

      <div className="kb-toolbar">
        <div className="kb-field">
          <label className="field-label" htmlFor={filterId}>
            {t('knowledge.report.filterTeams')}
          </label>
          <input
            id={filterId}
            type="search"
            className="input kb-input--small"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            autoComplete="off"
          />
        </div>
        <a href={reportCsvUrl(r.article.id)} className="button button--secondary" download data-testid="kb-report-csv">
          {t('knowledge.report.csv')}
        </a>
      </div>

      <TableRegion
        caption={t('knowledge.report.teamsCaption', { count: teams.length, version: r.article.version })}
        wrapClassName="kb-table-wrap"
        className="kb-table kb-report-table"
        data-testid="kb-report-table"
      >
        <thead>
          <tr>
            <th scope="col">{t('knowledge.report.team')}</th>
            <th scope="col" className="num">
              {t('knowledge.report.members')}
            </th>
            <th scope="col" className="num">
              {t('knowledge.report.confirmedShort')}
            </th>
            <th scope="col">{t('knowledge.report.rate')}</th>
            <th scope="col">{t('knowledge.report.missing')}</th>
          </tr>
        </thead>
        <tbody>
          {teams.map((row) => (
            <TeamRow key={row.team.id} row={row} regionName={regionNames.get(row.regionId) ?? ''} />
          ))}
        </tbody>
        <tfoot>
          <tr className="kb-table__total">
            <th scope="row">{t('knowledge.report.totalRow')}</th>
            <td className="num">{r.total.members}</td>
            <td className="num">{r.total.confirmed}</td>
            <td>{formatRate(r.total.rate, i18n.language)}</td>
            <td />
          </tr>
        </tfoot>
      </TableRegion>
    </div>
  );
}

function TeamRow({ row, regionName }: { row: TeamConfirmation; regionName: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const listId = useId();
  return (
    <tr
      data-testid="kb-report-team"
      data-team-id={row.team.id}
      data-team-name={row.team.name}
      data-members={row.members}
      data-confirmed={row.confirmed}
    >
      <th scope="row">
        {row.team.name}
        {regionName && <span className="kb-table__sub">{regionName}</span>}
      </th>
      <td className="num">{row.members}</td>
      <td className="num">{row.confirmed}</td>
      <td>
        <RateBar rate={row.rate} />
      </td>
      <td>
        {row.missing.length === 0 ? (
          <span className="muted">{t('knowledge.report.nobodyMissing')}</span>
        ) : (
          <>
            <button
              type="button"
              className="kb-link-button"
              aria-expanded={open}
              aria-controls={listId}
              onClick={() => setOpen((o) => !o)}
              data-testid="kb-missing-toggle"
            >
              {open ? t('knowledge.report.hideMissing') : t('knowledge.report.showMissing', { count: row.missing.length })}
            </button>
            <ul id={listId} className="kb-missing" hidden={!open} data-testid="kb-missing-list">
              {row.missing.map((p) => (
                <li key={p.id}>{p.name}</li>
              ))}
            </ul>
          </>
        )}
      </td>
    </tr>
  );
}
