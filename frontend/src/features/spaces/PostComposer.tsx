import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { CharCount, fits } from '../../components/CharCount';
import { describedBy, ErrorSummary, Field, FieldError, ProblemSummary, useFieldErrors } from '../../components/form';
import { isIdentifierSuspected, useIdentifierWarning } from '../../components/IdentifierWarning';
import { discardUpload, spacesKeys, stageUpload, useCreatePost } from './api';
import { formatSize } from './format';
import { ACCEPTED_UPLOADS, MAX_UPLOAD_BYTES } from './http';
import { PaperclipIcon } from './icons';
import { SpaceMentionField, useSpaceMentions } from './mentions';
import { MAX_POST_LENGTH } from './PostItem';
import type { Space, Visibility } from './types';
import { useProblemText } from '../../lib/problemText';

type Status =
  | { kind: 'idle' }
  | { kind: 'uploading'; done: number; total: number }
  | { kind: 'posted' }
  | { kind: 'refused'; failed: { name: string; reason: string }[] };

/**
 * What the writer confirmed after the client-data warning: the file names
 * (refused when staged) and the text (refused when posted) are confirmed
 * apart, so confirming one never lets the other through unseen.
 */
interface Acknowledged {
  files: boolean;
  body: boolean;
}

/**
 * New post: markdown body (with @mention suggestions, sent as `<@userId>`),
 * visibility (team spaces), "team agreement" and attachments. A post and its
 * files are one outcome: each file is staged first (POST …/uploads); when
 * one is refused, the staged ones are discarded and nothing is posted (the
 * form keeps the text and files to fix); otherwise the post is created
 * naming all of them, and the server publishes them together.
 */
export function PostComposer({ space }: { space: Space }) {
  const { t, i18n } = useTranslation();
  const text = useProblemText();
  const client = useQueryClient();
  const create = useCreatePost(space.id);
  const isTeam = space.kind === 'team';
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<Visibility>(isTeam ? 'team' : 'organisation');
  const [agreement, setAgreement] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [fileErrors, setFileErrors] = useState<string[]>([]);
  const [bodyError, setBodyError] = useState<string | null>(null);
  const [tries, setTries] = useState(0);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const fileInput = useRef<HTMLInputElement>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  // The space's members first: for a team-only post only they can see it.
  const mention = useSpaceMentions({ text: body, setText: setBody, inputRef: textarea, spaceMembers: space.members });
  const ids = {
    body: useId(),
    bodyHint: useId(),
    bodyCount: useId(),
    visibility: useId(),
    visibilityHint: useId(),
    agreementHint: useId(),
    files: useId(),
    fileErrors: useId(),
  };
  const busy = create.isPending || status.kind === 'uploading';
  // Text that looks like client data (a BSN, …) is refused until confirmed.
  const warning = useIdentifierWarning(textarea);
  const refusal = isIdentifierSuspected(create.error) ? null : create.error;
  const errors = useFieldErrors(refusal, {
    client: [
      ...(bodyError ? [{ field: 'body', message: bodyError }] : []),
      ...fileErrors.map((message) => ({ field: 'attachments', message })),
    ],
  });
  const idOf = (name: string) => ({ body: ids.body, visibility: ids.visibility, attachments: ids.files })[name] ?? name;

  function pickFiles(list: FileList | null) {
    if (!list) return;
    const accepted: File[] = [];
    const errors: string[] = [];
    for (const file of Array.from(list)) {
      if (file.size === 0) errors.push(t('spaces.composer.fileEmpty', { name: file.name }));
      else if (file.size > MAX_UPLOAD_BYTES) errors.push(t('spaces.composer.fileTooLarge', { name: file.name }));
      else accepted.push(file);
    }
    setFiles((current) => [...current, ...accepted]);
    setFileErrors(errors);
    if (fileInput.current) fileInput.current.value = '';
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    await send({ files: false, body: false });
  }

  async function send(ack: Acknowledged) {
    if (busy) return;
    const encoded = mention.encode(body);
    const tooLong = fits(encoded, MAX_POST_LENGTH) ? null : t('spaces.composer.bodyTooLong', { max: MAX_POST_LENGTH });
    const problem = body.trim() ? tooLong : t('spaces.composer.bodyRequired');
    if (problem) {
      // The summary at the top takes focus and links to the field.
      create.reset();
      setStatus({ kind: 'idle' });
      setBodyError(problem);
      setTries((n) => n + 1);
      return;
    }
    setStatus({ kind: 'idle' });
    const staged = await stageAll(ack);
    if (!staged) return;
    try {
      await create.mutateAsync({
        body: encoded,
        visibility: isTeam ? visibility : 'organisation',
        agreement: isTeam && agreement,
        ...(ack.body ? { acknowledgeIdentifiers: true } : {}),
        ...(staged.length > 0 ? { attachments: staged } : {}),
      });
    } catch (error) {
      discard(staged);
      warning.held(error, () => void send({ ...ack, body: true }));
      return; // otherwise shown from create.error
    }
    await client.invalidateQueries({ queryKey: spacesKeys.posts(space.id) });
    setBody('');
    mention.reset();
    setAgreement(false);
    setFiles([]);
    setFileErrors([]);
    setStatus({ kind: 'posted' });
  }

  /**
   * Stages every file; null (and nothing kept) when one is refused. A file
   * name that looks like client data opens the warning; "Toch versturen"
   * sends again with the file names confirmed.
   */
  async function stageAll(ack: Acknowledged): Promise<string[] | null> {
    const staged: string[] = [];
    const failed: { name: string; reason: string }[] = [];
    for (const [index, file] of files.entries()) {
      setStatus({ kind: 'uploading', done: index, total: files.length });
      try {
        staged.push((await stageUpload(space.id, file, ack.files)).id);
      } catch (error) {
        if (isIdentifierSuspected(error)) {
          discard(staged);
          setStatus({ kind: 'idle' });
          warning.held(error, () => void send({ ...ack, files: true }));
          return null;
        }
        const fe = isApiError(error) ? error.errors[0] : undefined;
        const reason = fe ? text.field(fe) : isApiError(error) && error.code ? text.problem(error) : t('spaces.composer.uploadFailed');
        failed.push({ name: file.name, reason });
      }
    }
    if (failed.length === 0) return staged;
    discard(staged);
    setStatus({ kind: 'refused', failed });
    return null;
  }

  function discard(staged: string[]) {
    // Best effort: the server removes staged files no post named after 24 hours.
    for (const id of staged) void discardUpload(space.id, id).catch(() => undefined);
  }

  return (
    <form className="panel sp-composer" onSubmit={submit} noValidate data-testid="space-composer" aria-labelledby={`${ids.body}-h`}>
      <h3 id={`${ids.body}-h`}>{t('spaces.composer.title')}</h3>
      <ProblemSummary
        error={refusal}
        title={refusal ? t('spaces.composer.failed') : undefined}
        errors={errors}
        fields={['body', 'visibility', 'attachments']}
        idOf={idOf}
        focusKey={tries}
        testId="composer-problem"
      />
      {status.kind === 'refused' && (
        <ErrorSummary
          title={t('spaces.postOutcome.refused')}
          items={status.failed.map((f) => ({ message: `${f.name}: ${f.reason}`, target: ids.files, key: f.name }))}
          focusKey={status}
          testId="composer-refused"
        />
      )}
      <Field
        className="sp-field"
        id={ids.body}
        label={t('spaces.composer.bodyLabel')}
        error={errors.of('body')}
        invalid={!fits(mention.encode(body), MAX_POST_LENGTH)}
        describedBy={`${ids.bodyCount} ${ids.bodyHint}`}
        errorTestId="composer-body-error"
      >
        {(c) => (
          <>
            <SpaceMentionField
              {...c}
              mention={mention}
              textareaRef={textarea}
              rows={4}
              value={body}
              data-testid="composer-body"
              onText={(value) => {
                setBody(value);
                setBodyError(null);
                if (status.kind === 'posted') setStatus({ kind: 'idle' });
              }}
            />
            <CharCount id={ids.bodyCount} text={mention.encode(body)} max={MAX_POST_LENGTH} />
            <p id={ids.bodyHint} className="field-hint">
              {t('spaces.composer.markdownHint')} {t('spaces.mentions.hint')}
            </p>
          </>
        )}
      </Field>

      {isTeam ? (
        <div className="sp-composer__options">
          <Field
            className="sp-field"
            id={ids.visibility}
            label={t('spaces.composer.visibilityLabel')}
            error={errors.of('visibility')}
            describedBy={ids.visibilityHint}
          >
            {(c) => (
              <>
                <select
                  {...c}
                  className="input sp-select"
                  value={visibility}
                  data-testid="composer-visibility"
                  onChange={(e) => setVisibility(e.target.value as Visibility)}
                >
                  <option value="team">{t('spaces.visibility.team')}</option>
                  <option value="organisation">{t('spaces.visibility.organisation')}</option>
                </select>
                <p id={ids.visibilityHint} className="field-hint" aria-live="polite">
                  {visibility === 'team'
                    ? t('spaces.visibility.teamHint', { name: space.name })
                    : t('spaces.visibility.organisationHint')}
                </p>
              </>
            )}
          </Field>
          <div className="sp-field">
            <label className="sp-checkbox">
              <input
                type="checkbox"
                checked={agreement}
                aria-describedby={ids.agreementHint}
                data-testid="composer-agreement"
                onChange={(e) => setAgreement(e.target.checked)}
              />
              <span>{t('spaces.composer.agreement')}</span>
            </label>
            <p id={ids.agreementHint} className="field-hint">
              {t('spaces.composer.agreementHint')}
            </p>
          </div>
        </div>
      ) : (
        <p className="field-hint">{t('spaces.visibility.communityHint')}</p>
      )}

      <div className="sp-field">
        <span className="field-label" id={`${ids.files}-label`}>
          {t('spaces.composer.attachments')}
        </span>
        <input
          ref={fileInput}
          id={ids.files}
          type="file"
          multiple
          accept={ACCEPTED_UPLOADS}
          className="visually-hidden sp-file-input"
          aria-invalid={errors.of('attachments') ? true : undefined}
          aria-describedby={describedBy(`${ids.files}-hint`, errors.of('attachments') && ids.fileErrors)}
          data-testid="composer-files"
          onChange={(e) => pickFiles(e.target.files)}
        />
        <label htmlFor={ids.files} className="button button--secondary sp-button--small sp-file-button">
          <PaperclipIcon className="sp-button__icon" />
          {t('spaces.composer.addFiles')}
        </label>
        <p id={`${ids.files}-hint`} className="field-hint">
          {t('spaces.composer.attachmentsHint')}
        </p>
        <FieldError id={ids.fileErrors} message={errors.list.filter((e) => e.field.startsWith('attachments')).map((e) => e.message).join(' ')} />
        {files.length > 0 && (
          <ul className="sp-file-list" aria-labelledby={`${ids.files}-label`} data-testid="composer-file-list">
            {files.map((file, index) => (
              <li key={`${file.name}-${index}`} className="sp-file-chip">
                <span className="sp-file-link__name">{file.name}</span>
                <span className="sp-file-link__meta">{formatSize(file.size, i18n.language)}</span>
                <button
                  type="button"
                  className="button button--quiet sp-button--small"
                  onClick={() => setFiles((current) => current.filter((_, i) => i !== index))}
                >
                  {t('spaces.composer.removeFile', { name: file.name })}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>

      {warning.dialog}

      <div className="sp-composer__footer">
        <button type="submit" className="button button--primary" aria-disabled={busy || undefined} data-testid="composer-submit">
          {busy ? t('spaces.common.sending') : t('spaces.composer.submit')}
        </button>
        <div role="status" aria-live="polite" className="sp-composer__status" data-testid="composer-status">
          {status.kind === 'uploading' && t('spaces.composer.uploading', { done: status.done + 1, total: status.total })}
          {status.kind === 'posted' && t('spaces.composer.posted')}
        </div>
      </div>
    </form>
  );
}
