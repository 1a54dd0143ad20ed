import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, FieldError } from '../../components/form';
import { isIdentifierSuspected, useIdentifierWarning } from '../../components/IdentifierWarning';
import { Loading } from '../../components/Loading';
import { SavedCopyNote } from '../../components/OfflineStatus';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { eventsPath, useCalendarFeed, useCreateEvent, useDeleteEvent, useEvents, useResetCalendarFeed } from './api';
import { addDays, dayLabel, formatDate, formatTime, groupByDay, localDay, revealTarget } from './format';
import { CalendarIcon } from './icons';
import { useSpaceOutlet } from './SpaceLayout';
import type { EventInput, Space, SpaceEvent, Visibility } from './types';
import { CharCount, charLength, fits } from '../../components/CharCount';
import { QueryView } from '../../components/QueryView';

/** The server's limits for an event (events.go). */
const MAX_EVENT_TITLE = 200;
const MAX_EVENT_DESCRIPTION = 2000;

/** How far ahead the agenda looks. */
export const AGENDA_DAYS = 180;

/** Local date + time ("2026-11-20", "09:30") → RFC 3339 UTC timestamp. */
function toIso(date: string, time: string): string {
  return new Date(`${date}T${time || '00:00'}`).toISOString();
}

/**
 * Form values → the API's event. Timed events: RFC 3339 timestamps. All-day
 * events: dates (yyyy-mm-dd), the end being the last day (inclusive).
 */
export function eventTimes(v: { startDate: string; startTime: string; endDate: string; endTime: string; allDay: boolean }) {
  if (v.allDay) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v.startDate)) throw new Error('invalid date');
    return { start: v.startDate, end: v.endDate || v.startDate };
  }
  return { start: toIso(v.startDate, v.startTime), end: toIso(v.endDate || v.startDate, v.endTime) };
}

/** /ruimtes/:spaceId/agenda: upcoming events, a form to add one, and the personal calendar feed. */
export function AgendaPage() {
  const { t } = useTranslation();
  const space = useSpaceOutlet();
  useDocumentTitle(t('spaces.agenda.documentTitle', { name: space.name }));
  const [range] = useState(() => {
    const today = new Date();
    return { from: localDay(today), to: localDay(addDays(today, AGENDA_DAYS)) };
  });
  const events = useEvents(space.id, range.from, range.to);
  const { eventId } = useParams();

  return (
    <div className="stack sp-agenda" data-testid="agenda">
      <section className="stack stack--tight" aria-labelledby="agenda-title">
        <h2 id="agenda-title">{t('spaces.agenda.title')}</h2>
        <SavedCopyNote path={eventsPath(space.id, range.from, range.to)} dataUpdatedAt={events.dataUpdatedAt} />
        <QueryView query={events} loading={t('spaces.agenda.loading')} empty={t('spaces.agenda.none')}>
          {(data) => <EventList space={space} events={data} targetId={eventId} />}
        </QueryView>
      </section>
      {space.member && <EventForm space={space} />}
      <FeedPanel space={space} />
    </div>
  );
}

function EventList({ space, events, targetId }: { space: Space; events: SpaceEvent[]; targetId?: string }) {
  const { t, i18n } = useTranslation();
  const groups = groupByDay(events, (e) => e.start);
  return (
    <div className="sp-agenda__days">
      {groups.map((group) => (
        <section key={group.day} className="sp-agenda__day" aria-labelledby={`day-${group.day}`}>
          <h3 id={`day-${group.day}`} className="sp-agenda__day-title">
            {dayLabel(group.items[0]!.start, t, i18n.language)}
          </h3>
          <ul className="sp-event-list">
            {group.items.map((event) => (
              <EventItem key={event.id} space={space} event={event} target={event.id === targetId} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function EventItem({ space, event, target }: { space: Space; event: SpaceEvent; target: boolean }) {
  const { t, i18n } = useTranslation();
  const remove = useDeleteEvent(space.id);
  const lastDay = localDay(event.end);
  const multiDay = lastDay !== localDay(event.start);
  let when: string;
  if (event.allDay) {
    when = multiDay
      ? t('spaces.agenda.allDayUntil', { date: formatDate(lastDay, i18n.language) })
      : t('spaces.agenda.allDay');
  } else {
    when = multiDay
      ? t('spaces.agenda.timeUntilDate', {
          start: formatTime(event.start, i18n.language),
          date: formatDate(event.end, i18n.language),
          end: formatTime(event.end, i18n.language),
        })
      : t('spaces.agenda.timeRange', { start: formatTime(event.start, i18n.language), end: formatTime(event.end, i18n.language) });
  }
  return (
    <li
      className={target ? 'sp-event sp-event--target' : 'sp-event'}
      data-testid="event"
      data-event-id={event.id}
      tabIndex={target ? -1 : undefined}
      ref={target ? revealTarget : undefined}
    >
      <p className="sp-event__when">
        <CalendarIcon className="sp-event__icon" />
        <time dateTime={event.start}>{when}</time>
      </p>
      <h4 className="sp-event__title">{event.title}</h4>
      {event.location && <p className="sp-event__location">{t('spaces.agenda.at', { location: event.location })}</p>}
      {event.description && <p className="sp-event__description">{event.description}</p>}
      <p className="muted small">
        {t(event.visibility === 'team' ? 'spaces.visibility.teamShort' : 'spaces.visibility.organisationShort')} ·{' '}
        {t('spaces.agenda.createdBy', { name: event.createdBy.name })}
      </p>
      {event.canDelete && (
        <button
          type="button"
          className="button button--quiet sp-button--small"
          aria-disabled={remove.isPending || undefined}
          onClick={() => !remove.isPending && remove.mutate(event.id)}
        >
          {t('spaces.agenda.delete')}
          <span className="visually-hidden"> {event.title}</span>
        </button>
      )}
      {remove.isError && <ErrorAlert error={remove.error} />}
    </li>
  );
}

interface EventFormState {
  title: string;
  startDate: string;
  startTime: string;
  endDate: string;
  endTime: string;
  allDay: boolean;
  location: string;
  description: string;
  visibility: Visibility;
}

function emptyEvent(isTeam: boolean): EventFormState {
  return {
    title: '',
    startDate: localDay(new Date()),
    startTime: '09:00',
    endDate: '',
    endTime: '10:00',
    allDay: false,
    location: '',
    description: '',
    visibility: isTeam ? 'team' : 'organisation',
  };
}

function EventForm({ space }: { space: Space }) {
  const { t } = useTranslation();
  const isTeam = space.kind === 'team';
  const create = useCreateEvent(space.id);
  const [form, setForm] = useState<EventFormState>(() => emptyEvent(isTeam));
  const [errors, setErrors] = useState<Partial<Record<'title' | 'startDate' | 'end', string>>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const warning = useIdentifierWarning(titleRef);
  const id = useId();
  const f = (name: string) => `${id}-${name}`;
  const set = <K extends keyof EventFormState>(key: K, value: EventFormState[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    setSaved(null);
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    send(false);
  }

  function send(acknowledgeIdentifiers: boolean) {
    if (create.isPending) return;
    const next: typeof errors = {};
    if (!form.title.trim()) next.title = t('spaces.agenda.titleRequired');
    else if (!fits(form.title, MAX_EVENT_TITLE)) next.title = t('charCount.over', { count: charLength(form.title) - MAX_EVENT_TITLE });
    if (!fits(form.description, MAX_EVENT_DESCRIPTION)) return; // its counter says by how much
    if (!form.startDate) next.startDate = t('spaces.agenda.dateRequired');
    let times: { start: string; end: string } | null = null;
    if (!next.startDate) {
      try {
        times = eventTimes(form);
        const tooEarly = form.allDay ? times.end < times.start : new Date(times.end).getTime() <= new Date(times.start).getTime();
        if (tooEarly) next.end = t('spaces.agenda.endBeforeStart');
      } catch {
        next.startDate = t('spaces.agenda.dateRequired');
      }
    }
    setErrors(next);
    if (Object.keys(next).length > 0 || !times) {
      if (next.title) titleRef.current?.focus();
      return;
    }
    const input: EventInput = {
      title: form.title.trim(),
      start: times.start,
      end: times.end,
      allDay: form.allDay,
      location: form.location.trim(),
      description: form.description.trim(),
      visibility: isTeam ? form.visibility : 'organisation',
      ...(acknowledgeIdentifiers ? { acknowledgeIdentifiers } : {}),
    };
    create.mutate(input, {
      onSuccess: () => {
        setSaved(input.title);
        setForm(emptyEvent(isTeam));
      },
      onError: (error) => {
        warning.held(error, () => send(true));
      },
    });
  }

  return (
    <form className="panel sp-event-form" onSubmit={submit} noValidate aria-labelledby={f('h')} data-testid="event-form">
      <h2 id={f('h')}>{t('spaces.agenda.add')}</h2>
      <Field
        className="sp-field"
        id={f('title')}
        label={t('spaces.agenda.eventTitle')}
        error={errors.title}
        invalid={!fits(form.title, MAX_EVENT_TITLE)}
        describedBy={f('title-count')}
      >
        {(c) => (
          <>
            <input {...c} ref={titleRef} className="input" value={form.title} onChange={(e) => set('title', e.target.value)} />
            <CharCount id={f('title-count')} text={form.title} max={MAX_EVENT_TITLE} />
          </>
        )}
      </Field>
      <label className="sp-checkbox">
        <input type="checkbox" checked={form.allDay} onChange={(e) => set('allDay', e.target.checked)} />
        <span>{t('spaces.agenda.allDayLabel')}</span>
      </label>
      <div className="sp-field-row">
        <Field className="sp-field" id={f('startDate')} label={t('spaces.agenda.startDate')} error={errors.startDate}>
          {(c) => <input {...c} type="date" className="input" value={form.startDate} onChange={(e) => set('startDate', e.target.value)} />}
        </Field>
        {!form.allDay && (
          <Field className="sp-field" id={f('startTime')} label={t('spaces.agenda.startTime')}>
            {(c) => <input {...c} type="time" className="input" value={form.startTime} onChange={(e) => set('startTime', e.target.value)} />}
          </Field>
        )}
      </div>
      <div className="sp-field-row">
        <Field className="sp-field" id={f('endDate')} label={t('spaces.agenda.endDate')} hint={t('spaces.agenda.endDateHint')}>
          {(c) => <input {...c} type="date" className="input" value={form.endDate} onChange={(e) => set('endDate', e.target.value)} />}
        </Field>
        {!form.allDay && (
          // The end's error stands under the row: it is about the end date and time together.
          <Field
            className="sp-field"
            id={f('endTime')}
            label={t('spaces.agenda.endTime')}
            invalid={Boolean(errors.end)}
            describedBy={errors.end ? f('end-error') : undefined}
          >
            {(c) => <input {...c} type="time" className="input" value={form.endTime} onChange={(e) => set('endTime', e.target.value)} />}
          </Field>
        )}
      </div>
      <FieldError id={f('end-error')} message={errors.end} />
      <Field className="sp-field" id={f('location')} label={t('spaces.agenda.location')}>
        {(c) => <input {...c} className="input" value={form.location} maxLength={200} onChange={(e) => set('location', e.target.value)} />}
      </Field>
      <Field
        className="sp-field"
        id={f('description')}
        label={t('spaces.agenda.description')}
        invalid={!fits(form.description, MAX_EVENT_DESCRIPTION)}
        describedBy={f('description-count')}
      >
        {(c) => (
          <>
            <textarea {...c} className="input sp-textarea" rows={3} value={form.description} onChange={(e) => set('description', e.target.value)} />
            <CharCount id={f('description-count')} text={form.description} max={MAX_EVENT_DESCRIPTION} />
          </>
        )}
      </Field>
      {isTeam && (
        <Field
          className="sp-field"
          id={f('visibility')}
          label={t('spaces.composer.visibilityLabel')}
          hint={
            form.visibility === 'team'
              ? t('spaces.agenda.visibilityTeamHint', { name: space.name })
              : t('spaces.agenda.visibilityOrganisationHint')
          }
        >
          {(c) => (
            <select {...c} className="input sp-select" value={form.visibility} onChange={(e) => set('visibility', e.target.value as Visibility)}>
              <option value="team">{t('spaces.visibility.team')}</option>
              <option value="organisation">{t('spaces.visibility.organisation')}</option>
            </select>
          )}
        </Field>
      )}
      {create.isError && !isIdentifierSuspected(create.error) && <ErrorAlert error={create.error} />}
      {warning.dialog}
      <div>
        <button type="submit" className="button button--primary" aria-disabled={create.isPending || undefined}>
          {create.isPending ? t('spaces.common.saving') : t('spaces.agenda.save')}
        </button>
      </div>
      <p role="status" aria-live="polite">
        {saved && t('spaces.agenda.saved', { title: saved })}
      </p>
    </form>
  );
}

/**
 * "Abonneren in je agenda": the personal (secret) feed URL with copy and
 * reset, for this space's events only (?ruimte=) or for all of one's spaces.
 */
function FeedPanel({ space }: { space: Space }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const feed = useCalendarFeed(open);
  const reset = useResetCalendarFeed();
  const [copied, setCopied] = useState<'ok' | 'failed' | null>(null);
  const [confirmReset, setConfirmReset] = useState(false);
  // Only members have a space's calendar; others subscribe to all of theirs.
  const [onlyThis, setOnlyThis] = useState(space.member);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const url = useMemo(() => {
    const base = feed.data?.url ?? '';
    return base && onlyThis && space.member ? `${base}?ruimte=${encodeURIComponent(space.id)}` : base;
  }, [feed.data, onlyThis, space.id, space.member]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('ok');
    } catch {
      // Clipboard blocked: select the text so the user can copy it.
      inputRef.current?.select();
      setCopied('failed');
    }
  }

  return (
    <section className="panel sp-feed-panel" aria-labelledby={`${id}-h`} data-testid="calendar-feed">
      <h2 id={`${id}-h`}>{t('spaces.feed.title')}</h2>
      <p>{t('spaces.feed.intro')}</p>
      {!open ? (
        <div>
          <button type="button" className="button button--secondary" data-testid="calendar-feed-show" onClick={() => setOpen(true)}>
            {t('spaces.feed.show')}
          </button>
        </div>
      ) : feed.isPending ? (
        <Loading label={t('spaces.feed.loading')} />
      ) : feed.isError ? (
        <ErrorAlert error={feed.error} onRetry={() => void feed.refetch()} />
      ) : (
        <>
          {space.member && (
            <fieldset className="sp-field sp-feed-scope">
              <legend className="field-label">{t('spaces.feed.scope')}</legend>
              <label className="sp-radio">
                <input
                  type="radio"
                  name={`${id}-scope`}
                  checked={onlyThis}
                  onChange={() => {
                    setOnlyThis(true);
                    setCopied(null);
                  }}
                  data-testid="calendar-feed-this"
                />{' '}
                {t('spaces.feed.scopeThis', { name: space.name })}
              </label>
              <label className="sp-radio">
                <input
                  type="radio"
                  name={`${id}-scope`}
                  checked={!onlyThis}
                  onChange={() => {
                    setOnlyThis(false);
                    setCopied(null);
                  }}
                  data-testid="calendar-feed-all"
                />{' '}
                {t('spaces.feed.scopeAll')}
              </label>
            </fieldset>
          )}
          <div className="sp-field">
            <label htmlFor={`${id}-url`} className="field-label">
              {t('spaces.feed.urlLabel')}
            </label>
            <div className="sp-copy-field">
              <input
                ref={inputRef}
                id={`${id}-url`}
                className="input sp-copy-field__input"
                value={url}
                readOnly
                aria-describedby={`${id}-warning`}
                data-testid="calendar-feed-url"
                onFocus={(e) => e.currentTarget.select()}
              />
              <button type="button" className="button button--secondary" onClick={() => void copy()}>
                {t('spaces.feed.copy')}
              </button>
            </div>
            <p id={`${id}-warning`} className="field-hint">
              {t('spaces.feed.warning')}
            </p>
            <p role="status" aria-live="polite" className="small">
              {copied === 'ok' && t('spaces.feed.copied')}
              {copied === 'failed' && t('spaces.feed.copyFailed')}
            </p>
          </div>
          {confirmReset ? (
            <div className="sp-confirm" role="group" aria-label={t('spaces.feed.resetConfirm')}>
              <p>{t('spaces.feed.resetConfirm')}</p>
              <div className="sp-confirm__buttons">
                <button
                  type="button"
                  className="button sp-button--danger sp-button--small"
                  aria-disabled={reset.isPending || undefined}
                  onClick={() =>
                    !reset.isPending &&
                    reset.mutate(undefined, {
                      onSuccess: () => {
                        setConfirmReset(false);
                        setCopied(null);
                      },
                    })
                  }
                >
                  {t('spaces.feed.resetYes')}
                </button>
                <button type="button" className="button button--secondary sp-button--small" onClick={() => setConfirmReset(false)}>
                  {t('spaces.common.cancel')}
                </button>
              </div>
            </div>
          ) : (
            <div>
              <button type="button" className="button button--quiet" onClick={() => setConfirmReset(true)}>
                {t('spaces.feed.reset')}
              </button>
            </div>
          )}
          {reset.isError && <ErrorAlert error={reset.error} />}
          {reset.isSuccess && !confirmReset && (
            <p role="status" className="small">
              {t('spaces.feed.resetDone')}
            </p>
          )}
        </>
      )}
    </section>
  );
}
