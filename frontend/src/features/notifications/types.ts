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
  'audit',
  'message',
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
  /** Where it happened (a channel, space or team name), when known. */
  place?: string;
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

/** GET /api/v1/push/config. */
export interface PushConfig {
  enabled: boolean;
  publicKey: string;
}

/** One of my devices that receive push notifications. */
export interface PushDevice {
  id: string;
  label: string;
  createdAt: string;
}

export interface QuietHours {
  enabled: boolean;
  from: string;
  to: string;
  timeZone?: string;
}

/** GET/PUT /api/v1/push/settings. */
export interface PushSettings {
  quietHours: QuietHours;
  language: 'nl' | 'en';
}
