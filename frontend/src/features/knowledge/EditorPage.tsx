import { useDeferredValue, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { isIdentifierSuspected, useIdentifierWarning } from '../../components/IdentifierWarning';
import { ErrorSummary, Field, FieldError, fieldErrorsOf, summaryItems, useFieldErrors, type FieldMessage } from '../../components/form';
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

function ArticleForm(props: ArticleFormProps) {
  const { t } = useTranslation();
  const { initial, disabled = false, saving, error, savedMessage, published = false } = props;
  const [form, setForm] = useState<FormState>(initial);
  const [clientErrors, setClientErrors] = useState<FieldMessage[]>([]);
  const [refusals, setRefusals] = useState(0);
  const titleRef = useRef<HTMLInputElement>(null);
  const warning = useIdentifierWarning(titleRef);
  const preview = useDeferredValue(form.body);
  const uid = useId();
  const fid = (name: string) => `${uid}-${name}`;

  // The form's own checks, then the server's field errors said in the reader's language from their codes.
  const errors = useFieldErrors([error, props.submitError], { client: clientErrors, withName: true });
  const serverErrors = fieldErrorsOf(error);
  const errorFor = errors.of;

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));

  const validate = (forReview: boolean): boolean => {
    const errs: FieldMessage[] = [];
    if (form.title.trim() === '') errs.push({ field: 'title', message: t('knowledge.editor.errors.title') });
    if (!form.category) errs.push({ field: 'category', message: t('knowledge.editor.errors.category') });
    if (!form.type) errs.push({ field: 'type', message: t('knowledge.editor.errors.type') });
    if (!form.owner) errs.push({ field: 'owner', message: t('knowledge.editor.errors.owner') });
    if (forReview && published && form.changeNote.trim() === '')
      errs.push({ field: 'changeNote', message: t('knowledge.editor.errors.changeNote') });
    setClientErrors(errs);
    if (errs.length > 0) {
      setRefusals((n) => n + 1);
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

  const errorText = (name: string) => <FieldError id={`${fid(name)}-error`} message={errorFor(name)} />;

  return (
    <form className="kb-form kb-editor" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="kb-editor-form">
      {errors.list.length > 0 && (
        <ErrorSummary
          className="kb-callout kb-callout--error"
          title={t('knowledge.editor.errors.summary', { count: errors.list.length })}
          items={summaryItems(errors.list, FIELD_ORDER, fid)}
          focusKey={[refusals, error, props.submitError]}
          testId="kb-form-errors"
        />
      )}
      {error != null && serverErrors.length === 0 && !isIdentifierSuspected(error) && (
        <ErrorAlert error={error} title={t('knowledge.editor.saveFailed')} />
      )}
      {warning.dialog}

      <fieldset className="kb-fieldset kb-fieldset--plain" disabled={disabled}>
        <legend className="visually-hidden">{t('knowledge.editor.fieldsLegend')}</legend>
        <Field className="kb-field" id={fid('title')} label={t('knowledge.editor.fields.title')} error={errorFor('title')}>
          {(c) => <input {...c} ref={titleRef} className="input" value={form.title} onChange={(e) => set('title', e.target.value)} maxLength={200} required />}
        </Field>
        <Field
          className="kb-field"
          id={fid('summary')}
          label={t('knowledge.editor.fields.summary')}
          hint={t('knowledge.editor.hints.summary')}
          error={errorFor('summary')}
        >
          {(c) => (
            <textarea {...c} className="input kb-textarea" rows={2} maxLength={500} value={form.summary} onChange={(e) => set('summary', e.target.value)} />
          )}
        </Field>
        <div className="kb-field-row">
          <SelectField
            id={fid('category')}
            label={t('knowledge.editor.fields.category')}
            value={form.category}
            options={CATEGORIES.map((c) => [c, categoryLabel(t, c)])}
            onChange={(v) => set('category', v as Category)}
            error={errorFor('category')}
          />
          <SelectField
            id={fid('type')}
            label={t('knowledge.editor.fields.type')}
            value={form.type}
            options={ARTICLE_TYPES.map((c) => [c, typeLabel(t, c)])}
            onChange={(v) => set('type', v as ArticleType)}
            error={errorFor('type')}
          />
          <SelectField
            id={fid('owner')}
            label={t('knowledge.editor.fields.owner')}
            value={form.owner}
            options={OWNERS.map((c) => [c, ownerLabel(t, c)])}
            onChange={(v) => set('owner', v as Owner)}
            error={errorFor('owner')}
          />
        </div>
        <Field className="kb-field" id={fid('tags')} label={t('knowledge.editor.fields.tags')} hint={t('knowledge.editor.hints.tags')} error={errorFor('tags')}>
          {(c) => <input {...c} className="input" value={form.tags} onChange={(e) => set('tags', e.target.value)} />}
        </Field>

        <div id={fid('audience')} tabIndex={-1}>
          <AudiencePicker
            value={form.audience}
            onChange={(a) => set('audience', a)}
            error={errorFor('audience')}
            errorId={`${fid('audience')}-error`}
          />
        </div>

        <div className="kb-field kb-body-editor">
          <Field
            className="kb-body-editor__write"
            id={fid('body')}
            label={t('knowledge.editor.fields.body')}
            hint={t('knowledge.editor.hints.body')}
            error={errorFor('body')}
          >
            {(c) => (
              <textarea
                {...c}
                className="input kb-textarea kb-textarea--body"
                rows={16}
                value={form.body}
                onChange={(e) => set('body', e.target.value)}
                spellCheck
                data-testid="kb-body-input"
              />
            )}
          </Field>
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
          <Field className="kb-field" id={fid('reviewDue')} label={t('knowledge.editor.fields.reviewDue')} error={errorFor('reviewDue')}>
            {(c) => <input {...c} type="date" className="input" value={form.reviewDue} onChange={(e) => set('reviewDue', e.target.value)} />}
          </Field>
          <Field className="kb-field kb-field--grow" id={fid('externalUrl')} label={t('knowledge.editor.fields.externalUrl')} error={errorFor('externalUrl')}>
            {(c) => (
              <input
                {...c}
                type="url"
                inputMode="url"
                className="input"
                placeholder="https://"
                value={form.externalUrl}
                onChange={(e) => set('externalUrl', e.target.value)}
              />
            )}
          </Field>
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
          <Field
            className="kb-field"
            id={fid('changeNote')}
            label={t('knowledge.editor.fields.changeNote')}
            hint={published ? t('knowledge.editor.hints.changeNoteRequired') : t('knowledge.editor.hints.changeNote')}
            error={errorFor('changeNote')}
          >
            {(c) => (
              <textarea
                {...c}
                className="input kb-textarea"
                rows={2}
                maxLength={500}
                value={form.changeNote}
                onChange={(e) => set('changeNote', e.target.value)}
                data-testid="kb-change-note"
              />
            )}
          </Field>
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
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <Field className="kb-field" id={props.id} label={props.label} error={props.error}>
      {(c) => (
        <select {...c} className="input kb-select" value={props.value} onChange={(e) => props.onChange(e.target.value)}>
          <option value="">{t('knowledge.editor.choose')}</option>
          {props.options.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
