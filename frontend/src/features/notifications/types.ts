// Wire types for the notification centre (/api/v1/notifications).
import type { PersonRef } from '../spaces/types';

export const NOTIFICATION_KINDS = [
  'mention',
  'reply',
  'announcement',
  'document',
  'article_confirm',
  'review_due',
  'post',
  'event',
  'learning',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface Notification {
  id: string;
  kind: NotificationKind;
  title: string;
  text: string;
  /** App path, e.g. /ruimtes/den-helder-centrum/berichten/p123. */
  link: string;
  actor?: PersonRef;
  createdAt: string;
  read: boolean;
}

export interface NotificationPage {
  items: Notification[];
  unread: number;
  next?: string;
}

export interface NotificationPrefs {
  kinds: Record<NotificationKind, boolean>;
  live: boolean;
}

/** A live frame on the chat websocket: {"type":"notification","item":…,"unread":n}. */
export interface NotificationFrame {
  type: 'notification';
  item: Notification;
  unread: number;
}
