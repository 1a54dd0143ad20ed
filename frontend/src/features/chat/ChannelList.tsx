import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { initials } from '../../lib/text';
import type { ChannelSnapshot } from './connection';
import { useChatSnapshot } from './ChatProvider';
import { channelDisplayName, channelSection, sortChannels, type ChannelSection } from './format';
import { HashIcon, LockIcon } from './icons';

const SECTIONS: ChannelSection[] = ['team', 'channels', 'direct'];

/** The user's channels: team channel first, then channels, then direct conversations. */
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
        const items = sorted.filter((c) => channelSection(c.summary) === section);
        if (items.length === 0) return null;
        const headingId = `chat-list-${section}`;
        return (
          <section key={section} className="chat-list__section" aria-labelledby={headingId}>
            <h3 id={headingId} className="chat-list__heading">
              {t(`chat.section.${section}`)}
            </h3>
            <ul className="chat-list__items">
              {items.map((channel) => (
                <ChannelItem key={channel.id} channel={channel} meId={meId} />
              ))}
            </ul>
          </section>
        );
      })}
    </nav>
  );
}

function ChannelItem({ channel, meId }: { channel: ChannelSnapshot; meId: string | undefined }) {
  const { t } = useTranslation();
  const { summary } = channel;
  const name = channelDisplayName(summary, meId);
  const unread = summary.unread;
  const direct = summary.kind === 'dm' || summary.kind === 'group';
  return (
    <li className="chat-list__item" data-testid="chat-channel-item" data-channel-id={summary.id}>
      <NavLink
        to={`/chat/${encodeURIComponent(summary.id)}`}
        className={unread > 0 ? 'chat-list__link chat-list__link--unread' : 'chat-list__link'}
      >
        {direct ? (
          <span className="avatar chat-list__avatar" aria-hidden="true">
            {summary.kind === 'group' ? (summary.members?.length ?? '') : initials(name)}
          </span>
        ) : summary.kind === 'closed' ? (
          <LockIcon className="chat-list__icon" />
        ) : (
          <HashIcon className="chat-list__icon" />
        )}
        <span className="chat-list__name">{name}</span>{' '}
        {summary.kind === 'closed' && <span className="visually-hidden">{t('chat.closedChannel')} </span>}
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
      </NavLink>
    </li>
  );
}
