import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SearchField } from '../../components/SearchField';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { isAppPath } from '../spaces/format';
import { useSearch, useSearchMore } from './api';
import { Highlighted } from './highlight';
import { SEARCH_TYPES, type SearchGroup, type SearchItem } from './types';
import { PageHeader } from '../../components/PageHeader';

/** /zoeken?q=…: results grouped by type with counts, highlighted snippets and "meer" per group. */
export function SearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const [value, setValue] = useState(q);
  const search = useSearch(q);
  useDocumentTitle(q ? t('spaces.search.documentTitleQuery', { q }) : t('spaces.search.title'));

  useEffect(() => setValue(q), [q]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = value.trim();
    if (next) setParams({ q: next });
  }

  const groups = search.data
    ? SEARCH_TYPES.map((type) => search.data.groups.find((g) => g.type === type)).filter((g): g is SearchGroup => !!g)
    : [];
  const total = groups.reduce((sum, g) => sum + g.total, 0);
  const correction = correctionOf(groups);

  return (
    <div className="stack sp-search-page" data-testid="search-page">
      <PageHeader title={q ? t('spaces.search.heading', { q }) : t('spaces.search.title')} />
      <form role="search" className="search-box" onSubmit={submit} aria-label={t('spaces.search.again')}>
        <SearchField
          label={t('spaces.search.label')}
          value={value}
          onValueChange={setValue}
          maxLength={200}
          enterKeyHint="search"
          after={
            <button type="submit" className="button button--primary">
              {t('spaces.search.submit')}
            </button>
          }
        />
      </form>

      {!q ? (
        <p className="muted">{t('spaces.search.empty')}</p>
      ) : search.isPending ? (
        <Loading label={t('spaces.search.loading')} />
      ) : search.isError ? (
        <ErrorAlert error={search.error} onRetry={() => void search.refetch()} />
      ) : (
        <div className="stack" data-testid="search-results" aria-busy={search.isFetching || undefined}>
          <p className="result-count" role="status" aria-live="polite" data-testid="search-total">
            {t('spaces.search.total', { count: total })}
          </p>
          {correction && (
            <p className="sp-search-corrected" data-testid="search-corrected">
              {correction.word ? t('spaces.search.corrected', { q, word: correction.word }) : t('spaces.search.correctedNoWord', { q })}
            </p>
          )}
          {groups.length > 0 && (
            <nav aria-label={t('spaces.search.groupsNav')} className="sp-search-jump">
              <ul className="chips">
                {groups.map((g) => (
                  <li key={g.type}>
                    <a href={`#search-${g.type}`} className="chip sp-search-jump__link">
                      {t(`spaces.search.types.${g.type}`)} ({g.total})
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {groups.map((group) => (
            <ResultGroup key={`${q}-${group.type}`} q={q} group={group} />
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * When results were found only for words close to the ones typed (a typo),
 * the word to suggest: the first highlighted word in the first such result.
 * Nothing when any group found the words as typed.
 */
export function correctionOf(groups: SearchGroup[]): { word: string } | null {
  if (groups.some((g) => g.total > 0 && !g.corrected)) return null;
  const g = groups.find((x) => x.corrected && x.items.length > 0);
  if (!g) return null;
  for (const item of g.items) {
    const mark = item.snippet.marks[0];
    if (mark) return { word: item.snippet.text.slice(mark[0], mark[1]).toLocaleLowerCase('nl') };
  }
  return { word: '' };
}

function ResultGroup({ q, group }: { q: string; group: SearchGroup }) {
  const { t } = useTranslation();
  const [more, setMore] = useState(false);
  const extra = useSearchMore(q, group.type, group.items.length, more);
  const extraItems = (extra.data?.pages ?? []).flatMap((p) => p.groups.find((g) => g.type === group.type)?.items ?? []);
  const seen = new Set(group.items.map((i) => i.id));
  const items = [...group.items];
  for (const item of extraItems) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    items.push(item);
  }
  const canLoadMore = more ? extra.hasNextPage : group.total > group.items.length;
  const headingId = `search-${group.type}`;
  const label = t(`spaces.search.types.${group.type}`);

  return (
    <section className="sp-search-group" aria-labelledby={headingId} data-testid="search-group" data-type={group.type} data-total={group.total}>
      <h2 id={headingId} className="sp-search-group__title">
        {label} <span className="region__count">({group.total})</span>
      </h2>
      {items.length === 0 ? (
        <p className="muted">{t('spaces.search.noneInGroup')}</p>
      ) : (
        <ol className="sp-search-results">
          {items.map((item) => (
            <Result key={item.id} item={item} />
          ))}
        </ol>
      )}
      {extra.isError && <ErrorAlert error={extra.error} onRetry={() => void extra.refetch()} />}
      {canLoadMore && (
        <div>
          <button
            type="button"
            className="button button--secondary sp-button--small"
            data-testid="search-more"
            aria-disabled={extra.isFetching || undefined}
            onClick={() => {
              if (extra.isFetching) return;
              if (!more) setMore(true);
              else void extra.fetchNextPage();
            }}
          >
            {extra.isFetching ? t('spaces.common.loading') : t('spaces.search.more', { type: label.toLocaleLowerCase() })}
          </button>
        </div>
      )}
    </section>
  );
}

function Result({ item }: { item: SearchItem }) {
  return (
    <li className="sp-search-result" data-testid="search-item">
      <h3 className="sp-search-result__title">
        {isAppPath(item.link) ? <Link to={item.link}>{item.title}</Link> : <span>{item.title}</span>}
      </h3>
      {item.snippet?.text && (
        <p className="sp-search-result__snippet">
          <Highlighted snippet={item.snippet} />
        </p>
      )}
      {item.meta && <p className="sp-search-result__meta">{item.meta}</p>}
    </li>
  );
}
