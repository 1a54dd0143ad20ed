import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, ProblemSummary, useFieldErrors, useFieldIds } from '../../components/form';
import { ResponsiveImage } from '../../components/ResponsiveImage';
import { isIdentifierSuspected, useIdentifierWarning } from '../../components/IdentifierWarning';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import {
  documentContentUrl,
  useCreateFolder,
  useDeleteDocument,
  useDocument,
  useFolder,
  useUploadDocument,
} from './api';
import { formatDateTime, formatSize, revealTarget } from './format';
import { ACCEPTED_UPLOADS, MAX_UPLOAD_BYTES } from './http';
import { FileIcon, FolderIcon } from './icons';
import { isOutsider, useSpaceOutlet } from './SpaceLayout';
import { spaceHref } from './paths';
import type { DocumentInfo, Space } from './types';
import { QueryView } from '../../components/QueryView';

/** "/Overleg//2026/" → "/Overleg/2026"; anything odd → "/". */
export function normaliseFolder(value: string | null): string {
  if (!value) return '/';
  const parts = value.split('/').map((p) => p.trim()).filter((p) => p && p !== '.' && p !== '..');
  return parts.length ? `/${parts.join('/')}` : '/';
}

function folderCrumbs(folder: string): { path: string; name: string }[] {
  const parts = folder.split('/').filter(Boolean);
  return parts.map((name, i) => ({ path: `/${parts.slice(0, i + 1).join('/')}`, name }));
}

function isImage(contentType: string): boolean {
  return /^image\/(png|jpeg|gif|webp)$/i.test(contentType);
}

function isPdf(contentType: string): boolean {
  return /^application\/pdf$/i.test(contentType);
}

/** /ruimtes/:spaceId/documenten?map=/…: folders with breadcrumbs, documents with versions, upload. */
export function DocumentsPage() {
  const { t } = useTranslation();
  const space = useSpaceOutlet();
  useDocumentTitle(t('spaces.documents.documentTitle', { name: space.name }));

  if (isOutsider(space)) {
    return (
      <section className="stack stack--tight" aria-labelledby="documents-title">
        <h2 id="documents-title">{t('spaces.documents.title')}</h2>
        <p className="sp-note">{t('spaces.documents.membersOnly')}</p>
      </section>
    );
  }
  return <Documents space={space} />;
}

function Documents({ space }: { space: Space }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  // /documenten/:docId (a notification's link) opens that document in its folder.
  const { docId } = useParams();
  const target = useDocument(space.id, params.get('map') ? null : (docId ?? null));
  const folder = target.data ? normaliseFolder(target.data.folder) : normaliseFolder(params.get('map'));
  const waitingForTarget = Boolean(docId) && !params.get('map') && target.isPending;
  const listing = useFolder(space.id, folder, !waitingForTarget);
  const [selected, setSelected] = useState<string | null>(docId ?? null);
  const base = spaceHref(space.id, 'documenten');
  const folderLink = (path: string) => (path === '/' ? base : `${base}?map=${encodeURIComponent(path)}`);
  const canUpload = space.member;

  return (
    <section className="stack sp-documents" aria-labelledby="documents-title" data-testid="documents">
      <h2 id="documents-title">{t('spaces.documents.title')}</h2>
      <nav aria-label={t('spaces.documents.folderPath')} className="breadcrumb" data-testid="documents-breadcrumb">
        <ol>
          <li>
            {folder === '/' ? (
              <span aria-current="page">{t('spaces.documents.root')}</span>
            ) : (
              <Link to={folderLink('/')}>{t('spaces.documents.root')}</Link>
            )}
          </li>
          {folderCrumbs(folder).map((crumb) => (
            <li key={crumb.path}>
              {crumb.path === folder ? (
                <span aria-current="page">{crumb.name}</span>
              ) : (
                <Link to={folderLink(crumb.path)}>{crumb.name}</Link>
              )}
            </li>
          ))}
        </ol>
      </nav>

      {target.isError && <ErrorAlert error={target.error} />}
      <QueryView query={listing} loading={t('spaces.documents.loading')}>
        {(data) => (
          <>
            {data.folders.length === 0 && data.items.length === 0 ? (
              <p className="muted">{t('spaces.documents.empty')}</p>
            ) : (
              <ul className="sp-doc-list" data-testid="documents-list">
                {data.folders.map((f) => (
                  <li key={f.path} className="sp-doc-row sp-doc-row--folder" data-testid="documents-folder">
                    <FolderIcon className="sp-doc-row__icon" />
                    <Link to={folderLink(f.path)} className="sp-doc-row__name">
                      {f.name}
                    </Link>
                  </li>
                ))}
                {data.items.map((doc) => (
                  <DocumentRow
                    key={doc.id}
                    doc={doc}
                    target={doc.id === docId}
                    open={selected === doc.id}
                    onToggle={() => setSelected((current) => (current === doc.id ? null : doc.id))}
                  />
                ))}
              </ul>
            )}
          </>
        )}
      </QueryView>

      {canUpload && (
        <div className="sp-documents__forms">
          <UploadForm space={space} folder={folder} onUploaded={(doc) => setSelected(doc.id)} />
          <NewFolderForm
            space={space}
            folder={folder}
            onCreated={(path) => {
              const next = new URLSearchParams(params);
              next.set('map', path);
              setParams(next);
            }}
          />
        </div>
      )}
    </section>
  );
}

function DocumentRow({ doc, open, target, onToggle }: { doc: DocumentInfo; open: boolean; target: boolean; onToggle: () => void }) {
  const { t, i18n } = useTranslation();
  const detailsId = useId();
  return (
    <li
      className="sp-doc-row"
      data-testid="document"
      data-document-id={doc.id}
      tabIndex={target ? -1 : undefined}
      ref={target ? revealTarget : undefined}
    >
      <FileIcon className="sp-doc-row__icon" />
      <div className="sp-doc-row__body">
        <button
          type="button"
          className="sp-link-button sp-doc-row__name"
          aria-expanded={open}
          aria-controls={detailsId}
          onClick={onToggle}
        >
          {doc.name}
        </button>
        <p className="sp-doc-row__meta">
          <span data-testid="document-version">{t('spaces.documents.version', { version: doc.version })}</span>
          {' · '}
          {formatSize(doc.size, i18n.language)}
          {' · '}
          {t('spaces.documents.updated', { name: doc.updatedBy.name, date: formatDateTime(doc.updatedAt, i18n.language) })}
        </p>
        <div id={detailsId} hidden={!open}>
          {open && <DocumentDetails doc={doc} />}
        </div>
      </div>
    </li>
  );
}

function DocumentDetails({ doc }: { doc: DocumentInfo }) {
  const { t, i18n } = useTranslation();
  const details = useDocument(doc.spaceId, doc.id);
  const remove = useDeleteDocument(doc.spaceId);
  const [confirm, setConfirm] = useState(false);
  const [showPdf, setShowPdf] = useState(false);
  const current = details.data ?? doc;
  const url = documentContentUrl(doc.spaceId, doc.id);

  return (
    <div className="sp-doc-details" data-testid="document-details">
      <div className="sp-doc-details__actions">
        <a href={url} className="button button--secondary sp-button--small" target="_blank" rel="noopener noreferrer">
          {t('spaces.documents.open')}
          <span className="visually-hidden"> {doc.name}</span>
        </a>
        {!confirm && (
          <button type="button" className="button button--quiet sp-button--small" onClick={() => setConfirm(true)}>
            {t('spaces.documents.delete')}
          </button>
        )}
      </div>
      {confirm && (
        <div className="sp-confirm" role="group" aria-label={t('spaces.documents.deleteConfirm', { name: doc.name })}>
          <p>{t('spaces.documents.deleteConfirm', { name: doc.name })}</p>
          <div className="sp-confirm__buttons">
            <button
              type="button"
              className="button sp-button--danger sp-button--small"
              aria-disabled={remove.isPending || undefined}
              onClick={() => !remove.isPending && remove.mutate(doc.id)}
            >
              {t('spaces.documents.deleteYes')}
            </button>
            <button type="button" className="button button--secondary sp-button--small" onClick={() => setConfirm(false)}>
              {t('spaces.common.cancel')}
            </button>
          </div>
        </div>
      )}
      {remove.isError && <ErrorAlert error={remove.error} />}

      {current.previewable && isImage(current.contentType) && (
        <ResponsiveImage
          url={url}
          width={doc.width}
          height={doc.height}
          sizes="(max-width: 48rem) 100vw, 48rem"
          alt={t('spaces.documents.previewOf', { name: doc.name })}
          className="sp-doc-details__image"
        />
      )}
      {current.previewable && isPdf(current.contentType) && (
        <div className="sp-doc-details__pdf">
          {showPdf ? (
            <iframe
              src={url}
              title={t('spaces.documents.previewOf', { name: doc.name })}
              className="sp-doc-details__frame"
            />
          ) : (
            <button type="button" className="button button--secondary sp-button--small sp-pdf-preview-button" onClick={() => setShowPdf(true)}>
              {t('spaces.documents.showPreview')}
            </button>
          )}
        </div>
      )}

      <h3 className="sp-doc-details__title">{t('spaces.documents.versions')}</h3>
      <QueryView query={details} loading={t('spaces.documents.loadingVersions')}>
        {(data) => (
          <ol className="sp-versions" data-testid="document-versions">
            {[...(data.versions ?? [])]
              .sort((a, b) => b.version - a.version)
              .map((v) => (
                <li key={v.version} className="sp-versions__item">
                  <a href={documentContentUrl(doc.spaceId, doc.id, v.version)} target="_blank" rel="noopener noreferrer">
                    {t('spaces.documents.version', { version: v.version })}
                  </a>{' '}
                  <span className="muted">
                    {formatSize(v.size, i18n.language)} ·{' '}
                    {t('spaces.documents.uploaded', { name: v.uploadedBy.name, date: formatDateTime(v.uploadedAt, i18n.language) })}
                  </span>
                  {v.note && <p className="sp-versions__note">{v.note}</p>}
                </li>
              ))}
          </ol>
        )}
      </QueryView>
    </div>
  );
}

function UploadForm({ space, folder, onUploaded }: { space: Space; folder: string; onUploaded: (doc: DocumentInfo) => void }) {
  const { t } = useTranslation();
  const upload = useUploadDocument(space.id);
  const [file, setFile] = useState<File | null>(null);
  const [note, setNote] = useState('');
  const [check, setCheck] = useState<{ message: string; tries: number } | null>(null);
  const [result, setResult] = useState<DocumentInfo | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const noteInput = useRef<HTMLInputElement>(null);
  const warning = useIdentifierWarning(noteInput);
  const fid = useFieldIds();
  const hintId = useId();
  const refusal = isIdentifierSuspected(upload.error) ? null : upload.error;
  const errors = useFieldErrors(refusal, { client: check ? [{ field: 'file', message: check.message }] : [] });

  function submit(event: FormEvent) {
    event.preventDefault();
    send(false);
  }

  function refuse(message: string) {
    upload.reset();
    setCheck((c) => ({ message, tries: (c?.tries ?? 0) + 1 }));
  }

  function send(acknowledgeIdentifiers: boolean) {
    if (upload.isPending) return;
    if (!file) return refuse(t('spaces.documents.fileRequired'));
    if (file.size === 0) return refuse(t('spaces.composer.fileEmpty', { name: file.name }));
    if (file.size > MAX_UPLOAD_BYTES) return refuse(t('spaces.composer.fileTooLarge', { name: file.name }));
    setCheck(null);
    setResult(null);
    upload.mutate(
      { file, folder, note: note.trim(), acknowledgeIdentifiers },
      {
        onError: (err) => {
          warning.held(err, () => send(true));
        },
        onSuccess: (doc) => {
          setResult(doc);
          setFile(null);
          setNote('');
          if (input.current) input.current.value = '';
          onUploaded(doc);
        },
      },
    );
  }

  return (
    <form className="panel" onSubmit={submit} noValidate data-testid="document-upload" aria-labelledby={`${hintId}-h`}>
      <h3 id={`${hintId}-h`}>{t('spaces.documents.uploadTitle')}</h3>
      <ProblemSummary
        error={refusal}
        title={refusal ? t('spaces.documents.uploadFailed') : undefined}
        errors={errors}
        fields={['file', 'note']}
        idOf={fid}
        focusKey={check?.tries}
        testId="document-upload-problem"
      />
      <p id={hintId} className="field-hint">
        {t('spaces.documents.uploadHint')}
      </p>
      <Field className="sp-field" id={fid('file')} name="file" label={t('spaces.documents.file')} error={errors.of('file')} describedBy={hintId}>
        {(c) => (
          <input
            {...c}
            ref={input}
            type="file"
            accept={ACCEPTED_UPLOADS}
            className="input sp-file-field"
            data-testid="document-file"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setCheck(null);
            }}
          />
        )}
      </Field>
      <Field className="sp-field" id={fid('note')} name="note" label={t('spaces.documents.note')} error={errors.of('note')}>
        {(c) => <input {...c} ref={noteInput} className="input" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />}
      </Field>
      {warning.dialog}
      <div>
        <button type="submit" className="button button--primary" aria-disabled={upload.isPending || undefined} data-testid="document-upload-submit">
          {upload.isPending ? t('spaces.documents.uploading') : t('spaces.documents.upload')}
        </button>
      </div>
      <p role="status" aria-live="polite" data-testid="document-upload-status">
        {result &&
          (result.version > 1
            ? t('spaces.documents.uploadedVersion', { name: result.name, version: result.version })
            : t('spaces.documents.uploadedNew', { name: result.name }))}
      </p>
    </form>
  );
}

function NewFolderForm({ space, folder, onCreated }: { space: Space; folder: string; onCreated: (path: string) => void }) {
  const { t } = useTranslation();
  const create = useCreateFolder(space.id);
  const [name, setName] = useState('');
  const [check, setCheck] = useState(0);
  const fid = useFieldIds();
  const nameRef = useRef<HTMLInputElement>(null);
  const warning = useIdentifierWarning(nameRef);
  const refusal = isIdentifierSuspected(create.error) ? null : create.error;
  const errors = useFieldErrors(refusal, { client: check > 0 ? [{ field: 'name', message: t('spaces.documents.folderNameInvalid') }] : [] });

  function submit(event: FormEvent) {
    event.preventDefault();
    send(false);
  }

  function send(acknowledgeIdentifiers: boolean) {
    if (create.isPending) return;
    const clean = name.trim();
    if (!clean || clean.includes('/')) {
      create.reset();
      setCheck((n) => n + 1);
      return;
    }
    setCheck(0);
    create.mutate(
      { parent: folder, name: clean, ...(acknowledgeIdentifiers ? { acknowledgeIdentifiers } : {}) },
      {
        onSuccess: (created) => {
          setName('');
          onCreated(created.path);
        },
        onError: (e) => warning.held(e, () => send(true)),
      },
    );
  }

  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby={fid('h')} data-testid="document-new-folder">
      <h3 id={fid('h')}>{t('spaces.documents.newFolder')}</h3>
      <ProblemSummary error={refusal} errors={errors} fields={['name']} idOf={fid} focusKey={check} testId="document-folder-problem" />
      <Field className="sp-field" id={fid('name')} name="name" label={t('spaces.documents.folderName')} error={errors.of('name')}>
        {(c) => (
          <input
            {...c}
            ref={nameRef}
            className="input"
            value={name}
            maxLength={100}
            onChange={(e) => {
              setName(e.target.value);
              setCheck(0);
            }}
          />
        )}
      </Field>
      {warning.dialog}
      <div>
        <button type="submit" className="button button--secondary" aria-disabled={create.isPending || undefined}>
          {t('spaces.documents.createFolder')}
        </button>
      </div>
    </form>
  );
}
