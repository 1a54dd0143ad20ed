import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, ProblemSummary, useFieldErrors, useFieldIds } from '../../components/form';
import { isIdentifierSuspected, useIdentifierWarning } from '../../components/IdentifierWarning';
import { matchesQuery } from '../../lib/text';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useBrowseChannels, useCreateChannel, useJoinChannel } from './api';
import { useChatConnection } from './ChatProvider';
import { BackIcon } from './icons';
import { QueryView } from '../../components/QueryView';

/** /chat/browse — find and join open channels, or create a channel. */
export function BrowseChannels() {
  const { t } = useTranslation();
  useDocumentTitle(t('chat.browse.title'));
  const browse = useBrowseChannels();
  const join = useJoinChannel();
  const connection = useChatConnection();
  const navigate = useNavigate();
  const [filter, setFilter] = useState('');
  const filterId = useId();
  const channels = (browse.data ?? []).filter((c) => matchesQuery(filter, [c.name, c.topic ?? '']));

  return (
    <div className="chat-form">
      <header className="channel__header">
        <Link to="/chat" className="chat-back">
          <BackIcon className="chat-back__icon" />
          <span className="visually-hidden">{t('chat.back')}</span>
        </Link>
        <h2 className="channel__title">{t('chat.browse.title')}</h2>
      </header>
      <div className="chat-form__body stack">
        <section className="stack stack--tight" aria-labelledby={`${filterId}-h`}>
          <h3 id={`${filterId}-h`} className="visually-hidden">
            {t('chat.browse.openChannels')}
          </h3>
          <label htmlFor={filterId} className="field-label">
            {t('chat.browse.filter')}
          </label>
          <input
            id={filterId}
            type="search"
            className="input"
            value={filter}
            autoComplete="off"
            onChange={(event) => setFilter(event.target.value)}
          />
          <QueryView
            query={browse}
            loading={t('chat.browse.loading')}
            empty={t('chat.browse.none')}
            isEmpty={() => channels.length === 0}
          >
            {() => (
              <ul className="browse-list">
                {channels.map((channel) => (
                  <li key={channel.id} className="browse-list__item">
                    <div className="browse-list__text">
                      <p className="browse-list__name">{channel.name}</p>
                      {channel.topic && <p className="browse-list__topic">{channel.topic}</p>}
                      <p className="browse-list__meta">{t('chat.browse.members', { count: channel.memberCount })}</p>
                    </div>
                    {channel.joined ? (
                      <Link to={`/chat/${encodeURIComponent(channel.id)}`} className="button button--secondary">
                        {t('chat.browse.open')}
                        <span className="visually-hidden"> {channel.name}</span>
                      </Link>
                    ) : (
                      <button
                        type="button"
                        className="button button--primary"
                        aria-disabled={join.isPending || undefined}
                        onClick={() => {
                          if (join.isPending) return;
                          join.mutate(channel.id, {
                            onSuccess: (summary) => {
                              connection.upsertChannel(summary);
                              void browse.refetch();
                              navigate(`/chat/${encodeURIComponent(summary.id)}`);
                            },
                          });
                        }}
                      >
                        {t('chat.browse.join')}
                        <span className="visually-hidden"> {channel.name}</span>
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </QueryView>
          {join.isError && <ErrorAlert error={join.error} title={t('chat.browse.joinFailed')} />}
        </section>
        <CreateChannelForm />
      </div>
    </div>
  );
}

function CreateChannelForm() {
  const { t } = useTranslation();
  const create = useCreateChannel();
  const connection = useChatConnection();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [topic, setTopic] = useState('');
  const [kind, setKind] = useState<'open' | 'closed'>('open');
  const [tries, setTries] = useState(0);
  const id = useId();
  const fid = useFieldIds();
  const nameMissing = tries > 0 && !name.trim();
  const nameRef = useRef<HTMLInputElement>(null);
  const warning = useIdentifierWarning(nameRef);
  const refusal = isIdentifierSuspected(create.error) ? null : create.error;
  const errors = useFieldErrors(refusal, { client: nameMissing ? [{ field: 'name', message: t('chat.create.nameRequired') }] : [] });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      create.reset();
      setTries((n) => n + 1);
      return;
    }
    send(false);
  }

  function send(acknowledgeIdentifiers: boolean) {
    if (!name.trim() || create.isPending) return;
    create.mutate(
      { name: name.trim(), kind, topic: topic.trim(), ...(acknowledgeIdentifiers ? { acknowledgeIdentifiers } : {}) },
      {
        onSuccess: (summary) => {
          connection.upsertChannel(summary);
          navigate(`/chat/${encodeURIComponent(summary.id)}`);
        },
        onError: (error) => warning.held(error, () => send(true)),
      },
    );
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('chat.create.title')}</h3>
      <form className="stack stack--tight" onSubmit={submit} noValidate data-testid="chat-create-channel">
        <ProblemSummary
          error={refusal}
          title={refusal ? t('chat.create.failed') : undefined}
          errors={errors}
          fields={['name', 'kind', 'topic']}
          idOf={fid}
          focusKey={tries}
          testId="chat-create-problem"
        />
        <Field id={fid('name')} name="name" label={t('chat.create.name')} error={errors.of('name')}>
          {(c) => <input {...c} ref={nameRef} className="input" value={name} maxLength={80} required onChange={(event) => setName(event.target.value)} />}
        </Field>
        <fieldset className="field chat-kind">
          <legend className="field-label">{t('chat.create.kind')}</legend>
          <label className="chat-kind__option">
            <input type="radio" name={`${id}-kind`} checked={kind === 'open'} onChange={() => setKind('open')} />
            <span>
              <strong>{t('chat.create.open')}</strong> <span className="muted">{t('chat.create.openHint')}</span>
            </span>
          </label>
          <label className="chat-kind__option">
            <input type="radio" name={`${id}-kind`} checked={kind === 'closed'} onChange={() => setKind('closed')} />
            <span>
              <strong>{t('chat.create.closed')}</strong> <span className="muted">{t('chat.create.closedHint')}</span>
            </span>
          </label>
        </fieldset>
        <Field id={fid('topic')} name="topic" label={t('chat.create.topic')} error={errors.of('topic')}>
          {(c) => <input {...c} className="input" value={topic} maxLength={250} onChange={(event) => setTopic(event.target.value)} />}
        </Field>
        {warning.dialog}
        <div>
          <button type="submit" className="button button--primary" aria-disabled={create.isPending || undefined}>
            {t('chat.create.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
