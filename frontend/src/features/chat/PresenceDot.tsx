import { useTranslation } from 'react-i18next';
import { dayLabel, timeLabel } from './format';
import type { PresenceStatus } from './types';

/**
 * A small presence dot (online, away, offline) with its meaning as text for
 * screen readers. The server reports people who hide their presence as
 * offline, so this shows what they allow.
 */
export function PresenceDot({ status, className }: { status: PresenceStatus; className?: string }) {
  const { t } = useTranslation();
  return (
    <span
      className={`presence-dot presence-dot--${status}${className ? ` ${className}` : ''}`}
      data-testid="presence-dot"
      data-status={status}
    >
      <span className="visually-hidden">{t(`chat.presence.${status}`)}</span>
    </span>
  );
}

/** "Online", "Afwezig", or "Laatst gezien om 14:05" / "… gisteren om 9:12" where known. */
export function presenceText(
  status: PresenceStatus,
  lastSeen: string | undefined,
  t: (key: string, opts?: Record<string, unknown>) => string,
  language: string,
  now = new Date(),
): string {
  if (status !== 'offline') return t(`chat.presence.${status}`);
  if (!lastSeen) return t('chat.presence.offline');
  const day = dayLabel(lastSeen, t as never, language, now);
  return t('chat.presence.lastSeen', { day: day.toLocaleLowerCase(language), time: timeLabel(lastSeen, language) });
}

/** Presence of a person as a dot followed by its text (for headers and member lists). */
export function PresenceLine({ status, lastSeen }: { status: PresenceStatus; lastSeen?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <span className="presence-line" data-testid="presence-line" data-status={status}>
      <span className={`presence-dot presence-dot--${status}`} aria-hidden="true" />
      {presenceText(status, lastSeen, t as never, i18n.language)}
    </span>
  );
}
