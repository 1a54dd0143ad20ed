// Test doubles for the chat connection: a fake WebSocket and a manual clock.
// Used by unit and component tests only.

import type { SocketLike, Timers } from './connection';
import type { ChannelSummary, Entry } from './types';

export class FakeSocket implements SocketLike {
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closedWith: number | undefined;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason?: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }

  static reset(): void {
    FakeSocket.instances = [];
  }

  static latest(): FakeSocket {
    const socket = FakeSocket.instances[FakeSocket.instances.length - 1];
    if (!socket) throw new Error('no socket created');
    return socket;
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('socket not open');
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  // ----- driving the fake from a test -----

  serverOpen(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** Deliver one frame (object) or a batch (array), as the server would. */
  serverSend(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  serverClose(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }

  /** Frames of a given type the client sent. */
  sentOf(type: string): Record<string, unknown>[] {
    return this.sent.filter((f) => f.type === type);
  }

  lastSent(type: string): Record<string, unknown> | undefined {
    const list = this.sentOf(type);
    return list[list.length - 1];
  }
}

export function fakeSocketFactory(url: string): SocketLike {
  return new FakeSocket(url);
}

/** A manual clock implementing the connection's Timers. */
export class ManualClock implements Timers {
  time = Date.parse('2026-11-20T09:00:00Z');
  randomValue = 0.5;
  private queue: { id: number; at: number; fn: () => void }[] = [];
  private nextId = 1;

  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.queue.push({ id, at: this.time + Math.max(0, ms), fn });
    return id;
  };

  clearTimeout = (handle: unknown): void => {
    this.queue = this.queue.filter((t) => t.id !== handle);
  };

  now = (): number => this.time;

  random = (): number => this.randomValue;

  /** Delays (ms from now) of the pending timers, ascending. */
  pending(): number[] {
    return this.queue.map((t) => t.at - this.time).sort((a, b) => a - b);
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.queue.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.queue = this.queue.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }
}

export function summary(overrides: Partial<ChannelSummary> & { id: string }): ChannelSummary {
  return {
    kind: 'open',
    name: overrides.id,
    teamId: null,
    lastSeq: 0,
    readSeq: 0,
    unread: 0,
    mentions: 0,
    ...overrides,
  };
}

let atCounter = 0;

export function msg(ch: string, seq: number, overrides: Partial<Entry> = {}): Entry {
  atCounter += 1;
  return {
    ch,
    seq,
    kind: 'msg',
    by: 'u-sanne',
    byName: 'Sanne Bakker',
    at: new Date(Date.parse('2026-11-20T08:00:00Z') + seq * 60_000).toISOString(),
    clientId: `cid-${ch}-${seq}-${atCounter}`,
    body: `bericht ${seq}`,
    html: `<p>bericht ${seq}</p>`,
    mentions: [],
    mentionsTeam: false,
    reply: 0,
    ...overrides,
  };
}

export function amendment(
  ch: string,
  seq: number,
  kind: Entry['kind'],
  target: number,
  overrides: Partial<Entry> = {},
): Entry {
  return {
    ch,
    seq,
    kind,
    target,
    by: 'u-sanne',
    byName: 'Sanne Bakker',
    at: new Date(Date.parse('2026-11-20T08:00:00Z') + seq * 60_000).toISOString(),
    clientId: `amend-${ch}-${seq}`,
    ...overrides,
  };
}
