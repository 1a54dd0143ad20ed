import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useAnswerFeedback, useFeedbackInbox, useKnowledgeMeta } from './api';
import { FeedbackItem } from './ArticlePage';
import { KnowledgeNav } from './KnowledgeNav';
import type { Feedback } from './types';
import { FieldError } from '../../components/form';
import { PageHeader } from '../../components/PageHeader';

/** /kennisbank/vragen: open questions and "outdated" reports for editors, with an answer form. */
export function FeedbackInboxPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('knowledge.inbox.title'));
  const meta = useKnowledgeMeta();
  const canEdit = meta.data?.canEdit ?? false;
  const inbox = useFeedbackInbox(canEdit);
  const [answered, setAnswered] = useState('');
  return (
    <div className="stack kb">
      <KnowledgeNav />
      <PageHeader title={t('knowledge.inbox.title')} intro={t('knowledge.inbox.intro')} />
      <p role="status" aria-live="polite" className="kb-live">
        {answered && t('knowledge.inbox.answered', { name: answered })}
      </p>
      {meta.isPending ? (
        <Loading label={t('knowledge.loading')} />
      ) : !canEdit ? (
        <div className="empty-state" data-testid="kb-no-access">
          <p className="empty-state__title">{t('knowledge.noAccessTitle')}</p>
          <p>{t('knowledge.inbox.noAccess')}</p>
        </div>
      ) : inbox.isPending ? (
        <Loading label={t('knowledge.loading')} />
      ) : inbox.isError ? (
        <ErrorAlert error={inbox.error} onRetry={() => void inbox.refetch()} />
      ) : inbox.data.length === 0 ? (
        <p className="empty-state">{t('knowledge.inbox.empty')}</p>
      ) : (
        <ul className="kb-feedback-list">
          {inbox.data.map((f) => (
            <InboxItem key={f.id} feedback={f} onAnswered={setAnswered} />
          ))}
        </ul>
      )}
    </div>
  );
}

function InboxItem({ feedback, onAnswered }: { feedback: Feedback; onAnswered: (name: string) => void }) {
  const { t, i18n } = useTranslation();
  const answer = useAnswerFeedback();
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);
  const id = useId();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (answer.isPending) return;
    if (text.trim() === '') {
      setInvalid(true);
      document.getElementById(id)?.focus();
      return;
    }
    setInvalid(false);
    answer.mutate({ id: feedback.id, text: text.trim() }, { onSuccess: () => onAnswered(feedback.author.name) });
  };

  return (
    <FeedbackItem feedback={answer.data ?? feedback} language={i18n.language} showArticle>
      {!answer.isSuccess && !feedback.answer && (
        <form className="kb-form kb-answer-form" onSubmit={onSubmit} noValidate data-testid="kb-answer-form">
          <label className="field-label" htmlFor={id}>
            {t('knowledge.inbox.answerLabel', { name: feedback.author.name })}
          </label>
          <textarea
            id={id}
            className="input kb-textarea"
            rows={3}
            maxLength={2000}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? `${id}-error` : undefined}
          />
          <FieldError id={`${id}-error`} message={invalid ? t('knowledge.inbox.required') : undefined} />
          <div className="kb-actions">
            <button type="submit" className="button button--primary" aria-disabled={answer.isPending || undefined}>
              {answer.isPending ? t('knowledge.sending') : t('knowledge.inbox.send')}
            </button>
          </div>
          {answer.isError && <ErrorAlert error={answer.error} />}
        </form>
      )}
    </FeedbackItem>
  );
}
