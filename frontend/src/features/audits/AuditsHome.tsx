import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useRegions } from '../org/api';
import { useCurrentUser } from '../session/api';
import { ActionCard } from './ActionCard';
import { useAuditHome } from './api';
import { AuditCard } from './AuditCard';
import { TeamAuditsPanel } from './TeamAuditsPanel';
import { PageHeader } from '../../components/PageHeader';

/** /audits: my audits, my actions, actions to confirm, and the overviews. */
export function AuditsHome() {
  const { t } = useTranslation();
  useDocumentTitle(t('audits.title'));
  const home = useAuditHome();
  const regions = useRegions();
  const user = useCurrentUser();
  if (home.isPending) return <Loading label={t('audits.loading')} />;
  if (home.isError) return <ErrorAlert error={home.error} onRetry={() => void home.refetch()} />;
  const { audits, actions, toConfirm, regionId, planner } = home.data;
  const regionName = regions.data?.find((r) => r.id === regionId)?.name ?? regionId;
  return (
    <div className="stack">
      <PageHeader title={t('audits.title')} intro={t('audits.intro')} />

      <section aria-labelledby="audits-mine" className="stack stack--tight">
        <h2 id="audits-mine">{t('audits.home.myAudits')}</h2>
        {audits.length > 0 ? (
          <ul className="card-grid">
            {audits.map((a) => (
              <AuditCard key={a.id} audit={a} />
            ))}
          </ul>
        ) : (
          <p className="empty-state">{t('audits.home.noAudits')}</p>
        )}
      </section>

      {toConfirm.length > 0 && (
        <section aria-labelledby="audits-confirm" className="stack stack--tight">
          <h2 id="audits-confirm">{t('audits.home.toConfirm')}</h2>
          {toConfirm.map((a) => (
            <ActionCard key={a.id} action={a} showAudit />
          ))}
        </section>
      )}

      <section aria-labelledby="audits-actions" className="stack stack--tight">
        <h2 id="audits-actions">{t('audits.home.myActions')}</h2>
        {actions.length > 0 ? (
          actions.map((a) => <ActionCard key={a.id} action={a} showAudit />)
        ) : (
          <p className="empty-state">{t('audits.home.noActions')}</p>
        )}
      </section>

      {user.teams.map((team) => (
        <TeamAuditsPanel key={team.id} teamId={team.id} />
      ))}

      <section aria-labelledby="audits-overviews" className="stack stack--tight">
        <h2 id="audits-overviews">{t('audits.home.overviews')}</h2>
        <ul className="audit-links">
          {regionId && (
            <li>
              <Link to={`/audits/regio/${encodeURIComponent(regionId)}`} className="arrow-link">
                {t('audits.home.regionOverview', { region: regionName })}
              </Link>
            </li>
          )}
          {planner &&
            regions.data?.map((r) => (
              <li key={r.id}>
                <Link to={`/audits/regio/${encodeURIComponent(r.id)}`} className="arrow-link">
                  {t('audits.home.regionOverview', { region: r.name })}
                </Link>
              </li>
            ))}
          {planner && (
            <li>
              <Link to="/audits/planning" className="arrow-link">
                {t('audits.home.planning')}
              </Link>
            </li>
          )}
          <li>
            <Link to="/audits/rapportage" className="arrow-link">
              {t('audits.home.reports')}
            </Link>
          </li>
        </ul>
      </section>
    </div>
  );
}
