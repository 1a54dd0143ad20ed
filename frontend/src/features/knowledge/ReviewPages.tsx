import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useCurrentUser } from '../session/api';
import { useArticle, useDiff, useKnowledgeMeta, useReviewQueue, useWorkflow } from './api';
import { ArticleError, Breadcrumb } from './ArticlePage';
import { DiffView } from './DiffView';
import { categoryLabel, formatDateTime, personName, typeLabel } from './format';
import { KnowledgeNav } from './KnowledgeNav';
import { MarkdownPreview } from './markdown';
import type { Article } from './types';
import { FieldError } from '../../components/form';
import { PageHeader } from '../../components/PageHeader';

function NoAccess() {
  const { t } = useTranslation();
  return (
    <div className="empty-state" data-testid="kb-no-access">
      <p className="empty-state__title">{t('knowledge.noAccessTitle')}</p>
      <p>{t('knowledge.review.noAccess')}</p>
    </div>
  );
}

/** /kennisbank/review: articles waiting for review. */
export function ReviewListPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('knowledge.review.title'));
  const meta = useKnowledgeMeta();
  const canEdit = meta.data?.canEdit ?? false;
  const queue = useReviewQueue(canEdit);
  return (
    <div className="stack kb">
      <KnowledgeNav />
      <PageHeader title={t('knowledge.review.title')} intro={t('knowledge.review.intro')} />
      {meta.isPending ? (
        <Loading label={t('knowledge.loading')} />
      ) : !canEdit ? (
        <NoAccess />
      ) : queue.isPending ? (
        <Loading label={t('knowledge.loading')} />
      ) : queue.isError ? (
        <ErrorAlert error={queue.error} onRetry={() => void queue.refetch()} />
      ) : queue.data.length === 0 ? (
        <p className="empty-state">{t('knowledge.review.empty')}</p>
      ) : (
        <ul className="kb-list">
          {queue.data.map((a) => (
            <li key={a.id} className="kb-card" data-testid="kb-review-item">
              <h2 className="kb-card__title">
                <Link to={`/kennisbank/${encodeURIComponent(a.id)}/review`} className="kb-card__link">
                  {a.title}
                </Link>
              </h2>
              <p className="kb-card__meta">
                <span>{categoryLabel(t, a.category)}</span>
                <span>{typeLabel(t, a.type)}</span>
                {a.author && <span>{t('knowledge.review.by', { name: personName(a.author) })}</span>}
                <span>{formatDateTime(a.updatedAt, i18n.language)}</span>
              </p>
              <p className="kb-card__badges">
                <span className="badge kb-badge">{a.version ? t('knowledge.review.change') : t('knowledge.review.newArticle')}</span>
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** /kennisbank/:id/review: the diff from the published version to the draft, approve or reject. */
export function ReviewPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const article = useArticle(id);
  useDocumentTitle(article.data ? t('knowledge.review.pageTitle', { title: article.data.title }) : t('knowledge.review.title'));
  if (article.isPending) return <Loading label={t('knowledge.article.loading')} />;
  if (article.isError) return <ArticleError error={article.error} onRetry={() => void article.refetch()} />;
  const a = article.data;
  return (
    <div className="stack kb kb-review-page">
      <KnowledgeNav />
      <Breadcrumb article={a} current={t('knowledge.review.crumb')} />
      <h1>{t('knowledge.review.pageTitle', { title: a.draft?.title ?? a.title })}</h1>
      {!a.canReview || !a.draft ? (
        <NoAccess />
      ) : a.draft.status !== 'review' ? (
        <p className="kb-callout" data-testid="kb-not-in-review">
          {t('knowledge.review.notInReview')}{' '}
          <Link to={`/kennisbank/${encodeURIComponent(a.id)}`}>{t('knowledge.review.toArticle')}</Link>
        </p>
      ) : (
        <Review article={a} />
      )}
    </div>
  );
}

function Review({ article }: { article: Article }) {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const draft = article.draft!;
  const isNew = article.version === '';
  const diff = useDiff(article.id, article.version, 'draft', !isNew);
  const workflow = useWorkflow(article.id);
  const [comment, setComment] = useState('');
  const [missingComment, setMissingComment] = useState(false);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const commentId = useId();
  const ownWarningId = useId();
  const errorId = useId();
  const own = draft.author.id === user.id;

  const approve = () => {
    if (own || workflow.isPending) return;
    setMissingComment(false);
    workflow.mutate(
      { action: 'approve', body: comment.trim() ? { comment: comment.trim() } : {} },
      { onSuccess: () => navigate(`/kennisbank/${encodeURIComponent(article.id)}`) },
    );
  };

  const reject = () => {
    if (own || workflow.isPending) return;
    if (comment.trim() === '') {
      setMissingComment(true);
      commentRef.current?.focus();
      return;
    }
    setMissingComment(false);
    workflow.mutate({ action: 'reject', body: { comment: comment.trim() } }, { onSuccess: () => navigate('/kennisbank/review') });
  };

  return (
    <>
      <dl className="kb-facts">
        <div>
          <dt>{t('knowledge.review.author')}</dt>
          <dd data-testid="kb-review-author">{draft.author.name}</dd>
        </div>
        <div>
          <dt>{t('knowledge.review.kind')}</dt>
          <dd>
            {isNew
              ? t('knowledge.review.newArticle')
              : draft.major
                ? t('knowledge.review.majorChange', { version: article.version })
                : t('knowledge.review.minorChange', { version: article.version })}
          </dd>
        </div>
        <div>
          <dt>{t('knowledge.review.updated')}</dt>
          <dd>{formatDateTime(draft.updatedAt, i18n.language)}</dd>
        </div>
        {draft.changeNote && (
          <div className="kb-facts__wide">
            <dt>{t('knowledge.editor.fields.changeNote')}</dt>
            <dd className="kb-pre">{draft.changeNote}</dd>
          </div>
        )}
      </dl>

      <section className="kb-section" aria-labelledby="kb-review-changes">
        <h2 id="kb-review-changes">{isNew ? t('knowledge.review.contentTitle') : t('knowledge.review.changesTitle')}</h2>
        {isNew ? (
          <div className="kb-new-content">
            <p className="kb-article__summary">{draft.summary}</p>
            <MarkdownPreview source={draft.body} className="kb-prose" tableLabel={t('knowledge.article.tableLabel')} />
          </div>
        ) : diff.isPending ? (
          <Loading label={t('knowledge.loading')} />
        ) : diff.isError ? (
          <ErrorAlert error={diff.error} onRetry={() => void diff.refetch()} />
        ) : (
          <DiffView lines={diff.data.lines} label={t('knowledge.review.diffLabel', { version: article.version })} />
        )}
      </section>

      <section className="kb-section kb-decision" aria-labelledby="kb-review-decision">
        <h2 id="kb-review-decision">{t('knowledge.review.decisionTitle')}</h2>
        <div className="kb-field">
          <label className="field-label" htmlFor={commentId}>
            {t('knowledge.review.comment')}
          </label>
          <p className="field-hint" id={`${commentId}-hint`}>
            {t('knowledge.review.commentHint')}
          </p>
          <textarea
            id={commentId}
            ref={commentRef}
            className="input kb-textarea"
            rows={3}
            maxLength={1000}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            aria-invalid={missingComment || undefined}
            aria-describedby={[`${commentId}-hint`, missingComment ? errorId : ''].filter(Boolean).join(' ')}
            data-testid="kb-review-comment-input"
          />
          <FieldError
            id={errorId}
            message={missingComment ? t('knowledge.review.commentRequired') : undefined}
            testId="kb-review-comment-error"
          />
        </div>
        {own && (
          <p id={ownWarningId} className="kb-callout" data-testid="kb-own-change">
            {t('knowledge.review.ownChange')}
          </p>
        )}
        <div className="kb-actions">
          <button
            type="button"
            className="button button--primary"
            onClick={approve}
            disabled={own}
            aria-describedby={own ? ownWarningId : undefined}
            data-testid="kb-approve"
          >
            {t('knowledge.review.approve')}
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={reject}
            disabled={own}
            aria-describedby={own ? ownWarningId : undefined}
            data-testid="kb-reject"
          >
            {t('knowledge.review.reject')}
          </button>
        </div>
        {workflow.isError && <ErrorAlert error={workflow.error} title={t('knowledge.review.failed')} />}
      </section>
    </>
  );
}
