import { useDeferredValue, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import type { ProblemFieldError } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { isIdentifierSuspected, useIdentifierWarning } from '../../components/IdentifierWarning';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useArticle, useCreateArticle, useKnowledgeMeta, useSaveDraft, useWorkflow } from './api';
import { ArticleError, Breadcrumb } from './ArticlePage';
import { AttachmentsEditor } from './AttachmentsEditor';
import { categoryLabel, dayFromNow, formatDateTime, ownerLabel, statusLabel, typeLabel } from './format';
import { KnowledgeNav } from './KnowledgeNav';
import { MarkdownPreview } from './markdown';
import { AudiencePicker, RelatedPicker } from './Pickers';
import {
  ARTICLE_TYPES,
  CATEGORIES,
  OWNERS,
  type Article,
  type ArticleInput,
  type ArticleType,
  type Audience,
  type Category,
  type Owner,
} from './types';
import { useProblemText } from '../../lib/problemText';

interface FormState {
  title: string;
  summary: string;
  category: Category | '';
  type: ArticleType | '';
  owner: Owner | '';
  tags: string;
  audience: Audience;
  body: string;
  requiresConfirmation: boolean;
  reviewDue: string;
  related: string[];
  externalUrl: string;
  changeNote: string;
  major: boolean;
}

function emptyForm(): FormState {
  return {
    title: '',
    summary: '',
    category: '',
    type: '',
    owner: '',
    tags: '',
    audience: { everyone: true, regions: [], teams: [], roles: [] },
    body: '',
    requiresConfirmation: false,
    reviewDue: dayFromNow(12),
    related: [],
    externalUrl: '',
    changeNote: '',
    major: false,
  };
}

/** The form from the working copy (or, without one, from the published article). */
function formFromArticle(a: Article): FormState {
  const d = a.draft;
  return {
    title: d?.title ?? a.title,
    summary: d?.summary ?? a.summary,
    category: d?.category ?? a.category,
    type: d?.type ?? a.type,
    owner: d?.owner ?? a.owner,
    tags: (d?.tags ?? a.tags).join(', '),
    audience: d?.audience ?? a.audience,
    body: d?.body ?? a.body,
    requiresConfirmation: d?.requiresConfirmation ?? a.requiresConfirmation,
    reviewDue: d?.reviewDue ?? a.reviewDue,
    related: d?.related ?? a.related.map((r) => r.id),
    externalUrl: d?.externalUrl ?? a.externalUrl ?? '',
    changeNote: d?.changeNote ?? '',
    major: d?.major ?? false,
  };
}

export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(',')) {
    const tag = raw.trim();
    const folded = tag.toLocaleLowerCase('nl');
    if (tag && !seen.has(folded)) {
      seen.add(folded);
      out.push(tag);
    }
  }
  return out;
}

function toInput(f: FormState, acknowledgeIdentifiers = false): ArticleInput {
  const audience = f.audience.everyone ? { everyone: true, regions: [], teams: [], roles: [] } : f.audience;
  return {
    ...(acknowledgeIdentifiers ? { acknowledgeIdentifiers } : {}),
    title: f.title.trim(),
    summary: f.summary.trim(),
    category: f.category as Category,
    type: f.type as ArticleType,
    tags: parseTags(f.tags),
    owner: f.owner as Owner,
    audience,
    body: f.body,
    requiresConfirmation: f.requiresConfirmation,
    reviewDue: f.reviewDue,
    related: f.related,
    externalUrl: f.externalUrl.trim(),
  };
}

/** /kennisbank/nieuw and /kennisbank/:id/bewerken (editors). */
export function EditorPage() {
  const { id } = useParams();
  return id ? <EditExisting key={id} id={id} /> : <CreateNew />;
}

function NoAccess() {
  const { t } = useTranslation();
  return (
    <div className="empty-state" data-testid="kb-no-access">
      <p className="empty-state__title">{t('knowledge.noAccessTitle')}</p>
      <p>{t('knowledge.editor.noAccess')}</p>
      <p>
        <Link to="/kennisbank" className="arrow-link">
          {t('knowledge.backToHome')}
        </Link>
      </p>
    </div>
  );
}

function CreateNew() {
  const { t } = useTranslation();
  useDocumentTitle(t('knowledge.editor.newTitle'));
  const meta = useKnowledgeMeta();
  const create = useCreateArticle();
  const navigate = useNavigate();

  if (meta.isPending) return <Loading label={t('knowledge.loading')} />;
  if (meta.isError) return <ErrorAlert error={meta.error} onRetry={() => void meta.refetch()} />;

  return (
    <div className="stack kb kb-editor-page">
      <KnowledgeNav />
      <Breadcrumb current={t('knowledge.editor.newTitle')} />
      <h1>{t('knowledge.editor.newTitle')}</h1>
      {meta.data.canEdit ? (
        <ArticleForm
          initial={emptyForm()}
          saving={create.isPending}
          error={create.error}
          onSave={async (form, acknowledgeIdentifiers) => {
            const article = await create.mutateAsync(toInput(form, acknowledgeIdentifiers));
            navigate(`/kennisbank/${encodeURIComponent(article.id)}/bewerken`, { replace: true, state: { created: true } });
          }}
        />
      ) : (
        <NoAccess />
      )}
    </div>
  );
}

function EditExisting({ id }: { id: string }) {
  const { t } = useTranslation();
  const article = useArticle(id);
  const location = useLocation();
  const created = (location.state as { created?: boolean } | null)?.created ?? false;
  useDocumentTitle(article.data ? t('knowledge.editor.editTitle', { title: article.data.title }) : t('knowledge.title'));

  // The form is filled once; "reload" (after a conflict) fills it again.
  const [generation, setGeneration] = useState(0);

  if (article.isPending) return <Loading label={t('knowledge.article.loading')} />;
  if (article.isError) return <ArticleError error={article.error} onRetry={() => void article.refetch()} />;
  const a = article.data;
  return (
    <div className="stack kb kb-editor-page">
      <KnowledgeNav />
      <Breadcrumb article={a} current={t('knowledge.editor.edit')} />
      <h1>{t('knowledge.editor.editTitle', { title: a.title })}</h1>
      {!a.canEdit ? (
        <NoAccess />
      ) : (
        <EditForm
          key={generation}
          article={a}
          created={created}
          onReload={async () => {
            await article.refetch();
            setGeneration((g) => g + 1);
          }}
        />
      )}
    </div>
  );
}

function EditForm({ article, created, onReload }: { article: Article; created: boolean; onReload: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const save = useSaveDraft(article.id);
  const workflow = useWorkflow(article.id);
  const [initial] = useState(() => formFromArticle(article));
  const [revision, setRevision] = useState(article.draft?.revision ?? 0);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const draft = article.draft;
  const status = draft?.status ?? article.status;
  const inReview = status === 'review';
  const conflict = isApiError(save.error) && save.error.status === 409;

  const saveDraft = async (form: FormState, acknowledgeIdentifiers?: boolean) => {
    const saved = await save.mutateAsync({ ...toInput(form, acknowledgeIdentifiers), revision, changeNote: form.changeNote.trim(), major: form.major });
    setRevision(saved.draft?.revision ?? revision + 1);
    setSavedAt(saved.draft?.updatedAt ?? new Date().toISOString());
  };

  return (
    <>
      {created && !savedAt && (
        <p className="kb-callout kb-callout--ok" role="status">
          {t('knowledge.editor.created')}
        </p>
      )}
      <p className="kb-editor-bar__status">
        {t('knowledge.editor.workingCopy')}: <span className="badge kb-badge" data-testid="kb-draft-status">{statusLabel(t, status)}</span>
        {article.version && <span className="muted small"> · {t('knowledge.editor.publishedVersion', { version: article.version })}</span>}
      </p>
      {draft?.reviewComment && status === 'concept' && (
        <div className="kb-callout kb-callout--attention" data-testid="kb-review-comment">
          <p className="kb-callout__title">{t('knowledge.editor.rejected')}</p>
          <p className="kb-pre">{draft.reviewComment}</p>
        </div>
      )}
      {inReview && (
        <div className="kb-callout">
          <p>{t('knowledge.editor.inReview')}</p>
          <div className="kb-actions">
            <button type="button" className="button button--secondary" onClick={() => workflow.mutate({ action: 'withdraw' })}>
              {t('knowledge.editor.withdraw')}
            </button>
          </div>
          {workflow.isError && <ErrorAlert error={workflow.error} />}
        </div>
      )}
      {conflict && (
        <div className="kb-callout kb-callout--error" role="alert" data-testid="kb-conflict">
          <p className="kb-callout__title">{t('knowledge.editor.conflictTitle')}</p>
          <p>{t('knowledge.editor.conflictBody')}</p>
          <div className="kb-actions">
            <button type="button" className="button button--secondary" onClick={() => void onReload()} data-testid="kb-reload">
              {t('knowledge.editor.reload')}
            </button>
          </div>
        </div>
      )}
      <ArticleForm
        initial={initial}
        articleId={article.id}
        published={article.version !== ''}
        disabled={inReview}
        saving={save.isPending}
        error={conflict ? null : save.error}
        savedMessage={savedAt ? t('knowledge.editor.saved', { time: formatDateTime(savedAt, i18n.language) }) : null}
        onSave={saveDraft}
        onSubmitForReview={async (form, acknowledgeIdentifiers) => {
          await saveDraft(form, acknowledgeIdentifiers);
          await workflow.mutateAsync({ action: 'submit', body: { changeNote: form.changeNote.trim(), major: form.major } });
          navigate(`/kennisbank/${encodeURIComponent(article.id)}`);
        }}
        submitError={workflow.error}
        submitting={workflow.isPending}
      >
        <AttachmentsEditor article={article} />
      </ArticleForm>
    </>
  );
}

interface ArticleFormProps {
  initial: FormState;
  articleId?: string;
  published?: boolean;
  disabled?: boolean;
  saving: boolean;
  error: unknown;
  savedMessage?: string | null;
  /** acknowledgeIdentifiers: resent after the client-data warning's "Toch versturen". */
  onSave: (form: FormState, acknowledgeIdentifiers?: boolean) => Promise<void>;
  onSubmitForReview?: (form: FormState, acknowledgeIdentifiers?: boolean) => Promise<void>;
  submitError?: unknown;
  submitting?: boolean;
  children?: ReactNode;
}

const FIELD_ORDER = ['title', 'summary', 'category', 'type', 'owner', 'tags', 'audience', 'body', 'requiresConfirmation', 'reviewDue', 'related', 'externalUrl', 'changeNote', 'major'];

/** Field name of a problem error: "audience.teams[2]" → "audience". */
function baseField(field: string): string {
  return field.split(/[.[]/)[0] ?? field;
}

function ArticleForm(props: ArticleFormProps) {
  const { t } = useTranslation();
  const { initial, disabled = false, saving, error, savedMessage, published = false } = props;
  const [form, setForm] = useState<FormState>(initial);
  const [clientErrors, setClientErrors] = useState<ProblemFieldError[]>([]);
  const summaryRef = useRef<HTMLDivElement>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const warning = useIdentifierWarning(titleRef);
  const preview = useDeferredValue(form.body);
  const uid = useId();
  const fid = (name: string) => `${uid}-${name}`;

  const text = useProblemText();
  // The server's field errors, said in the reader's language from their codes.
  const spoken = (errs: ProblemFieldError[]) => errs.map((fe) => ({ ...fe, message: text.fieldLine(fe) }));
  const serverErrors = isApiError(error) && error.errors.length > 0 ? spoken(error.errors) : [];
  const submitServerErrors = isApiError(props.submitError) ? spoken(props.submitError.errors) : [];
  const fieldErrors = [...clientErrors, ...serverErrors, ...submitServerErrors];
  const errorFor = (name: string) => fieldErrors.find((e) => baseField(e.field) === name)?.message;

  useEffect(() => {
    if (serverErrors.length > 0 || submitServerErrors.length > 0) summaryRef.current?.focus();
  }, [error, props.submitError]);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));

  const validate = (forReview: boolean): boolean => {
    const errs: ProblemFieldError[] = [];
    if (form.title.trim() === '') errs.push({ field: 'title', message: t('knowledge.editor.errors.title') });
    if (!form.category) errs.push({ field: 'category', message: t('knowledge.editor.errors.category') });
    if (!form.type) errs.push({ field: 'type', message: t('knowledge.editor.errors.type') });
    if (!form.owner) errs.push({ field: 'owner', message: t('knowledge.editor.errors.owner') });
    if (forReview && published && form.changeNote.trim() === '')
      errs.push({ field: 'changeNote', message: t('knowledge.editor.errors.changeNote') });
    setClientErrors(errs);
    if (errs.length > 0) {
      requestAnimationFrame(() => summaryRef.current?.focus());
      return false;
    }
    return true;
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving || disabled || !validate(false)) return;
    await save(false);
  };

  const save = async (acknowledgeIdentifiers: boolean) => {
    try {
      await props.onSave(form, acknowledgeIdentifiers);
    } catch (e) {
      warning.held(e, () => void save(true)); // otherwise shown from `error`
    }
  };

  const onReview = async () => {
    if (!props.onSubmitForReview || saving || props.submitting || disabled || !validate(true)) return;
    await review(false);
  };

  const review = async (acknowledgeIdentifiers: boolean) => {
    if (!props.onSubmitForReview) return;
    try {
      await props.onSubmitForReview(form, acknowledgeIdentifiers);
    } catch (e) {
      warning.held(e, () => void review(true)); // otherwise shown from `error` / `submitError`
    }
  };

  const described = (name: string, hint?: boolean) =>
    [hint ? `${fid(name)}-hint` : '', errorFor(name) ? `${fid(name)}-error` : ''].filter(Boolean).join(' ') || undefined;

  const errorText = (name: string) => {
    const message = errorFor(name);
    return message ? (
      <p id={`${fid(name)}-error`} className="kb-field-error">
        {message}
      </p>
    ) : null;
  };

  const sortedErrors = [...fieldErrors].sort((a, b) => FIELD_ORDER.indexOf(baseField(a.field)) - FIELD_ORDER.indexOf(baseField(b.field)));

  return (
    <form className="kb-form kb-editor" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="kb-editor-form">
      {fieldErrors.length > 0 && (
        <div className="kb-callout kb-callout--error" role="alert" tabIndex={-1} ref={summaryRef} data-testid="kb-form-errors">
          <p className="kb-callout__title">{t('knowledge.editor.errors.summary', { count: fieldErrors.length })}</p>
          <ul>
            {sortedErrors.map((e, i) => (
              <li key={`${e.field}-${i}`}>
                {FIELD_ORDER.includes(baseField(e.field)) ? <a href={`#${fid(baseField(e.field))}`}>{e.message}</a> : e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {error != null && serverErrors.length === 0 && !isIdentifierSuspected(error) && (
        <ErrorAlert error={error} title={t('knowledge.editor.saveFailed')} />
      )}
      {warning.dialog}

      <fieldset className="kb-fieldset kb-fieldset--plain" disabled={disabled}>
        <legend className="visually-hidden">{t('knowledge.editor.fieldsLegend')}</legend>
        <div className="kb-field">
          <label className="field-label" htmlFor={fid('title')}>
            {t('knowledge.editor.fields.title')}
          </label>
          <input
            ref={titleRef}
            id={fid('title')}
            className="input"
            value={form.title}
            onChange={(e) => set('title', e.target.value)}
            maxLength={200}
            required
            aria-invalid={errorFor('title') ? true : undefined}
            aria-describedby={described('title')}
          />
          {errorText('title')}
        </div>
        <div className="kb-field">
          <label className="field-label" htmlFor={fid('summary')}>
            {t('knowledge.editor.fields.summary')}
          </label>
          <p id={`${fid('summary')}-hint`} className="field-hint">
            {t('knowledge.editor.hints.summary')}
          </p>
          <textarea
            id={fid('summary')}
            className="input kb-textarea"
            rows={2}
            maxLength={500}
            value={form.summary}
            onChange={(e) => set('summary', e.target.value)}
            aria-invalid={errorFor('summary') ? true : undefined}
            aria-describedby={described('summary', true)}
          />
          {errorText('summary')}
        </div>
        <div className="kb-field-row">
          <SelectField
            id={fid('category')}
            label={t('knowledge.editor.fields.category')}
            value={form.category}
            options={CATEGORIES.map((c) => [c, categoryLabel(t, c)])}
            onChange={(v) => set('category', v as Category)}
            error={errorText('category')}
            describedBy={described('category')}
          />
          <SelectField
            id={fid('type')}
            label={t('knowledge.editor.fields.type')}
            value={form.type}
            options={ARTICLE_TYPES.map((c) => [c, typeLabel(t, c)])}
            onChange={(v) => set('type', v as ArticleType)}
            error={errorText('type')}
            describedBy={described('type')}
          />
          <SelectField
            id={fid('owner')}
            label={t('knowledge.editor.fields.owner')}
            value={form.owner}
            options={OWNERS.map((c) => [c, ownerLabel(t, c)])}
            onChange={(v) => set('owner', v as Owner)}
            error={errorText('owner')}
            describedBy={described('owner')}
          />
        </div>
        <div className="kb-field">
          <label className="field-label" htmlFor={fid('tags')}>
            {t('knowledge.editor.fields.tags')}
          </label>
          <p id={`${fid('tags')}-hint`} className="field-hint">
            {t('knowledge.editor.hints.tags')}
          </p>
          <input
            id={fid('tags')}
            className="input"
            value={form.tags}
            onChange={(e) => set('tags', e.target.value)}
            aria-invalid={errorFor('tags') ? true : undefined}
            aria-describedby={described('tags', true)}
          />
          {errorText('tags')}
        </div>

        <div id={fid('audience')} tabIndex={-1}>
          <AudiencePicker
            value={form.audience}
            onChange={(a) => set('audience', a)}
            error={errorFor('audience')}
            errorId={`${fid('audience')}-error`}
          />
        </div>

        <div className="kb-field kb-body-editor">
          <div className="kb-body-editor__write">
            <label className="field-label" htmlFor={fid('body')}>
              {t('knowledge.editor.fields.body')}
            </label>
            <p id={`${fid('body')}-hint`} className="field-hint">
              {t('knowledge.editor.hints.body')}
            </p>
            <textarea
              id={fid('body')}
              className="input kb-textarea kb-textarea--body"
              rows={16}
              value={form.body}
              onChange={(e) => set('body', e.target.value)}
              spellCheck
              aria-invalid={errorFor('body') ? true : undefined}
              aria-describedby={described('body', true)}
              data-testid="kb-body-input"
            />
            {errorText('body')}
          </div>
          <section className="kb-body-editor__preview" aria-labelledby={`${fid('preview')}-title`}>
            <h2 id={`${fid('preview')}-title`} className="kb-preview-title">
              {t('knowledge.editor.preview')}
            </h2>
            {preview.trim() === '' ? (
              <p className="muted">{t('knowledge.editor.previewEmpty')}</p>
            ) : (
              <MarkdownPreview source={preview} className="kb-prose kb-prose--preview" tableLabel={t('knowledge.article.tableLabel')} />
            )}
          </section>
        </div>

        <div className="kb-field">
          <label className="kb-check">
            <input
              type="checkbox"
              checked={form.requiresConfirmation}
              onChange={(e) => set('requiresConfirmation', e.target.checked)}
            />
            {t('knowledge.editor.fields.requiresConfirmation')}
          </label>
          {errorText('requiresConfirmation')}
        </div>
        <div className="kb-field-row">
          <div className="kb-field">
            <label className="field-label" htmlFor={fid('reviewDue')}>
              {t('knowledge.editor.fields.reviewDue')}
            </label>
            <input
              id={fid('reviewDue')}
              type="date"
              className="input"
              value={form.reviewDue}
              onChange={(e) => set('reviewDue', e.target.value)}
              aria-invalid={errorFor('reviewDue') ? true : undefined}
              aria-describedby={described('reviewDue')}
            />
            {errorText('reviewDue')}
          </div>
          <div className="kb-field kb-field--grow">
            <label className="field-label" htmlFor={fid('externalUrl')}>
              {t('knowledge.editor.fields.externalUrl')}
            </label>
            <input
              id={fid('externalUrl')}
              type="url"
              inputMode="url"
              className="input"
              placeholder="https://"
              value={form.externalUrl}
              onChange={(e) => set('externalUrl', e.target.value)}
              aria-invalid={errorFor('externalUrl') ? true : undefined}
              aria-describedby={described('externalUrl')}
            />
            {errorText('externalUrl')}
          </div>
        </div>
        <div id={fid('related')} tabIndex={-1}>
          <RelatedPicker value={form.related} onChange={(r) => set('related', r)} exclude={props.articleId} />
          {errorText('related')}
        </div>

        <div className="kb-actions">
          <button type="submit" className="button button--primary" aria-disabled={saving || undefined} data-testid="kb-save">
            {saving ? t('knowledge.editor.saving') : props.articleId ? t('knowledge.editor.save') : t('knowledge.editor.create')}
          </button>
          <div role="status" aria-live="polite" className="kb-saved">
            {savedMessage && <span data-testid="kb-saved">{savedMessage}</span>}
          </div>
        </div>
      </fieldset>

      {props.children}

      {props.onSubmitForReview && (
        <fieldset className="kb-fieldset kb-submit" disabled={disabled}>
          <legend className="field-label kb-submit__legend">{t('knowledge.editor.submitTitle')}</legend>
          <div className="kb-field">
            <label className="field-label" htmlFor={fid('changeNote')}>
              {t('knowledge.editor.fields.changeNote')}
            </label>
            <p id={`${fid('changeNote')}-hint`} className="field-hint">
              {published ? t('knowledge.editor.hints.changeNoteRequired') : t('knowledge.editor.hints.changeNote')}
            </p>
            <textarea
              id={fid('changeNote')}
              className="input kb-textarea"
              rows={2}
              maxLength={500}
              value={form.changeNote}
              onChange={(e) => set('changeNote', e.target.value)}
              aria-invalid={errorFor('changeNote') ? true : undefined}
              aria-describedby={described('changeNote', true)}
              data-testid="kb-change-note"
            />
            {errorText('changeNote')}
          </div>
          <div className="kb-field">
            <label className="kb-check">
              <input type="checkbox" checked={form.major} onChange={(e) => set('major', e.target.checked)} id={fid('major')} />
              {t('knowledge.editor.fields.major')}
            </label>
            <p className="field-hint">{t('knowledge.editor.hints.major')}</p>
          </div>
          {isApiError(props.submitError) && props.submitError.errors.length === 0 && (
            <ErrorAlert error={props.submitError} title={t('knowledge.editor.submitFailed')} />
          )}
          <div className="kb-actions">
            <button
              type="button"
              className="button button--secondary"
              onClick={() => void onReview()}
              aria-disabled={props.submitting || saving || undefined}
              data-testid="kb-submit-review"
            >
              {props.submitting ? t('knowledge.sending') : t('knowledge.editor.submit')}
            </button>
          </div>
        </fieldset>
      )}
    </form>
  );
}

function SelectField(props: {
  id: string;
  label: string;
  value: string;
  options: [string, string][];
  onChange: (value: string) => void;
  error: ReactNode;
  describedBy?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="kb-field">
      <label className="field-label" htmlFor={props.id}>
        {props.label}
      </label>
      <select
        id={props.id}
        className="input kb-select"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.describedBy}
      >
        <option value="">{t('knowledge.editor.choose')}</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      {props.error}
    </div>
  );
}
