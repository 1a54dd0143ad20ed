// Client side of the Plein chat websocket protocol (docs/protocol.md).
//
// Framework-free: ChatConnection owns one websocket, keeps per-channel state
// (entries by seq, a contiguous window [low, high] of the log, pending sends)
// and exposes an immutable snapshot for React's useSyncExternalStore.
//
// Window model per channel: `high` is the highest seq up to which the client
// holds (or has deliberately skipped) every entry; `low` is the lowest seq it
// holds. A channel that was never opened holds nothing: low = high + 1 and
// high = the summary's lastSeq, so live entries extend the window and a gap
// (seq > high + 1) is detected at once. Older history is paged with
// `history before=low`; missing ranges are fetched with `sync after=high`.

import type { IdentifierFinding, ProblemFieldError } from '../../api/types';
import type { Outbox, StoredSend } from './outbox';
import type {
  ChatPrefs,
  ChannelSummary,
  ChatAttachment,
  Entry,
  ErrorFrame,
  NotificationFrame,
  NotifyFrame,
  PresenceStatus,
  ServerFrame,
} from './types';

// ---------- Injectable environment ----------

/** The subset of the browser WebSocket the connection uses. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
  random(): number;
}

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
  random: () => Math.random(),
};

export interface ChatConnectionOptions {
  url: string;
  createSocket?: SocketFactory;
  timers?: Partial<Timers>;
  createId?: () => string;
  /** Send an application `ping` after this long without traffic (ms). */
  pingInterval?: number;
  /** Give up on a connection this long after a ping without any answer (ms). */
  pongTimeout?: number;
  /** A send without ack while connected is marked failed after this long (ms). */
  sendTimeout?: number;
  /** How long a typing indicator stays (ms). */
  typingTtl?: number;
  historyPageSize?: number;
  syncLimit?: number;
  /** Where unacknowledged sends survive a reload (outbox.ts); none: memory only. */
  outbox?: Outbox;
}

// ---------- Public snapshot types ----------

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'ended' | 'closed';

export interface ReactionSummary {
  emoji: string;
  count: number;
  mine: boolean;
  names: string[];
}

const NO_ATTACHMENTS: ChatAttachment[] = [];

export interface ChatMessage {
  ch: string;
  seq: number;
  by: string;
  byName: string;
  at: string;
  clientId?: string;
  body: string;
  html: string;
  mentions: string[];
  mentionsTeam: boolean;
  /** Thread root seq, 0 = top-level. */
  reply: number;
  edited: boolean;
  editedAt?: string;
  deleted: boolean;
  reactions: ReactionSummary[];
  replyCount: number;
  /** Files sent with the message (none once deleted). */
  attachments: ChatAttachment[];
}

/** `waiting`: queued while the connection is down; it goes out (once, same clientId) when it is back. */
export type PendingStatus = 'waiting' | 'pending' | 'sent' | 'failed';

/** A message the user sent that is not (yet) in the channel log. */
export interface PendingMessage {
  clientId: string;
  ch: string;
  body: string;
  reply: number;
  at: string;
  status: PendingStatus;
  /** Error code from the server (`rate_limited`, `invalid`, …), `timeout` or `too_large`. */
  error?: string;
  /** With error `invalid`: the server's field errors (e.g. body too_long). */
  errors?: ProblemFieldError[];
  seq?: number;
}

export interface TypingUser {
  id: string;
  name: string;
}

export interface ChannelSnapshot {
  id: string;
  summary: ChannelSummary;
  /** All messages held (top-level and replies), ascending seq. */
  messages: ChatMessage[];
  pending: PendingMessage[];
  typing: TypingUser[];
  /** Older entries exist on the server that are not loaded. */
  hasOlder: boolean;
  loadingOlder: boolean;
  /** Lowest / highest seq of the contiguous window. */
  low: number;
  high: number;
}

export interface ChatSnapshot {
  status: ConnectionStatus;
  /** True once a `ready` frame has been received on any connection. */
  everReady: boolean;
  user: { id: string; name: string } | null;
  channels: ChannelSnapshot[];
  byId: Record<string, ChannelSnapshot>;
  totalUnread: number;
  totalMentions: number;
  presence: Record<string, PresenceStatus>;
  /** When offline partners were last seen (ISO time), where they allow it. */
  lastSeen: Record<string, string>;
  /** The user's own chat settings (null until `ready`). */
  prefs: ChatPrefs | null;
  /** Read receipts are on for the organisation. */
  receiptsEnabled: boolean;
  /** Channel → where its members have read up to (channels asked with requestReceipts). */
  receipts: Record<string, ChannelReceipts>;
}

export interface ChannelReceipts {
  reads: Record<string, number>;
  names: Record<string, string>;
  off: boolean;
}

export interface ChatEvents {
  sessionEnded: () => void;
  notify: (frame: NotifyFrame) => void;
  notification: (frame: NotificationFrame) => void;
  channelRemoved: (channelId: string) => void;
  /** A connection attempt ended before `ready` (count of consecutive failures). */
  connectFailed: (failures: number) => void;
  /**
   * The server refused a send because the body looks like client data
   * (identifier_suspected); a refused edit is marked failed instead. The message is dropped from the pending
   * list; the composer that sent it asks the writer and may send again
   * with the acknowledgement.
   */
  identifierSuspected: (refusal: { clientId: string; ch: string; findings: IdentifierFinding[] }) => void;
}

// ---------- Internal state ----------

interface ReactionMark {
  on: boolean;
  seq: number;
  name: string;
}

interface MessageRecord {
  entry: Entry;
  body: string;
  html: string;
  mentions: string[];
  editSeq: number;
  editedAt?: string;
  deleted: boolean;
  reactions: Map<string, Map<string, ReactionMark>>;
  version: number;
  view?: ChatMessage;
  viewVersion?: number;
  viewReplies?: number;
}

interface ChannelState {
  summary: ChannelSummary;
  seqs: Set<number>;
  messages: Map<number, MessageRecord>;
  /** Amendments whose target message is not loaded yet, by target seq. */
  orphans: Map<number, Entry[]>;
  /** Reply seqs per thread root (roots may be loaded later). */
  replies: Map<number, Set<number>>;
  low: number;
  high: number;
  maxSeq: number;
  syncing: boolean;
  loadingOlder: boolean;
  hasOlder: boolean;
  wantHistory: boolean;
  /** A history page has been loaded since the channel was opened. */
  historyLoaded: boolean;
  localReadSeq: number;
  typing: Map<string, { name: string; until: number }>;
  typingTimer: unknown;
  snapshot?: ChannelSnapshot;
}

type OpKind = 'send' | 'edit' | 'delete' | 'react';

interface PendingOp {
  clientId: string;
  kind: OpKind;
  ch: string;
  frame: Record<string, unknown>;
  status: 'queued' | 'inflight' | 'sent' | 'failed';
  error?: string;
  errors?: ProblemFieldError[];
  seq?: number;
  at: string;
  body: string;
  reply: number;
  retries: number;
  timer?: unknown;
}

interface RequestInfo {
  kind: 'sync' | 'history' | 'fetch';
  ch: string;
  limit: number;
}

const MAX_FRAME_BYTES = 16 * 1024;
/** The server's largest history page (docs/protocol.md). */
const MAX_HISTORY_PAGE = 100;
const OPEN = 1;

function encodedLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

function defaultId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export function isFrame(value: unknown): value is ServerFrame {
  return !!value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string';
}

export class ChatConnection {
  private readonly url: string;
  private readonly createSocket: SocketFactory;
  private readonly timers: Timers;
  private readonly createId: () => string;
  private readonly pingInterval: number;
  private readonly pongTimeout: number;
  private readonly sendTimeout: number;
  private readonly typingTtl: number;
  private readonly historyPageSize: number;
  private readonly syncLimit: number;
  private readonly outbox?: Outbox;
  private outboxLoaded = false;

  private socket: SocketLike | null = null;
  private status: ConnectionStatus = 'connecting';
  private started = false;
  private disposed = false;
  private everReady = false;
  private readyOnSocket = false;
  private attempt = 0;
  private failures = 0;
  private reconnectTimer: unknown = null;
  private heartbeatTimer: unknown = null;
  private lastReceived = 0;
  private requestCounter = 0;
  private presenceWanted: PresenceStatus | null = null;

  private user: { id: string; name: string } | null = null;
  private readonly channels = new Map<string, ChannelState>();
  private readonly ops = new Map<string, PendingOp>();
  private readonly requests = new Map<string, RequestInfo>();
  private readonly presence = new Map<string, PresenceStatus>();
  private lastSeen = new Map<string, string>();
  private receiptsEnabled = true;
  private readonly receipts = new Map<string, ChannelReceipts>();
  private readonly receiptsWanted = new Set<string>();
  private prefs: ChatPrefs | null = null;

  private readonly listeners = new Set<() => void>();
  private readonly handlers: { [K in keyof ChatEvents]: Set<ChatEvents[K]> } = {
    sessionEnded: new Set(),
    notify: new Set(),
    notification: new Set(),
    channelRemoved: new Set(),
    connectFailed: new Set(),
    identifierSuspected: new Set(),
  };
  private snapshot: ChatSnapshot | null = null;
  private batchDepth = 0;
  private changed = false;

  constructor(options: ChatConnectionOptions) {
    this.url = options.url;
    this.createSocket =
      options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
    this.timers = { ...defaultTimers, ...options.timers };
    this.createId = options.createId ?? defaultId;
    this.pingInterval = options.pingInterval ?? 25_000;
    this.pongTimeout = options.pongTimeout ?? 10_000;
    this.sendTimeout = options.sendTimeout ?? 15_000;
    this.typingTtl = options.typingTtl ?? 5_000;
    this.historyPageSize = options.historyPageSize ?? 50;
    this.outbox = options.outbox;
    this.syncLimit = options.syncLimit ?? 200;
  }

  // ---------- Store API (useSyncExternalStore) ----------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ChatSnapshot => {
    if (!this.snapshot) this.snapshot = this.buildSnapshot();
    return this.snapshot;
  };

  on<K extends keyof ChatEvents>(event: K, handler: ChatEvents[K]): () => void {
    const set = this.handlers[event] as Set<ChatEvents[K]>;
    set.add(handler);
    return () => set.delete(handler);
  }

  // ---------- Lifecycle ----------

  /** Open the websocket (idempotent). */
  connect(): void {
    if (this.started) return;
    this.started = true;
    this.disposed = false;
    if (this.status === 'closed') this.status = this.everReady ? 'reconnecting' : 'connecting';
    this.markChanged();
    this.open();
    this.flush();
    if (this.outbox && !this.outboxLoaded) {
      this.outboxLoaded = true;
      void this.outbox.load().then((sends) => this.restore(sends));
    }
  }

  /**
   * Take back what a previous page left unacknowledged (outbox): sends,
   * edits, deletions and reactions, in the order they were made, shown as
   * waiting and sent once the connection is ready, each with its own
   * clientId, so the server applies each at most once.
   */
  private restore(sends: StoredSend[]): void {
    if (this.disposed) return;
    this.batch(() => {
      for (const s of sends) {
        if (this.ops.has(s.clientId)) continue;
        const op: PendingOp = { clientId: s.clientId, kind: s.kind ?? 'send', ch: s.ch, frame: s.frame, status: 'queued', at: s.at,
          body: s.body, reply: s.reply, retries: 0 };
        this.ops.set(op.clientId, op);
        this.touchChannel(op.ch);
        if (this.readyOnSocket) this.dispatch(op);
      }
      this.markChanged();
    });
    this.flush();
  }

  /** Forget a pending operation, here and in the outbox. */
  private dropOp(clientId: string): void {
    this.ops.delete(clientId);
    this.outbox?.remove(clientId);
  }

  /** Close the socket and stop reconnecting (unmount, logout). `connect()` may start it again. */
  dispose(): void {
    if (this.disposed || !this.started) return;
    this.disposed = true;
    this.started = false;
    this.clearReconnect();
    this.clearHeartbeat();
    for (const op of this.ops.values()) if (op.timer) this.timers.clearTimeout(op.timer);
    for (const c of this.channels.values()) if (c.typingTimer) this.timers.clearTimeout(c.typingTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      this.detach(socket);
      try {
        socket.close(1000);
      } catch {
        // already closed
      }
    }
    this.setStatus('closed');
    this.flush();
  }

  /** Hint that the network is back (online event, tab visible): retry at once. */
  reconnectNow(): void {
    if (this.disposed || !this.started || this.status === 'ended') return;
    if (this.socket) return;
    this.clearReconnect();
    this.attempt = 0;
    this.open();
  }

  /**
   * Hint that the network is gone (offline event): drop the socket now
   * rather than at the ping timeout, so a send waits for the connection
   * ("wacht op verbinding") instead of going into a dead socket. It goes out
   * once, with its clientId, after reconnecting.
   */
  networkLost(): void {
    if (this.disposed || !this.started || this.status === 'ended') return;
    const socket = this.socket;
    if (!socket) return;
    try {
      socket.close(4000, 'offline');
    } catch {
      // already closed
    }
    this.onSocketGone(1006);
  }

  // ---------- Channels ----------

  /**
   * Seed channel summaries (from GET /api/v1/chat/channels) so the list shows
   * before the websocket is ready. Ignored once `ready` has been received.
   */
  seedChannels(summaries: ChannelSummary[]): void {
    if (this.everReady) return;
    this.batch(() => {
      for (const s of summaries) this.upsertChannel(s);
    });
  }

  /** Add or update a channel (REST answers: create, join, dm; `channel` frames). */
  upsertChannel(summary: ChannelSummary): void {
    this.batch(() => {
      const c = this.channels.get(summary.id);
      if (!c) {
        this.channels.set(summary.id, this.newChannel(summary));
      } else {
        const newer = summary.lastSeq >= c.summary.lastSeq;
        c.summary = newer
          ? { ...summary, lastSeq: Math.max(summary.lastSeq, c.maxSeq) }
          : { ...c.summary, name: summary.name, kind: summary.kind, teamId: summary.teamId, members: summary.members,
              muted: summary.muted, pinned: summary.pinned };
        if (c.seqs.size === 0 && summary.lastSeq > c.high) this.resetWindow(c, summary.lastSeq);
        this.touch(c);
      }
      this.markChanged();
    });
  }

  /** Forget a channel (after leaving it). */
  removeChannel(id: string): void {
    const c = this.channels.get(id);
    if (!c) return;
    if (c.typingTimer) this.timers.clearTimeout(c.typingTimer);
    this.channels.delete(id);
    for (const [clientId, op] of this.ops) {
      if (op.ch === id) {
        if (op.timer) this.timers.clearTimeout(op.timer);
        this.dropOp(clientId);
      }
    }
    this.markChanged();
    this.flush();
  }

  /** Make sure the newest history of a channel is loaded (when it is opened). */
  ensureLoaded(ch: string): void {
    const c = this.channels.get(ch);
    if (!c) return;
    c.wantHistory = true;
    // Live entries may already be held; still load the newest page once.
    if (!c.historyLoaded && c.hasOlder) this.loadOlder(ch);
  }

  /**
   * Page older history (`history before=low`). With `until` (a jump to an
   * old message), the page reaches down to that seq and a little below it
   * when the server's page limit allows, so the window stays contiguous and
   * few round trips bring the message in context.
   */
  loadOlder(ch: string, until = 0): void {
    const c = this.channels.get(ch);
    if (!c || c.loadingOlder || !c.hasOlder) return;
    c.wantHistory = true;
    if (!this.isOpen()) return; // loaded after `ready`
    const id = this.nextRequestId('h');
    const limit =
      until > 0 ? Math.min(MAX_HISTORY_PAGE, Math.max(this.historyPageSize, c.low - until + 10)) : this.historyPageSize;
    this.requests.set(id, { kind: 'history', ch, limit });
    c.loadingOlder = true;
    this.touch(c);
    this.write({ type: 'history', id, ch, before: c.low, limit });
    this.flush();
  }

  /** Tell the server the user has read everything held in the channel. */
  markRead(ch: string): void {
    const c = this.channels.get(ch);
    if (!c) return;
    const seq = c.high;
    if (seq <= c.summary.readSeq && c.summary.unread === 0 && c.summary.mentions === 0) return;
    if (seq > c.summary.readSeq) {
      c.localReadSeq = Math.max(c.localReadSeq, seq);
      if (this.isOpen()) this.write({ type: 'read', ch, seq });
    }
    c.summary = { ...c.summary, readSeq: Math.max(c.summary.readSeq, seq) };
    this.recountUnread(c);
    this.touch(c);
    this.flush();
  }

  /** Let the others know the user is typing (the caller throttles). */
  sendTyping(ch: string): void {
    if (this.isOpen() && this.channels.has(ch)) this.write({ type: 'typing', ch });
  }

  setPresence(status: 'online' | 'away'): void {
    this.presenceWanted = status;
    if (this.isOpen()) this.write({ type: 'presence', status });
  }

  // ---------- Sending ----------

  /** Send a message; returns its clientId. Shown as pending until it is in the log. */
  send(ch: string, body: string, reply = 0, acknowledgeIdentifiers = false, attachments: readonly string[] = []): string {
    const frame: Record<string, unknown> = { type: 'send', ch, body };
    if (reply > 0) frame.reply = reply;
    if (attachments.length > 0) frame.attachments = attachments;
    if (acknowledgeIdentifiers) frame.acknowledgeIdentifiers = true;
    return this.enqueue('send', ch, frame, body, reply);
  }

  edit(ch: string, target: number, body: string): string {
    return this.enqueue('edit', ch, { type: 'edit', ch, target, body }, body, 0);
  }

  remove(ch: string, target: number): string {
    return this.enqueue('delete', ch, { type: 'delete', ch, target }, '', 0);
  }

  react(ch: string, target: number, emoji: string, on: boolean): string {
    return this.enqueue('react', ch, { type: 'react', ch, target, emoji, on }, '', 0);
  }

  /** Resend a failed message with the same clientId. */
  retry(clientId: string): void {
    const op = this.ops.get(clientId);
    if (!op || op.status !== 'failed') return;
    op.status = 'queued';
    op.error = undefined;
    op.errors = undefined;
    op.retries = 0;
    this.touchChannel(op.ch);
    this.dispatch(op);
    this.flush();
  }

  /** Drop a failed message. */
  discard(clientId: string): void {
    const op = this.ops.get(clientId);
    if (!op || op.status !== 'failed') return;
    this.dropOp(clientId);
    this.touchChannel(op.ch);
    this.flush();
  }

  // ---------- Socket handling ----------

  private open(): void {
    if (this.disposed) return;
    this.readyOnSocket = false;
    let socket: SocketLike;
    try {
      socket = this.createSocket(this.url);
    } catch {
      this.onSocketGone(1006);
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.lastReceived = this.timers.now();
      this.scheduleHeartbeat();
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.lastReceived = this.timers.now();
      this.receive(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.onSocketGone(event.code);
    };
    socket.onerror = () => {
      // A close event follows; nothing to do here.
    };
  }

  private detach(socket: SocketLike): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
  }

  private onSocketGone(code: number): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) this.detach(socket);
    this.clearHeartbeat();
    this.requests.clear();
    const hadReady = this.readyOnSocket;
    this.readyOnSocket = false;
    this.batch(() => {
      for (const c of this.channels.values()) {
        if (c.syncing || c.loadingOlder) {
          c.syncing = false;
          c.loadingOlder = false;
          this.touch(c);
        }
        if (c.typing.size > 0) {
          c.typing.clear();
          this.touch(c);
        }
      }
      for (const op of this.ops.values()) {
        if (op.timer) {
          this.timers.clearTimeout(op.timer);
          op.timer = undefined;
        }
        // Unacknowledged sends are resent after reconnecting (same clientId).
        if (op.status === 'inflight') op.status = 'queued';
      }
      if (this.disposed) return;
      if (code === 4001) {
        this.setStatus('ended');
        this.clearReconnect();
        for (const handler of this.handlers.sessionEnded) handler();
        return;
      }
      // From the first lost or failed connection on, the UI shows a banner.
      this.setStatus('reconnecting');
      if (!hadReady) {
        this.failures += 1;
        for (const handler of this.handlers.connectFailed) handler(this.failures);
      }
      let delay: number;
      if (code === 1012) {
        // Service restart: another instance answers; spread the herd over 0.5–3 s.
        delay = 500 + this.timers.random() * 2500;
      } else {
        const base = Math.min(30_000, 500 * 2 ** this.attempt);
        delay = base * (0.5 + this.timers.random());
        this.attempt += 1;
      }
      this.clearReconnect();
      this.reconnectTimer = this.timers.setTimeout(() => {
        this.reconnectTimer = null;
        this.open();
      }, delay);
    });
  }

  private clearReconnect(): void {
    if (this.reconnectTimer !== null) this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private scheduleHeartbeat(): void {
    this.clearHeartbeat();
    this.heartbeatTimer = this.timers.setTimeout(() => this.heartbeat(), this.pingInterval);
  }

  private clearHeartbeat(): void {
    if (this.heartbeatTimer !== null) this.timers.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  /** Ping when the line has been quiet; drop a connection that does not answer. */
  private heartbeat(): void {
    const socket = this.socket;
    if (!socket) return;
    const quiet = this.timers.now() - this.lastReceived;
    if (quiet < this.pingInterval) {
      this.heartbeatTimer = this.timers.setTimeout(() => this.heartbeat(), this.pingInterval - quiet);
      return;
    }
    const sentAt = this.timers.now();
    this.write({ type: 'ping', id: this.nextRequestId('p') });
    this.heartbeatTimer = this.timers.setTimeout(() => {
      if (this.socket !== socket) return;
      if (this.lastReceived >= sentAt) {
        this.heartbeat();
        return;
      }
      try {
        socket.close(4000, 'ping timeout');
      } catch {
        // ignore
      }
      this.onSocketGone(1006);
    }, this.pongTimeout);
  }

  private isOpen(): boolean {
    return !!this.socket && this.readyOnSocket && this.socket.readyState === OPEN;
  }

  private write(frame: Record<string, unknown>): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return false;
    try {
      socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  private nextRequestId(prefix: string): string {
    this.requestCounter += 1;
    return `${prefix}${this.requestCounter}`;
  }

  // ---------- Incoming frames ----------

  /** Handle one websocket message: a frame or an array of frames. */
  receive(data: unknown): void {
    let parsed: unknown;
    try {
      parsed = typeof data === 'string' ? JSON.parse(data) : data;
    } catch {
      return;
    }
    const frames = Array.isArray(parsed) ? parsed : [parsed];
    this.batch(() => {
      for (const frame of frames) {
        if (isFrame(frame)) this.handle(frame);
      }
    });
  }

  private handle(frame: ServerFrame): void {
    switch (frame.type) {
      case 'ready':
        this.presence.clear();
        for (const [id, st] of Object.entries(frame.online ?? {})) this.presence.set(id, st);
        this.lastSeen = new Map(Object.entries(frame.lastSeen ?? {}));
        if (frame.prefs) this.prefs = frame.prefs;
        this.receiptsEnabled = frame.receipts !== false;
        // Ask again after a reconnect: pushes may have been missed meanwhile.
        for (const ch of this.receipts.keys()) this.receiptsWanted.add(ch);
        return this.onReady(frame.user, frame.channels ?? []);
      case 'receipts': {
        const known = this.receipts.get(frame.ch);
        if (frame.names) {
          this.receipts.set(frame.ch, { reads: { ...frame.reads }, names: { ...frame.names }, off: !!frame.off });
        } else if (known) {
          const reads = { ...known.reads };
          for (const [user, seq] of Object.entries(frame.reads ?? {})) reads[user] = Math.max(reads[user] ?? 0, seq);
          this.receipts.set(frame.ch, { ...known, reads });
        } else {
          return;
        }
        this.markChanged();
        return;
      }
      case 'prefs':
        this.prefs = frame.prefs;
        this.markChanged();
        return;
      case 'entry':
        return this.onEntry(frame.entry);
      case 'ack':
        return this.onAck(frame.clientId, frame.ch, frame.seq);
      case 'entries':
        return this.onEntries(frame.id, frame.ch, frame.entries ?? [], frame.more);
      case 'read':
        return this.onRead(frame.ch, frame.seq);
      case 'typing':
        return this.onTyping(frame.ch, frame.user, frame.name);
      case 'presence':
        this.presence.set(frame.user, frame.status);
        if (frame.lastSeen) this.lastSeen.set(frame.user, frame.lastSeen);
        else if (frame.status === 'offline') this.lastSeen.delete(frame.user);
        this.markChanged();
        return;
      case 'channel':
        if (frame.channel) this.upsertChannel(frame.channel);
        return;
      case 'channel_removed':
        if (this.channels.has(frame.ch)) {
          this.removeChannel(frame.ch);
          for (const handler of this.handlers.channelRemoved) handler(frame.ch);
        }
        return;
      case 'notify':
        for (const handler of this.handlers.notify) handler(frame);
        return;
      case 'notification':
        for (const handler of this.handlers.notification) handler(frame);
        return;
      case 'resync': {
        // Messages published while the server's broker link was down are
        // in the store but never reached this socket: fetch them.
        const c = this.channels.get(frame.ch);
        if (c) this.requestSync(c);
        return;
      }
      case 'pong':
        return;
      case 'error':
        return this.onError(frame);
    }
  }

  private onReady(user: { id: string; name: string }, summaries: ChannelSummary[]): void {
    this.user = user;
    this.everReady = true;
    this.readyOnSocket = true;
    this.attempt = 0;
    this.failures = 0;
    this.setStatus('open');

    const present = new Set(summaries.map((s) => s.id));
    for (const id of [...this.channels.keys()]) {
      if (!present.has(id)) {
        this.removeChannel(id);
        for (const handler of this.handlers.channelRemoved) handler(id);
      }
    }

    for (const s of summaries) {
      const c = this.channels.get(s.id);
      if (!c) {
        this.channels.set(s.id, this.newChannel(s));
        continue;
      }
      c.summary = { ...s, lastSeq: Math.max(s.lastSeq, c.maxSeq) };
      const hasPending = [...this.ops.values()].some((op) => op.ch === s.id);
      if (c.seqs.size === 0 && !hasPending) {
        // Nothing held: no need to fetch what was missed, just move the window.
        this.resetWindow(c, s.lastSeq);
      } else {
        // Fetch everything after the last seq held (even if the summary says
        // nothing is new: the broker may have dropped a message).
        this.requestSync(c);
      }
      if (c.localReadSeq > c.summary.readSeq) {
        this.write({ type: 'read', ch: c.summary.id, seq: c.localReadSeq });
        c.summary = { ...c.summary, readSeq: c.localReadSeq };
        this.recountUnread(c);
      }
      this.touch(c);
    }

    for (const c of this.channels.values()) {
      if (c.wantHistory && !c.historyLoaded && c.hasOlder) this.loadOlder(c.summary.id);
    }
    if (this.presenceWanted) this.write({ type: 'presence', status: this.presenceWanted });
    for (const ch of [...this.receiptsWanted]) this.requestReceipts(ch);

    // Resend what was never acknowledged, oldest first, with the same clientId.
    for (const op of this.ops.values()) {
      if (op.status === 'queued' || op.status === 'inflight') this.dispatch(op);
    }
    this.markChanged();
  }

  private onEntry(entry: Entry | undefined): void {
    if (!entry || typeof entry.seq !== 'number') return;
    const c = this.channels.get(entry.ch);
    if (!c) return;
    this.updatePreview(c, entry);
    if (this.applyEntry(c, entry)) {
      this.advance(c);
      if (c.maxSeq > c.high) this.requestSync(c); // gap: fetch the missing range
    }
  }

  /** Keep the chat list's one-line preview current from live entries. */
  private updatePreview(c: ChannelState, entry: Entry): void {
    const last = c.summary.last;
    if (entry.kind === 'msg' && entry.seq > (last?.seq ?? 0)) {
      c.summary = {
        ...c.summary,
        last: {
          seq: entry.seq,
          by: entry.by,
          byName: entry.byName,
          at: entry.at,
          text: entry.preview ?? '',
          deleted: entry.deleted,
          files: entry.attachments?.length ? (entry.attachments[0]!.contentType.startsWith('image/') ? 'photo' : 'file') : undefined,
        },
      };
    } else if (last && entry.target === last.seq && (entry.kind === 'edit' || entry.kind === 'delete')) {
      c.summary = {
        ...c.summary,
        last: entry.kind === 'edit' ? { ...last, text: entry.preview ?? last.text } : { ...last, text: '', deleted: true },
      };
    } else {
      return;
    }
    this.touch(c);
  }

  /** Ask where the channel's members have read up to; pushes keep it current. */
  requestReceipts(ch: string): void {
    this.receiptsWanted.add(ch);
    if (this.isOpen() && this.channels.has(ch)) {
      this.receiptsWanted.delete(ch);
      this.write({ type: 'receipts', ch, id: `receipts-${ch}` });
    }
  }

  /** Apply the user's own settings changed over REST at once (the server also sends them). */
  setPrefs(prefs: ChatPrefs): void {
    this.prefs = prefs;
    this.markChanged();
    this.flush();
  }

  private onAck(clientId: string, ch: string, seq: number): void {
    const op = this.ops.get(clientId);
    if (!op) return;
    if (op.timer) {
      this.timers.clearTimeout(op.timer);
      op.timer = undefined;
    }
    const c = this.channels.get(ch ?? op.ch);
    if (!c || c.seqs.has(seq)) {
      // The entry is already here: nothing is pending any more.
      this.dropOp(clientId);
      this.touchChannel(op.ch);
      return;
    }
    op.status = 'sent';
    op.seq = seq;
    this.outbox?.remove(clientId); // stored: a later resend would change nothing
    this.touch(c);
    // The entry itself normally follows; if it does not (or it was a duplicate
    // of an earlier attempt), fetch it.
    op.timer = this.timers.setTimeout(() => {
      op.timer = undefined;
      if (this.ops.get(clientId) !== op || c.seqs.has(seq)) return;
      if (seq > c.high) this.requestSync(c);
      else this.fetchOne(c, seq);
      this.flush();
    }, 2_000);
  }

  private onEntries(id: string | undefined, ch: string, entries: Entry[], more: boolean | undefined): void {
    const request = id ? this.requests.get(id) : undefined;
    if (id) this.requests.delete(id);
    const c = this.channels.get(ch ?? request?.ch ?? '');
    if (!c) return;
    const sorted = [...entries].filter((e) => e && typeof e.seq === 'number').sort((a, b) => a.seq - b.seq);
    const lowBefore = c.low;
    for (const entry of sorted) {
      if (entry.ch && entry.ch !== c.summary.id) continue;
      this.applyEntry(c, { ...entry, ch: c.summary.id });
    }
    // A single fetched entry below the window does not make the window reach
    // down to it (history paging must still fetch what lies in between).
    if (request?.kind === 'fetch' && sorted.length > 0 && sorted[0]!.seq < lowBefore - 1) c.low = lowBefore;
    this.advance(c);
    if (request?.kind === 'history') {
      c.loadingOlder = false;
      c.historyLoaded = true;
      // The protocol only promises `more` for sync; use it when the server sends it.
      if (typeof more === 'boolean') c.hasOlder = more;
      else c.hasOlder = sorted.length > 0 && sorted.length >= request.limit;
      if (c.low <= 1) c.hasOlder = false;
    } else if (request?.kind === 'sync') {
      c.syncing = false;
      if (more || c.maxSeq > c.high) this.requestSync(c);
    }
    this.touch(c);
  }

  private onRead(ch: string, seq: number): void {
    const c = this.channels.get(ch);
    if (!c || seq <= c.summary.readSeq) return;
    c.summary = { ...c.summary, readSeq: seq };
    this.recountUnread(c);
    this.touch(c);
  }

  private onTyping(ch: string, userId: string, name: string): void {
    const c = this.channels.get(ch);
    if (!c || userId === this.user?.id) return;
    c.typing.set(userId, { name, until: this.timers.now() + this.typingTtl });
    this.touch(c);
    this.scheduleTypingExpiry(c);
  }

  private scheduleTypingExpiry(c: ChannelState): void {
    if (c.typingTimer) this.timers.clearTimeout(c.typingTimer);
    c.typingTimer = null;
    if (c.typing.size === 0) return;
    const next = Math.min(...[...c.typing.values()].map((t) => t.until));
    c.typingTimer = this.timers.setTimeout(
      () => {
        c.typingTimer = null;
        const now = this.timers.now();
        let changed = false;
        for (const [id, t] of c.typing) {
          if (t.until <= now) {
            c.typing.delete(id);
            changed = true;
          }
        }
        if (changed) {
          this.touch(c);
          this.flush();
        }
        this.scheduleTypingExpiry(c);
      },
      Math.max(0, next - this.timers.now()),
    );
  }

  private onError({ id, clientId, code, findings, errors }: ErrorFrame): void {
    const request = id ? this.requests.get(id) : undefined;
    if (id && request) {
      this.requests.delete(id);
      const c = this.channels.get(request.ch);
      if (c) {
        if (request.kind === 'history') c.loadingOlder = false;
        else if (request.kind === 'sync') c.syncing = false;
        this.touch(c);
      }
      return;
    }
    const op = this.ops.get(clientId ?? id ?? '');
    if (!op) return;
    if (op.timer) {
      this.timers.clearTimeout(op.timer);
      op.timer = undefined;
    }
    if (code === 'identifier_suspected' && op.kind === 'send' && this.handlers.identifierSuspected.size > 0) {
      // Nothing was stored: drop the pending copy; the composer asks the writer.
      this.dropOp(op.clientId);
      this.touchChannel(op.ch);
      this.flush();
      for (const handler of this.handlers.identifierSuspected) handler({ clientId: op.clientId, ch: op.ch, findings: findings ?? [] });
      return;
    }
    // Transient refusals: nothing was stored, retry a few times with the same clientId.
    if ((code === 'rate_limited' || code === 'unavailable') && op.retries < 3) {
      op.retries += 1;
      op.status = 'queued';
      op.timer = this.timers.setTimeout(
        () => {
          op.timer = undefined;
          if (this.ops.get(op.clientId) === op && op.status === 'queued') {
            this.dispatch(op);
            this.flush();
          }
        },
        1_000 * op.retries,
      );
      return;
    }
    op.status = 'failed';
    op.error = code;
    op.errors = Array.isArray(errors) ? errors : undefined;
    // A refused send stays for the writer to retry or discard; a refused
    // edit, deletion or reaction would be refused again after a reload.
    if (op.kind !== 'send') this.outbox?.remove(op.clientId);
    this.touchChannel(op.ch);
  }

  // ---------- Entries and folding ----------

  /** Store one entry; returns false for a duplicate. */
  private applyEntry(c: ChannelState, entry: Entry): boolean {
    if (c.seqs.has(entry.seq) || entry.seq <= 0) return false;
    c.seqs.add(entry.seq);
    if (entry.seq < c.low) c.low = entry.seq;
    if (entry.seq > c.maxSeq) c.maxSeq = entry.seq;

    const me = this.user?.id;
    if (entry.seq > c.summary.lastSeq) {
      // Newer than the server's count: this entry is not in `unread` yet.
      let { unread, mentions } = c.summary;
      if (entry.kind === 'msg' && entry.by !== me && entry.seq > c.summary.readSeq) {
        unread += 1;
        if ((me && entry.mentions?.includes(me)) || entry.mentionsTeam) mentions += 1;
      }
      c.summary = { ...c.summary, lastSeq: entry.seq, unread, mentions };
    }

    if (entry.kind === 'msg') {
      const record: MessageRecord = {
        entry,
        body: entry.body ?? '',
        html: entry.html ?? '',
        mentions: entry.mentions ?? [],
        editSeq: entry.seq,
        deleted: false,
        reactions: new Map(),
        version: 0,
      };
      c.messages.set(entry.seq, record);
      const reply = entry.reply ?? 0;
      if (reply > 0) {
        let set = c.replies.get(reply);
        if (!set) c.replies.set(reply, (set = new Set()));
        set.add(entry.seq);
      }
      const waiting = c.orphans.get(entry.seq);
      if (waiting) {
        c.orphans.delete(entry.seq);
        for (const amendment of waiting) this.fold(record, amendment);
      }
      if (c.typing.delete(entry.by)) this.scheduleTypingExpiry(c);
      // Our own message arrived: it is no longer pending.
      if (entry.clientId) {
        const op = this.ops.get(entry.clientId);
        if (op && op.ch === c.summary.id) {
          if (op.timer) this.timers.clearTimeout(op.timer);
          this.dropOp(entry.clientId);
        }
      }
    } else if (typeof entry.target === 'number') {
      const target = c.messages.get(entry.target);
      if (target) this.fold(target, entry);
      else {
        // Paging backwards meets amendments before their target: keep them.
        const list = c.orphans.get(entry.target);
        if (list) list.push(entry);
        else c.orphans.set(entry.target, [entry]);
      }
      if (entry.clientId) {
        const op = this.ops.get(entry.clientId);
        if (op && op.ch === c.summary.id) {
          if (op.timer) this.timers.clearTimeout(op.timer);
          this.dropOp(entry.clientId);
        }
      }
    }
    this.touch(c);
    return true;
  }

  /** Fold an amendment into its message. Order-independent: later seqs win. */
  private fold(record: MessageRecord, amendment: Entry): void {
    switch (amendment.kind) {
      case 'edit':
        if (amendment.seq > record.editSeq && !record.deleted) {
          record.editSeq = amendment.seq;
          record.body = amendment.body ?? '';
          record.html = amendment.html ?? '';
          record.mentions = amendment.mentions ?? [];
          record.editedAt = amendment.at;
        }
        break;
      case 'delete':
        record.deleted = true;
        record.body = '';
        record.html = '';
        record.mentions = [];
        break;
      case 'react':
      case 'unreact': {
        const emoji = amendment.emoji ?? '';
        if (!emoji) break;
        let byUser = record.reactions.get(emoji);
        if (!byUser) record.reactions.set(emoji, (byUser = new Map()));
        const current = byUser.get(amendment.by);
        if (!current || amendment.seq > current.seq) {
          byUser.set(amendment.by, { on: amendment.kind === 'react', seq: amendment.seq, name: amendment.byName });
        }
        break;
      }
      default:
        return;
    }
    record.version += 1;
  }

  private advance(c: ChannelState): void {
    while (c.seqs.has(c.high + 1)) c.high += 1;
    if (c.low > c.high + 1) c.low = c.high + 1;
  }

  private requestSync(c: ChannelState): void {
    if (c.syncing || !this.isOpen()) return;
    const id = this.nextRequestId('s');
    this.requests.set(id, { kind: 'sync', ch: c.summary.id, limit: this.syncLimit });
    c.syncing = true;
    this.write({ type: 'sync', id, ch: c.summary.id, after: c.high, limit: this.syncLimit });
  }

  /** Fetch a single entry below the window's top (e.g. the message of a duplicate ack). */
  private fetchOne(c: ChannelState, seq: number): void {
    if (!this.isOpen()) return;
    const id = this.nextRequestId('f');
    this.requests.set(id, { kind: 'fetch', ch: c.summary.id, limit: 1 });
    this.write({ type: 'sync', id, ch: c.summary.id, after: seq - 1, limit: 1 });
  }

  private recountUnread(c: ChannelState): void {
    const { readSeq, lastSeq } = c.summary;
    if (readSeq >= lastSeq) {
      c.summary = { ...c.summary, unread: 0, mentions: 0 };
      return;
    }
    // Only recount when everything after readSeq is held.
    if (c.low > readSeq + 1 || c.high < lastSeq) return;
    const me = this.user?.id;
    let unread = 0;
    let mentions = 0;
    for (const [seq, record] of c.messages) {
      if (seq <= readSeq || record.entry.by === me) continue;
      unread += 1;
      if ((me && record.entry.mentions?.includes(me)) || record.entry.mentionsTeam) mentions += 1;
    }
    c.summary = { ...c.summary, unread, mentions };
  }

  // ---------- Pending operations ----------

  private enqueue(kind: OpKind, ch: string, frame: Record<string, unknown>, body: string, reply: number): string {
    const clientId = this.createId();
    const op: PendingOp = {
      clientId,
      kind,
      ch,
      frame: { ...frame, clientId },
      status: 'queued',
      at: new Date(this.timers.now()).toISOString(),
      body,
      reply,
      retries: 0,
    };
    this.ops.set(clientId, op);
    this.outbox?.put({ clientId, kind, ch, body, reply, at: op.at, frame: op.frame });
    this.touchChannel(ch);
    this.dispatch(op);
    this.flush();
    return clientId;
  }

  private dispatch(op: PendingOp): void {
    const text = JSON.stringify({ ...op.frame, id: op.clientId });
    if (encodedLength(text) > MAX_FRAME_BYTES) {
      op.status = 'failed';
      op.error = 'too_large';
      this.touchChannel(op.ch);
      return;
    }
    if (!this.isOpen()) {
      op.status = 'queued';
      return;
    }
    this.socket!.send(text);
    op.status = 'inflight';
    if (op.timer) this.timers.clearTimeout(op.timer);
    op.timer = this.timers.setTimeout(() => {
      op.timer = undefined;
      if (this.ops.get(op.clientId) === op && op.status === 'inflight' && this.isOpen()) {
        op.status = 'failed';
        op.error = 'timeout';
        this.touchChannel(op.ch);
        this.flush();
      }
    }, this.sendTimeout);
    this.touchChannel(op.ch);
  }

  // ---------- Snapshot ----------

  private newChannel(summary: ChannelSummary): ChannelState {
    const state: ChannelState = {
      summary: { ...summary },
      seqs: new Set(),
      messages: new Map(),
      orphans: new Map(),
      replies: new Map(),
      low: summary.lastSeq + 1,
      high: summary.lastSeq,
      maxSeq: summary.lastSeq,
      syncing: false,
      loadingOlder: false,
      hasOlder: summary.lastSeq > 0,
      wantHistory: false,
      historyLoaded: false,
      localReadSeq: 0,
      typing: new Map(),
      typingTimer: null,
    };
    return state;
  }

  private resetWindow(c: ChannelState, lastSeq: number): void {
    c.high = lastSeq;
    c.low = lastSeq + 1;
    c.maxSeq = Math.max(c.maxSeq, lastSeq);
    c.hasOlder = lastSeq > 0;
    c.historyLoaded = false;
    c.orphans.clear();
    c.replies.clear();
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    // Queued sends show whether they wait for the connection.
    for (const op of this.ops.values()) if (op.kind === 'send' && op.status === 'queued') this.touchChannel(op.ch);
    this.markChanged();
  }

  private touch(c: ChannelState): void {
    c.snapshot = undefined;
    this.markChanged();
  }

  private touchChannel(ch: string): void {
    const c = this.channels.get(ch);
    if (c) this.touch(c);
    else this.markChanged();
  }

  private markChanged(): void {
    this.snapshot = null;
    this.changed = true;
  }

  private batch(fn: () => void): void {
    this.batchDepth += 1;
    try {
      fn();
    } finally {
      this.batchDepth -= 1;
      if (this.batchDepth === 0) this.flush();
    }
  }

  private flush(): void {
    if (this.batchDepth > 0 || !this.changed) return;
    this.changed = false;
    for (const listener of [...this.listeners]) listener();
  }

  private buildSnapshot(): ChatSnapshot {
    const channels: ChannelSnapshot[] = [];
    const byId: Record<string, ChannelSnapshot> = {};
    let totalUnread = 0;
    let totalMentions = 0;
    for (const c of this.channels.values()) {
      if (!c.snapshot) c.snapshot = this.channelSnapshot(c);
      channels.push(c.snapshot);
      byId[c.summary.id] = c.snapshot;
      totalUnread += c.summary.unread;
      totalMentions += c.summary.mentions;
    }
    return {
      status: this.status,
      everReady: this.everReady,
      user: this.user,
      channels,
      byId,
      totalUnread,
      totalMentions,
      presence: Object.fromEntries(this.presence),
      lastSeen: Object.fromEntries(this.lastSeen),
      prefs: this.prefs,
      receiptsEnabled: this.receiptsEnabled,
      receipts: Object.fromEntries(this.receipts),
    };
  }

  private channelSnapshot(c: ChannelState): ChannelSnapshot {
    const me = this.user?.id;
    const seqs = [...c.messages.keys()].sort((a, b) => a - b);
    const messages = seqs.map((seq) => this.messageView(c, c.messages.get(seq)!, me));
    const pending: PendingMessage[] = [];
    for (const op of this.ops.values()) {
      if (op.ch !== c.summary.id || op.kind !== 'send') continue;
      pending.push({
        clientId: op.clientId,
        ch: op.ch,
        body: op.body,
        reply: op.reply,
        at: op.at,
        status:
          op.status === 'failed'
            ? 'failed'
            : op.status === 'sent'
              ? 'sent'
              : op.status === 'queued' && !this.isOpen()
                ? 'waiting'
                : 'pending',
        error: op.error,
        errors: op.errors,
        seq: op.seq,
      });
    }
    return {
      id: c.summary.id,
      summary: c.summary,
      messages,
      pending,
      typing: [...c.typing].map(([id, t]) => ({ id, name: t.name })),
      hasOlder: c.hasOlder,
      loadingOlder: c.loadingOlder,
      low: c.low,
      high: c.high,
    };
  }

  private messageView(c: ChannelState, record: MessageRecord, me: string | undefined): ChatMessage {
    const replyCount = c.replies.get(record.entry.seq)?.size ?? 0;
    if (record.view && record.viewVersion === record.version && record.viewReplies === replyCount) {
      return record.view;
    }
    const reactions: ReactionSummary[] = [];
    for (const [emoji, byUser] of record.reactions) {
      const on = [...byUser].filter(([, mark]) => mark.on);
      if (on.length === 0) continue;
      reactions.push({
        emoji,
        count: on.length,
        mine: on.some(([id]) => id === me),
        names: on.map(([, mark]) => mark.name),
      });
    }
    const e = record.entry;
    const view: ChatMessage = {
      ch: e.ch,
      seq: e.seq,
      by: e.by,
      byName: e.byName,
      at: e.at,
      clientId: e.clientId,
      body: record.body,
      html: record.html,
      mentions: record.mentions,
      mentionsTeam: !!e.mentionsTeam && !record.deleted,
      reply: e.reply ?? 0,
      edited: record.editSeq > e.seq,
      editedAt: record.editedAt,
      deleted: record.deleted,
      reactions,
      replyCount,
      attachments: record.deleted ? NO_ATTACHMENTS : (e.attachments ?? NO_ATTACHMENTS),
    };
    record.view = view;
    record.viewVersion = record.version;
    record.viewReplies = replyCount;
    return view;
  }
}

/** ws:// or wss:// URL of the chat socket on this origin. */
export function chatSocketUrl(loc: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss://' : 'ws://'}${loc.host}/api/v1/ws`;
}
