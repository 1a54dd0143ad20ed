import type { TFunction } from 'i18next';
import { useQueryClient, type InfiniteData, type UseInfiniteQueryResult } from '@tanstack/react-query';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, ProblemSummary, useFieldErrors, useFieldIds, type FieldMessage } from '../../components/form';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useCurrentUser } from '../session/api';
import { ACCESS_LOG_PATH, isAdministrator } from './access';
import { accessLogKeys, useAccessLog } from './api';
import { checkPeriod, defaultQuery, paramsFromQuery, queryFromParams } from './filters';
import { actionLabel, formatAt, formatDay } from './format';
import { PersonFilter, type ChosenPerson } from './PersonFilter';
import { ACCESS_ACTIONS, type AccessLogEntry, type AccessLogPage, type AccessLogQuery } from './types';
import './accesslog.css';
import { PageHeader } from '../../components/PageHeader';

/** The form's fields, top to bottom, by the server's parameter names (its 422 errors name these). */
const FORM_FIELDS = ['from', 'to', 'action', 'subject', 'user'];

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
      <PageHeader title={t('accesslog.title')} intro={t('accesslog.intro')} />
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
  const problem = !refused && log.isError && !log.data && isApiError(log.error) && log.error.status === 422 ? log.error : null;

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
        refused={refused ?? []}
        problem={problem}
        hasParams={searchParams.toString() !== ''}
        onApply={apply}
      />
      <Results
        log={log}
        query={query}
        items={items}
        refused={Boolean(refused || problem)}
      />
    </>
  );
}

/** Messages for a period our own check refuses; null when it is fine. */
function periodErrors(t: TFunction, query: AccessLogQuery): FieldMessage[] | null {
  const problems = checkPeriod(query);
  if (problems.length === 0) return null;
  return problems.map((p) => ({ field: p.field, message: t(`accesslog.errors.${p.problem}`) }));
}

interface FilterFormProps {
  query: AccessLogQuery;
  nameOf: (id: string) => string;
  /** Our own check of the URL's period (the request was not made). */
  refused: FieldMessage[];
  /** The server's 422 for the URL's filters. */
  problem: unknown;
  hasParams: boolean;
  onApply: (query: AccessLogQuery, personName?: string) => void;
}

function FilterForm({ query, nameOf, refused, problem, hasParams, onApply }: FilterFormProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<AccessLogQuery>(query);
  const [personName, setPersonName] = useState<string | undefined>(undefined);
  const [clientErrors, setClientErrors] = useState<FieldMessage[] | null>(null);
  const [tries, setTries] = useState(0);
  const id = useId();
  const fid = useFieldIds();

  // Our own check after a submit wins; otherwise what was said about the URL's filters.
  const shownProblem = clientErrors ? null : problem;
  const errors = useFieldErrors(shownProblem, { client: clientErrors ?? refused });
  const testId = (name: string) => `al-error-${name}`;

  function update(patch: Partial<AccessLogQuery>) {
    setDraft((current) => ({ ...current, ...patch }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = { ...draft, subject: draft.subject.trim() };
    const found = periodErrors(t, next);
    if (found) {
      // The summary takes focus and links to the fields to fix.
      setClientErrors(found);
      setTries((n) => n + 1);
      return;
    }
    setClientErrors(null);
    onApply(next, next.user ? personName : undefined);
  }

  const person: ChosenPerson | null = draft.user ? { id: draft.user, name: personName } : null;

  return (
    <form
      className="panel al-filters"
      aria-labelledby={`${id}-title`}
      onSubmit={submit}
      noValidate
      data-testid="al-filters"
    >
      <h2 id={`${id}-title`} className="al-filters__title">
        {t('accesslog.filters.title')}
      </h2>
      <ProblemSummary
        error={shownProblem}
        title={t('accesslog.errors.title')}
        errors={errors}
        fields={FORM_FIELDS}
        idOf={fid}
        focusKey={tries}
        testId="al-filter-problem"
      />
      <fieldset className="al-fieldset">
        <legend className="field-label">{t('accesslog.filters.period')}</legend>
        <div className="al-row">
          <Field
            className="al-field"
            id={fid('from')}
            label={t('accesslog.filters.from')}
            error={errors.of('from')}
            describedBy={`${id}-period-hint`}
            errorTestId={testId('from')}
          >
            {(c) => <input {...c} type="date" className="input" value={draft.from} onChange={(event) => update({ from: event.target.value })} />}
          </Field>
          <Field
            className="al-field"
            id={fid('to')}
            label={t('accesslog.filters.to')}
            error={errors.of('to')}
            describedBy={`${id}-period-hint`}
            errorTestId={testId('to')}
          >
            {(c) => <input {...c} type="date" className="input" value={draft.to} onChange={(event) => update({ to: event.target.value })} />}
          </Field>
        </div>
        <p id={`${id}-period-hint`} className="field-hint">
          {t('accesslog.filters.periodHint')}
        </p>
      </fieldset>

      <div className="al-row">
        <Field className="al-field" id={fid('action')} label={t('accesslog.filters.action')} error={errors.of('action')} errorTestId={testId('action')}>
          {(c) => (
            <select {...c} className="input al-select" value={draft.action} onChange={(event) => update({ action: event.target.value })}>
              <option value="">{t('accesslog.filters.anyAction')}</option>
              {ACCESS_ACTIONS.map((action) => (
                <option key={action} value={action}>
                  {actionLabel(t, action)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          className="al-field"
          id={fid('subject')}
          label={t('accesslog.filters.subject')}
          hint={t('accesslog.filters.subjectHint')}
          error={errors.of('subject')}
          errorTestId={testId('subject')}
        >
          {(c) => (
            <input
              {...c}
              type="text"
              className="input"
              value={draft.subject}
              maxLength={300}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => update({ subject: event.target.value })}
            />
          )}
        </Field>
      </div>

      <PersonFilter
        value={person}
        nameOf={nameOf}
        inputId={fid('user')}
        error={errors.of('user')}
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
  /** The filters are refused (by our own check or a 422): the form's summary says why. */
  refused: boolean;
}

function Results({ log, query, items, refused }: ResultsProps) {
  const { t } = useTranslation();
  const titleId = useId();

  let body;
  if (refused && (!log.data || log.isPending)) {
    body = <p className="muted">{t('accesslog.results.refused')}</p>;
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
