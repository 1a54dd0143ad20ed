import type { TFunction } from 'i18next';
import { dayLabel as dayLabelIn, formatTime, localDay } from '../../lib/dates';
import type { ChannelSummary } from './types';

/** Name to show for a channel: DMs and groups without a name list the other people. */
export function channelDisplayName(summary: ChannelSummary, meId: string | undefined): string {
  if ((summary.kind === 'dm' || summary.kind === 'group') && summary.members && summary.members.length > 0) {
    const others = summary.members.filter((m) => m.id !== meId).map((m) => m.name);
    if (summary.kind === 'dm' || !summary.name) return others.join(', ') || summary.name;
  }
  return summary.name;
}

export type ChannelSection = 'team' | 'channels' | 'direct';

export function channelSection(summary: ChannelSummary): ChannelSection {
  if (summary.kind === 'team') return 'team';
  if (summary.kind === 'dm' || summary.kind === 'group') return 'direct';
  return 'channels';
}

/**
 * Team channels first, then channels, then direct conversations; within
 * each the newest message first (as a messenger), then by name.
 */
export function sortChannels<T extends { summary: ChannelSummary }>(channels: readonly T[], meId?: string): T[] {
  const order: Record<ChannelSection, number> = { team: 0, channels: 1, direct: 2 };
  const collator = new Intl.Collator('nl', { sensitivity: 'base', numeric: true });
  const at = (s: ChannelSummary) => (s.last ? Date.parse(s.last.at) || 0 : 0);
  return [...channels].sort(
    (a, b) =>
      order[channelSection(a.summary)] - order[channelSection(b.summary)] ||
      at(b.summary) - at(a.summary) ||
      collator.compare(channelDisplayName(a.summary, meId), channelDisplayName(b.summary, meId)),
  );
}

export function dayKey(iso: string): string {
  return localDay(iso);
}

/** "Vandaag", "Gisteren" or e.g. "maandag 16 november" (with the year when not this year). */
export function dayLabel(iso: string, t: TFunction, language: string, now = new Date()): string {
  return dayLabelIn(iso, { today: t('chat.today'), yesterday: t('chat.yesterday') }, language, now);
}

export function timeLabel(iso: string, language: string): string {
  return formatTime(iso, language);
}

/** Plain text of sanitised HTML, without loading anything (DOMParser documents are inert). */
export function htmlToText(html: string): string {
  if (!html) return '';
  try {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    return (doc.body.textContent ?? '').replace(/\s+/g, ' ').trim();
  } catch {
    return html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  }
}

/** Message body text for announcements and previews. */
export function messageText(message: { html: string; body: string }): string {
  return message.html ? htmlToText(message.html) : message.body.replace(/<@([^>]+)>/g, '@$1');
}

export function excerpt(text: string, max = 140): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replace the visible "@Name" mentions the user picked with "<@userId>" tokens
 * (longest names first, so "@Anouk de Vries" wins over "@Anouk").
 */
export function encodeMentions(text: string, mentions: ReadonlyMap<string, string>): string {
  const names = [...mentions.keys()].sort((a, b) => b.length - a.length);
  let out = text;
  for (const name of names) {
    const id = mentions.get(name)!;
    const pattern = new RegExp(`@${escapeRegExp(name)}(?![\\p{L}\\p{N}_])`, 'gu');
    out = out.replace(pattern, `<@${id}>`);
  }
  return out;
}

/** Turn "<@userId>" tokens back into "@Name" for editing; returns the text and the name→id map. */
export function decodeMentions(
  body: string,
  names: ReadonlyMap<string, string>,
): { text: string; mentions: Map<string, string> } {
  const mentions = new Map<string, string>();
  const text = body.replace(/<@([^>\s]+)>/g, (token, id: string) => {
    const name = names.get(id);
    if (!name) return token;
    mentions.set(name, id);
    return `@${name}`;
  });
  return { text, mentions };
}

/**
 * id → name of the people mentioned in server-rendered markdown HTML
 * (`<span class="mention" data-user="u…">@Name</span>`), to decode a body's
 * "<@userId>" tokens for editing.
 */
export function mentionNamesFromHtml(html: string): Map<string, string> {
  const names = new Map<string, string>();
  if (!html || !html.includes('data-user')) return names;
  try {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    for (const span of doc.querySelectorAll('span.mention[data-user]')) {
      const id = span.getAttribute('data-user') ?? '';
      const name = (span.textContent ?? '').replace(/^@/, '').trim();
      if (id && name) names.set(id, name);
    }
  } catch {
    // No names: the tokens stay as they are.
  }
  return names;
}

/** The "@query" being typed right before the caret, if any. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(?:^|[\s(])@([\p{L}\p{M}'’-]+(?: [\p{L}\p{M}'’-]+){0,2})$/u.exec(before);
  if (!match) {
    // A bare "@" right before the caret: start of a mention, no query yet.
    if (/(?:^|[\s(])@$/.test(before)) return { start: caret - 1, query: '' };
    return null;
  }
  const query = match[1]!;
  return { start: caret - query.length - 1, query };
}

export function unreadLabel(t: TFunction, count: number): string {
  return t('chat.unread', { count });
}
