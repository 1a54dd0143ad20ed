import { memo, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useProblemText } from '../../lib/problemText';
import type { ChatMessage, PendingMessage } from './connection';
import { MessageAttachments } from './Attachments';
import { useChatConnection } from './ChatProvider';
import { decodeMentions, encodeMentions, timeLabel } from './format';
import { ReplyIcon, SmileIcon } from './icons';
import { REACTION_EMOJI } from './types';

const EMOJI_KEYS: Record<string, string> = {
  '👍': 'thumbsUp',
  '❤️': 'heart',
  '😊': 'smile',
  '🙏': 'thanks',
  '✅': 'done',
  '😮': 'surprised',
};

interface MessageItemProps {
  message: ChatMessage;
  meId: string | undefined;
  /** Show author and time (false for follow-ups by the same author). */
  showHeader: boolean;
  /** In the thread panel: no reply button / reply count. */
  inThread?: boolean;
  /** Names of people by id, to turn <@id> back into @Name when editing. */
  getNames: () => ReadonlyMap<string, string>;
  onReply?: (seq: number) => void;
  /** Shown under the message (e.g. its read receipt). */
  footer?: ReactNode;
  /** The message a link or search hit points at (?m=): scrolled to, focused and highlighted. */
  target?: boolean;
}

/** One message of the log. */
export const MessageItem = memo(function MessageItem({
  message,
  meId,
  showHeader,
  inThread = false,
  getNames,
  onReply,
  footer,
  target = false,
}: MessageItemProps) {
  const { t, i18n } = useTranslation();
  const item = useRef<HTMLLIElement>(null);
  useEffect(() => {
    const el = item.current;
    if (!target || !el) return;
    el.scrollIntoView?.({ block: 'center' }); // (absent in jsdom)
    el.focus({ preventScroll: true });
  }, [target]);
  const connection = useChatConnection();
  const [editing, setEditing] = useState(false);
  const [picker, setPicker] = useState(false);
  const mine = message.by === meId;
  const mentioned = !message.deleted && ((!!meId && message.mentions.includes(meId)) || message.mentionsTeam);
  const time = timeLabel(message.at, i18n.language);

  const classes = ['msg'];
  if (!showHeader) classes.push('msg--followup');
  if (mentioned) classes.push('msg--mention');
  if (mine) classes.push('msg--mine');
  if (target) classes.push('msg--target');

  function toggleReaction(emoji: string) {
    const current = message.reactions.find((r) => r.emoji === emoji);
    connection.react(message.ch, message.seq, emoji, !current?.mine);
    setPicker(false);
  }

  return (
    <li
      ref={item}
      className={classes.join(' ')}
      data-testid="chat-message"
      data-seq={message.seq}
      tabIndex={target ? -1 : undefined}
      aria-current={target || undefined}
    >
      <div className={showHeader ? 'msg__meta' : 'msg__meta visually-hidden'}>
        <span className="msg__author">{message.byName}</span>{' '}
        <time className="msg__time" dateTime={message.at}>
          {time}
        </time>
        {message.edited && !message.deleted && <span className="msg__edited"> {t('chat.edited')}</span>}
      </div>

      {message.deleted ? (
        <p className="msg__deleted">{t('chat.deleted')}</p>
      ) : editing ? (
        <EditForm message={message} names={getNames()} onDone={() => setEditing(false)} />
      ) : message.html ? (
        // Safe: `html` is the server's sanitised rendering (allowlist of tags
        // and attributes, see docs/protocol.md); it is only ever used for the
        // message body. Everything else is rendered as text.
        <div className="msg__body" dangerouslySetInnerHTML={{ __html: message.html }} />
      ) : message.body ? (
        <div className="msg__body msg__body--text">{message.body}</div>
      ) : null}

      {!message.deleted && !editing && <MessageAttachments attachments={message.attachments} />}

      {message.reactions.length > 0 && !message.deleted && (
        <ul className="msg__reactions" aria-label={t('chat.reactions')}>
          {message.reactions.map((reaction) => (
            <li key={reaction.emoji}>
              <button
                type="button"
                className={reaction.mine ? 'reaction reaction--mine' : 'reaction'}
                aria-pressed={reaction.mine}
                title={reaction.names.join(', ')}
                onClick={() => toggleReaction(reaction.emoji)}
              >
                <span aria-hidden="true">{reaction.emoji}</span> <span aria-hidden="true">{reaction.count}</span>
                <span className="visually-hidden">
                  {t('chat.reactionLabel', {
                    emoji: emojiName(t, reaction.emoji),
                    count: reaction.count,
                  })}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}

      {!inThread && message.replyCount > 0 && (
        <Link className="msg__replies" to={`/chat/${encodeURIComponent(message.ch)}/thread/${message.seq}`}>
          {t('chat.replyCount', { count: message.replyCount })}
        </Link>
      )}

      {!message.deleted && !editing && (
        <div className="msg__actions">
          {!inThread && onReply && (
            <button
              type="button"
              className="msg__action"
              data-testid="chat-reply-button"
              onClick={() => onReply(message.seq)}
            >
              <ReplyIcon className="msg__action-icon" />
              <span className="visually-hidden">{t('chat.replyTo', { name: message.byName })}</span>
            </button>
          )}
          <button
            type="button"
            className="msg__action"
            aria-expanded={picker}
            onClick={() => setPicker((open) => !open)}
          >
            <SmileIcon className="msg__action-icon" />
            <span className="visually-hidden">{t('chat.addReaction')}</span>
          </button>
          {mine && (
            <>
              <button type="button" className="msg__action msg__action--text" onClick={() => setEditing(true)}>
                {t('chat.edit')}
              </button>
              <button
                type="button"
                className="msg__action msg__action--text"
                onClick={() => {
                  if (window.confirm(t('chat.confirmDelete'))) connection.remove(message.ch, message.seq);
                }}
              >
                {t('chat.delete')}
              </button>
            </>
          )}
          {picker && <EmojiPicker onPick={toggleReaction} onClose={() => setPicker(false)} />}
        </div>
      )}
      {footer}
    </li>
  );
});

function emojiName(t: TFunction, emoji: string): string {
  const key = EMOJI_KEYS[emoji];
  return key ? t(`chat.emoji.${key as 'thumbsUp'}`) : emoji;
}

function EmojiPicker({ onPick, onClose }: { onPick: (emoji: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector('button')?.focus();
  }, []);
  return (
    <div
      ref={ref}
      className="emoji-picker"
      role="group"
      aria-label={t('chat.pickReaction')}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onClose();
        }
      }}
    >
      {REACTION_EMOJI.map((emoji) => (
        <button key={emoji} type="button" className="emoji-picker__button" onClick={() => onPick(emoji)}>
          <span aria-hidden="true">{emoji}</span>
          <span className="visually-hidden">{emojiName(t, emoji)}</span>
        </button>
      ))}
    </div>
  );
}

function EditForm({
  message,
  names,
  onDone,
}: {
  message: ChatMessage;
  names: ReadonlyMap<string, string>;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const connection = useChatConnection();
  const id = useId();
  const [{ text: initial, mentions }] = useState(() => decodeMentions(message.body, names));
  const [text, setText] = useState(initial);
  function save() {
    const body = encodeMentions(text.trim(), mentions);
    if (body && body !== message.body) connection.edit(message.ch, message.seq, body);
    onDone();
  }
  return (
    <form
      className="msg__edit"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        {t('chat.editLabel')}
      </label>
      <textarea
        id={id}
        className="input composer__input"
        value={text}
        autoFocus
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onDone();
          if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            save();
          }
        }}
      />
      <div className="msg__edit-actions">
        <button type="submit" className="button button--primary">
          {t('chat.save')}
        </button>
        <button type="button" className="button button--quiet" onClick={onDone}>
          {t('chat.cancel')}
        </button>
      </div>
    </form>
  );
}

/** A message the user sent that is not in the log yet (or failed). */
export function PendingItem({ pending, authorName }: { pending: PendingMessage; authorName: string }) {
  const { t, i18n } = useTranslation();
  const say = useProblemText();
  const connection = useChatConnection();
  const failed = pending.status === 'failed';
  return (
    <li
      className={failed ? 'msg msg--mine msg--pending msg--failed' : 'msg msg--mine msg--pending'}
      data-testid="chat-message"
      data-pending={pending.status}
      data-client-id={pending.clientId}
    >
      <div className="msg__meta">
        <span className="msg__author">{authorName}</span>{' '}
        <time className="msg__time" dateTime={pending.at}>
          {timeLabel(pending.at, i18n.language)}
        </time>
      </div>
      <div className="msg__body msg__body--text">{pending.body}</div>
      <p className="msg__status">
        {failed
          ? pending.error === 'too_large'
            ? t('chat.failedTooLarge')
            : pending.errors?.length
              ? `${t('chat.failed')} ${pending.errors.map((fe) => say.fieldLine(fe)).join(' ')}`
              : t('chat.failed')
          : pending.status === 'sent'
            ? t('chat.sent')
            : pending.status === 'waiting'
              ? t('chat.waiting')
              : t('chat.sending')}
      </p>
      {failed && (
        <div className="msg__retry">
          <button type="button" className="button button--secondary" onClick={() => connection.retry(pending.clientId)}>
            {t('chat.retry')}
          </button>
          <button type="button" className="button button--quiet" onClick={() => connection.discard(pending.clientId)}>
            {t('chat.discard')}
          </button>
        </div>
      )}
    </li>
  );
}
