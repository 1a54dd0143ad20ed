import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useAttendance, useCheckIn, useSession } from './api';
import { formatDateTime } from './format';
import './learning.css';
import { PageHeader } from '../../components/PageHeader';

/** A session: details, self check-in, and for its coach the attendance list (on a phone). */
export function SessionPage() {
  const { t } = useTranslation();
  const { sessionId = '' } = useParams();
  const s = useSession(sessionId);
  useDocumentTitle(s.data?.title ?? t('learning.session.title'));
  const checkIn = useCheckIn(sessionId);
  const save = useAttendance(sessionId);
  const [marks, setMarks] = useState<Record<string, 'present' | 'absent'>>({});
  useEffect(() => {
    if (!s.data?.attendees) return;
    const m: Record<string, 'present' | 'absent'> = {};
    for (const a of s.data.attendees) if (a.status) m[a.person.id] = a.status;
    setMarks(m);
  }, [s.data?.attendees]);
  if (s.isPending) return <p>{t('learning.loading')}</p>;
  if (s.isError) return <ErrorAlert error={s.error} />;
  const v = s.data;
  return (
    <div className="stack ln">
      <PageHeader title={v.title}>
        <p className="page-header__intro">
          {t('learning.session.module')}: {v.moduleTitle}
        </p>
      </PageHeader>
      <dl className="ln-facts card">
        <div>
          <dt>{t('learning.session.when')}</dt>
          <dd>{formatDateTime(v.start)}</dd>
        </div>
        <div>
          <dt>{t('learning.session.where')}</dt>
          <dd>
            {v.place}
            {v.link && (
              <>
                {v.place ? ' · ' : ''}
                <a href={v.link} rel="noopener noreferrer" target="_blank">
                  {t('learning.session.online')}
                </a>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('learning.session.teams')}</dt>
          <dd>
            {v.teams.map((tm, i) => (
              <span key={tm.id}>
                {i > 0 && ', '}
                <Link to={`/leren/team/${encodeURIComponent(tm.id)}`}>{tm.name}</Link>
              </span>
            ))}
          </dd>
        </div>
        <div>
          <dt>{t('learning.session.capacity')}</dt>
          <dd>
            {v.capacity} · {t('learning.session.invited', { count: v.invited })}
          </dd>
        </div>
        <div>
          <dt>{t('learning.session.attendance')}</dt>
          <dd data-testid="session-summary">{t('learning.session.summary', { present: v.present, absent: v.absent })}</dd>
        </div>
      </dl>
      {v.canCheckIn && (
        <p>
          <button type="button" className="button button--primary button--large" onClick={() => checkIn.mutate()} data-testid="session-checkin">
            {t('learning.session.checkIn')}
          </button>
        </p>
      )}
      {checkIn.isError && <ErrorAlert error={checkIn.error} />}
      {v.mine?.status === 'present' && <p role="status">{t('learning.session.checkedIn')}</p>}
      {v.makeUp && (
        <div className="callout callout--info">
          <p>{t('learning.session.absentMakeUp', { date: formatDateTime(v.makeUp.start) })}</p>
          <Link to={`/leren/sessies/${encodeURIComponent(v.makeUp.sessionId)}`}>{t('learning.session.makeUpLink')}</Link>
        </div>
      )}
      {v.attendees && (
        <form
          className="stack stack--tight"
          data-testid="attendance-form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(Object.entries(marks).map(([userId, status]) => ({ userId, status })));
          }}
        >
          <h2>{t('learning.session.attendance')}</h2>
          <p>
            <button
              type="button"
              className="button button--quiet"
              onClick={() => setMarks(Object.fromEntries((v.attendees ?? []).map((a) => [a.person.id, 'present' as const])))}
            >
              {t('learning.session.allPresent')}
            </button>
          </p>
          <ul className="ln-attendance">
            {v.attendees.map((a) => (
              <li key={a.person.id} className="ln-attendance__row" data-testid="attendee">
                <fieldset className="ln-attendance__set">
                  <legend>
                    {a.person.name}
                    {a.self && <span className="ln-muted"> ({t('learning.session.self')})</span>}
                  </legend>
                  {(['present', 'absent'] as const).map((st) => (
                    <label key={st} className="ln-chip">
                      <input
                        type="radio"
                        name={`att-${a.person.id}`}
                        value={st}
                        checked={marks[a.person.id] === st}
                        onChange={() => setMarks((m) => ({ ...m, [a.person.id]: st }))}
                      />{' '}
                      {t(`learning.session.${st}`)}
                    </label>
                  ))}
                </fieldset>
              </li>
            ))}
          </ul>
          {save.isError && <ErrorAlert error={save.error} />}
          {save.isSuccess && <p role="status">{t('learning.session.saved')}</p>}
          <p>
            <button type="submit" className="button button--primary" disabled={save.isPending || Object.keys(marks).length === 0} data-testid="attendance-save">
              {t('learning.session.save')}
            </button>
          </p>
        </form>
      )}
    </div>
  );
}
