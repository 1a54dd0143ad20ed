import { useCallback, useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError, getCsrfToken } from '../../api/client';
import type { ProblemDetails } from '../../api/types';
import { ResponsiveImage } from '../../components/ResponsiveImage';
import { useProblemText } from '../../lib/problemText';
import { variantUrl } from '../../lib/imageVariants';
import type { ChatAttachment } from './types';

// Files in chat messages (docs/protocol.md, "Files in messages"): a file is
// uploaded first, then its id goes with the message.

/** Largest file the server accepts. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Most files one message carries. */
export const MAX_ATTACHMENTS = 10;
/** For the file picker: photos (the phone offers its camera), PDF and Office; the server checks the bytes. */
export const ACCEPTED_ATTACHMENTS =
  'image/*,.png,.jpg,.jpeg,.gif,.webp,.pdf,.docx,.xlsx,.pptx,application/pdf';

const isImage = (contentType: string) => contentType.startsWith('image/');

async function readProblem(response: Response): Promise<ProblemDetails> {
  if (!/json/i.test(response.headers.get('Content-Type') ?? '')) return {};
  try {
    const body = (await response.json()) as ProblemDetails;
    return body && typeof body === 'object' ? { ...body, errors: Array.isArray(body.errors) ? body.errors : [] } : {};
  } catch {
    return {};
  }
}

/** Uploads a file to a channel (multipart/form-data, with the CSRF token). */
export async function uploadAttachment(channelId: string, file: File): Promise<ChatAttachment> {
  const body = new FormData();
  body.append('file', file, file.name || 'foto.png');
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getCsrfToken();
  if (token) headers['X-CSRF-Token'] = token;
  let response: Response;
  try {
    response = await fetch(`/api/v1/chat/channels/${encodeURIComponent(channelId)}/attachments`, {
      method: 'POST',
      headers,
      body,
      credentials: 'same-origin',
    });
  } catch (cause) {
    throw new ApiError(0, {}, { cause });
  }
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  return (await response.json()) as ChatAttachment;
}

export interface ComposerFile {
  key: number;
  name: string;
  status: 'uploading' | 'ready' | 'failed';
  attachment?: ChatAttachment;
  /** Why it failed, in the reader's language. */
  error?: string;
}

/** The files waiting in a composer: uploaded as soon as they are picked, pasted or dropped. */
export function useComposerFiles(channelId: string) {
  const { t } = useTranslation();
  const problems = useProblemText();
  const [files, setFiles] = useState<ComposerFile[]>([]);
  const next = useRef(1);
  const channel = useRef(channelId);

  // Files belong to the channel they were uploaded to.
  useEffect(() => {
    channel.current = channelId;
    setFiles([]);
  }, [channelId]);

  const update = useCallback((key: number, patch: Partial<ComposerFile>) => {
    setFiles((list) => list.map((f) => (f.key === key ? { ...f, ...patch } : f)));
  }, []);

  const add = useCallback(
    (picked: Iterable<File>) => {
      const ch = channelId;
      for (const file of picked) {
        const key = next.current++;
        const name = file.name || 'foto.png';
        if (file.size > MAX_ATTACHMENT_BYTES) {
          const error = t('chatFiles.refused.file_too_large', { maxMb: MAX_ATTACHMENT_BYTES >> 20 });
          setFiles((list) => [...list, { key, name, status: 'failed', error }]);
          continue;
        }
        setFiles((list) => [...list, { key, name, status: 'uploading' }]);
        uploadAttachment(ch, file).then(
          (attachment) => {
            if (channel.current === ch) update(key, { status: 'ready', attachment });
          },
          (err: unknown) => {
            const error = refusalText(err, t, problems);
            if (channel.current === ch) update(key, { status: 'failed', error });
          },
        );
      }
    },
    [channelId, problems, t, update],
  );

  const remove = useCallback((key: number) => setFiles((list) => list.filter((f) => f.key !== key)), []);
  const clear = useCallback(() => setFiles([]), []);
  const ready = files.filter((f) => f.status === 'ready').map((f) => f.attachment!.id);
  return {
    files,
    add,
    remove,
    clear,
    /** Ids of the uploaded files, for the send frame. */
    ids: ready,
    busy: files.some((f) => f.status === 'uploading'),
    full: files.length >= MAX_ATTACHMENTS,
  };
}

export type ComposerFiles = ReturnType<typeof useComposerFiles>;

export function AttachIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        d="M20 11.5 12.2 19.3a5 5 0 0 1-7.1-7.1l8.1-8.1a3.4 3.4 0 0 1 4.8 4.8l-8 8a1.7 1.7 0 0 1-2.4-2.4l7.3-7.3"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** The paperclip: a file input that also offers the phone's camera. */
export function AttachButton({ files }: { files: ComposerFiles }) {
  const { t } = useTranslation();
  const id = useId();
  function onChange(event: ChangeEvent<HTMLInputElement>) {
    if (event.target.files) files.add(Array.from(event.target.files));
    event.target.value = '';
  }
  return (
    <>
      <input
        id={id}
        type="file"
        multiple
        accept={ACCEPTED_ATTACHMENTS}
        className="visually-hidden"
        data-testid="chat-attach-input"
        disabled={files.full}
        onChange={onChange}
      />
      <label htmlFor={id} className="composer__attach" title={t('chatFiles.attach')}>
        <AttachIcon className="composer__attach-icon" />
        <span className="visually-hidden">{t('chatFiles.attach')}</span>
      </label>
    </>
  );
}

/** The files waiting to be sent, above the text field. */
export function ComposerFileList({ files }: { files: ComposerFiles }) {
  const { t } = useTranslation();
  if (files.files.length === 0) return null;
  return (
    <ul className="composer__files" aria-label={t('chatFiles.waiting')} data-testid="chat-composer-files">
      {files.files.map((f) => (
        <li key={f.key} className={`chat-file-chip chat-file-chip--${f.status}`}>
          {f.attachment && isImage(f.attachment.contentType) ? (
            <img src={variantUrl(f.attachment.url, 320)} alt="" className="chat-file-chip__thumb" />
          ) : (
            <FileGlyph />
          )}
          <span className="chat-file-chip__text">
            <span className="chat-file-chip__name">{f.name}</span>
            <span className={f.status === 'failed' ? 'chat-file-chip__status chat-file-chip__status--error' : 'chat-file-chip__status'}>
              {f.status === 'uploading' ? t('chatFiles.uploading') : f.status === 'failed' ? f.error : t('chatFiles.ready')}
            </span>
          </span>
          <button type="button" className="chat-file-chip__remove" onClick={() => files.remove(f.key)}>
            <span aria-hidden="true">×</span>
            <span className="visually-hidden">{t('chatFiles.remove', { name: f.name })}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function FileGlyph() {
  return (
    <svg className="chat-file-chip__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M6 3h8l4 4v14H6z M14 3v4h4" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
    </svg>
  );
}

function formatSize(bytes: number, language: string): string {
  const nf = (n: number) => n.toLocaleString(language, { maximumFractionDigits: 1 });
  if (bytes < 1024 * 1024) return `${nf(Math.max(1, Math.round(bytes / 1024)))} kB`;
  return `${nf(bytes / (1024 * 1024))} MB`;
}

/** A message's files: photos as thumbnails that open the full image, other files as chips. */
export function MessageAttachments({ attachments }: { attachments: readonly ChatAttachment[] }) {
  const { t, i18n } = useTranslation();
  if (attachments.length === 0) return null;
  const images = attachments.filter((a) => isImage(a.contentType));
  const others = attachments.filter((a) => !isImage(a.contentType));
  return (
    <div className="msg__files">
      {images.length > 0 && (
        <ul className="msg__images">
          {images.map((a) => (
            <li key={a.id}>
              <a href={a.url} target="_blank" rel="noopener noreferrer" className="msg__image-link">
                <ResponsiveImage
                  url={a.url}
                  width={a.width}
                  height={a.height}
                  variants={a.variants}
                  sizes="240px"
                  alt=""
                  className="msg__image"
                  data-testid="chat-attachment-image"
                />
                <span className="visually-hidden">{t('chatFiles.openImage', { name: a.name })}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <ul className="msg__file-list" aria-label={t('chatFiles.files')}>
          {others.map((a) => (
            <li key={a.id}>
              <a
                href={a.url}
                download={a.name}
                target={a.contentType === 'application/pdf' ? '_blank' : undefined}
                rel="noopener noreferrer"
                className="chat-file-chip chat-file-chip--link"
                data-testid="chat-attachment-file"
              >
                <FileGlyph />
                <span className="chat-file-chip__text">
                  <span className="chat-file-chip__name">{a.name}</span>
                  <span className="chat-file-chip__status">{formatSize(a.size, i18n.language)}</span>
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The chat's own refusals of a file name the allowed types and the size limit. */
const CHAT_REFUSALS = new Set(['file_type_refused', 'file_too_large']);

/**
 * Dutch (or English) text for a refused upload, from the problem's stable
 * code: wrong type and too large (a field error from the service, or the
 * upload reader's 413) say what chat accepts; anything else is the shared
 * problem or field text.
 */
export function refusalText(err: unknown, t: TFunction, problems: ReturnType<typeof useProblemText>): string {
  const maxMb = MAX_ATTACHMENT_BYTES >> 20;
  if (!(err instanceof ApiError)) return problems.problem(err);
  const fe = err.errors[0];
  const code = fe?.code ?? err.code;
  if (code && CHAT_REFUSALS.has(code)) return t(`chatFiles.refused.${code as 'file_type_refused' | 'file_too_large'}`, { maxMb });
  return fe ? problems.field(fe) : problems.problem(err);
}
