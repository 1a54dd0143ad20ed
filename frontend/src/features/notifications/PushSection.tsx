import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import {
  PermissionDenied,
  pushSupported,
  useEnablePush,
  usePushConfig,
  usePushDevices,
  usePushSettings,
  useRemoveDevice,
  useSaveQuietHours,
  useThisDevice,
} from './push';
import type { QuietHours } from './types';
import { QueryView } from '../../components/QueryView';

/** "Meldingen op dit apparaat": Web Push on/off here, my devices, quiet hours. */
export function PushSection() {
  const { t } = useTranslation();
  const id = useId();
  const config = usePushConfig();
  return (
    <section className="panel stack stack--tight" aria-labelledby={`${id}-h`} data-testid="push-settings">
      <h2 id={`${id}-h`}>{t('spaces.notifications.push.title')}</h2>
      <p className="muted">{t('spaces.notifications.push.intro')}</p>
      <QueryView
        query={config}
        loading={t('spaces.notifications.push.loading')}
        empty={<p data-testid="push-off">{t('spaces.notifications.push.off')}</p>}
        isEmpty={(d) => !d.enabled}
      >
        {(data) => (
          <>
            <ThisDevice publicKey={data.publicKey} />
            <Devices />
            <QuietHoursForm />
          </>
        )}
      </QueryView>
    </section>
  );
}

function ThisDevice({ publicKey }: { publicKey: string }) {
  const { t, i18n } = useTranslation();
  const here = useThisDevice();
  const enable = useEnablePush();
  const remove = useRemoveDevice();
  if (!pushSupported()) return <p data-testid="push-unsupported">{t('spaces.notifications.push.unsupported')}</p>;
  const on = !!here.data;
  const busy = enable.isPending || remove.isPending;
  return (
    <div className="stack stack--tight">
      <p role="status" data-testid="push-this-device">
        {on ? t('spaces.notifications.push.thisOn') : t('spaces.notifications.push.thisOff')}
      </p>
      <div>
        <button
          type="button"
          className={on ? 'button button--secondary' : 'button button--primary'}
          data-testid="push-toggle"
          aria-disabled={busy || here.isPending || undefined}
          onClick={() => {
            if (busy || here.isPending) return;
            if (on) remove.mutate(here.data!);
            else enable.mutate({ publicKey, language: i18n.language });
          }}
        >
          {busy ? t('spaces.notifications.push.busy') : on ? t('spaces.notifications.push.turnOff') : t('spaces.notifications.push.turnOn')}
        </button>
      </div>
      {enable.error instanceof PermissionDenied ? (
        <p role="alert">{t('spaces.notifications.push.denied')}</p>
      ) : enable.error ? (
        <ErrorAlert error={enable.error} />
      ) : null}
      {remove.isError && <ErrorAlert error={remove.error} />}
    </div>
  );
}

function Devices() {
  const { t, i18n } = useTranslation();
  const devices = usePushDevices();
  const here = useThisDevice();
  const remove = useRemoveDevice();
  const id = useId();
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' });
  return (
    <div className="stack stack--tight">
      <h3 id={`${id}-h`}>{t('spaces.notifications.push.devicesTitle')}</h3>
      <QueryView
        query={devices}
        loading={t('spaces.notifications.push.loading')}
        empty={t('spaces.notifications.push.devicesNone')}
      >
        {(devicesData) => (
          <ul className="sp-check-list" aria-labelledby={`${id}-h`} data-testid="push-devices">
            {devicesData.map((d) => {
              const name = d.label || t('spaces.notifications.push.unnamed');
              return (
                <li key={d.id} className="sp-push-device" data-testid="push-device">
                  <span>
                    {name}
                    {here.data === d.id && ` (${t('spaces.notifications.push.thisDevice')})`}{' '}
                    <span className="muted">{t('spaces.notifications.push.since', { date: date.format(new Date(d.createdAt)) })}</span>
                  </span>{' '}
                  <button
                    type="button"
                    className="button button--secondary sp-button--small"
                    aria-label={t('spaces.notifications.push.removeLabel', { name })}
                    aria-disabled={remove.isPending || undefined}
                    onClick={() => !remove.isPending && remove.mutate(d.id)}
                  >
                    {t('spaces.notifications.push.remove')}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </QueryView>
      {remove.isError && <ErrorAlert error={remove.error} />}
    </div>
  );
}

function QuietHoursForm() {
  const { t } = useTranslation();
  const settings = usePushSettings();
  const save = useSaveQuietHours();
  const [draft, setDraft] = useState<QuietHours | null>(null);
  const [saved, setSaved] = useState(false);
  const id = useId();
  useEffect(() => {
    if (settings.data && !draft) setDraft(settings.data.quietHours);
  }, [settings.data, draft]);
  if (settings.isError) return <ErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />;
  if (!draft) return <Loading label={t('spaces.notifications.push.loading')} />;
  const change = (q: Partial<QuietHours>) => {
    setSaved(false);
    setDraft({ ...draft, ...q });
  };
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!draft || save.isPending) return;
    save.mutate(draft, { onSuccess: () => setSaved(true) });
  }
  return (
    <form onSubmit={submit} className="stack stack--tight" noValidate aria-labelledby={`${id}-h`} data-testid="push-quiet">
      <h3 id={`${id}-h`}>{t('spaces.notifications.push.quietTitle')}</h3>
      <label className="sp-checkbox">
        <input type="checkbox" checked={draft.enabled} data-testid="push-quiet-on" aria-describedby={`${id}-hint`} onChange={(e) => change({ enabled: e.target.checked })} />
        <span>{t('spaces.notifications.push.quietOn')}</span>
      </label>
      <p id={`${id}-hint`} className="field-hint">
        {t('spaces.notifications.push.quietHint', { zone: draft.timeZone || 'Europe/Amsterdam' })}
      </p>
      <div className="sp-push-times">
        <label className="sp-field">
          <span className="field-label">{t('spaces.notifications.push.from')}</span>
          <input type="time" value={draft.from} data-testid="push-quiet-from" onChange={(e) => change({ from: e.target.value })} />
        </label>
        <label className="sp-field">
          <span className="field-label">{t('spaces.notifications.push.to')}</span>
          <input type="time" value={draft.to} data-testid="push-quiet-to" onChange={(e) => change({ to: e.target.value })} />
        </label>
      </div>
      {save.isError && <ErrorAlert error={save.error} />}
      <div>
        <button type="submit" className="button button--secondary" aria-disabled={save.isPending || undefined} data-testid="push-quiet-save">
          {t('spaces.notifications.push.save')}
        </button>
      </div>
      <p role="status" aria-live="polite">
        {saved && t('spaces.notifications.push.saved')}
      </p>
    </form>
  );
}
