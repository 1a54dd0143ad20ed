import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useStartDm } from './api';
import { useChatConnection, useChatSnapshot } from './ChatProvider';
import { BackIcon, CloseIcon } from './icons';
import { PeoplePicker } from './PeoplePicker';
import type { Person } from './types';

const MAX_PEOPLE = 8;

/** /chat/new — start a direct conversation (1 person) or a group (2–8). */
export function NewConversation() {
  const { t } = useTranslation();
  useDocumentTitle(t('chat.new.title'));
  const snapshot = useChatSnapshot();
  const connection = useChatConnection();
  const navigate = useNavigate();
  const start = useStartDm();
  const [chosen, setChosen] = useState<Person[]>([]);
  const exclude = new Set([...chosen.map((p) => p.id), ...(snapshot.user ? [snapshot.user.id] : [])]);

  function submit() {
    if (chosen.length === 0 || start.isPending) return;
    start.mutate(
      chosen.map((p) => p.id),
      {
        onSuccess: (summary) => {
          connection.upsertChannel(summary);
          navigate(`/chat/${encodeURIComponent(summary.id)}`);
        },
      },
    );
  }

  return (
    <div className="chat-form">
      <header className="channel__header">
        <Link to="/chat" className="chat-back">
          <BackIcon className="chat-back__icon" />
          <span className="visually-hidden">{t('chat.back')}</span>
        </Link>
        <h2 className="channel__title">{t('chat.new.title')}</h2>
      </header>
      <div className="chat-form__body stack stack--tight">
        <p className="muted">{t('chat.new.intro', { max: MAX_PEOPLE })}</p>
        {chosen.length > 0 && (
          <section aria-label={t('chat.new.chosen')}>
            <ul className="chips chat-form__chosen">
              {chosen.map((person) => (
                <li key={person.id} className="chip chat-chip">
                  {person.name}
                  <button
                    type="button"
                    className="chat-chip__remove"
                    onClick={() => setChosen((list) => list.filter((p) => p.id !== person.id))}
                  >
                    <CloseIcon className="chat-chip__icon" />
                    <span className="visually-hidden">{t('chat.new.remove', { name: person.name })}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
        {chosen.length < MAX_PEOPLE && (
          <PeoplePicker
            label={t('chat.new.search')}
            excludeIds={exclude}
            autoFocus
            pickLabel={(person) => t('chat.new.add', { name: person.name })}
            onPick={(person) => setChosen((list) => (list.length < MAX_PEOPLE ? [...list, person] : list))}
          />
        )}
        {start.isError && <ErrorAlert error={start.error} title={t('chat.new.failed')} />}
        <div>
          <button
            type="button"
            className="button button--primary"
            aria-disabled={chosen.length === 0 || start.isPending || undefined}
            onClick={submit}
          >
            {chosen.length > 1 ? t('chat.new.startGroup') : t('chat.new.start')}
          </button>
        </div>
      </div>
    </div>
  );
}
