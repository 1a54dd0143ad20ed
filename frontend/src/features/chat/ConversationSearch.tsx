import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SearchIcon } from '../../components/Icons';
import { Loading } from '../../components/Loading';
import { useDisclosure } from '../../lib/useDisclosure';
import { Highlighted } from '../search/highlight';
import { useConversationSearch } from './api';
import { dayLabel, timeLabel } from './format';

/**
 * "Zoeken in dit gesprek": a toggle in the channel header and a panel with a
 * search form and its hits. A hit links to ?m=<seq>, which the message list
 * scrolls to and highlights (loading older history when needed). The panel
 * stays mounted while closed, so reopening it shows the last results.
 * Escape, a click outside and another conversation close it.
 */
export function ConversationSearch({ channelId, name }: { channelId: string; name: string }) {
  const { t, i18n } = useTranslation();
  const { open, setOpen, button, box } = useDisclosure<HTMLDivElement>();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const panelId = useId();
  const inputId = useId();
  const result = useConversationSearch(channelId, q);
  const data = result.data;

  function submit(event: FormEvent) {
    event.preventDefault();
    setQ(text.trim());
  }

  return (
    <div className="convo-search" ref={box}>
      <button
        ref={button}
        type="button"
        className="button button--quiet convo-search__toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((v) => !v)}
        data-testid="convo-search-toggle"
      >
        <SearchIcon className="convo-search__icon" />
        <span className="visually-hidden">{t('chatConvo.search.toggle', { name })}</span>
      </button>
      <div id={panelId} className="convo-search__panel" hidden={!open} data-testid="convo-search-panel">
        <form role="search" className="convo-search__form" onSubmit={submit}>
          <label htmlFor={inputId} className="field-label">
            {t('chatConvo.search.label')}
          </label>
          <div className="convo-search__row">
            <input
              id={inputId}
              type="search"
              className="input"
              value={text}
              maxLength={200}
              onChange={(e) => setText(e.target.value)}
              autoComplete="off"
              data-testid="convo-search-input"
            />
            <button type="submit" className="button button--secondary">
              {t('chatConvo.search.submit')}
            </button>
          </div>
        </form>
        {result.isFetching && <Loading label={t('chatConvo.search.loading')} />}
        {result.isError && <ErrorAlert error={result.error} title={t('chatConvo.search.failed')} />}
        {data && !result.isFetching && (
          <>
            <p role="status" className="muted small">
              {data.total === 0
                ? t('chatConvo.search.none', { query: data.query })
                : data.total > data.items.length
                  ? t('chatConvo.search.someOf', { count: data.items.length, total: data.total })
                  : t('chatConvo.search.found', { count: data.total })}
            </p>
            <ol className="convo-search__hits" aria-label={t('chatConvo.search.hits')}>
              {data.items.map((hit) => (
                <li key={hit.seq}>
                  <Link
                    to={`/chat/${encodeURIComponent(channelId)}?m=${hit.seq}`}
                    className="convo-search__hit"
                    onClick={() => setOpen(false)}
                    data-testid="convo-search-hit"
                  >
                    <span className="convo-search__meta">
                      <span className="convo-search__author">{hit.byName}</span>{' '}
                      <time dateTime={hit.at}>
                        {dayLabel(hit.at, t, i18n.language)} {timeLabel(hit.at, i18n.language)}
                      </time>
                    </span>
                    <span className="convo-search__snippet">
                      <Highlighted snippet={hit.snippet} />
                    </span>
                  </Link>
                </li>
              ))}
            </ol>
          </>
        )}
      </div>
    </div>
  );
}
