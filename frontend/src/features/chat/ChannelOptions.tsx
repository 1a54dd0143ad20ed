import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useChannelPrefs, useInviteMember, useLeaveChannel } from './api';
import type { ChannelSnapshot } from './connection';
import { ConversationExportButton } from './ConversationExport';
import { useChatConnection, useChatSnapshot } from './ChatProvider';
import { PeoplePicker } from './PeoplePicker';
import { PresenceLine } from './PresenceDot';

/** "Info" disclosure in the channel header: kind, members, invite, leave. */
export function ChannelOptions({
  channel,
  name,
  meId,
}: {
  channel: ChannelSnapshot;
  name: string;
  meId: string | undefined;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const connection = useChatConnection();
  const navigate = useNavigate();
  const leave = useLeaveChannel();
  const invite = useInviteMember();
  const prefs = useChannelPrefs();
  const snapshot = useChatSnapshot();
  const { muted = false, pinned = false } = channel.summary;
  const setPref = (change: { muted?: boolean; pinned?: boolean }) =>
    prefs.mutate({ channelId: channel.id, ...change }, { onSuccess: (summary) => connection.upsertChannel(summary) });
  const [invited, setInvited] = useState<string[]>([]);
  const { kind, members = [] } = channel.summary;
  const canInvite = kind === 'closed' || kind === 'group';
  const canLeave = kind === 'open' || kind === 'closed' || kind === 'group';
  const memberIds = new Set([...members.map((m) => m.id), ...(meId ? [meId] : [])]);

  return (
    <div className="channel-options">
      <button
        type="button"
        className="button button--quiet channel-options__toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((v) => !v)}
      >
        {t('chat.options.toggle')}
        <span className="visually-hidden"> {name}</span>
      </button>
      <div id={panelId} className="channel-options__panel" hidden={!open}>
        <p>{t(`chat.kind.${kind}`)}</p>
        <div className="channel-options__prefs">
          <button
            type="button"
            className="button button--secondary"
            aria-pressed={muted}
            aria-disabled={prefs.isPending || undefined}
            onClick={() => !prefs.isPending && setPref({ muted: !muted })}
          >
            {muted ? t('chat.options.unmute') : t('chat.options.mute')}
          </button>
          <button
            type="button"
            className="button button--secondary"
            aria-pressed={pinned}
            aria-disabled={prefs.isPending || undefined}
            onClick={() => !prefs.isPending && setPref({ pinned: !pinned })}
          >
            {pinned ? t('chat.options.unpin') : t('chat.options.pin')}
          </button>
        </div>
        <p className="muted small">{t('chat.options.muteHint')}</p>
        {prefs.isError && <ErrorAlert error={prefs.error} />}
        {members.length > 0 && (
          <>
            <p className="field-label">{t('chat.options.members')}</p>
            <ul className="chips">
              {members.map((m) => (
                <li key={m.id} className="chip channel-options__member" data-testid="channel-member" data-user-id={m.id}>
                  {m.name}{' '}
                  {m.id !== meId && (
                    <PresenceLine status={snapshot.presence[m.id] ?? 'offline'} lastSeen={snapshot.lastSeen[m.id]} />
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
        {canInvite && open && (
          <PeoplePicker
            label={t('chat.options.invite')}
            excludeIds={new Set([...memberIds, ...invited])}
            pickLabel={(person) => t('chat.options.inviteperson', { name: person.name })}
            onPick={(person) =>
              invite.mutate(
                { channelId: channel.id, userId: person.id },
                { onSuccess: () => setInvited((list) => [...list, person.id]) },
              )
            }
          />
        )}
        {invite.isError && <ErrorAlert error={invite.error} />}
        {invite.isSuccess && (
          <p role="status" className="muted">
            {t('chat.options.invited')}
          </p>
        )}
        {canLeave && (
          <button
            type="button"
            className="button button--secondary"
            aria-disabled={leave.isPending || undefined}
            onClick={() => {
              if (leave.isPending || !window.confirm(t('chat.options.confirmLeave', { name }))) return;
              leave.mutate(channel.id, {
                onSuccess: () => {
                  connection.removeChannel(channel.id);
                  navigate('/chat');
                },
              });
            }}
          >
            {t('chat.options.leave')}
          </button>
        )}
        {leave.isError && <ErrorAlert error={leave.error} />}
        {(kind === 'dm' || kind === 'group') && <ConversationExportButton channelId={channel.id} name={name} />}
      </div>
    </div>
  );
}
