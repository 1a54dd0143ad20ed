import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { isIdentifierSuspected, useIdentifierWarning } from '../../components/IdentifierWarning';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useProfileHistory, useSpace, useUpdateProfile } from './api';
import { formatDateTime, splitList } from './format';
import { useSpaceOutlet } from './SpaceLayout';
import type { Space } from './types';
import { CharCount, fits } from '../../components/CharCount';
import { Field, useFieldErrors } from '../../components/form';
import { QueryView } from '../../components/QueryView';

/** The server's limit for a space's description (MaxDescriptionRunes). */
const MAX_DESCRIPTION = 4000;

const FIELD_KEYS = ['description', 'workingArea', 'contact', 'phone', 'email'] as const;
type FieldKey = (typeof FIELD_KEYS)[number];

function fieldLabelKey(field: string): FieldKey | null {
  const last = field.split('.').pop() ?? field;
  return (FIELD_KEYS as readonly string[]).includes(last) ? (last as FieldKey) : null;
}

/** /ruimtes/:spaceId/profiel: edit description, working area and contact (with revision check) and see the history. */
export function ProfilePage() {
  const { t } = useTranslation();
  const space = useSpaceOutlet();
  useDocumentTitle(t('spaces.profile.documentTitle', { name: space.name }));
  return (
    <div className="stack sp-profile" data-testid="space-profile">
      {space.canEdit ? (
        <ProfileForm space={space} />
      ) : (
        <p className="sp-note">{t('spaces.profile.readOnly')}</p>
      )}
      <History space={space} />
    </div>
  );
}

function ProfileForm({ space }: { space: Space }) {
  const { t } = useTranslation();
  const update = useUpdateProfile(space.id);
  const reload = useSpace(space.id);
  const [description, setDescription] = useState(space.description ?? '');
  const [area, setArea] = useState((space.workingArea ?? []).join(', '));
  const [phone, setPhone] = useState(space.contact?.phone ?? '');
  const [email, setEmail] = useState(space.contact?.email ?? '');
  const [saved, setSaved] = useState(false);
  const id = useId();
  const descriptionRef = useRef<HTMLTextAreaElement>(null);
  const warning = useIdentifierWarning(descriptionRef);
  function fill(latest: Space) {
    setDescription(latest.description ?? '');
    setArea((latest.workingArea ?? []).join(', '));
    setPhone(latest.contact?.phone ?? '');
    setEmail(latest.contact?.email ?? '');
  }
  const f = (name: string) => `${id}-${name}`;
  const conflict = update.isError && isApiError(update.error) && update.error.status === 409;
  const fieldErrors = useFieldErrors(update.isError ? update.error : null);
  const areaItems = splitList(area);

  function submit(event: FormEvent) {
    event.preventDefault();
    send(false);
  }

  function send(acknowledgeIdentifiers: boolean) {
    if (update.isPending || !fits(description, MAX_DESCRIPTION)) return; // the counter says by how much
    setSaved(false);
    update.mutate(
      {
        description,
        workingArea: areaItems,
        contact: { phone: phone.trim(), email: email.trim() },
        revision: space.revision,
        ...(acknowledgeIdentifiers ? { acknowledgeIdentifiers } : {}),
      },
      { onSuccess: () => setSaved(true), onError: (error) => warning.held(error, () => send(true)) },
    );
  }

  return (
    <form className="panel sp-profile-form" onSubmit={submit} noValidate aria-labelledby={f('h')} data-testid="profile-form">
      <h2 id={f('h')}>{t('spaces.profile.title')}</h2>
      <Field
        className="sp-field"
        id={f('description')}
        label={t('spaces.profile.description')}
        hint={t('spaces.composer.markdownHint')}
        error={fieldErrors.of('description')}
        invalid={!fits(description, MAX_DESCRIPTION)}
        describedBy={f('description-count')}
      >
        {(c) => (
          <>
            <textarea {...c} ref={descriptionRef} className="input sp-textarea" rows={8} value={description} onChange={(e) => setDescription(e.target.value)} />
            <CharCount id={f('description-count')} text={description} max={MAX_DESCRIPTION} />
          </>
        )}
      </Field>
      <section className="sp-preview" aria-labelledby={f('sp-preview')}>
        <h3 id={f('sp-preview')} className="sp-preview__title">
          {t('spaces.profile.preview')}
        </h3>
        <p className="field-hint">{t('spaces.profile.previewHint')}</p>
        {space.descriptionHtml ? (
          // Safe: descriptionHtml is sanitised by the server.
          <div className="sp-prose-html sp-preview__body" data-testid="profile-preview" dangerouslySetInnerHTML={{ __html: space.descriptionHtml }} />
        ) : (
          <p className="muted">{t('spaces.about.noDescription')}</p>
        )}
      </section>
      {space.kind === 'team' && (
        <div className="sp-field">
          <Field
            id={f('area')}
            label={t('spaces.profile.workingArea')}
            hint={t('spaces.profile.workingAreaHint')}
            error={fieldErrors.of('workingArea')}
          >
            {(c) => <input {...c} className="input" value={area} onChange={(e) => setArea(e.target.value)} />}
          </Field>
          {areaItems.length > 0 && (
            <ul className="chips" aria-label={t('spaces.profile.workingAreaPreview')}>
              {areaItems.map((item) => (
                <li key={item} className="chip">
                  {item}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="sp-field-row">
        <Field className="sp-field" id={f('phone')} label={t('spaces.about.phone')} error={fieldErrors.of('phone')}>
          {(c) => (
            <input {...c} type="tel" autoComplete="off" className="input" value={phone} maxLength={40} onChange={(e) => setPhone(e.target.value)} />
          )}
        </Field>
        <Field className="sp-field" id={f('email')} label={t('spaces.about.email')} error={fieldErrors.of('email')}>
          {(c) => (
            <input {...c} type="email" autoComplete="off" className="input" value={email} maxLength={200} onChange={(e) => setEmail(e.target.value)} />
          )}
        </Field>
      </div>

      {conflict ? (
        <div className="alert alert--error" role="alert" data-testid="profile-conflict">
          <div className="alert__body">
            <p className="alert__title">{t('spaces.profile.conflictTitle')}</p>
            <p>{t('spaces.profile.conflictBody')}</p>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                update.reset();
                void reload.refetch().then((result) => {
                  if (result.data) fill(result.data);
                });
              }}
            >
              {t('spaces.profile.reload')}
            </button>
          </div>
        </div>
      ) : (
        update.isError && !isIdentifierSuspected(update.error) && <ErrorAlert error={update.error} title={t('spaces.profile.failed')} />
      )}
      {warning.dialog}
      <div>
        <button type="submit" className="button button--primary" aria-disabled={update.isPending || undefined} data-testid="profile-save">
          {update.isPending ? t('spaces.common.saving') : t('spaces.common.save')}
        </button>
      </div>
      <p role="status" aria-live="polite">
        {saved && t('spaces.profile.saved')}
      </p>
    </form>
  );
}

function History({ space }: { space: Space }) {
  const { t, i18n } = useTranslation();
  const history = useProfileHistory(space.id);
  return (
    <section className="panel" aria-labelledby="profile-history" data-testid="profile-history">
      <h2 id="profile-history">{t('spaces.profile.history')}</h2>
      <QueryView query={history} loading={t('spaces.profile.historyLoading')} empty={t('spaces.profile.historyNone')}>
        {(data) => (
          <ol className="sp-history">
            {data.map((rev) => {
              const fields = rev.fields
                .map((field) => {
                  const key = fieldLabelKey(field);
                  return key ? t(`spaces.profile.fields.${key}`) : field;
                })
                .join(', ');
              return (
                <li key={rev.revision} className="sp-history__item" data-testid="profile-revision">
                  <p>
                    <strong>{rev.by.name}</strong>{' '}
                    {fields ? t('spaces.profile.changed', { fields }) : t('spaces.profile.changedNothing')}
                  </p>
                  <p className="muted small">
                    <time dateTime={rev.at}>{formatDateTime(rev.at, i18n.language)}</time> ·{' '}
                    {t('spaces.profile.revision', { revision: rev.revision })}
                  </p>
                </li>
              );
            })}
          </ol>
        )}
      </QueryView>
    </section>
  );
}
