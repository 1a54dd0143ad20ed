import type { TFunction } from 'i18next';
import { useQueryClient, type InfiniteData, type UseInfiniteQueryResult } from '@tanstack/react-query';
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import type { ProblemFieldError } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { AlertIcon } from '../../components/Icons';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useCurrentUser } from '../session/api';
import { ACCESS_LOG_PATH, isAdministrator } from './access';
import { accessLogKeys, useAccessLog } from './api';
import { checkPeriod, defaultQuery, paramsFromQuery, queryFromParams } from './filters';
import { actionLabel, formatAt, formatDay } from './format';
import { PersonFilter, type ChosenPerson } from './PersonFilter';
import { ACCESS_ACTIONS, type AccessLogEntry, type AccessLogPage, type AccessLogQuery } from './types';
import { useProblemText } from '../../lib/problemText';
import './accesslog.css';

/** The form's fields, by the server's parameter names (its 422 errors name these). */
const FORM_FIELDS = ['from', 'to', 'action', 'user', 'subject'] as const;
type FormField = (typeof FORM_FIELDS)[number];
type FieldErrors = Partial<Record<FormField, string>>;

function isFormField(field: string): field is FormField {
  return (FORM_FIELDS as readonly string[]).includes(field);
}

/** What the page remembers with the URL when a person is picked, so the name shows at once. */
interface LocationState {
  wieNaam?: string;
}

type AccessLogResult = UseInfiniteQueryResult<InfiniteData<AccessLogPage>, Error>;

/**
 * /beheer/toegangslog: the NEN 7513 review of who accessed which personal
 * data, for administrators. The filters live in the URL (van, tot, actie,
 * wie, onderwerp); the list follows the URL. Anyone else gets a friendly
 * message and no request is made.
 */
export function AccessLogPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('accesslog.title'));
  const user = useCurrentUser();
  return (
    <div className="stack al" data-testid="accesslog-page">
      <header className="page-header">
        <h1>{t('accesslog.title')}</h1>
        <p className="page-header__intro">{t('accesslog.intro')}</p>
      </header>
      {isAdministrator(user) ? <AccessLogReview /> : <NoAccess />}
    </div>
  );
}

function NoAccess() {
  const { t } = useTranslation();
  return (
    <div className="empty-state" data-testid="al-no-access">
      <p className="empty-state__title">{t('accesslog.noAccess.title')}</p>
      <p>{t('accesslog.noAccess.body')}</p>
    </div>
  );
}

function AccessLogReview() {
  const { t } = useTranslation();
  const say = useProblemText();
  const [defaults] = useState(() => defaultQuery());
  const [searchParams, setSearchParams] = useSearchParams();
  const location = useLocation();
  const queryClient = useQueryClient();
  const query = useMemo(() => queryFromParams(searchParams, defaults), [searchParams, defaults]);
  // A period from the URL that the server would refuse is not sent: it is explained in Dutch instead.
  const refused = periodErrors(t, query);
  const log = useAccessLog(query, !refused);
  const items = useMemo(() => (log.data?.pages ?? []).flatMap((page) => page.items ?? []), [log.data]);

  const pickedName = (location.state as LocationState | null)?.wieNaam;
  const nameOf = (id: string) =>
    (id === query.user && pickedName) || items.find((entry) => entry.userId === id && entry.userName)?.userName || id;

  // What is wrong with the URL's filters: our period check, else a 422 naming the fields.
  const problem = log.isError && !log.data && isApiError(log.error) && log.error.status === 422 ? log.error : null;
  const queryErrors: FieldErrors = { ...refused };
  for (const fe of problem?.errors ?? []) {
    if (isFormField(fe.field) && !queryErrors[fe.field]) queryErrors[fe.field] = say.field(fe);
  }

  function apply(next: AccessLogQuery, personName?: string) {
    const params = paramsFromQuery(next);
    const same = paramsFromQuery(query).toString() === params.toString();
    const name = personName ?? (next.user === query.user ? pickedName : undefined);
    const state: LocationState | null = next.user && name ? { wieNaam: name } : null;
    setSearchParams(params, { state });
    // The same filters again: show the newest entries again, from the first page.
    if (same) void queryClient.resetQueries({ queryKey: accessLogKeys.list(query), exact: true });
  }

  return (
    <>
      <FilterForm
        key={searchParams.toString()}
        query={query}
        nameOf={nameOf}
        queryErrors={queryErrors}
        hasParams={searchParams.toString() !== ''}
        onApply={apply}
      />
      <Results
        log={log}
        query={query}
        items={items}
        problemErrors={refused ? [] : (problem?.errors ?? null)}
      />
    </>
  );
}

/** Messages for a period our own check refuses, by field; null when it is fine. */
function periodErrors(t: TFunction, query: AccessLogQuery): FieldErrors | null {
  const problems = checkPeriod(query);
  if (problems.length === 0) return null;
  const errors: FieldErrors = {};
  for (const p of problems) errors[p.field] ??= t(`accesslog.errors.${p.problem}`);
  return errors;
}

interface FilterFormProps {
  query: AccessLogQuery;
  nameOf: (id: string) => string;
  queryErrors: FieldErrors;
  hasParams: boolean;
  onApply: (query: AccessLogQuery, personName?: string) => void;
}

function FilterForm({ query, nameOf, queryErrors, hasParams, onApply }: FilterFormProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<AccessLogQuery>(query);
  const [personName, setPersonName] = useState<string | undefined>(undefined);
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();

  // Our own check after a submit wins; otherwise what the server said about the URL's filters.
  const errors = clientErrors ?? queryErrors;
  const errorId = (field: FormField) => `${id}-${field}-error`;
  const describedBy = (field: FormField, hint?: string) =>
    [hint, errors[field] ? errorId(field) : undefined].filter(Boolean).join(' ') || undefined;
  const fieldError = (field: FormField) =>
    errors[field] ? (
      <p id={errorId(field)} className="al-field-error" data-testid={`al-error-${field}`}>
        {errors[field]}
      </p>
    ) : null;

  function update(patch: Partial<AccessLogQuery>) {
    setDraft((current) => ({ ...current, ...patch }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = { ...draft, subject: draft.subject.trim() };
    const found = periodErrors(t, next);
    if (found) {
      setClientErrors(found);
      // Take the reviewer to the first field to fix.
      const first = FORM_FIELDS.find((field) => found[field]);
      formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
      return;
    }
    setClientErrors(null);
    onApply(next, next.user ? personName : undefined);
  }

  const person: ChosenPerson | null = draft.user ? { id: draft.user, name: personName } : null;

  return (
    <form
      ref={formRef}
      className="panel al-filters"
      aria-labelledby={`${id}-title`}
      onSubmit={submit}
      noValidate
      data-testid="al-filters"
    >
      <h2 id={`${id}-title`} className="al-filters__title">
        {t('accesslog.filters.title')}
      </h2>
      <fieldset className="al-fieldset">
        <legend className="field-label">{t('accesslog.filters.period')}</legend>
        <div className="al-row">
          <div className="al-field">
            <label htmlFor={`${id}-from`}>{t('accesslog.filters.from')}</label>
            <input
              id={`${id}-from`}
              type="date"
              className="input"
              value={draft.from}
              data-field="from"
              aria-invalid={errors.from ? true : undefined}
              aria-describedby={describedBy('from', `${id}-period-hint`)}
              onChange={(event) => update({ from: event.target.value })}
            />
            {fieldError('from')}
          </div>
          <div className="al-field">
            <label htmlFor={`${id}-to`}>{t('accesslog.filters.to')}</label>
            <input
              id={`${id}-to`}
              type="date"
              className="input"
              value={draft.to}
              data-field="to"
              aria-invalid={errors.to ? true : undefined}
              aria-describedby={describedBy('to', `${id}-period-hint`)}
              onChange={(event) => update({ to: event.target.value })}
            />
            {fieldError('to')}
          </div>
        </div>
        <p id={`${id}-period-hint`} className="field-hint">
          {t('accesslog.filters.periodHint')}
        </p>
      </fieldset>

      <div className="al-row">
        <div className="al-field">
          <label htmlFor={`${id}-action`} className="field-label">
            {t('accesslog.filters.action')}
          </label>
          <select
            id={`${id}-action`}
            className="input al-select"
            value={draft.action}
            data-field="action"
            aria-invalid={errors.action ? true : undefined}
            aria-describedby={describedBy('action')}
            onChange={(event) => update({ action: event.target.value })}
          >
            <option value="">{t('accesslog.filters.anyAction')}</option>
            {ACCESS_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {actionLabel(t, action)}
              </option>
            ))}
          </select>
          {fieldError('action')}
        </div>
        <div className="al-field">
          <label htmlFor={`${id}-subject`} className="field-label">
            {t('accesslog.filters.subject')}
          </label>
          <input
            id={`${id}-subject`}
            type="text"
            className="input"
            value={draft.subject}
            maxLength={300}
            autoComplete="off"
            spellCheck={false}
            data-field="subject"
            aria-invalid={errors.subject ? true : undefined}
            aria-describedby={describedBy('subject', `${id}-subject-hint`)}
            onChange={(event) => update({ subject: event.target.value })}
          />
          <p id={`${id}-subject-hint`} className="field-hint">
            {t('accesslog.filters.subjectHint')}
          </p>
          {fieldError('subject')}
        </div>
      </div>

      <PersonFilter
        value={person}
        nameOf={nameOf}
        error={errors.user}
        onChange={(chosen) => {
          setPersonName(chosen?.name);
          update({ user: chosen?.id ?? '' });
        }}
      />

      <div className="al-actions">
        <button type="submit" className="button button--primary" data-testid="al-submit">
          {t('accesslog.filters.submit')}
        </button>
        {hasParams && (
          <Link to={ACCESS_LOG_PATH} className="button button--quiet" data-testid="al-reset">
            {t('accesslog.filters.reset')}
          </Link>
        )}
      </div>
    </form>
  );
}

interface ResultsProps {
  log: AccessLogResult;
  query: AccessLogQuery;
  items: AccessLogEntry[];
  /**
   * Set when the filters are refused: the errors of a 422 (those of the form
   * stand beside the fields), or none when our own check refused the period.
   */
  problemErrors: ProblemFieldError[] | null;
}

function Results({ log, query, items, problemErrors }: ResultsProps) {
  const { t } = useTranslation();
  const titleId = useId();

  let body;
  if (problemErrors && (!log.data || log.isPending)) {
    // Our own check stopped the request (no errors listed), or the server answered 422.
    body = <FilterProblem error={log.error} otherErrors={problemErrors} />;
  } else if (log.isPending) {
    body = <Loading label={t('accesslog.results.loading')} />;
  } else if (!log.data) {
    if (isApiError(log.error) && log.error.status === 403) body = <NoAccess />;
    else body = <ErrorAlert error={log.error} onRetry={() => void log.refetch()} />;
  } else if (items.length === 0) {
    body = (
      <div className="empty-state" data-testid="al-empty">
        <p className="empty-state__title">{t('accesslog.results.emptyTitle')}</p>
        <p>{t('accesslog.results.emptyBody')}</p>
      </div>
    );
  } else {
    body = (
      <>
        <p className="muted" role="status" aria-live="polite" data-testid="al-count">
          {t('accesslog.results.count', { count: items.length })}{' '}
          {log.hasNextPage ? t('accesslog.results.moreAvailable') : t('accesslog.results.end')}
        </p>
        <EntryTable items={items} query={query} />
        {log.isFetchNextPageError && <ErrorAlert error={log.error} onRetry={() => void log.fetchNextPage()} />}
        {log.hasNextPage && (
          <div>
            <button
              type="button"
              className="button button--secondary"
              data-testid="al-more"
              aria-disabled={log.isFetchingNextPage || undefined}
              onClick={() => {
                if (!log.isFetchingNextPage) void log.fetchNextPage();
              }}
            >
              {log.isFetchingNextPage ? t('accesslog.results.loadingMore') : t('accesslog.results.more')}
            </button>
          </div>
        )}
      </>
    );
  }

  return (
    <section className="stack stack--tight" aria-labelledby={titleId} data-testid="al-results">
      <h2 id={titleId}>{t('accesslog.results.title')}</h2>
      {body}
    </section>
  );
}

/** Refused filters: the messages stand beside the fields; this says so, and lists any that have no field. */
function FilterProblem({ error, otherErrors }: { error: unknown; otherErrors: ProblemFieldError[] }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const problem = isApiError(error) && error.status === 422 ? error : null;
  const other = otherErrors.filter((fe) => !isFormField(fe.field));
  return (
    <div className="alert alert--error" role="alert" data-testid="al-filter-problem">
      <AlertIcon className="alert__icon" />
      <div className="alert__body">
        <p className="alert__title">{t('accesslog.errors.title')}</p>
        {problem && <p>{say.problem(problem)}</p>}
        {other.length > 0 && (
          <ul>
            {other.map((fe, i) => (
              <li key={`${fe.field}:${fe.code ?? ''}:${i}`}>{say.fieldLine(fe)}</li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

function EntryTable({ items, query }: { items: AccessLogEntry[]; query: AccessLogQuery }) {
  const { t } = useTranslation();
  const captionId = useId();
  const col = {
    at: t('accesslog.columns.at'),
    user: t('accesslog.columns.user'),
    action: t('accesslog.columns.action'),
    subject: t('accesslog.columns.subject'),
    route: t('accesslog.columns.route'),
  };
  return (
    <div className="table-scroll al-table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="data-table al-table" data-testid="al-table">
        <caption id={captionId}>
          {t('accesslog.results.caption', { from: formatDay(query.from), to: formatDay(query.to) })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{col.at}</th>
            <th scope="col">{col.user}</th>
            <th scope="col">{col.action}</th>
            <th scope="col">{col.subject}</th>
            <th scope="col">{col.route}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((entry) => (
            <tr key={entry.id} data-testid="al-row" data-id={entry.id}>
              <td data-label={col.at} className="al-table__at">
                <time dateTime={entry.at}>{formatAt(entry.at)}</time>
              </td>
              <td data-label={col.user}>
                <span className="al-table__user">{entry.userName || t('accesslog.entry.unknownUser', { id: entry.userId })}</span>
                {entry.onBehalfOf && (
                  <span className="al-table__sub">{t('accesslog.entry.onBehalfOf', { who: entry.onBehalfOf })}</span>
                )}
              </td>
              <td data-label={col.action}>
                <span className={`al-action al-action--${entry.action}`}>{actionLabel(t, entry.action)}</span>
              </td>
              <td data-label={col.subject} className="al-table__code">
                {entry.subject}
              </td>
              <td data-label={col.route}>
                <span className="al-table__code">{entry.route}</span>
                <span className="al-table__sub">
                  {t('accesslog.entry.details', { ip: entry.ip, requestId: entry.requestId, session: entry.session })}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
