import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, ProblemSummary, useFieldErrors, useFieldIds } from '../../components/form';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { isAdministrator } from '../accesslog/access';
import { PersonFilter, type ChosenPerson } from '../accesslog/PersonFilter';
import { useCurrentUser } from '../session/api';
import { useErase, useErasures, userExportDownload, useRetention } from './api';
import type { ErasureJob } from './types';
import './privacy.css';
import { PageHeader } from '../../components/PageHeader';

/**
 * /beheer/privacy (administrators): the retention periods, a person's
 * export, erasing a departed person (confirmed by typing their name), and
 * the erasures done. Anyone else gets a friendly message and no request.
 */
export function PrivacyAdminPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('privacy.admin.title'));
  const user = useCurrentUser();
  const admin = isAdministrator(user);
  return (
    <div className="stack privacy" data-testid="privacy-admin-page">
      <PageHeader title={t('privacy.admin.title')} intro={t('privacy.admin.intro')} />
      {admin ? (
        <>
          <ErasePerson />
          <Erasures />
          <Retention />
        </>
      ) : (
        <p className="alert" role="status" data-testid="privacy-no-access">
          {t('privacy.admin.noAccess')}
        </p>
      )}
    </div>
  );
}

function ErasePerson() {
  const { t } = useTranslation();
  const [person, setPerson] = useState<ChosenPerson | null>(null);
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState<{ name: string; job: ErasureJob } | null>(null);
  // A new search box after an erasure (the old one would still list the person).
  const [searchKey, setSearchKey] = useState(0);
  const erase = useErase();
  const id = useId();
  const name = person?.name ?? '';
  const matches = name !== '' && confirm.trim().toLowerCase() === name.trim().toLowerCase();
  const errors = useFieldErrors(erase.error);
  const fid = useFieldIds();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!person || erase.isPending) return;
    erase.mutate(
      { userId: person.id, confirmName: confirm },
      {
        onSuccess: (job) => {
          setDone({ name, job });
          setPerson(null);
          setSearchKey((k) => k + 1);
          setConfirm('');
        },
      },
    );
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="privacy-erase">
      <h2 id={`${id}-title`}>{t('privacy.erase.title')}</h2>
      <p>{t('privacy.erase.intro')}</p>
      {done && (
        <p className="alert privacy__done" role="status" data-testid="privacy-erase-done">
          {t('privacy.erase.done', { name: done.name, pseudonym: done.job.pseudonym })}
        </p>
      )}
      <PersonFilter
        key={searchKey}
        value={person}
        onChange={(p) => {
          setPerson(p);
          setConfirm('');
          erase.reset();
          if (p) setDone(null);
        }}
        nameOf={() => ''}
      />
      {person && (
        <>
          <p>
            <a className="button button--secondary" href={userExportDownload(person.id)} download data-testid="privacy-export-person">
              {t('privacy.erase.export', { name })}
            </a>
          </p>
          <form className="stack privacy__erase-form" onSubmit={submit} noValidate>
            <ProblemSummary error={erase.error} title={t('privacy.erase.failed')} errors={errors} fields={['confirmName']} idOf={fid} testId="privacy-erase-problem" />
            <p className="privacy__warning">{t('privacy.erase.warning', { name })}</p>
            <Field label={t('privacy.erase.confirmLabel', { name })} id={fid('confirmName')} name="confirmName" error={errors.of('confirmName')}>
              {(c) => (
                <input {...c} className="input" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" data-testid="privacy-erase-confirm" />
              )}
            </Field>
            <button
              type="submit"
              className="button privacy__danger"
              aria-disabled={!matches || erase.isPending || undefined}
              disabled={!matches}
              data-testid="privacy-erase-submit"
            >
              {erase.isPending ? t('privacy.erase.busy') : t('privacy.erase.submit', { name })}
            </button>
          </form>
        </>
      )}
    </section>
  );
}

function Erasures() {
  const { t, i18n } = useTranslation();
  const jobs = useErasures(true);
  const id = useId();
  const date = (v?: string) => (v ? new Date(v).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'nl-NL') : '');
  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="privacy-erasures">
      <h2 id={`${id}-title`}>{t('privacy.erasures.title')}</h2>
      {jobs.isPending && <Loading label={t('privacy.erasures.loading')} />}
      {jobs.isError && <ErrorAlert error={jobs.error} onRetry={() => void jobs.refetch()} />}
      {jobs.data && jobs.data.length === 0 && <p>{t('privacy.erasures.none')}</p>}
      {jobs.data && jobs.data.length > 0 && (
        // Scrolls sideways on a phone: focusable, so the keyboard can scroll it too.
        <div className="privacy__table-wrap" tabIndex={0} role="region" aria-labelledby={`${id}-title`}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('privacy.erasures.pseudonym')}</th>
                <th scope="col">{t('privacy.erasures.started')}</th>
                <th scope="col">{t('privacy.erasures.status')}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.map((j) => (
                <tr key={j.userId} data-testid="privacy-erasure-row">
                  <td>{j.pseudonym}</td>
                  <td>{date(j.startedAt)}</td>
                  <td>{j.finishedAt ? t('privacy.erasures.finished', { at: date(j.finishedAt) }) : t('privacy.erasures.busy', { done: j.steps.length })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Retention() {
  const { t } = useTranslation();
  const rules = useRetention(true);
  const id = useId();
  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="privacy-retention">
      <h2 id={`${id}-title`}>{t('privacy.retention.title')}</h2>
      <p>{t('privacy.retention.intro')}</p>
      {rules.isPending && <Loading label={t('privacy.retention.loading')} />}
      {rules.isError && <ErrorAlert error={rules.error} onRetry={() => void rules.refetch()} />}
      {rules.data && (
        <div className="privacy__table-wrap" tabIndex={0} role="region" aria-labelledby={`${id}-title`}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('privacy.retention.kind')}</th>
                <th scope="col">{t('privacy.retention.period')}</th>
              </tr>
            </thead>
            <tbody>
              {rules.data.map((r) => (
                <tr key={r.kind} data-testid={`privacy-retention-${r.kind}`}>
                  <th scope="row">{t(`privacy.retention.kinds.${r.kind}`)}</th>
                  <td>{r.days > 0 ? t('privacy.retention.days', { count: r.days }) : t('privacy.retention.kept')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
