import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { attachmentUrl, useDeleteAttachment, useUploadAttachment } from './api';
import { fileKind, formatSize } from './format';
import type { Article } from './types';
import { useProblemText } from '../../lib/problemText';
import { FieldError } from '../../components/form';

/** The server's limit; checked here too so nobody waits for a 10 MB upload to fail. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const ACCEPT =
  '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.txt,application/pdf,image/png,image/jpeg,text/plain,' +
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document,' +
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Upload (multipart, CSRF) and remove attachments; the server sniffs type and checks size. */
export function AttachmentsEditor({ article }: { article: Article }) {
  const { t, i18n } = useTranslation();
  const text = useProblemText();
  const upload = useUploadAttachment(article.id);
  const remove = useDeleteAttachment(article.id);
  const inputRef = useRef<HTMLInputElement>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [uploaded, setUploaded] = useState<string | null>(null);
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();

  const onUpload = async () => {
    if (upload.isPending) return;
    setUploaded(null);
    setFileError(null);
    const file = inputRef.current?.files?.[0];
    if (!file) {
      setFileError(t('knowledge.attachments.choose'));
      inputRef.current?.focus();
      return;
    }
    if (file.size > MAX_ATTACHMENT_BYTES) {
      setFileError(t('knowledge.attachments.tooLarge'));
      inputRef.current?.focus();
      return;
    }
    try {
      const a = await upload.mutateAsync(file);
      setUploaded(a.name);
      if (inputRef.current) inputRef.current.value = '';
    } catch (error) {
      const fieldError = isApiError(error) ? error.errors.find((e) => e.field === 'file') : undefined;
      if (fieldError) {
        setFileError(text.field(fieldError));
        upload.reset();
        inputRef.current?.focus();
      }
    }
  };

  return (
    <section className="kb-fieldset kb-attachments-editor" aria-labelledby={`${inputId}-title`} data-testid="kb-attachments-editor">
      <h2 id={`${inputId}-title`} className="field-label kb-submit__legend">
        {t('knowledge.article.attachments')}
      </h2>
      {article.attachments.length === 0 ? (
        <p className="muted">{t('knowledge.attachments.none')}</p>
      ) : (
        <ul className="kb-attachments">
          {article.attachments.map((a) => (
            <li key={a.id} className="kb-attachment-row">
              <a href={attachmentUrl(article.id, a.id)} className="kb-attachment__name">
                {a.name}
              </a>{' '}
              <span className="muted small">
                {fileKind(a.contentType)} · {formatSize(a.size, i18n.language)}
              </span>{' '}
              <button
                type="button"
                className="button button--quiet kb-button--small"
                onClick={() => remove.mutate(a.id)}
                aria-label={t('knowledge.attachments.removeNamed', { name: a.name })}
              >
                {t('knowledge.attachments.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="kb-field">
        <label className="field-label" htmlFor={inputId}>
          {t('knowledge.attachments.fileLabel')}
        </label>
        <p id={hintId} className="field-hint">
          {t('knowledge.attachments.hint')}
        </p>
        <input
          ref={inputRef}
          id={inputId}
          type="file"
          accept={ACCEPT}
          className="input kb-file"
          aria-describedby={[hintId, fileError ? errorId : ''].filter(Boolean).join(' ')}
          aria-invalid={fileError ? true : undefined}
          onChange={() => {
            setFileError(null);
            setUploaded(null);
          }}
          data-testid="kb-attachment-input"
        />
        <FieldError id={errorId} message={fileError || undefined} testId="kb-attachment-error" />
      </div>
      <div className="kb-actions">
        <button
          type="button"
          className="button button--secondary"
          onClick={() => void onUpload()}
          aria-disabled={upload.isPending || undefined}
          data-testid="kb-attachment-upload"
        >
          {upload.isPending ? t('knowledge.attachments.uploading') : t('knowledge.attachments.upload')}
        </button>
        <span role="status" aria-live="polite">
          {uploaded && t('knowledge.attachments.uploaded', { name: uploaded })}
        </span>
      </div>
      {upload.isError && <ErrorAlert error={upload.error} title={t('knowledge.attachments.failed')} />}
      {remove.isError && <ErrorAlert error={remove.error} />}
    </section>
  );
}
