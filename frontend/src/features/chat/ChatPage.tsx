import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useMatch } from 'react-router';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useChatConnection, useChatConnectionOrNull, useChatSnapshot } from './ChatProvider';
import { useSetChatPrefs } from './api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ChannelList } from './ChannelList';
import { SearchIcon } from '../../components/Icons';
import { BellIcon, PlusIcon } from './icons';
import { notificationState, requestNotificationPermission, type NotificationState } from './notifications';

/**
 * /chat layout: the channel list and the routed pane (channel, thread, new
 * conversation, browse). On narrow screens only one of the two is shown.
 * Waits for ChatProvider's connection (its code is a chunk of its own), so
 * every chat page below can use useChatConnection.
 */
export function ChatPage() {
  const { t } = useTranslation();
  if (!useChatConnectionOrNull()) return <Loading label={t('chat.loadingChannels')} />;
  return <ChatLayout />;
}

function ChatLayout() {
  const { t } = useTranslation();
  const snapshot = useChatSnapshot();
  const index = useMatch({ path: '/chat', end: true });
  const showingDetail = !index;

  return (
    <div className={showingDetail ? 'chat chat--detail' : 'chat chat--index'}>
      <h1 className="visually-hidden">{t('chat.title')}</h1>
      <ConnectionBanner status={snapshot.status} />
      <aside className="chat__sidebar" aria-labelledby="chat-sidebar-title">
        <div className="chat__sidebar-head">
          <h2 id="chat-sidebar-title" className="chat__sidebar-title">
            {t('chat.title')}
          </h2>
          <div className="chat__sidebar-actions">
            <Link to="/chat/new" className="button button--quiet chat__action">
              <PlusIcon className="chat__action-icon" />
              <span>{t('chat.newConversation')}</span>
            </Link>
            <Link to="/chat/browse" className="button button--quiet chat__action">
              <SearchIcon className="chat__action-icon" />
              <span>{t('chat.browseChannels')}</span>
            </Link>
          </div>
        </div>
        {snapshot.channels.length === 0 && !snapshot.everReady ? (
          <Loading label={t('chat.loadingChannels')} />
        ) : (
          <ChannelList />
        )}
        <NotificationToggle />
        <PresenceSetting />
      </aside>
      <div className="chat__main">
        <Outlet />
      </div>
    </div>
  );
}

/** Index pane on wide screens. */
export function ChatHome() {
  const { t } = useTranslation();
  useDocumentTitle(t('chat.title'));
  return (
    <div className="chat-empty">
      <p className="chat-empty__title">{t('chat.pickTitle')}</p>
      <p className="muted">{t('chat.pickBody')}</p>
    </div>
  );
}

function ConnectionBanner({ status }: { status: string }) {
  const { t } = useTranslation();
  const show = status === 'reconnecting' || status === 'ended';
  // The live region is always in the DOM so screen readers pick up changes.
  return (
    <div
      className={show ? 'chat-banner chat-banner--visible' : 'chat-banner'}
      data-testid="chat-connection-banner"
      data-status={status}
      role="status"
      aria-live="polite"
    >
      {status === 'reconnecting' && (
        <>
          <span className="spinner chat-banner__spinner" aria-hidden="true" />
          <span>{t('chat.reconnecting')}</span>
        </>
      )}
      {status === 'ended' && <span>{t('chat.sessionEnded')}</span>}
    </div>
  );
}

function NotificationToggle() {
  const { t } = useTranslation();
  const [state, setState] = useState<NotificationState>(() => notificationState());
  if (state === 'unsupported' || state === 'granted') return null;
  if (state === 'denied') return <p className="chat__notify-hint muted small">{t('chat.notificationsBlocked')}</p>;
  return (
    <button
      type="button"
      className="button button--quiet chat__notify"
      onClick={async () => setState(await requestNotificationPermission())}
    >
      <BellIcon className="chat__action-icon" />
      <span>{t('chat.enableNotifications')}</span>
    </button>
  );
}

/** "Verberg of ik online ben": the server then reports the user offline to everyone. */
function PresenceSetting() {
  const { t } = useTranslation();
  const snapshot = useChatSnapshot();
  const connection = useChatConnection();
  const save = useSetChatPrefs();
  if (!snapshot.prefs) return null;
  const hidden = snapshot.prefs.hidePresence;
  return (
    <div className="chat__presence-setting">
      <label className="sp-checkbox">
        <input
          type="checkbox"
          checked={hidden}
          disabled={save.isPending}
          aria-describedby="chat-presence-hint"
          onChange={(e) => save.mutate({ hidePresence: e.target.checked }, { onSuccess: (p) => connection.setPrefs(p) })}
        />{' '}
        {t('chat.settings.hidePresence')}
      </label>
      <p id="chat-presence-hint" className="muted small">
        {t('chat.settings.hidePresenceHint')}
      </p>
      {save.isError && <ErrorAlert error={save.error} />}
    </div>
  );
}
