import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { initials } from '../../lib/text';
import type { ChannelSnapshot } from './connection';
import { useChatSnapshot } from './ChatProvider';
import { channelDisplayName, channelSection, dayKey, sortChannels, timeLabel, type ChannelSection } from './format';
import { HashIcon, LockIcon } from './icons';
import { PresenceDot } from './PresenceDot';
import type { PresenceStatus } from './types';

const SECTIONS: (ChannelSection | 'pinned')[] = ['pinned', 'team', 'channels', 'direct'];

/**
 * The user's conversations like a messenger: pinned ones first, then the
 * team channel, channels and direct conversations, each newest first, with
 * the last message as one line, its time and the unread count.
 */
export function ChannelList() {
  const { t } = useTranslation();
  const snapshot = useChatSnapshot();
  const meId = snapshot.user?.id;
  const sorted = sortChannels(snapshot.channels, meId);

  if (sorted.length === 0) {
    return <p className="muted chat-list__empty">{t('chat.noChannels')}</p>;
  }

  return (
    <nav className="chat-list" aria-label={t('chat.channelsNav')}>
      {SECTIONS.map((section) => {
        const items = sorted.filter((c) =>
          section === 'pinned' ? c.summary.pinned : !c.summary.pinned && channelSection(c.summary) === section,
        );
        if (items.length === 0) return null;
        const headingId = `chat-list-${section}`;
        return (
          <section key={section} className="chat-list__section" aria-labelledby={headingId}>
            <h3 id={headingId} className="chat-list__heading">
              {t(`chat.section.${section}`)}
            </h3>
            <ul className="chat-list__items">
              {items.map((channel) => (
                <ChannelItem key={channel.id} channel={channel} meId={meId} presence={snapshot.presence} />
              ))}
            </ul>
          </section>
        );
      })}
    </nav>
  );
}

function ChannelItem({
  channel,
  meId,
  presence,
}: {
  channel: ChannelSnapshot;
  meId: string | undefined;
  presence: Record<string, PresenceStatus>;
}) {
  const { t, i18n } = useTranslation();
  const { summary } = channel;
  const name = channelDisplayName(summary, meId);
  const unread = summary.unread;
  const direct = summary.kind === 'dm' || summary.kind === 'group';
  const partner = summary.kind === 'dm' ? summary.members?.find((m) => m.id !== meId) : undefined;
  const last = summary.last;
  const today = dayKey(new Date().toISOString());
  const when = last ? (dayKey(last.at) === today ? timeLabel(last.at, i18n.language) : shortDate(last.at, i18n.language)) : '';
  const lastText = last
    ? last.deleted
      ? t('chat.preview.deleted')
      : `${last.by === meId ? t('chat.preview.you') : (summary.kind === 'dm' ? '' : last.byName.split(' ')[0])}${
          last.by === meId || summary.kind !== 'dm' ? ': ' : ''
        }${last.text || (last.files ? t(`chat.preview.${last.files}`) : '')}`
    : '';
  return (
    <li className="chat-list__item" data-testid="chat-channel-item" data-channel-id={summary.id}>
      <NavLink
        to={`/chat/${encodeURIComponent(summary.id)}`}
        className={unread > 0 ? 'chat-list__link chat-list__link--unread' : 'chat-list__link'}
      >
        {direct ? (
          <span className="chat-list__avatar-wrap">
            <span className="avatar chat-list__avatar" aria-hidden="true">
              {summary.kind === 'group' ? (summary.members?.length ?? '') : initials(name)}
            </span>
            {partner && <PresenceDot status={presence[partner.id] ?? 'offline'} className="chat-list__presence" />}
          </span>
        ) : summary.kind === 'closed' ? (
          <LockIcon className="chat-list__icon" />
        ) : (
          <HashIcon className="chat-list__icon" />
        )}
        <span className="chat-list__main">
          <span className="chat-list__name">{name}</span>{' '}
          {summary.kind === 'closed' && <span className="visually-hidden">{t('chat.closedChannel')} </span>}
          {summary.pinned && <span className="visually-hidden">{t('chat.pinnedLabel')} </span>}
          {lastText && (
            <span className="chat-list__preview" data-testid="chat-preview">
              {lastText}
            </span>
          )}
        </span>
        <span className="chat-list__meta">
          {when && (
            <time className="chat-list__time" dateTime={last?.at}>
              {when}
            </time>
          )}
          {summary.muted && (
            <span className="chat-list__muted" title={t('chat.mutedLabel')}>
              <span aria-hidden="true">🔕</span>
              <span className="visually-hidden">{t('chat.mutedLabel')}</span>
            </span>
          )}
        {summary.mentions > 0 && (
          <span className="chat-list__mention" title={t('chat.mentioned', { count: summary.mentions })}>
            <span aria-hidden="true">@</span>
            <span className="visually-hidden">{t('chat.mentioned', { count: summary.mentions })}</span>
          </span>
        )}{' '}
        {unread > 0 && (
          <span className="chat-list__badge">
            <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
            <span className="visually-hidden">{t('chat.unread', { count: unread })}</span>
          </span>
        )}
        </span>
      </NavLink>
    </li>
  );
}

function shortDate(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short' }).format(date);
}
