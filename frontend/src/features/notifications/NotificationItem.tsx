import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime, formatTime, isAppPath } from '../spaces/format';
import { NOTIFICATION_KINDS, type Notification } from './types';

interface NotificationItemProps {
  item: Notification;
  /** Called when the item is opened (before navigation). */
  onOpen: (item: Notification) => void;
  /** Show only the time (the list is grouped by day). */
  timeOnly?: boolean;
}

/** One notification: unread marker, title, text, actor and time; a link to what it is about. */
export function NotificationItem({ item, onOpen, timeOnly = false }: NotificationItemProps) {
  const { t, i18n } = useTranslation();
  const when = timeOnly ? formatTime(item.createdAt, i18n.language) : formatDateTime(item.createdAt, i18n.language);
  const content = (
    <>
      <span className="sp-notif__kind">
        {(NOTIFICATION_KINDS as readonly string[]).includes(item.kind) ? t(`spaces.notifications.kinds.${item.kind}`) : item.kind}
      </span>
      <span className="sp-notif__title">
        {!item.read && <span className="visually-hidden">{t('spaces.notifications.unreadMarker')} </span>}
        {item.title}
      </span>
      {item.text && <span className="sp-notif__text">{item.text}</span>}
      <span className="sp-notif__meta">
        {item.actor && <span>{item.actor.name} · </span>}
        <time dateTime={item.createdAt}>{when}</time>
      </span>
    </>
  );
  return (
    <li className={item.read ? 'sp-notif' : 'sp-notif sp-notif--unread'} data-testid="notification-item" data-id={item.id} data-read={item.read ? 'true' : 'false'}>
      {isAppPath(item.link) ? (
        <Link to={item.link} className="sp-notif__link" onClick={() => onOpen(item)}>
          {content}
        </Link>
      ) : (
        <button type="button" className="sp-notif__link" onClick={() => onOpen(item)}>
          {content}
        </button>
      )}
    </li>
  );
}
