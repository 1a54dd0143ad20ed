import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { SavedCopyNote } from '../../components/OfflineStatus';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import {
  articlePath,
  attachmentUrl,
  knowledgeKeys,
  useArticle,
  useArticleFeedback,
  useConfirmArticle,
  useDiff,
  useSendFeedback,
  useWorkflow,
} from './api';
import { DiffView } from './DiffView';
import {
  categoryLabel,
  fileKind,
  formatDate,
  formatDateTime,
  formatDay,
  formatSize,
  ownerLabel,
  safeExternalUrl,
  statusLabel,
  typeLabel,
} from './format';
import { KnowledgeNav } from './KnowledgeNav';
import { MarkdownPreview } from './markdown';
import type { Article, Feedback, FeedbackKind, VersionInfo } from './types';
import { FieldError } from '../../components/form';

/** /kennisbank/:id — the article, made for reading on a phone. */
export function ArticlePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const article = useArticle(id);
  useDocumentTitle(article.data?.title ?? t('knowledge.title'));

  if (article.isPending) return <Loading label={t('knowledge.article.loading')} />;
  if (article.isError) return <ArticleError error={article.error} onRetry={() => void article.refetch()} />;
  return <ArticleView article={article.data} updatedAt={article.dataUpdatedAt} />;
}

export function ArticleError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  const notFound = isApiError(error) && error.isNotFound;
  return (
    <div className="stack kb">
      <h1>{notFound ? t('knowledge.article.notFoundTitle') : t('knowledge.title')}</h1>
      {notFound ? <p>{t('knowledge.article.notFoundBody')}</p> : <ErrorAlert error={error} onRetry={onRetry} />}
      <p>
        <Link to="/kennisbank" className="arrow-link">
          {t('knowledge.backToHome')}
        </Link>
      </p>
    </div>
  );
}

export function Breadcrumb({ article, current }: { article?: { id: string; title: string; category?: string }; current?: string }) {
  const { t } = useTranslation();
  return (
    <nav className="breadcrumb" aria-label={t('knowledge.breadcrumb')}>
      <ol>
        <li>
          <Link to="/kennisbank">{t('knowledge.title')}</Link>
        </li>
        {article?.category && !current && (
          <li>
            <Link to={`/kennisbank?categorie=${encodeURIComponent(article.category)}`}>{categoryLabel(t, article.category)}</Link>
          </li>
        )}
        {article && current && (
          <li>
            <Link to={`/kennisbank/${encodeURIComponent(article.id)}`}>{article.title}</Link>
          </li>
        )}
        <li>
          <span aria-current="page">{current ?? article?.title}</span>
        </li>
      </ol>
    </nav>
  );
}

function ArticleView({ article, updatedAt }: { article: Article; updatedAt?: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const titleId = useId();
  const external = safeExternalUrl(article.externalUrl);
  const published = article.version !== '';
  const c = article.confirmation;

  return (
    <div className="stack kb kb-article-page" data-testid="kb-article" data-id={article.id}>
      <KnowledgeNav />
      <Breadcrumb article={article} />
      <SavedCopyNote path={articlePath(article.id)} dataUpdatedAt={updatedAt} />
      <header className="kb-article__header">
        <h1 id={titleId} className="kb-article__title">
          {article.title}
        </h1>
        {article.summary && <p className="kb-article__summary">{article.summary}</p>}
        <ul className="kb-meta" aria-label={t('knowledge.article.metaLabel')}>
          <li>{categoryLabel(t, article.category)}</li>
          <li>{typeLabel(t, article.type)}</li>
          <li>{t('knowledge.article.ownerLine', { owner: ownerLabel(t, article.owner) })}</li>
          {published && <li data-testid="kb-version">{t('knowledge.article.version', { version: article.version })}</li>}
          {article.publishedAt && <li>{t('knowledge.article.publishedOn', { date: formatDate(article.publishedAt, lang) })}</li>}
          {article.reviewDue && <li>{t('knowledge.article.reviewDue', { date: formatDay(article.reviewDue, lang) })}</li>}
          {article.overdue && article.canEdit && (
            <li>
              <span className="badge kb-badge kb-badge--overdue" data-testid="kb-overdue">
                {t('knowledge.article.overdue')}
              </span>
            </li>
          )}
        </ul>
        {c.required && c.pending && published && (
          <p className="kb-callout kb-callout--attention">
            {t('knowledge.confirm.topNotice')} <a href="#kb-confirm">{t('knowledge.confirm.topLink')}</a>
          </p>
        )}
        {external && (
          <p>
            <a className="button button--secondary kb-external" href={external} target="_blank" rel="noopener noreferrer" data-testid="kb-external">
              {t('knowledge.article.openExternal')}
              <span className="visually-hidden"> ({t('knowledge.article.newWindow')})</span>
              <span aria-hidden="true">↗</span>
            </a>
          </p>
        )}
      </header>

      {article.canEdit ? (
        <EditorBar article={article} />
      ) : (
        article.canReport &&
        article.requiresConfirmation &&
        published && (
          <p>
            <Link to={`/kennisbank/${encodeURIComponent(article.id)}/rapportage`} className="arrow-link" data-testid="kb-report-link">
              {t('knowledge.report.open')}
            </Link>
          </p>
        )
      )}

      {published ? (
        <ArticleBody html={article.bodyHtml} labelledBy={titleId} />
      ) : (
        <div className="stack stack--tight">
          <p className="kb-callout">{t('knowledge.article.notPublished')}</p>
          {article.draft && <MarkdownPreview source={article.draft.body} className="kb-prose" tableLabel={t('knowledge.article.tableLabel')} />}
        </div>
      )}

      {article.attachments.length > 0 && (
        <section className="kb-section" aria-labelledby="kb-attachments-title">
          <h2 id="kb-attachments-title">{t('knowledge.article.attachments')}</h2>
          <ul className="kb-attachments">
            {article.attachments.map((a) => (
              <li key={a.id}>
                <a href={attachmentUrl(article.id, a.id)} className="kb-attachment" data-testid="kb-attachment">
                  <span className="kb-attachment__name">{a.name}</span>
                  <span className="kb-attachment__meta">
                    {fileKind(a.contentType)} · {formatSize(a.size, lang)}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}

      {c.required && published && <ConfirmBox article={article} />}

      {article.related.length > 0 && (
        <section className="kb-section" aria-labelledby="kb-related-title">
          <h2 id="kb-related-title">{t('knowledge.article.related')}</h2>
          <ul className="kb-related">
            {article.related.map((r) => (
              <li key={r.id}>
                <Link to={`/kennisbank/${encodeURIComponent(r.id)}`} className="arrow-link">
                  {r.title}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}

      {article.versions.length > 0 && <VersionHistory article={article} />}

      <FeedbackSection article={article} />
    </div>
  );
}

/**
 * The server's sanitised HTML (the one place we inject HTML). Wide tables get
 * a focusable horizontal scroll container so a phone can read them.
 */
function ArticleBody({ html, labelledBy }: { html: string; labelledBy: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLElement>(null);
  const tableLabel = t('knowledge.article.tableLabel');
  useLayoutEffect(() => {
    const root = ref.current;
    if (!root) return;
    for (const table of Array.from(root.querySelectorAll('table'))) {
      if (table.parentElement?.classList.contains('kb-table-scroll')) {
        table.parentElement.setAttribute('aria-label', tableLabel);
        continue;
      }
      const wrapper = document.createElement('div');
      wrapper.className = 'kb-table-scroll';
      wrapper.setAttribute('role', 'region');
      wrapper.setAttribute('aria-label', tableLabel);
      wrapper.tabIndex = 0;
      table.replaceWith(wrapper);
      wrapper.appendChild(table);
    }
  }, [html, tableLabel]);
  return (
    <article ref={ref} className="kb-prose" aria-labelledby={labelledBy} data-testid="kb-body" dangerouslySetInnerHTML={{ __html: html }} />
  );
}

function EditorBar({ article }: { article: Article }) {
  const { t } = useTranslation();
  const workflow = useWorkflow(article.id);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const draft = article.draft;
  const workingStatus = draft?.status ?? article.status;
  const id = encodeURIComponent(article.id);
  return (
    <div className="kb-editor-bar" data-testid="kb-editor-bar">
      <p className="kb-editor-bar__status">
        {t('knowledge.editor.workingCopy')}: <span className="badge kb-badge">{statusLabel(t, workingStatus)}</span>
        {draft && draft.revision > 0 && workingStatus !== 'published' && (
          <span className="muted small"> · {t('knowledge.editor.by', { name: draft.author.name })}</span>
        )}
      </p>
      <div className="kb-actions">
        {article.status !== 'archived' && (
          <Link to={`/kennisbank/${id}/bewerken`} className="button button--primary" data-testid="kb-edit">
            {t('knowledge.editor.edit')}
          </Link>
        )}
        {workingStatus === 'review' && article.canReview && (
          <Link to={`/kennisbank/${id}/review`} className="button button--secondary">
            {t('knowledge.review.open')}
          </Link>
        )}
        {article.canReport && article.requiresConfirmation && article.version && (
          <Link to={`/kennisbank/${id}/rapportage`} className="button button--secondary" data-testid="kb-report-link">
            {t('knowledge.report.open')}
          </Link>
        )}
        {article.status === 'archived' ? (
          <button type="button" className="button button--quiet" onClick={() => workflow.mutate({ action: 'restore' })}>
            {t('knowledge.editor.restore')}
          </button>
        ) : article.status === 'published' && !confirmArchive ? (
          <button type="button" className="button button--quiet" onClick={() => setConfirmArchive(true)}>
            {t('knowledge.editor.archive')}
          </button>
        ) : article.status === 'published' ? (
          <span className="kb-confirm-inline">
            <span>{t('knowledge.editor.archiveSure')}</span>{' '}
            <button
              type="button"
              className="button button--secondary"
              onClick={() => workflow.mutate({ action: 'archive' }, { onSettled: () => setConfirmArchive(false) })}
            >
              {t('knowledge.editor.archiveYes')}
            </button>{' '}
            <button type="button" className="button button--quiet" onClick={() => setConfirmArchive(false)}>
              {t('knowledge.cancel')}
            </button>
          </span>
        ) : null}
      </div>
      {workflow.isError && <ErrorAlert error={workflow.error} />}
    </div>
  );
}

/** "Gelezen en begrepen": confirms the version the reader saw; a newer version (409) makes the reader read again. */
function ConfirmBox({ article }: { article: Article }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const confirm = useConfirmArticle(article.id);
  const [newer, setNewer] = useState(false);
  const [justConfirmed, setJustConfirmed] = useState(false);
  const doneRef = useRef<HTMLParagraphElement>(null);
  const c = article.confirmation;

  useEffect(() => {
    if (justConfirmed && !c.pending) doneRef.current?.focus();
  }, [justConfirmed, c.pending]);

  const onConfirm = async () => {
    if (confirm.isPending) return;
    setNewer(false);
    try {
      await confirm.mutateAsync(article.version);
      setJustConfirmed(true);
    } catch (error) {
      if (isApiError(error) && error.status === 409) {
        setNewer(true);
        confirm.reset();
        await client.invalidateQueries({ queryKey: knowledgeKeys.article(article.id) });
      }
    }
  };

  return (
    <section id="kb-confirm" className="kb-confirm" aria-labelledby="kb-confirm-title" data-testid="kb-confirm" tabIndex={-1}>
      <h2 id="kb-confirm-title" className="kb-confirm__title">
        {t('knowledge.confirm.title')}
      </h2>
      {newer && (
        <div className="kb-callout kb-callout--attention" role="alert" data-testid="kb-confirm-newer">
          <p className="kb-callout__title">{t('knowledge.confirm.newerTitle')}</p>
          <p>{t('knowledge.confirm.newerBody', { version: article.version })}</p>
        </div>
      )}
      {c.pending ? (
        <>
          <p>{t('knowledge.confirm.explain', { version: article.version })}</p>
          <button
            type="button"
            className="button button--primary button--large kb-confirm__button"
            onClick={() => void onConfirm()}
            aria-disabled={confirm.isPending || undefined}
            data-testid="kb-confirm-button"
          >
            {confirm.isPending ? t('knowledge.confirm.sending') : t('knowledge.confirm.button')}
          </button>
          {confirm.isError && <ErrorAlert error={confirm.error} title={t('knowledge.confirm.failed')} />}
        </>
      ) : c.confirmedAt ? (
        <p className="kb-confirm__done" role="status" ref={doneRef} tabIndex={-1} data-testid="kb-confirmed">
          <span className="kb-confirm__check" aria-hidden="true">
            ✓
          </span>{' '}
          {t('knowledge.confirm.done', {
            date: formatDateTime(c.confirmedAt, i18n.language),
            version: c.confirmedVersion ?? article.version,
          })}
        </p>
      ) : (
        <p className="muted">{t('knowledge.confirm.notForYou')}</p>
      )}
    </section>
  );
}

function VersionHistory({ article }: { article: Article }) {
  const { t } = useTranslation();
  return (
    <section className="kb-section" aria-labelledby="kb-versions-title">
      <h2 id="kb-versions-title">{t('knowledge.versions.title')}</h2>
      <ol className="kb-versions" data-testid="kb-versions">
        {article.versions.map((v, i) => (
          <VersionItem key={v.version} articleId={article.id} version={v} previous={article.versions[i + 1]} />
        ))}
      </ol>
    </section>
  );
}

function VersionItem({ articleId, version, previous }: { articleId: string; version: VersionInfo; previous?: VersionInfo }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const diff = useDiff(articleId, previous?.version ?? '', version.version, open);
  return (
    <li className="kb-version" data-version={version.version}>
      <p className="kb-version__head">
        <strong>{t('knowledge.article.version', { version: version.version })}</strong>
        {version.major && <span className="badge kb-badge kb-badge--major">{t('knowledge.versions.major')}</span>}
        <span className="muted"> · {formatDate(version.publishedAt, i18n.language)}</span>
      </p>
      {version.changeNote && <p className="kb-version__note">{version.changeNote}</p>}
      <p className="small muted">
        {t('knowledge.versions.people', { author: version.author.name, reviewer: version.reviewer.name })}
      </p>
      {previous && (
        <button
          type="button"
          className="kb-link-button"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen((o) => !o)}
          data-testid="kb-compare"
        >
          {open
            ? t('knowledge.versions.hideCompare')
            : t('knowledge.versions.compare', { from: previous.version, to: version.version })}
        </button>
      )}
      {previous && (
        <div id={panelId} hidden={!open}>
          {open &&
            (diff.isPending ? (
              <Loading label={t('knowledge.loading')} />
            ) : diff.isError ? (
              <ErrorAlert error={diff.error} onRetry={() => void diff.refetch()} />
            ) : (
              <DiffView
                lines={diff.data.lines}
                label={t('knowledge.versions.diffLabel', { from: previous.version, to: version.version })}
              />
            ))}
        </div>
      )}
    </li>
  );
}

const FEEDBACK_MAX = 2000;

function FeedbackSection({ article }: { article: Article }) {
  const { t, i18n } = useTranslation();
  const feedback = useArticleFeedback(article.id);
  const send = useSendFeedback(article.id);
  const [kind, setKind] = useState<FeedbackKind>('question');
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [sent, setSent] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const textId = useId();
  const errorId = useId();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (send.isPending) return;
    setSent(false);
    if (text.trim() === '') {
      setInvalid(true);
      textRef.current?.focus();
      return;
    }
    setInvalid(false);
    try {
      await send.mutateAsync({ kind, text: text.trim() });
      setText('');
      setSent(true);
    } catch {
      // shown below
    }
  };

  const items = feedback.data ?? [];
  return (
    <section className="kb-section kb-feedback" aria-labelledby="kb-feedback-title">
      <h2 id="kb-feedback-title">{t('knowledge.feedback.title')}</h2>
      <form className="kb-form" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="kb-feedback-form">
        <fieldset className="kb-fieldset">
          <legend className="field-label">{t('knowledge.feedback.kindLegend')}</legend>
          <div className="kb-radios">
            {(['question', 'outdated'] as const).map((k) => (
              <label key={k} className="kb-radio">
                <input type="radio" name="kb-feedback-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                {t(`knowledge.feedback.kind.${k}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="kb-field">
          <label className="field-label" htmlFor={textId}>
            {kind === 'question' ? t('knowledge.feedback.questionLabel') : t('knowledge.feedback.outdatedLabel')}
          </label>
          <textarea
            id={textId}
            ref={textRef}
            className="input kb-textarea"
            rows={3}
            maxLength={FEEDBACK_MAX}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? errorId : undefined}
          />
          <FieldError id={errorId} message={invalid ? t('knowledge.feedback.required') : undefined} />
        </div>
        <div className="kb-actions">
          <button type="submit" className="button button--secondary" aria-disabled={send.isPending || undefined}>
            {send.isPending ? t('knowledge.sending') : t('knowledge.feedback.send')}
          </button>
        </div>
        <div role="status" aria-live="polite">
          {sent && <p className="kb-callout kb-callout--ok">{t('knowledge.feedback.sent')}</p>}
        </div>
        {send.isError && <ErrorAlert error={send.error} title={t('knowledge.feedback.failed')} />}
      </form>
      {items.length > 0 && (
        <>
          <h3>{article.canEdit ? t('knowledge.feedback.allTitle') : t('knowledge.feedback.mineTitle')}</h3>
          <ul className="kb-feedback-list">
            {items.map((f) => (
              <FeedbackItem key={f.id} feedback={f} language={i18n.language} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function FeedbackItem({
  feedback,
  language,
  showArticle = false,
  children,
}: {
  feedback: Feedback;
  language: string;
  showArticle?: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <li className="kb-feedback-item" data-testid="kb-feedback-item" data-kind={feedback.kind}>
      <p className="kb-feedback-item__head">
        <span className={feedback.kind === 'outdated' ? 'badge kb-badge kb-badge--overdue' : 'badge kb-badge'}>
          {t(`knowledge.feedback.kindShort.${feedback.kind}`)}
        </span>{' '}
        {showArticle && (
          <>
            <Link to={`/kennisbank/${encodeURIComponent(feedback.articleId)}`}>{feedback.articleTitle}</Link>{' '}
          </>
        )}
        <span className="muted small">
          {t('knowledge.feedback.byOn', { name: feedback.author.name, date: formatDateTime(feedback.createdAt, language) })}
        </span>
      </p>
      <p className="kb-feedback-item__text">{feedback.text}</p>
      {feedback.answer ? (
        <div className="kb-answer">
          <p className="kb-answer__head">
            {t('knowledge.feedback.answerBy', {
              name: feedback.answer.author.name,
              date: formatDateTime(feedback.answer.at, language),
            })}
          </p>
          <p className="kb-feedback-item__text">{feedback.answer.text}</p>
        </div>
      ) : (
        <p className="small muted">{t('knowledge.feedback.noAnswer')}</p>
      )}
      {children}
    </li>
  );
}
