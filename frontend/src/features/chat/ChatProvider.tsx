import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { SessionUser } from '../../api/types';
import { SESSION_QUERY_KEY } from '../session/api';
import { useChannelsQuery } from './api';
import type { ChatConnection, ChatSnapshot, SocketFactory } from './connection';
import { channelDisplayName } from './format';
import { showChatNotification } from './notifications';

/**
 * How the provider opens its websocket. Tests replace `createSocket` with a
 * fake; production uses the browser's WebSocket.
 */
export const chatEnvironment: { createSocket: SocketFactory | null } = { createSocket: null };

const ChatContext = createContext<ChatConnection | null>(null);

/**
 * The connection's code (websocket client and outbox, ~6 KB gzip) is a chunk
 * of its own, fetched when the shell mounts: the home route's first download
 * does without it (docs/performance.md, "Preact's compat layer").
 */
const loadConnection = () =>
  Promise.all([import('./connection'), import('./outbox')]).then(([c, o]) => ({
    ChatConnection: c.ChatConnection,
    chatSocketUrl: c.chatSocketUrl,
    openOutbox: o.openOutbox,
  }));

/**
 * One chat connection per tab while logged in; provides the unread badge,
 * title prefix and notifications. Until its code has loaded there is no
 * connection: the badge shows nothing, and /chat waits (ChatPage).
 */
export function ChatProvider({ user, children }: { user: SessionUser; children: ReactNode }) {
  const [connection, setConnection] = useState<ChatConnection | null>(null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { t } = useTranslation();

  // Load the connection's code; a failed fetch (offline before the service
  // worker had it) is tried again when the network comes back.
  useEffect(() => {
    let live = true;
    const load = () => {
      loadConnection().then(
        ({ ChatConnection, chatSocketUrl, openOutbox }) => {
          if (!live) return;
          setConnection(
            new ChatConnection({
              url: chatSocketUrl(),
              createSocket: chatEnvironment.createSocket ?? undefined,
              outbox: openOutbox(user.id), // unsent messages survive a reload offline
            }),
          );
        },
        () => {
          if (live) window.addEventListener('online', load, { once: true });
        },
      );
    };
    load();
    return () => {
      live = false;
      window.removeEventListener('online', load);
    };
  }, [user.id]);

  // Connect; reconnect at once when the network or the tab comes back.
  useEffect(() => {
    if (!connection) return;
    connection.connect();
    const onOnline = () => connection.reconnectNow();
    const onOffline = () => connection.networkLost();
    const onVisibility = () => {
      const visible = document.visibilityState === 'visible';
      connection.setPresence(visible ? 'online' : 'away');
      if (visible) connection.reconnectNow();
    };
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      document.removeEventListener('visibilitychange', onVisibility);
      connection.dispose();
    };
  }, [connection]);

  // Session ended (close code 4001), or the socket keeps failing before `ready`
  // (an expired cookie refuses the upgrade): re-check the session, which shows
  // the login screen when it is gone.
  useEffect(() => {
    if (!connection) return;
    const offEnded = connection.on('sessionEnded', () => {
      void queryClient.invalidateQueries({ queryKey: SESSION_QUERY_KEY });
    });
    const offFailed = connection.on('connectFailed', (failures) => {
      if (failures >= 2) void queryClient.invalidateQueries({ queryKey: SESSION_QUERY_KEY });
    });
    return () => {
      offEnded();
      offFailed();
    };
  }, [connection, queryClient]);

  // System notifications for mentions and direct messages while the tab is hidden.
  useEffect(
    () =>
      connection?.on('notify', (frame) => {
        const channel = connection.getSnapshot().byId[frame.ch];
        const channelName = channel ? channelDisplayName(channel.summary, user.id) : '';
        showChatNotification({
          title:
            frame.kind === 'dm'
              ? t('chat.notification.dm', { name: frame.byName })
              : t('chat.notification.mention', { name: frame.byName, channel: channelName }),
          body: frame.excerpt,
          tag: `${frame.ch}:${frame.seq}`,
          onClick: () => navigate(`/chat/${encodeURIComponent(frame.ch)}`),
        });
      }),
    [connection, navigate, t, user.id],
  );

  // Channels over REST, shown until the websocket is ready.
  const channels = useChannelsQuery();
  useEffect(() => {
    if (channels.data) connection?.seedChannels(channels.data);
  }, [channels.data, connection]);

  return (
    <ChatContext.Provider value={connection}>
      {connection && <UnreadTitle connection={connection} />}
      {children}
    </ChatContext.Provider>
  );
}

/** Prefix document.title with "(3) " while there are unread messages. */
function UnreadTitle({ connection }: { connection: ChatConnection }) {
  const total = useSyncExternalStore(connection.subscribe, () => connection.getSnapshot().totalUnread);
  useEffect(() => {
    const prefix = /^\(\d+\+?\)\s*/;
    const apply = () => {
      const base = document.title.replace(prefix, '');
      const wanted = total > 0 ? `(${total > 99 ? '99+' : total}) ${base}`.trim() : base;
      if (document.title !== wanted) document.title = wanted;
    };
    apply();
    // Pages set their own titles (useDocumentTitle); keep the prefix on top.
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => {
      observer.disconnect();
      document.title = document.title.replace(prefix, '');
    };
  }, [total]);
  return null;
}

/** The tab's chat connection, or null outside ChatProvider or while its code loads. */
export function useChatConnectionOrNull(): ChatConnection | null {
  return useContext(ChatContext);
}

/** The tab's chat connection, inside ChatPage (which waits for it). */
export function useChatConnection(): ChatConnection {
  const connection = useContext(ChatContext);
  if (!connection) throw new Error('useChatConnection used outside ChatProvider');
  return connection;
}

const noSubscription = () => () => {};
const noSnapshot = () => null;

/** The connection's snapshot, or null while there is no connection (see useChatConnectionOrNull). */
export function useChatSnapshotOrNull(): ChatSnapshot | null {
  const connection = useContext(ChatContext);
  return useSyncExternalStore(connection?.subscribe ?? noSubscription, connection?.getSnapshot ?? noSnapshot);
}

export function useChatSnapshot(): ChatSnapshot {
  const connection = useChatConnection();
  return useSyncExternalStore(connection.subscribe, connection.getSnapshot);
}
