import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { isIdentifierSuspected, useIdentifierWarning } from '../../components/IdentifierWarning';
import { Field, FieldError } from '../../components/form';
import { Loading } from '../../components/Loading';
import { matchesQuery } from '../../lib/text';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useRegions, useTeams } from '../org/api';
import { useCurrentUser } from '../session/api';
import { useAcknowledge, useAnnouncements, useCreateAnnouncement } from './api';
import { formatDateTime, revealTarget } from './format';
import { MegaphoneIcon } from './icons';
import { ANNOUNCEMENT_ROLES, type Announcement, type Audience } from './types';
import { CharCount, charLength, fits } from '../../components/CharCount';
import { QueryView } from '../../components/QueryView';
import { PageHeader } from '../../components/PageHeader';

export function canWriteAnnouncements(roles: readonly string[]): boolean {
  return roles.some((role) => (ANNOUNCEMENT_ROLES as readonly string[]).includes(role));
}

/** /mededelingen: announcements for me (acknowledge when asked), and a form for the roles that may write them. */
export function AnnouncementsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('spaces.announcements.title'));
  const user = useCurrentUser();
  const announcements = useAnnouncements();
  // /mededelingen/:announcementId (a notification's link) points at one of them.
  const { announcementId } = useParams();
  const mayWrite = canWriteAnnouncements(user.roles);
  const [writing, setWriting] = useState(false);
  const [created, setCreated] = useState<string | null>(null);

  return (
    <div className="stack sp-announcements" data-testid="announcements">
      <PageHeader title={t('spaces.announcements.title')} intro={t('spaces.announcements.intro')} />

      {mayWrite &&
        (writing ? (
          <AnnouncementForm
            onDone={(title) => {
              setWriting(false);
              setCreated(title);
            }}
            onCancel={() => setWriting(false)}
          />
        ) : (
          <div>
            <button
              type="button"
              className="button button--primary"
              data-testid="announcement-new"
              onClick={() => {
                setWriting(true);
                setCreated(null);
              }}
            >
              {t('spaces.announcements.new')}
            </button>
          </div>
        ))}
      <p role="status" aria-live="polite">
        {created && t('spaces.announcements.created', { title: created })}
      </p>

      <QueryView
        query={announcements}
        loading={t('spaces.announcements.loading')}
        empty={t('spaces.announcements.none')}
      >
        {(data) => (
          <ul className="sp-announcement-list">
            {data.map((a) => (
              <li key={a.id}>
                <AnnouncementItem
                  announcement={a}
                  target={a.id === announcementId}
                  canSeeReport={a.author.id === user.id || user.roles.includes('beheerder')}
                />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </div>
  );
}

function useAudienceLabel(audience: Audience): string {
  const { t } = useTranslation();
  const regions = useRegions();
  const teams = useTeams();
  if (audience.everyone) return t('spaces.announcements.audienceEveryone');
  const names = [
    ...audience.regions.map((id) => t('spaces.announcements.regionName', { name: regions.data?.find((r) => r.id === id)?.name ?? id })),
    ...audience.teams.map((id) => teams.data?.find((team) => team.id === id)?.name ?? id),
  ];
  return t('spaces.announcements.audienceFor', { names: names.join(', ') });
}

function AnnouncementItem({
  announcement: a,
  canSeeReport,
  target,
}: {
  announcement: Announcement;
  canSeeReport: boolean;
  target: boolean;
}) {
  const { t, i18n } = useTranslation();
  const ack = useAcknowledge();
  const audience = useAudienceLabel(a.audience);
  const headingId = useId();
  const needsAck = a.requiresAck && !a.acknowledged;
  return (
    <article
      className={[
        'sp-announcement',
        needsAck ? 'sp-announcement--todo' : '',
        target ? 'sp-announcement--target' : '',
      ].filter(Boolean).join(' ')}
      tabIndex={target ? -1 : undefined}
      ref={target ? revealTarget : undefined}
      aria-labelledby={headingId}
      data-testid="announcement"
      data-announcement-id={a.id}
    >
      <header className="sp-announcement__header">
        <MegaphoneIcon className="sp-announcement__icon" />
        <div>
          <h2 id={headingId} className="sp-announcement__title">
            {a.title}
          </h2>
          <p className="muted small">
            {t('spaces.announcements.byline', { name: a.author.name, date: formatDateTime(a.createdAt, i18n.language) })}
            {' · '}
            {audience}
          </p>
        </div>
      </header>
      {/* Safe: bodyHtml is sanitised by the server. */}
      <div className="sp-prose-html sp-announcement__body" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
      {a.requiresAck && (
        <div className="sp-announcement__ack" data-testid="announcement-ack">
          {a.acknowledged ? (
            <p className="sp-ack-done">
              <span aria-hidden="true">✓ </span>
              {a.ackedAt
                ? t('spaces.announcements.ackedAt', { date: formatDateTime(a.ackedAt, i18n.language) })
                : t('spaces.announcements.acked')}
            </p>
          ) : (
            <>
              <p>{t('spaces.announcements.ackAsk')}</p>
              <div>
                <button
                  type="button"
                  className="button button--primary"
                  data-testid="announcement-ack-button"
                  aria-disabled={ack.isPending || undefined}
                  onClick={() => !ack.isPending && ack.mutate(a.id)}
                >
                  {t('spaces.announcements.ack')}
                </button>
              </div>
            </>
          )}
          {ack.isError && <ErrorAlert error={ack.error} />}
        </div>
      )}
      {canSeeReport && a.requiresAck && (
        <p>
          <Link to={`/mededelingen/${encodeURIComponent(a.id)}/rapportage`} className="arrow-link">
            {t('spaces.announcements.report')}
          </Link>
        </p>
      )}
    </article>
  );
}

/** The server's limits (announcements.go): a title of 3–200 characters, a body of 10,000. */
const MAX_TITLE = 200;
const MAX_BODY = 10_000;

function AnnouncementForm({ onDone, onCancel }: { onDone: (title: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const create = useCreateAnnouncement();
  const regions = useRegions();
  const teams = useTeams();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [everyone, setEveryone] = useState(true);
  const [regionIds, setRegionIds] = useState<string[]>([]);
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [teamFilter, setTeamFilter] = useState('');
  const [requiresAck, setRequiresAck] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<'title' | 'body' | 'audience', string>>>({});
  const titleRef = useRef<HTMLInputElement>(null);
  const warning = useIdentifierWarning(titleRef);
  const id = useId();
  const f = (name: string) => `${id}-${name}`;

  const toggle = (list: string[], value: string, on: boolean) =>
    on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value);
  const visibleTeams = (teams.data ?? []).filter((team) => matchesQuery(teamFilter, [team.name]));

  function submit(event: FormEvent) {
    event.preventDefault();
    send(false);
  }

  function send(acknowledgeIdentifiers: boolean) {
    if (create.isPending) return;
    const next: typeof errors = {};
    if (!title.trim()) next.title = t('spaces.announcements.titleRequired');
    else if (!fits(title, MAX_TITLE)) next.title = t('charCount.over', { count: charLength(title) - MAX_TITLE });
    if (!body.trim()) next.body = t('spaces.announcements.bodyRequired');
    else if (!fits(body, MAX_BODY)) next.body = t('charCount.over', { count: charLength(body) - MAX_BODY });
    if (!everyone && regionIds.length === 0 && teamIds.length === 0) next.audience = t('spaces.announcements.audienceRequired');
    setErrors(next);
    if (Object.keys(next).length > 0) {
      if (next.title) titleRef.current?.focus();
      return;
    }
    create.mutate(
      {
        title: title.trim(),
        body,
        audience: everyone ? { everyone: true, regions: [], teams: [] } : { everyone: false, regions: regionIds, teams: teamIds },
        requiresAck,
        ...(acknowledgeIdentifiers ? { acknowledgeIdentifiers } : {}),
      },
      { onSuccess: (a) => onDone(a.title), onError: (error) => warning.held(error, () => send(true)) },
    );
  }

  return (
    <form className="panel sp-announcement-form" onSubmit={submit} noValidate aria-labelledby={f('h')} data-testid="announcement-form">
      <h2 id={f('h')}>{t('spaces.announcements.new')}</h2>
      <Field
        className="sp-field"
        id={f('title')}
        label={t('spaces.announcements.titleLabel')}
        error={errors.title}
        invalid={!fits(title, MAX_TITLE)}
        describedBy={f('title-count')}
      >
        {(c) => (
          <>
            <input {...c} ref={titleRef} className="input" value={title} onChange={(e) => setTitle(e.target.value)} />
            <CharCount id={f('title-count')} text={title} max={MAX_TITLE} />
          </>
        )}
      </Field>
      <Field
        className="sp-field"
        id={f('body')}
        label={t('spaces.announcements.bodyLabel')}
        hint={t('spaces.composer.markdownHint')}
        error={errors.body}
        invalid={!fits(body, MAX_BODY)}
        describedBy={f('body-count')}
      >
        {(c) => (
          <>
            <textarea {...c} className="input sp-textarea" rows={6} value={body} onChange={(e) => setBody(e.target.value)} />
            <CharCount id={f('body-count')} text={body} max={MAX_BODY} />
          </>
        )}
      </Field>

      <fieldset className="sp-fieldset" aria-describedby={errors.audience ? f('audience-error') : undefined}>
        <legend className="field-label">{t('spaces.announcements.audience')}</legend>
        <label className="sp-checkbox">
          <input type="radio" name={f('audience')} checked={everyone} onChange={() => setEveryone(true)} />
          <span>{t('spaces.announcements.audienceEveryone')}</span>
        </label>
        <label className="sp-checkbox">
          <input type="radio" name={f('audience')} checked={!everyone} onChange={() => setEveryone(false)} />
          <span>{t('spaces.announcements.audienceSelection')}</span>
        </label>
        <FieldError id={f('audience-error')} message={errors.audience} />
        {!everyone && (
          <div className="sp-audience-pickers">
            <fieldset className="sp-fieldset">
              <legend className="field-label">{t('spaces.announcements.regions')}</legend>
              {regions.isPending ? (
                <Loading label={t('spaces.common.loading')} />
              ) : regions.isError ? (
                <ErrorAlert error={regions.error} />
              ) : (
                <ul className="sp-check-list">
                  {regions.data.map((region) => (
                    <li key={region.id}>
                      <label className="sp-checkbox">
                        <input
                          type="checkbox"
                          checked={regionIds.includes(region.id)}
                          onChange={(e) => setRegionIds((list) => toggle(list, region.id, e.target.checked))}
                        />
                        <span>{region.name}</span>
                      </label>
                    </li>
                  ))}
                </ul>
              )}
            </fieldset>
            <fieldset className="sp-fieldset">
              <legend className="field-label">{t('spaces.announcements.teams')}</legend>
              <label htmlFor={f('team-filter')} className="field-hint">
                {t('spaces.announcements.teamFilter')}
              </label>
              <input
                id={f('team-filter')}
                type="search"
                className="input"
                value={teamFilter}
                onChange={(e) => setTeamFilter(e.target.value)}
              />
              {teams.isPending ? (
                <Loading label={t('spaces.common.loading')} />
              ) : teams.isError ? (
                <ErrorAlert error={teams.error} />
              ) : (
                <ul className="sp-check-list sp-check-list--scroll">
                  {visibleTeams.map((team) => (
                    <li key={team.id}>
                      <label className="sp-checkbox">
                        <input
                          type="checkbox"
                          checked={teamIds.includes(team.id)}
                          onChange={(e) => setTeamIds((list) => toggle(list, team.id, e.target.checked))}
                        />
                        <span>{team.name}</span>
                      </label>
                    </li>
                  ))}
                </ul>
              )}
              <p className="field-hint" aria-live="polite">
                {t('spaces.announcements.selected', { count: regionIds.length + teamIds.length })}
              </p>
            </fieldset>
          </div>
        )}
      </fieldset>

      <label className="sp-checkbox">
        <input type="checkbox" checked={requiresAck} onChange={(e) => setRequiresAck(e.target.checked)} aria-describedby={f('ack-hint')} />
        <span>{t('spaces.announcements.requiresAck')}</span>
      </label>
      <p id={f('ack-hint')} className="field-hint">
        {t('spaces.announcements.requiresAckHint')}
      </p>

      {create.isError && !isIdentifierSuspected(create.error) && <ErrorAlert error={create.error} title={t('spaces.announcements.failed')} />}
      {warning.dialog}
      <div className="sp-form-buttons">
        <button type="submit" className="button button--primary" aria-disabled={create.isPending || undefined} data-testid="announcement-submit">
          {create.isPending ? t('spaces.common.sending') : t('spaces.announcements.publish')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('spaces.common.cancel')}
        </button>
      </div>
    </form>
  );
}
