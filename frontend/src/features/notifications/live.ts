import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useChatConnectionOrNull } from '../chat/ChatProvider';
import type { ChatConnection } from '../chat/connection';
import { spacesKeys } from '../spaces/api';
import { notificationKeys, setUnread } from './api';
import type { NotificationFrame } from './types';

export function isNotificationFrame(value: unknown): value is NotificationFrame {
  if (!value || typeof value !== 'object') return false;
  const frame = value as Partial<NotificationFrame>;
  return frame.type === 'notification' && typeof frame.unread === 'number' && !!frame.item && typeof frame.item === 'object';
}

type Subscribe = (event: string, handler: (frame: unknown) => void) => () => void;

/**
 * Subscribe to `{"type":"notification"}` frames of the chat websocket.
 *
 * The chat connection only dispatches the frame types it knows; until it
 * forwards `notification` frames as a `notification` event (see the report
 * of this feature), `on('notification')` throws and this returns null: the
 * bell then relies on polling and refetch-on-focus alone.
 */
export function subscribeToNotificationFrames(
  connection: ChatConnection,
  handler: (frame: NotificationFrame) => void,
): (() => void) | null {
  try {
    const on = connection.on as unknown as Subscribe;
    const off = on.call(connection, 'notification', (frame) => {
      if (isNotificationFrame(frame)) handler(frame);
    });
    return typeof off === 'function' ? off : null;
  } catch {
    return null;
  }
}

/** Refresh what a new notification may have changed: the lists, and posts of open spaces. */
export function refreshAfterNotification(client: ReturnType<typeof useQueryClient>): void {
  void client.invalidateQueries({ queryKey: notificationKeys.latest() });
  void client.invalidateQueries({ queryKey: notificationKeys.list() });
  void client.invalidateQueries({ queryKey: [...spacesKeys.all, 'posts'] });
}

/**
 * Keep the unread count current: live frames when the connection forwards
 * them, else the 30 s poll of useUnreadCount; plus a refetch when the window
 * gets focus.
 */
export function useLiveNotifications(unread: number | undefined): void {
  const client = useQueryClient();
  // Null outside ChatProvider (tests, pages without the shell) and while it loads.
  const connection = useChatConnectionOrNull();
  const previous = useRef<number | undefined>(undefined);

  useEffect(() => {
    if (!connection) return;
    const off = subscribeToNotificationFrames(connection, (frame) => {
      setUnread(client, frame.unread);
      refreshAfterNotification(client);
    });
    return off ?? undefined;
  }, [client, connection]);

  useEffect(() => {
    const onFocus = () => {
      void client.refetchQueries({ queryKey: notificationKeys.unread(), type: 'active' }, { cancelRefetch: false });
    };
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [client]);

  // The count went up (poll, focus or frame): something new arrived.
  useEffect(() => {
    if (unread === undefined) return;
    if (previous.current !== undefined && unread > previous.current) refreshAfterNotification(client);
    previous.current = unread;
  }, [client, unread]);
}
