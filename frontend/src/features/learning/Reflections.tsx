import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, ProblemSummary, useFieldErrors } from '../../components/form';
import { useReflections, useWriteReflection } from './api';
import { formatDate } from './format';
import type { Reflection, TeamLearning } from './types';

/** The team's reflections per module and the coach's answers (team and coach only). */
export function Reflections({ v }: { v: TeamLearning }) {
  const { t } = useTranslation();
  const list = useReflections(v.team.id, v.seesPrivate);
  return (
    <section aria-labelledby="ln-reflections" className="stack stack--tight">
      <h2 id="ln-reflections">{t('learning.reflections.title')}</h2>
      <p className="ln-muted">{t('learning.reflections.intro')}</p>
      {list.isError && <ErrorAlert error={list.error} />}
      <ul className="ln-reflections">
        {(list.data ?? [])
          .filter((r) => r.body !== '' || v.modules.find((m) => m.key === r.moduleKey)?.status !== 'planned' || v.canReflect)
          .map((r) => (
            <ReflectionItem key={r.moduleKey} r={r} v={v} />
          ))}
      </ul>
    </section>
  );
}

function ReflectionItem({ r, v }: { r: Reflection; v: TeamLearning }) {
  const { t } = useTranslation();
  const write = useWriteReflection(v.team.id);
  const [editing, setEditing] = useState<'' | 'body' | 'reply'>('');
  const [text, setText] = useState('');
  const start = (which: 'body' | 'reply') => {
    setText(which === 'body' ? r.body : r.reply);
    setEditing(which);
  };
  const fieldId = `ln-refl-${r.moduleKey}`;
  const errors = useFieldErrors(write.error);
  return (
    <li className="card stack stack--tight" data-testid="reflection" data-module={r.moduleKey}>
      <h3 className="card__title">{r.moduleTitle}</h3>
      {r.bodyHtml ? (
        <>
          {/* Sanitised on the server (server/richtext). */}
          <div className="ln-richtext" dangerouslySetInnerHTML={{ __html: r.bodyHtml }} />
          <p className="ln-muted">
            {t('learning.reflections.by', { name: r.author.name })}
            {r.updatedAt && `, ${formatDate(r.updatedAt)}`}
          </p>
        </>
      ) : (
        <p className="ln-muted">{t('learning.reflections.empty')}</p>
      )}
      {r.replyHtml && (
        <div className="ln-reply">
          <p className="field-label">{t('learning.reflections.reply')}</p>
          <div className="ln-richtext" dangerouslySetInnerHTML={{ __html: r.replyHtml }} />
          <p className="ln-muted">{t('learning.reflections.by', { name: r.replyBy.name })}</p>
        </div>
      )}
      {editing === '' && (
        <p className="ln-actions">
          {v.canReflect && (
            <button type="button" className="button button--secondary" onClick={() => start('body')}>
              {r.body ? t('learning.reflections.edit') : t('learning.reflections.write')}
            </button>
          )}
          {v.canManage && r.body && (
            <button type="button" className="button button--secondary" onClick={() => start('reply')}>
              {t('learning.reflections.writeReply')}
            </button>
          )}
        </p>
      )}
      {editing !== '' && (
        <form
          className="stack stack--tight"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (write.isPending) return;
            write.mutate({ module: r.moduleKey, body: text, reply: editing === 'reply' }, { onSuccess: () => setEditing('') });
          }}
        >
          <ProblemSummary error={write.error} errors={errors} fields={['body']} idOf={() => fieldId} />
          <Field
            id={fieldId}
            name="body"
            label={
              editing === 'reply'
                ? t('learning.reflections.replyLabel', { module: r.moduleTitle })
                : t('learning.reflections.label', { module: r.moduleTitle })
            }
            error={errors.of('body')}
          >
            {(c) => <textarea {...c} className="input" rows={6} value={text} onChange={(e) => setText(e.target.value)} required />}
          </Field>
          <p className="ln-actions">
            <button type="submit" className="button button--primary" disabled={write.isPending}>
              {t('learning.reflections.save')}
            </button>
            <button
              type="button"
              className="button button--quiet"
              onClick={() => {
                setEditing('');
                write.reset();
              }}
            >
              {t('learning.reflections.cancel')}
            </button>
          </p>
        </form>
      )}
    </li>
  );
}
