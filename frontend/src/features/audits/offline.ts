import { ApiError, apiRequest } from '../../api/client';
import type { Audit, AnswerInput } from './types';

/**
 * Answers are kept on the device (localStorage) until the server has them.
 * Every answer carries an id made on the device; the server ignores an id
 * it has seen, so sending the queue again (after a timeout, a reload, or
 * from a second tab) never doubles an answer.
 */
const PREFIX = 'plein.audits.queue.';

export function newClientId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

function read(auditId: string): AnswerInput[] {
  try {
    const raw = window.localStorage.getItem(PREFIX + auditId);
    const list: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(list) ? (list as AnswerInput[]) : [];
  } catch {
    return [];
  }
}

function write(auditId: string, list: AnswerInput[]): void {
  try {
    if (list.length === 0) window.localStorage.removeItem(PREFIX + auditId);
    else window.localStorage.setItem(PREFIX + auditId, JSON.stringify(list));
  } catch {
    // Storage full or blocked: the answer then only lives in this page.
  }
  window.dispatchEvent(new CustomEvent('plein-audit-queue', { detail: auditId }));
}

/** The answers still waiting for the server. */
export function pending(auditId: string): AnswerInput[] {
  return read(auditId);
}

/** Keeps an answer on the device; a newer answer to the same criterion replaces an older unsent one. */
export function enqueue(auditId: string, answer: AnswerInput): void {
  const list = read(auditId).filter((a) => a.criterion !== answer.criterion);
  list.push(answer);
  write(auditId, list);
}

const inFlight = new Map<string, Promise<Audit | null>>();

/**
 * Sends what is waiting. Resolves with the audit as the server has it
 * afterwards, or null when there was nothing to send or the network is
 * away or the server is down (the queue stays). A refusal of the answers
 * themselves (409: the audit is finished; 422) drops the batch so it cannot
 * block the queue forever, and is rethrown; so is 401/403 (the queue stays).
 */
export function flush(auditId: string): Promise<Audit | null> {
  const running = inFlight.get(auditId);
  if (running) return running;
  if (read(auditId).length === 0) return Promise.resolve(null);
  const p = (async () => {
    const batch = read(auditId);
    try {
      const res = await apiRequest<{ applied: number; duplicates: number; audit: Audit }>(
        `/audits/${encodeURIComponent(auditId)}/answers`,
        { method: 'POST', body: { answers: batch } },
      );
      const sent = new Set(batch.map((a) => a.clientId));
      write(auditId, read(auditId).filter((a) => !sent.has(a.clientId)));
      return res.audit;
    } catch (err) {
      if (err instanceof ApiError && (err.status === 409 || err.status === 422)) {
        const sent = new Set(batch.map((a) => a.clientId));
        write(auditId, read(auditId).filter((a) => !sent.has(a.clientId)));
      }
      if (err instanceof ApiError && (err.status === 0 || err.status >= 500)) return null; // kept; tried again later
      throw err;
    } finally {
      inFlight.delete(auditId);
    }
  })();
  inFlight.set(auditId, p);
  return p;
}
