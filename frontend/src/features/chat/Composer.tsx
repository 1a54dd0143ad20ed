import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { usePeopleSearch } from './api';
import { useChatConnection } from './ChatProvider';
import { encodeMentions, mentionQuery } from './format';
import { SendIcon } from './icons';
import type { ChannelMember } from './types';

export const MAX_BODY = 8000;
const TYPING_EVERY_MS = 3000;

interface Draft {
  text: string;
  mentions: [string, string][];
}

/** Drafts survive switching channels (per channel and thread) for this page load. */
const drafts = new Map<string, Draft>();

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

interface ComposerProps {
  channelId: string;
  channelName: string;
  /** Thread root seq (0 = the channel itself). */
  reply?: number;
  /** DM / group members: mention suggestions come from them instead of the people search. */
  members?: ChannelMember[];
  meId?: string;
  /** Called after a message was handed to the connection. */
  onSent?: () => void;
  autoFocus?: boolean;
  textareaRef?: RefObject<HTMLTextAreaElement | null>;
}

export function Composer({
  channelId,
  channelName,
  reply = 0,
  members,
  meId,
  onSent,
  autoFocus,
  textareaRef,
}: ComposerProps) {
  const { t } = useTranslation();
  const connection = useChatConnection();
  const key = `${channelId}:${reply}`;
  const [text, setText] = useState(() => drafts.get(key)?.text ?? '');
  const [mentions, setMentions] = useState(() => new Map(drafts.get(key)?.mentions ?? []));
  const [caret, setCaret] = useState(0);
  const pendingCaret = useRef<number | null>(null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const lastTyping = useRef(0);
  const ownRef = useRef<HTMLTextAreaElement>(null);
  const inputRef = textareaRef ?? ownRef;
  const id = useId();
  const hintId = useId();
  const listId = useId();

  // Switching channel or thread: load that draft.
  const [loadedKey, setLoadedKey] = useState(key);
  if (loadedKey !== key) {
    setLoadedKey(key);
    setText(drafts.get(key)?.text ?? '');
    setMentions(new Map(drafts.get(key)?.mentions ?? []));
  }

  useEffect(() => {
    if (text) drafts.set(key, { text, mentions: [...mentions] });
    else drafts.delete(key);
  }, [key, text, mentions]);

  // ----- @mention autocomplete -----
  const mention = mentionQuery(text, caret);
  const open = mention !== null && dismissed !== mention.start;
  const query = useDebounced(open && !members ? mention.query : '', 200);
  const people = usePeopleSearch(query);
  const suggestions: ChannelMember[] = !open
    ? []
    : members
      ? members
          .filter((m) => m.id !== meId)
          .filter((m) => m.name.toLocaleLowerCase('nl').includes(mention.query.toLocaleLowerCase('nl')))
          .slice(0, 8)
      : mention.query.length >= 2
        ? (people.data ?? []).filter((p) => p.id !== meId).slice(0, 8)
        : [];
  const showList = suggestions.length > 0;
  const activeIndex = Math.min(active, Math.max(0, suggestions.length - 1));

  function choose(person: ChannelMember) {
    if (!mention) return;
    const before = text.slice(0, mention.start);
    const after = text.slice(caret);
    const inserted = `@${person.name} `;
    const next = before + inserted + after;
    const nextCaret = before.length + inserted.length;
    setText(next);
    setMentions((prev) => new Map(prev).set(person.name, person.id));
    setCaret(nextCaret);
    setActive(0);
    // Placed right after the commit that shows the new text (layout effect
    // below), so a keystroke typed at once never lands before the caret moves.
    pendingCaret.current = nextCaret;
  }

  useLayoutEffect(() => {
    const at = pendingCaret.current;
    const el = inputRef.current;
    if (at === null || !el) return;
    pendingCaret.current = null;
    el.focus();
    el.setSelectionRange(at, at);
  }, [text]);

  const tooLong = text.length > MAX_BODY;
  const canSend = text.trim().length > 0 && !tooLong;

  function send() {
    if (!canSend) return;
    // Only keep mentions whose "@Name" is still in the text.
    const body = encodeMentions(text.trim(), mentions);
    connection.send(channelId, body, reply);
    setText('');
    setMentions(new Map());
    setCaret(0);
    drafts.delete(key);
    onSent?.();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (showList) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const delta = event.key === 'ArrowDown' ? 1 : -1;
        setActive((activeIndex + delta + suggestions.length) % suggestions.length);
        return;
      }
      if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
        event.preventDefault();
        choose(suggestions[activeIndex]!);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setDismissed(mention?.start ?? null);
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        {reply > 0 ? t('chat.composer.replyLabel') : t('chat.composer.label', { name: channelName })}
      </label>
      <div className="composer__field">
        {showList && (
          <ul id={listId} className="mention-list" role="listbox" aria-label={t('chat.composer.suggestions')}>
            {suggestions.map((person, index) => (
              <li
                key={person.id}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === activeIndex}
                className={index === activeIndex ? 'mention-list__option mention-list__option--active' : 'mention-list__option'}
                onMouseDown={(event) => {
                  // Keep focus in the textarea.
                  event.preventDefault();
                  choose(person);
                }}
              >
                {person.name}
              </li>
            ))}
          </ul>
        )}
        <textarea
          id={id}
          ref={inputRef}
          className="input composer__input"
          data-testid="chat-composer"
          rows={1}
          value={text}
          placeholder={reply > 0 ? t('chat.composer.replyPlaceholder') : t('chat.composer.placeholder')}
          enterKeyHint="send"
          autoFocus={autoFocus}
          aria-describedby={hintId}
          aria-autocomplete="list"
          aria-controls={showList ? listId : undefined}
          aria-activedescendant={showList ? `${listId}-${activeIndex}` : undefined}
          aria-invalid={tooLong || undefined}
          onChange={(event) => {
            setText(event.target.value);
            setCaret(event.target.selectionStart ?? event.target.value.length);
            setDismissed(null);
            const now = Date.now();
            if (event.target.value.trim() && now - lastTyping.current > TYPING_EVERY_MS) {
              lastTyping.current = now;
              connection.sendTyping(channelId);
            }
          }}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart ?? 0)}
          onKeyDown={onKeyDown}
        />
      </div>
      <button type="submit" className="composer__send" data-testid="chat-send" aria-disabled={!canSend || undefined}>
        <SendIcon className="composer__send-icon" />
        <span className="visually-hidden">{t('chat.composer.send')}</span>
      </button>
      <p id={hintId} className={tooLong ? 'composer__hint composer__hint--error' : 'visually-hidden'}>
        {tooLong ? t('chat.composer.tooLong', { max: MAX_BODY, count: text.length }) : t('chat.composer.hint')}
      </p>
      <p className="visually-hidden" role="status" aria-live="polite">
        {showList ? t('chat.composer.suggestionCount', { count: suggestions.length }) : ''}
      </p>
    </form>
  );
}
