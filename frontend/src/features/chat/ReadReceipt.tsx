import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelReceipts } from './connection';
import type { ChannelKind, PresenceStatus } from './types';

/**
 * The read receipt under one of the user's own messages. Direct and group
 * conversations: one tick (sent), two grey ticks (delivered: someone is
 * connected or has read it), two coloured ticks (read by everyone). Channels:
 * "Gelezen door 9 van 12", which opens who has and hasn't read it.
 */
export function ReadReceipt({
  seq,
  kind,
  meId,
  receipts,
  presence,
}: {
  seq: number;
  kind: ChannelKind;
  meId: string;
  receipts: ChannelReceipts;
  presence: Record<string, PresenceStatus>;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const listId = useId();
  if (receipts.off) return null;
  const others = Object.keys(receipts.reads).filter((id) => id !== meId);
  if (others.length === 0) return null;
  const read = others.filter((id) => (receipts.reads[id] ?? 0) >= seq);
  if (kind === 'dm' || kind === 'group') {
    const state =
      read.length === others.length
        ? 'read'
        : read.length > 0 || others.some((id) => (presence[id] ?? 'offline') !== 'offline')
          ? 'delivered'
          : 'sent';
    return (
      <span className={`receipt receipt--${state}`} data-testid="chat-receipt" data-state={state}>
        <span aria-hidden="true">{state === 'sent' ? '✓' : '✓✓'}</span>
        <span className="visually-hidden">{t(`chat.receipt.${state}`)}</span>
      </span>
    );
  }
  const collator = new Intl.Collator('nl', { sensitivity: 'base' });
  const byName = (a: string, b: string) => collator.compare(receipts.names[a] ?? '', receipts.names[b] ?? '');
  const unread = others.filter((id) => !read.includes(id)).sort(byName);
  return (
    <div className="receipt receipt--channel" data-testid="chat-receipt" data-read={read.length} data-total={others.length}>
      <button
        type="button"
        className="receipt__toggle"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((v) => !v)}
      >
        {t('chat.receipt.readBy', { read: read.length, total: others.length })}
      </button>
      <div id={listId} className="receipt__panel" hidden={!open}>
        <p className="receipt__heading">{t('chat.receipt.readList', { count: read.length })}</p>
        <ul className="receipt__names">
          {[...read].sort(byName).map((id) => (
            <li key={id}>{receipts.names[id]}</li>
          ))}
        </ul>
        <p className="receipt__heading">{t('chat.receipt.unreadList', { count: unread.length })}</p>
        <ul className="receipt__names">
          {unread.map((id) => (
            <li key={id}>{receipts.names[id]}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}
