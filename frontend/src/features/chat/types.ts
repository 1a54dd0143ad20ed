import type { IdentifierFinding, ProblemFieldError } from '../../api/types';
// Wire types for chat: REST (/api/v1/chat/…) and the websocket protocol (docs/protocol.md).

export type ChannelKind = 'team' | 'open' | 'closed' | 'dm' | 'group';

export interface ChannelMember {
  id: string;
  name: string;
}

export interface ChannelSummary {
  id: string;
  kind: ChannelKind;
  name: string;
  teamId?: string | null;
  lastSeq: number;
  readSeq: number;
  unread: number;
  mentions: number;
  /** Only for dm / group. */
  members?: ChannelMember[];
  /** The newest message as one masked line of plain text (server-made). */
  last?: MessagePreview | null;
  /** The user's own settings, stored on the server. */
  muted?: boolean;
  pinned?: boolean;
}

export interface MessagePreview {
  /** The message carries files: 'photo' when the first is an image. */
  files?: 'photo' | 'file';
  seq: number;
  by: string;
  byName: string;
  at: string;
  text: string;
  deleted?: boolean;
}

/** The user's own chat settings (GET/PUT /api/v1/chat/prefs). */
export interface ChatPrefs {
  hidePresence: boolean;
}

export interface BrowseChannel {
  id: string;
  name: string;
  topic: string;
  memberCount: number;
  joined: boolean;
}

export interface Person {
  id: string;
  name: string;
  teams: string[];
}

export type EntryKind = 'msg' | 'edit' | 'delete' | 'react' | 'unreact';

/** One entry of a channel's log. Fields beyond the common ones depend on `kind`. */
export interface Entry {
  ch: string;
  seq: number;
  kind: EntryKind;
  by: string;
  byName: string;
  at: string;
  clientId?: string;
  body?: string;
  /** Sanitised by the server (allowlist). */
  html?: string;
  mentions?: string[];
  mentionsTeam?: boolean;
  /** Thread root seq; 0 or absent = not a reply. */
  reply?: number;
  target?: number;
  emoji?: string;
  /** Live msg / edit entries: one masked line for the chat list. */
  preview?: string;
  deleted?: boolean;
  /** Files sent with a message (docs/protocol.md, "Files in messages"). */
  attachments?: ChatAttachment[];
}

/** A file of a message, as the upload answers it and entries carry it. */
export interface ChatAttachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  /** An image's size in pixels, after orientation. */
  width?: number;
  height?: number;
  /** Download URL; an image's variants are `url?w=<width>`. */
  url: string;
  variants?: number[];
}

export type PresenceStatus = 'online' | 'away' | 'offline';

// ---------- Server → client frames ----------

export interface ReadyFrame {
  type: 'ready';
  user: { id: string; name: string };
  channels: ChannelSummary[];
  online?: Record<string, PresenceStatus>;
  lastSeen?: Record<string, string>;
  prefs?: ChatPrefs;
  /** False when the organisation switched read receipts off. */
  receipts?: boolean;
  instance?: string;
}
export interface EntryFrame {
  type: 'entry';
  entry: Entry;
}
export interface AckFrame {
  type: 'ack';
  id?: string;
  clientId: string;
  ch: string;
  seq: number;
  duplicate?: boolean;
}
export interface EntriesFrame {
  type: 'entries';
  id?: string;
  ch: string;
  entries: Entry[];
  more?: boolean;
}
export interface ReadFrame {
  type: 'read';
  ch: string;
  seq: number;
}
export interface TypingFrame {
  type: 'typing';
  ch: string;
  user: string;
  name: string;
}
export interface PresenceFrame {
  type: 'presence';
  user: string;
  status: PresenceStatus;
  /** With offline: when last seen, if known and the person allows it. */
  lastSeen?: string;
}
/** Where members have read up to: an answer (with names) or a batched push. */
export interface ReceiptsFrame {
  type: 'receipts';
  id?: string;
  ch: string;
  reads: Record<string, number>;
  names?: Record<string, string>;
  off?: boolean;
}
export interface PrefsFrame {
  type: 'prefs';
  prefs: ChatPrefs;
}
export interface ChannelFrame {
  type: 'channel';
  channel: ChannelSummary;
}
export interface ChannelRemovedFrame {
  type: 'channel_removed';
  ch: string;
}
export interface NotifyFrame {
  type: 'notify';
  kind: 'mention' | 'dm';
  ch: string;
  seq: number;
  by: string;
  byName: string;
  excerpt: string;
}
/** This instance lost its broker link for a while: sync the channel from the last seq held. */
export interface ResyncFrame {
  type: 'resync';
  ch: string;
}
export interface PongFrame {
  type: 'pong';
  id?: string;
}
export interface ErrorFrame {
  type: 'error';
  id?: string;
  code: string;
  message?: string;
  clientId?: string;
  /** With code invalid: the field errors, as in a 422 problem (docs/protocol.md). */
  errors?: ProblemFieldError[];
  /** With code identifier_suspected: where and what kind, never the text. */
  findings?: IdentifierFinding[];
}

/** A notification-centre item pushed live (see docs/protocol.md). */
export interface NotificationFrame {
  type: 'notification';
  item: unknown;
  unread: number;
}

export type ServerFrame =
  | NotificationFrame
  | ReadyFrame
  | EntryFrame
  | AckFrame
  | EntriesFrame
  | ReadFrame
  | TypingFrame
  | PresenceFrame
  | PrefsFrame
  | ReceiptsFrame
  | ChannelFrame
  | ChannelRemovedFrame
  | NotifyFrame
  | ResyncFrame
  | PongFrame
  | ErrorFrame;

/** The allowed reaction set, in display order. */
export const REACTION_EMOJI = ['👍', '❤️', '😊', '🙏', '✅', '😮'] as const;
export type ReactionEmoji = (typeof REACTION_EMOJI)[number];
