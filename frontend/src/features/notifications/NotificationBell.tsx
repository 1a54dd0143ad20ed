import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { BellIcon } from '../spaces/icons';
import { useLatestNotifications, useMarkRead, useUnreadCount } from './api';
import { useLiveNotifications } from './live';
import { NotificationItem } from './NotificationItem';
import type { Notification } from './types';

/**
 * Header bell: unread badge, and a popover with the latest 10 notifications,
 * "alles gelezen" and a link to the notification centre.
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const unreadQuery = useUnreadCount();
  const unread = unreadQuery.data;
  useLiveNotifications(unread);
  const [open, setOpen] = useState(false);
  const latest = useLatestNotifications(open);
  const markRead = useMarkRead();
  const panelId = useId();
  const headingId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const count = unread ?? 0;

  // Close on Escape (focus back to the bell) and on a click outside.
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    const onPointer = (event: PointerEvent | MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onPointer);
    };
  }, [open]);

  function openItem(item: Notification) {
    if (!item.read) markRead.mutate({ ids: [item.id] });
    setOpen(false);
  }

  const items = latest.data?.items ?? [];

  return (
    <div className="sp-bell" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="sp-bell__button"
        aria-expanded={open}
        aria-controls={panelId}
        data-testid="notification-bell"
        onClick={() => setOpen((value) => !value)}
      >
        <BellIcon className="sp-bell__icon" />
        <span className="visually-hidden">{t('spaces.notifications.bell')}</span>
        {count > 0 && (
          <span className="sp-count sp-bell__badge" data-testid="notification-count" data-count={count}>
            <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
            <span className="visually-hidden">, {t('spaces.notifications.unread', { count })}</span>
          </span>
        )}
      </button>
      <div
        id={panelId}
        className="sp-bell__panel"
        role="region"
        aria-labelledby={headingId}
        hidden={!open}
        data-testid="notification-popover"
      >
        {open && (
          <>
            <div className="sp-bell__head">
              <h2 id={headingId} className="sp-bell__title">
                {t('spaces.notifications.title')}
              </h2>
              {count > 0 && (
                <button
                  type="button"
                  className="button button--quiet sp-button--small"
                  data-testid="notification-mark-all"
                  aria-disabled={markRead.isPending || undefined}
                  onClick={() => !markRead.isPending && markRead.mutate({ all: true })}
                >
                  {t('spaces.notifications.markAll')}
                </button>
              )}
            </div>
            {latest.isPending ? (
              <p className="muted sp-bell__status">{t('spaces.notifications.loading')}</p>
            ) : latest.isError ? (
              <ErrorAlert error={latest.error} onRetry={() => void latest.refetch()} />
            ) : items.length === 0 ? (
              <p className="muted sp-bell__status">{t('spaces.notifications.none')}</p>
            ) : (
              <ul className="sp-notif-list sp-bell__list">
                {items.map((item) => (
                  <NotificationItem key={item.id} item={item} onOpen={openItem} />
                ))}
              </ul>
            )}
            {markRead.isError && <ErrorAlert error={markRead.error} />}
            <p className="sp-bell__foot">
              <Link to="/meldingen" className="arrow-link" onClick={() => setOpen(false)} data-testid="notification-all">
                {t('spaces.notifications.all')}
              </Link>
            </p>
          </>
        )}
      </div>
    </div>
  );
}
