import type { TFunction } from 'i18next';
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { ChannelOptions } from './ChannelOptions';
import type { ChannelSnapshot, ChatMessage } from './connection';
import { useChatConnection, useChatSnapshot } from './ChatProvider';
import { Composer } from './Composer';
import { ConversationSearch } from './ConversationSearch';
import { channelDisplayName, dayKey, dayLabel, excerpt, messageText } from './format';
import { BackIcon, CloseIcon } from './icons';
import { MessageItem, PendingItem } from './MessageItem';
import { PresenceLine } from './PresenceDot';
import { ReadReceipt } from './ReadReceipt';

const GROUP_WINDOW_MS = 5 * 60_000;

/** /chat/:channelId and /chat/:channelId/thread/:seq */
export function ChannelView() {
  const { t } = useTranslation();
  const { channelId = '', seq } = useParams();
  const snapshot = useChatSnapshot();
  const connection = useChatConnection();
  const navigate = useNavigate();
  const channel = snapshot.byId[channelId];
  const meId = snapshot.user?.id;
  const threadSeq = seq && /^\d+$/.test(seq) ? Number(seq) : 0;
  // ?m=<seq>: the message a notification or search hit points at.
  const [params] = useSearchParams();
  const m = params.get('m') ?? '';
  const target = /^\d{1,15}$/.test(m) ? Number(m) : 0;
  const name = channel ? channelDisplayName(channel.summary, meId) : '';
  const headingId = useId();
  const threadComposer = useRef<HTMLTextAreaElement>(null);

  useDocumentTitle(channel ? t('chat.documentTitle', { name }) : t('chat.title'));

  const exists = !!channel;
  useEffect(() => {
    if (exists) connection.ensureLoaded(channelId);
  }, [connection, channelId, exists]);

  // Names of people seen in this channel, to show "@Name" when editing.
  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const member of channel?.summary.members ?? []) map.set(member.id, member.name);
    for (const message of channel?.messages ?? []) map.set(message.by, message.byName);
    if (snapshot.user) map.set(snapshot.user.id, snapshot.user.name);
    return map;
  }, [channel?.summary.members, channel?.messages, snapshot.user]);
  // Stable callbacks keep memoised messages from re-rendering on every new message.
  const namesRef = useRef(names);
  namesRef.current = names;
  const getNames = useCallback(() => namesRef.current, []);
  const channelKey = channel?.id ?? '';
  const onReply = useCallback(
    (root: number) => {
      navigate(`/chat/${encodeURIComponent(channelKey)}/thread/${root}`);
      // After the shell moved focus to <main> for the new route.
      requestAnimationFrame(() => requestAnimationFrame(() => threadComposer.current?.focus()));
    },
    [navigate, channelKey],
  );

  if (!channel) {
    if (!snapshot.everReady) return <Loading label={t('chat.loadingChannel')} />;
    return (
      <div className="chat-empty">
        <h2 className="chat-empty__title">{t('chat.notFoundTitle')}</h2>
        <p>{t('chat.notFoundBody')}</p>
        <p>
          <Link to="/chat">{t('chat.back')}</Link>
        </p>
      </div>
    );
  }

  const members = channel.summary.kind === 'dm' || channel.summary.kind === 'group' ? channel.summary.members : undefined;
  const partner = channel.summary.kind === 'dm' ? members?.find((m) => m.id !== meId) : undefined;

  return (
    <div className={threadSeq ? 'channel channel--thread' : 'channel'}>
      <section className="channel__main" aria-labelledby={headingId}>
        <header className="channel__header">
          <Link to="/chat" className="chat-back">
            <BackIcon className="chat-back__icon" />
            <span className="visually-hidden">{t('chat.back')}</span>
          </Link>
          <div className="channel__heading">
            <h2 id={headingId} className="channel__title">
              {name}
            </h2>
            {partner && (
              <PresenceLine status={snapshot.presence[partner.id] ?? 'offline'} lastSeen={snapshot.lastSeen[partner.id]} />
            )}
          </div>
          <ConversationSearch key={channel.id} channelId={channel.id} name={name} />
          <ChannelOptions channel={channel} name={name} meId={meId} />
        </header>
        <MessageList
          key={channel.id}
          channel={channel}
          meId={meId}
          getNames={getNames}
          name={name}
          onReply={onReply}
          target={threadSeq ? 0 : target}
        />
        <TypingIndicator channel={channel} />
        <Composer channelId={channel.id} channelName={name} members={members} meId={meId} />
      </section>
      {threadSeq > 0 && (
        <ThreadPanel
          channel={channel}
          rootSeq={threadSeq}
          meId={meId}
          getNames={getNames}
          name={name}
          members={members}
          composerRef={threadComposer}
          target={target}
        />
      )}
    </div>
  );
}

type ListItem =
  | { type: 'day'; key: string; label: string }
  | { type: 'msg'; key: string; message: ChatMessage; showHeader: boolean };

function buildItems(messages: ChatMessage[], t: TFunction, language: string): ListItem[] {
  const items: ListItem[] = [];
  let prevDay = '';
  let prev: ChatMessage | null = null;
  for (const message of messages) {
    const day = dayKey(message.at);
    if (day !== prevDay) {
      items.push({ type: 'day', key: `day-${day}`, label: dayLabel(message.at, t, language) });
      prevDay = day;
      prev = null;
    }
    const showHeader =
      !prev ||
      prev.by !== message.by ||
      prev.deleted ||
      Date.parse(message.at) - Date.parse(prev.at) > GROUP_WINDOW_MS;
    items.push({ type: 'msg', key: `m-${message.seq}`, message, showHeader });
    prev = message;
  }
  return items;
}

interface MessageListProps {
  channel: ChannelSnapshot;
  meId: string | undefined;
  getNames: () => ReadonlyMap<string, string>;
  name: string;
  onReply: (seq: number) => void;
  /** The message to scroll to and highlight (?m=), 0 for none. */
  target: number;
}

function MessageList({ channel, meId, getNames, name, onReply, target }: MessageListProps) {
  const { t, i18n } = useTranslation();
  const connection = useChatConnection();
  const snapshot = useChatSnapshot();
  const receipts = snapshot.receiptsEnabled ? snapshot.receipts[channel.id] : undefined;
  const open = snapshot.status === 'open';
  useEffect(() => {
    if (open && snapshot.receiptsEnabled) connection.requestReceipts(channel.id);
  }, [connection, channel.id, open, snapshot.receiptsEnabled]);
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [pinned, setPinned] = useState(true);
  const distance = useRef(0);
  const topLevel = useMemo(() => channel.messages.filter((m) => m.reply === 0), [channel.messages]);
  const pending = channel.pending.filter((p) => p.reply === 0);
  const items = useMemo(() => buildItems(topLevel, t, i18n.language), [topLevel, t, i18n.language]);
  const firstKey = topLevel[0]?.seq;
  const prevFirst = useRef(firstKey);
  const prevPending = useRef(pending.length);
  const authorName = getNames().get(meId ?? '') ?? '';
  const jump = useJumpTo(channel, target, atBottom);

  // Keep the view pinned to the newest message; keep the position when older
  // messages are added above.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (pending.length > prevPending.current) atBottom.current = true; // own message sent
    if (prevFirst.current !== undefined && firstKey !== prevFirst.current && !atBottom.current) {
      el.scrollTop = el.scrollHeight - distance.current;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
    prevFirst.current = firstKey;
    prevPending.current = pending.length;
    distance.current = el.scrollHeight - el.scrollTop;
  });

  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    atBottom.current = bottom;
    distance.current = el.scrollHeight - el.scrollTop;
    if (bottom !== pinned) setPinned(bottom);
    if (el.scrollTop < 240 && channel.hasOlder && !channel.loadingOlder) connection.loadOlder(channel.id);
  }

  // Read marker: when the tab is visible and the newest entry is in view.
  const { high } = channel;
  const { unread, readSeq } = channel.summary;
  useEffect(() => {
    const tryRead = () => {
      if (document.visibilityState === 'visible' && atBottom.current) connection.markRead(channel.id);
    };
    tryRead();
    document.addEventListener('visibilitychange', tryRead);
    return () => document.removeEventListener('visibilitychange', tryRead);
  }, [connection, channel.id, high, unread, readSeq, pinned]);

  // Announce new messages from others to screen readers.
  const announced = useRef(channel.high);
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    const fresh = channel.messages.filter((m) => m.seq > announced.current && m.by !== meId && !m.deleted);
    const newest = channel.messages[channel.messages.length - 1]?.seq ?? 0;
    announced.current = Math.max(announced.current, newest);
    if (fresh.length === 0) return;
    setAnnouncement(
      fresh
        .slice(-3)
        .map((m) =>
          t(m.reply > 0 ? 'chat.announceReply' : 'chat.announce', { name: m.byName, text: excerpt(messageText(m)) }),
        )
        .join(' '),
    );
  }, [channel.messages, meId, t]);

  const loadingFirst = channel.messages.length === 0 && channel.hasOlder;

  return (
    <>
      <div className="channel__scroller" ref={scroller} onScroll={onScroll}>
        {channel.hasOlder && !loadingFirst && (
          <div className="channel__older">
            {channel.loadingOlder ? (
              <Loading label={t('chat.loadingOlder')} />
            ) : (
              <button type="button" className="button button--quiet" onClick={() => connection.loadOlder(channel.id)}>
                {t('chat.loadOlder')}
              </button>
            )}
          </div>
        )}
        {loadingFirst ? (
          <Loading label={t('chat.loadingMessages')} />
        ) : (
          !channel.hasOlder && <p className="channel__start muted">{t('chat.channelStart', { name })}</p>
        )}
        <ol className="msg-list" aria-label={t('chat.messages')}>
          {items.map((item) =>
            item.type === 'day' ? (
              <li key={item.key} className="msg-day">
                <h3 className="msg-day__label">{item.label}</h3>
              </li>
            ) : (
              <MessageItem
                key={item.key}
                message={item.message}
                meId={meId}
                showHeader={item.showHeader}
                getNames={getNames}
                onReply={onReply}
                target={item.message.seq === jump}
                footer={
                  receipts && meId && item.message.by === meId && !item.message.deleted ? (
                    <ReadReceipt
                      seq={item.message.seq}
                      kind={channel.summary.kind}
                      meId={meId}
                      receipts={receipts}
                      presence={snapshot.presence}
                    />
                  ) : undefined
                }
              />
            ),
          )}
          {pending.map((p) => (
            <PendingItem key={p.clientId} pending={p} authorName={authorName} />
          ))}
        </ol>
      </div>
      {!pinned && unread > 0 && (
        <button
          type="button"
          className="channel__jump"
          onClick={() => {
            const el = scroller.current;
            if (el) el.scrollTop = el.scrollHeight;
            atBottom.current = true;
            setPinned(true);
          }}
        >
          {t('chat.jumpToNew', { count: unread })}
        </button>
      )}
      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
    </>
  );
}

function TypingIndicator({ channel }: { channel: ChannelSnapshot }) {
  const { t } = useTranslation();
  const names = channel.typing.map((u) => u.name.split(/\s+/)[0] ?? u.name);
  let text = '';
  if (names.length === 1) text = t('chat.typingOne', { name: names[0] });
  else if (names.length === 2) text = t('chat.typingTwo', { a: names[0], b: names[1] });
  else if (names.length > 2) text = t('chat.typingMany');
  return <p className="channel__typing">{text}</p>;
}

interface ThreadPanelProps {
  channel: ChannelSnapshot;
  rootSeq: number;
  meId: string | undefined;
  getNames: () => ReadonlyMap<string, string>;
  name: string;
  members?: { id: string; name: string }[];
  composerRef: RefObject<HTMLTextAreaElement | null>;
  /** A reply to scroll to and highlight (?m=), 0 for none. */
  target: number;
}

function ThreadPanel({ channel, rootSeq, meId, getNames, name, members, composerRef, target }: ThreadPanelProps) {
  const { t } = useTranslation();
  const connection = useChatConnection();
  const headingId = useId();
  const root = channel.messages.find((m) => m.seq === rootSeq);
  const replies = channel.messages.filter((m) => m.reply === rootSeq);
  const pending = channel.pending.filter((p) => p.reply === rootSeq);
  const authorName = getNames().get(meId ?? '') ?? '';
  const bottom = useRef<HTMLDivElement>(null);

  // A deep link to an old thread: page back until its root is loaded.
  const missing = !root && channel.hasOlder;
  useEffect(() => {
    if (missing && !channel.loadingOlder) connection.loadOlder(channel.id);
  }, [missing, channel.loadingOlder, channel.id, connection]);

  useLayoutEffect(() => {
    const el = bottom.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [replies.length, pending.length]);

  if (root && root.reply > 0) {
    // A reply's seq: show its thread.
    const m = target ? `?m=${target}` : '';
    return <Navigate to={`/chat/${encodeURIComponent(channel.id)}/thread/${root.reply}${m}`} replace />;
  }

  return (
    <aside className="thread" data-testid="chat-thread-panel" aria-labelledby={headingId}>
      <header className="thread__header">
        <h2 id={headingId} className="thread__title">
          {t('chat.thread')} <span className="thread__channel">{name}</span>
        </h2>
        <Link to={`/chat/${encodeURIComponent(channel.id)}`} className="chat-back thread__close">
          <CloseIcon className="chat-back__icon" />
          <span className="visually-hidden">{t('chat.closeThread')}</span>
        </Link>
      </header>
      <div className="thread__scroller" ref={bottom}>
        {root ? (
          <>
            <ol className="msg-list" aria-label={t('chat.threadRoot')}>
              <MessageItem message={root} meId={meId} showHeader getNames={getNames} inThread target={root.seq === target} />
            </ol>
            <p className="thread__count">{t('chat.replyCount', { count: replies.length })}</p>
            <ol className="msg-list" aria-label={t('chat.threadReplies')}>
              {replies.map((reply, index) => (
                <MessageItem
                  key={reply.seq}
                  message={reply}
                  meId={meId}
                  showHeader={index === 0 || replies[index - 1]!.by !== reply.by}
                  getNames={getNames}
                  inThread
                  target={reply.seq === target}
                />
              ))}
              {pending.map((p) => (
                <PendingItem key={p.clientId} pending={p} authorName={authorName} />
              ))}
            </ol>
          </>
        ) : missing ? (
          <Loading label={t('chat.loadingThread')} />
        ) : (
          <p className="muted">{t('chat.threadNotFound')}</p>
        )}
      </div>
      {root && !root.deleted && (
        <Composer
          channelId={channel.id}
          channelName={name}
          reply={rootSeq}
          members={members}
          meId={meId}
          textareaRef={composerRef}
        />
      )}
    </aside>
  );
}

/**
 * A jump to message `target` (?m=) in the main list: pages older history
 * down to it when it is not loaded (connection.loadOlder with `until`),
 * shows a reply in its thread, and stops pinning the list to the newest
 * message. Returns the seq to highlight once it is loaded (0 until then).
 */
function useJumpTo(channel: ChannelSnapshot, target: number, atBottom: RefObject<boolean>): number {
  const connection = useChatConnection();
  const navigate = useNavigate();
  const found = target > 0 ? channel.messages.find((m) => m.seq === target) : undefined;
  const missing = target > 0 && !found && channel.hasOlder && channel.low > target;
  useEffect(() => {
    if (missing && !channel.loadingOlder) connection.loadOlder(channel.id, target);
  }, [missing, channel.loadingOlder, channel.id, connection, target]);
  const reply = found?.reply ?? 0;
  useEffect(() => {
    if (reply > 0) navigate(`/chat/${encodeURIComponent(channel.id)}/thread/${reply}?m=${target}`, { replace: true });
  }, [reply, navigate, channel.id, target]);
  useLayoutEffect(() => {
    if (target > 0) atBottom.current = false;
  }, [target, atBottom]);
  return found && reply === 0 ? target : 0;
}
