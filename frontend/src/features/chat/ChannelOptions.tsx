import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useInviteMember, useLeaveChannel } from './api';
import type { ChannelSnapshot } from './connection';
import { useChatConnection } from './ChatProvider';
import { PeoplePicker } from './PeoplePicker';

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
        {members.length > 0 && (
          <>
            <p className="field-label">{t('chat.options.members')}</p>
            <ul className="chips">
              {members.map((m) => (
                <li key={m.id} className="chip">
                  {m.name}
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
      </div>
    </div>
  );
}
