import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { dayLabel, groupByDay } from '../spaces/format';
import { useMarkRead, useNotificationPages, usePreferences, useSavePreferences } from './api';
import { NotificationItem } from './NotificationItem';
import { PushSection } from './PushSection';
import { NOTIFICATION_KINDS, type Notification, type NotificationPrefs } from './types';
import { QueryView } from '../../components/QueryView';
import { PageHeader } from '../../components/PageHeader';

/** /meldingen: all notifications grouped by day, mark (all) read, and the preferences. */
export function NotificationsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('spaces.notifications.title'));
  return (
    <div className="stack sp-notifications-page" data-testid="notifications-page">
      <PageHeader title={t('spaces.notifications.title')} intro={t('spaces.notifications.intro')} />
      <NotificationList />
      <Preferences />
      <PushSection />
    </div>
  );
}

function NotificationList() {
  const { t, i18n } = useTranslation();
  const pages = useNotificationPages();
  const markRead = useMarkRead();
  const items = (pages.data?.pages ?? []).flatMap((p) => p.items);
  const unread = items.some((n) => !n.read);
  const groups = groupByDay(items, (n) => n.createdAt);

  function open(item: Notification) {
    // The item's <Link> navigates; marking read happens alongside.
    if (!item.read) markRead.mutate({ ids: [item.id] });
  }

  return (
    <section className="stack stack--tight" aria-labelledby="notif-list-title">
      <div className="sp-section-head">
        <h2 id="notif-list-title">{t('spaces.notifications.listTitle')}</h2>
        {unread && (
          <button
            type="button"
            className="button button--secondary sp-button--small"
            data-testid="notifications-mark-all"
            aria-disabled={markRead.isPending || undefined}
            onClick={() => !markRead.isPending && markRead.mutate({ all: true })}
          >
            {t('spaces.notifications.markAll')}
          </button>
        )}
      </div>
      {markRead.isError && <ErrorAlert error={markRead.error} />}
      <QueryView
        query={pages}
        loading={t('spaces.notifications.loading')}
        empty={t('spaces.notifications.none')}
        isEmpty={() => items.length === 0}
      >
        {() => (
          <>
            {groups.map((group) => (
              <section key={group.day} className="sp-notif-day" aria-labelledby={`notif-day-${group.day}`}>
                <h3 id={`notif-day-${group.day}`} className="sp-notif-day__title">
                  {dayLabel(group.items[0]!.createdAt, t, i18n.language)}
                </h3>
                <ul className="sp-notif-list" data-testid="notification-day">
                  {group.items.map((item) => (
                    <NotificationItem key={item.id} item={item} onOpen={open} timeOnly />
                  ))}
                </ul>
              </section>
            ))}
            {pages.hasNextPage && (
              <button
                type="button"
                className="button button--secondary sp-load-more"
                aria-disabled={pages.isFetchingNextPage || undefined}
                onClick={() => !pages.isFetchingNextPage && void pages.fetchNextPage()}
              >
                {pages.isFetchingNextPage ? t('spaces.common.loading') : t('spaces.posts.more')}
              </button>
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}

function Preferences() {
  const { t } = useTranslation();
  const prefs = usePreferences();
  const save = useSavePreferences();
  const [draft, setDraft] = useState<NotificationPrefs | null>(null);
  const [saved, setSaved] = useState(false);
  const id = useId();

  useEffect(() => {
    if (prefs.data && !draft) setDraft(prefs.data);
  }, [prefs.data, draft]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!draft || save.isPending) return;
    setSaved(false);
    save.mutate(draft, { onSuccess: () => setSaved(true) });
  }

  return (
    <section className="panel" aria-labelledby={`${id}-h`} data-testid="notification-preferences">
      <h2 id={`${id}-h`}>{t('spaces.notifications.prefsTitle')}</h2>
      {prefs.isPending || (!draft && !prefs.isError) ? (
        <Loading label={t('spaces.notifications.prefsLoading')} />
      ) : prefs.isError || !draft ? (
        <ErrorAlert error={prefs.error} onRetry={() => void prefs.refetch()} />
      ) : (
        <form onSubmit={submit} className="stack stack--tight" noValidate>
          <fieldset className="sp-fieldset">
            <legend className="field-label">{t('spaces.notifications.prefsKinds')}</legend>
            <ul className="sp-check-list">
              {NOTIFICATION_KINDS.map((kind) => (
                <li key={kind}>
                  <label className="sp-checkbox">
                    <input
                      type="checkbox"
                      checked={draft.kinds[kind] ?? true}
                      data-testid={`pref-${kind}`}
                      onChange={(e) => {
                        setSaved(false);
                        setDraft({ ...draft, kinds: { ...draft.kinds, [kind]: e.target.checked } });
                      }}
                    />
                    <span>{t(`spaces.notifications.prefKinds.${kind}`)}</span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <div className="sp-field">
            <label className="sp-checkbox">
              <input
                type="checkbox"
                checked={draft.live}
                aria-describedby={`${id}-live`}
                data-testid="pref-live"
                onChange={(e) => {
                  setSaved(false);
                  setDraft({ ...draft, live: e.target.checked });
                }}
              />
              <span>{t('spaces.notifications.live')}</span>
            </label>
            <p id={`${id}-live`} className="field-hint">
              {t('spaces.notifications.liveHint')}
            </p>
          </div>
          {save.isError && <ErrorAlert error={save.error} />}
          <div>
            <button type="submit" className="button button--primary" aria-disabled={save.isPending || undefined} data-testid="prefs-save">
              {save.isPending ? t('spaces.common.saving') : t('spaces.common.save')}
            </button>
          </div>
          <p role="status" aria-live="polite">
            {saved && t('spaces.notifications.prefsSaved')}
          </p>
        </form>
      )}
    </section>
  );
}
