import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useOfflineCopy, useOnline, useUpdate } from '../lib/offline';

/** Back online but still showing a copy: ask again after this long (once per copy). */
const COPY_RETRY_MS = 3_000;

/**
 * The shell's notices about the connection and the app itself: "offline,
 * you see the last saved version" while the browser has no network, and
 * "a new version — vernieuwen" when a new service worker waits. One polite
 * status region that is always there, so screen readers hear each change.
 */
export function OfflineStatus() {
  const { t } = useTranslation();
  const online = useOnline();
  const update = useUpdate();
  return (
    <div className="offline-status" role="status" data-testid="offline-status">
      {!online && (
        <p className="offline-status__notice" data-testid="offline-notice">
          {t('offline.notice')}
        </p>
      )}
      {update && (
        <p className="offline-status__notice offline-status__notice--update" data-testid="update-prompt">
          <span>{t('offline.newVersion')}</span>{' '}
          <button type="button" className="button button--secondary" onClick={update}>
            {t('offline.reload')}
          </button>
        </p>
      )}
    </div>
  );
}

/**
 * "Bijgewerkt op …" for a page that shows an API read (`path`, without
 * /api/v1): shown when that read was answered from the offline copy (the
 * copy's time), or while offline with what was loaded before (`dataUpdatedAt`).
 */
export function SavedCopyNote({ path, dataUpdatedAt }: { path: string; dataUpdatedAt?: number }) {
  const { t, i18n } = useTranslation();
  const online = useOnline();
  const copy = useOfflineCopy(path);
  const client = useQueryClient();
  // The request made at the "online" event may still meet no network (the
  // copy answers it): ask once more a little later. Once per copy, so a
  // network that stays unusable does not make a loop.
  useEffect(() => {
    if (!online || copy === undefined) return;
    const timer = setTimeout(() => void client.refetchQueries({ type: 'active' }), COPY_RETRY_MS);
    return () => clearTimeout(timer);
  }, [online, copy, client]);
  const at = copy ?? (!online && dataUpdatedAt ? dataUpdatedAt : undefined);
  if (at === undefined) return null;
  const time = at
    ? new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'nl-NL', {
        day: 'numeric',
        month: 'long',
        hour: '2-digit',
        minute: '2-digit',
      }).format(new Date(at))
    : '—';
  return (
    <p className="saved-copy" data-testid="saved-copy">
      <time dateTime={at ? new Date(at).toISOString() : undefined}>{t('offline.savedAt', { time })}</time>
    </p>
  );
}
