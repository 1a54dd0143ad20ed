import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useCohorts, useProgramme, useProgrammes } from './api';
import { formatMonth } from './format';
import './learning.css';
import { PageHeader } from '../../components/PageHeader';

/** The programme (its latest version and modules) and the cohorts with their teams and coaches. */
export function ProgrammePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('learning.programme.title'));
  const programmes = useProgrammes();
  const first = programmes.data?.[0]?.id ?? '';
  const programme = useProgramme(first);
  const cohorts = useCohorts();
  return (
    <div className="stack ln">
      <PageHeader title={t('learning.programme.title')} intro={t('learning.programme.intro')} />
      {(programmes.isError || programme.isError || cohorts.isError) && <ErrorAlert error={programmes.error ?? programme.error ?? cohorts.error} />}
      {programme.data && (
        <section aria-labelledby="ln-programme" className="stack stack--tight" data-testid="programme">
          <h2 id="ln-programme">
            {programme.data.name} <span className="ln-muted">· {t('learning.programme.version', { version: programme.data.version })}</span>
          </h2>
          <p>{programme.data.description}</p>
          <ol className="ln-modules">
            {programme.data.modules.map((m) => (
              <li key={m.key}>
                <strong>{m.title}</strong>
                {m.goals.length > 0 && <span className="ln-muted"> — {m.goals.join('; ')}</span>}
              </li>
            ))}
          </ol>
        </section>
      )}
      <section aria-labelledby="ln-cohorts" className="stack stack--tight">
        <h2 id="ln-cohorts">{t('learning.programme.cohorts')}</h2>
        {(cohorts.data ?? []).map((c) => (
          <details key={c.id} className="card" data-testid="cohort">
            <summary>
              <strong>{c.name}</strong>{' '}
              <span className="ln-muted">
                {t('learning.programme.cohortMeta', { start: formatMonth(c.startMonth), count: c.teams.length, version: c.programmeVersion })}
              </span>
            </summary>
            <div className="table-scroll">
              <table className="data-table data-table--compact">
                <thead>
                  <tr>
                    <th scope="col">{t('learning.yield.level.team')}</th>
                    <th scope="col">{t('learning.team.coach')}</th>
                  </tr>
                </thead>
                <tbody>
                  {c.teams.map((tm) => (
                    <tr key={tm.teamId}>
                      <th scope="row">
                        <Link to={`/leren/opbrengsten?level=team&id=${encodeURIComponent(tm.teamId)}`}>{tm.teamName}</Link>
                      </th>
                      <td>{tm.coach.name}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p>
              <Link className="arrow-link" to={`/leren/opbrengsten?level=cohort&id=${encodeURIComponent(c.id)}`}>
                {t('learning.home.yield')}
              </Link>
            </p>
          </details>
        ))}
      </section>
    </div>
  );
}
