import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useChatSnapshotOrNull } from './ChatProvider';
import { ChatIcon } from './icons';

/** "Chat" item of the main navigation, with the total unread count. */
export function ChatNavItem() {
  const { t } = useTranslation();
  // No badge until the connection's code has loaded.
  const total = useChatSnapshotOrNull()?.totalUnread ?? 0;
  return (
    <NavLink to="/chat" className="main-nav__link main-nav__link--chat">
      <ChatIcon className="main-nav__icon" />
      <span>{t('chat.nav')}</span>{' '}
      {total > 0 && (
        <span className="nav-badge" data-testid="chat-unread-badge" data-count={total}>
          <span aria-hidden="true">{total > 99 ? '99+' : total}</span>
          <span className="visually-hidden">{t('chat.unread', { count: total })}</span>
        </span>
      )}
    </NavLink>
  );
}
