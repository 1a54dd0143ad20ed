import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { useIdentifierWarning } from '../../components/IdentifierWarning';
import { MentionList, useMentionAutocomplete } from '../mentions/MentionAutocomplete';
import { AttachButton, ComposerFileList, useComposerFiles } from './Attachments';
import { useChatConnection } from './ChatProvider';
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
  const lastTyping = useRef(0);
  const ownRef = useRef<HTMLTextAreaElement>(null);
  const inputRef = textareaRef ?? ownRef;
  const id = useId();
  const hintId = useId();
  const mention = useMentionAutocomplete({
    text,
    setText,
    inputRef,
    members,
    excludeId: meId,
    initialMentions: drafts.get(key)?.mentions,
  });
  const { mentions, setMentions } = mention;
  // Sends the server may refuse as client data (identifier_suspected): the
  // text comes back into the composer and the writer decides.
  const sent = useRef(
    new Map<string, { text: string; mentions: [string, string][]; body: string; attachments: string[] }>(),
  );
  const files = useComposerFiles(channelId);
  const warning = useIdentifierWarning(inputRef);
  const { hold } = warning;
  useEffect(
    () =>
      connection.on('identifierSuspected', ({ clientId, findings }) => {
        const s = sent.current.get(clientId);
        if (!s) return;
        sent.current.delete(clientId);
        setText(s.text);
        setMentions(new Map(s.mentions));
        hold(findings, () => {
          connection.send(channelId, s.body, reply, true, s.attachments);
          setText('');
          setMentions(new Map());
          drafts.delete(key);
        });
      }),
    [connection, channelId, reply, key, hold, setMentions],
  );

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

  const tooLong = text.length > MAX_BODY;
  const canSend = (text.trim().length > 0 || files.ids.length > 0) && !tooLong && !files.busy;

  function send() {
    if (!canSend) return;
    // Only keep mentions whose "@Name" is still in the text.
    const body = mention.encode(text.trim());
    const attachments = files.ids;
    const clientId = connection.send(channelId, body, reply, false, attachments);
    files.clear();
    sent.current.set(clientId, { text, mentions: [...mentions], body, attachments });
    if (sent.current.size > 20) sent.current.delete(sent.current.keys().next().value!);
    setText('');
    mention.reset();
    drafts.delete(key);
    onSent?.();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (mention.onKeyDown(event)) return;
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
      onDragOver={(event) => {
        if (event.dataTransfer.types.includes('Files')) event.preventDefault();
      }}
      onDrop={(event) => {
        if (event.dataTransfer.files.length === 0) return;
        event.preventDefault();
        files.add(Array.from(event.dataTransfer.files));
      }}
    >
      <ComposerFileList files={files} />
      <AttachButton files={files} />
      <label htmlFor={id} className="visually-hidden">
        {reply > 0 ? t('chat.composer.replyLabel') : t('chat.composer.label', { name: channelName })}
      </label>
      <div className="composer__field">
        <MentionList mention={mention} label={t('chat.composer.suggestions')} />
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
          {...mention.inputProps}
          aria-invalid={tooLong || undefined}
          onChange={(event) => {
            setText(event.target.value);
            mention.onChange(event);
            const now = Date.now();
            if (event.target.value.trim() && now - lastTyping.current > TYPING_EVERY_MS) {
              lastTyping.current = now;
              connection.sendTyping(channelId);
            }
          }}
          onSelect={mention.onSelect}
          onKeyDown={onKeyDown}
          onPaste={(event) => {
            // A pasted photo (a screenshot) is attached; pasted text stays text.
            if (event.clipboardData.files.length === 0) return;
            event.preventDefault();
            files.add(Array.from(event.clipboardData.files));
          }}
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
        {mention.showList ? t('chat.composer.suggestionCount', { count: mention.suggestions.length }) : ''}
      </p>
      {warning.dialog}
    </form>
  );
}
