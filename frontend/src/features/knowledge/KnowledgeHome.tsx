import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SearchField } from '../../components/SearchField';
import { Loading } from '../../components/Loading';
import { SavedCopyNote } from '../../components/OfflineStatus';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useArticleChoices, useArticleList, useKnowledgeMeta, useKnowledgeSearch, usePendingConfirmations } from './api';
import { categoryLabel, formatDate, typeLabel } from './format';
import { KnowledgeNav } from './KnowledgeNav';
import { SnippetText } from './Snippet';
import { CATEGORIES, type ArticleSummary, type Category, type SearchHit } from './types';
import { QueryView } from '../../components/QueryView';
import { PageHeader } from '../../components/PageHeader';

/** The "Voor wie" choices a reader makes on this page (API values). */
export type AudienceChoice = 'everyone' | 'mine';

/** ?voor= in the URL (Dutch, like ?categorie=) ↔ the API's `audience`. */
const AUDIENCE_PARAMS: Record<AudienceChoice, string> = { everyone: 'iedereen', mine: 'mij' };
const AUDIENCE_CHOICES = Object.keys(AUDIENCE_PARAMS) as AudienceChoice[];

/** Unknown or missing values mean no audience filter. */
function audienceFromParam(value: string | null): AudienceChoice | '' {
  return AUDIENCE_CHOICES.find((a) => AUDIENCE_PARAMS[a] === value) ?? '';
}

/** Time between the last keystroke and the search request. */
export const SEARCH_DEBOUNCE_MS = 150;

/** Articles shown per category on the overview before "all N". */
const PER_CATEGORY = 3;

function isCategory(value: string | null): value is Category {
  return value !== null && (CATEGORIES as readonly string[]).includes(value);
}

/**
 * /kennisbank: search as you type, category and audience ("voor wie")
 * filters, what I still must confirm, and browsing by category. The search
 * state lives in the URL (?q=wond&categorie=wondzorg&voor=mij) so
 * back/forward and shared links work.
 */
export function KnowledgeHome() {
  const { t } = useTranslation();
  useDocumentTitle(t('knowledge.title'));
  const [params, setParams] = useSearchParams();
  const urlQuery = params.get('q') ?? '';
  const rawCategory = params.get('categorie');
  const category = isCategory(rawCategory) ? rawCategory : '';
  const audience = audienceFromParam(params.get('voor'));

  // What the user types shows at once; the URL (and so the request) follows
  // SEARCH_DEBOUNCE_MS after the last keystroke.
  const [text, setText] = useState(urlQuery);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const written = useRef(urlQuery);

  const writeQuery = (value: string) => {
    clearTimeout(timer.current);
    written.current = value.trim() ? value : '';
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value.trim()) next.set('q', value);
        else next.delete('q');
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  };

  // The URL changed by itself (back/forward, a link): follow it.
  useEffect(() => {
    if (urlQuery !== written.current) {
      clearTimeout(timer.current);
      written.current = urlQuery;
      setText(urlQuery);
    }
  }, [urlQuery]);

  useEffect(() => () => clearTimeout(timer.current), []);

  const onType = (value: string) => {
    setText(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => writeQuery(value), SEARCH_DEBOUNCE_MS);
  };

  const setCategory = (value: Category | '') => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set('categorie', value);
        else next.delete('categorie');
        return next;
      },
      { preventScrollReset: true },
    );
  };

  const setAudience = (value: AudienceChoice | '') => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set('voor', AUDIENCE_PARAMS[value]);
        else next.delete('voor');
        return next;
      },
      { preventScrollReset: true },
    );
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (text !== urlQuery) writeQuery(text);
  };

  const hasQuery = urlQuery.trim() !== '';

  return (
    <div className="stack kb kb-home">
      <PageHeader title={t('knowledge.title')} intro={t('knowledge.home.intro')} />
      <KnowledgeNav />
      <PendingBlock />

      <form className="kb-search" role="search" onSubmit={onSubmit}>
        <SearchField
          label={t('knowledge.search.label')}
          value={text}
          onValueChange={onType}
          hint={t('knowledge.search.hint')}
          clear={{
            label: t('knowledge.search.clear'),
            onClear: () => {
              setText('');
              writeQuery('');
            },
          }}
          className="kb-search__input"
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="search"
          maxLength={200}
          data-testid="kb-search-input"
        />
      </form>

      <div className="kb-filters">
        <CategoryChips selected={category} onSelect={setCategory} />
        <AudienceChips selected={audience} onSelect={setAudience} />
      </div>

      {hasQuery ? (
        <SearchResults query={urlQuery} category={category} audience={audience} />
      ) : (
        <Browse category={category} audience={audience} onSelect={setCategory} />
      )}
    </div>
  );
}

function PendingBlock() {
  const { t, i18n } = useTranslation();
  const pending = usePendingConfirmations();
  const items = pending.data ?? [];
  if (items.length === 0) return null;
  return (
    <section className="kb-pending" aria-labelledby="kb-pending-title" data-testid="kb-pending">
      <h2 id="kb-pending-title" className="kb-pending__title">
        {t('knowledge.pending.title')} <span className="kb-count">{items.length}</span>
      </h2>
      <p className="kb-pending__intro">{t('knowledge.pending.intro', { count: items.length })}</p>
      <SavedCopyNote path="/knowledge/confirmations/pending" dataUpdatedAt={pending.dataUpdatedAt} />
      <ul className="kb-pending__list">
        {items.map((a) => (
          <li key={a.id} data-testid="kb-pending-item">
            <Link to={`/kennisbank/${encodeURIComponent(a.id)}`} className="kb-pending__link">
              {a.title}
            </Link>{' '}
            <span className="kb-pending__meta">
              {t('knowledge.article.versionShort', { version: a.version })}
              {a.publishedAt ? ` · ${formatDate(a.publishedAt, i18n.language)}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function CategoryChips({ selected, onSelect }: { selected: Category | ''; onSelect: (c: Category | '') => void }) {
  const { t } = useTranslation();
  const meta = useKnowledgeMeta();
  const categories = meta.data?.categories ?? [];
  if (categories.length === 0) return null;
  return (
    <div className="kb-chips" role="group" aria-label={t('knowledge.search.categoryFilter')}>
      <button
        type="button"
        className="kb-chip"
        aria-pressed={selected === ''}
        onClick={() => onSelect('')}
        data-testid="kb-category-all"
      >
        {t('knowledge.search.allCategories')}
      </button>
      {categories.map((c) => (
        <button
          key={c.id}
          type="button"
          className="kb-chip"
          aria-pressed={selected === c.id}
          onClick={() => onSelect(selected === c.id ? '' : c.id)}
          data-testid="kb-category"
          data-category={c.id}
        >
          {categoryLabel(t, c.id)}{' '}
          <span className="kb-chip__count">
            <span aria-hidden="true">{c.count}</span>
            <span className="visually-hidden">({t('knowledge.search.articleCount', { count: c.count })})</span>
          </span>
        </button>
      ))}
    </div>
  );
}

/** "Voor wie": everything (default), articles for everyone, or aimed at my teams, regions or roles. */
function AudienceChips({ selected, onSelect }: { selected: AudienceChoice | ''; onSelect: (a: AudienceChoice | '') => void }) {
  const { t } = useTranslation();
  return (
    <div className="kb-chips kb-chips--audience" role="group" aria-label={t('knowledge.forWhom.filter')} data-testid="kb-audience-filter">
      {/* The group's name, shown; screen readers get it from aria-label. */}
      <span className="kb-chips__label" aria-hidden="true">
        {t('knowledge.forWhom.filter')}
      </span>
      <button
        type="button"
        className="kb-chip"
        aria-pressed={selected === ''}
        onClick={() => onSelect('')}
        data-testid="kb-audience-all"
      >
        {/* The hidden part tells it apart from the categories' "Alles". */}
        {t('knowledge.forWhom.all')} <span className="visually-hidden">{t('knowledge.forWhom.allHint')}</span>
      </button>
      {AUDIENCE_CHOICES.map((a) => (
        <button
          key={a}
          type="button"
          className="kb-chip"
          aria-pressed={selected === a}
          onClick={() => onSelect(selected === a ? '' : a)}
          data-testid="kb-audience"
          data-audience={a}
        >
          {t(`knowledge.forWhom.${a}`)}
        </button>
      ))}
    </div>
  );
}

/** The first highlighted word of a hit: what a corrected search found. */
function markedWord(hit: SearchHit | undefined): string {
  const mark = hit?.snippet.marks[0];
  return hit && mark ? hit.snippet.text.slice(mark[0], mark[1]).toLocaleLowerCase('nl') : '';
}

function SearchResults({ query, category, audience }: { query: string; category: Category | ''; audience: AudienceChoice | '' }) {
  const { t } = useTranslation();
  const search = useKnowledgeSearch(query, category, audience);
  const pages = search.data?.pages ?? [];
  const hits = pages.flatMap((p) => p.items);
  const total = pages[0]?.total ?? 0;
  const shownQuery = pages[0]?.query ?? query.trim();
  const correctedWord = pages[0]?.corrected ? markedWord(hits[0]) : '';
  const categoryName = category ? categoryLabel(t, category) : '';
  const audienceNote = audience ? t(`knowledge.forWhom.note.${audience}`) : '';

  let status = '';
  if (search.isPending) status = t('knowledge.search.searching');
  else if (search.isError) status = t('knowledge.search.failed');
  else if (total === 0) {
    const values = { query: shownQuery, category: categoryName, audience: audienceNote };
    if (categoryName && audienceNote) status = t('knowledge.search.noResultsInFor', values);
    else if (audienceNote) status = t('knowledge.search.noResultsFor', values);
    else if (categoryName) status = t('knowledge.search.noResultsIn', values);
    else status = t('knowledge.search.noResults', values);
  } else {
    const values = { count: total, query: shownQuery, category: categoryName, audience: audienceNote };
    if (categoryName && audienceNote) status = t('knowledge.search.resultsInFor', values);
    else if (audienceNote) status = t('knowledge.search.resultsFor', values);
    else if (categoryName) status = t('knowledge.search.resultsIn', values);
    else status = t('knowledge.search.results', values);
  }

  return (
    <section
      className="kb-results"
      aria-labelledby="kb-results-title"
      aria-busy={search.isFetching || undefined}
      data-testid="kb-search-results"
      data-query={shownQuery}
      data-audience={audience || undefined}
      data-ready={search.isPending || search.isPlaceholderData ? 'false' : 'true'}
    >
      <h2 id="kb-results-title" className="visually-hidden">
        {t('knowledge.search.resultsTitle')}
      </h2>
      <p className="kb-result-count" role="status" aria-live="polite" data-testid="kb-result-count">
        {status}
      </p>
      {correctedWord && (
        <p className="sp-search-corrected" data-testid="kb-search-corrected">
          {t('knowledge.search.corrected', { query: shownQuery, word: correctedWord })}
        </p>
      )}
      {search.isError && !search.isPlaceholderData && <ErrorAlert error={search.error} onRetry={() => void search.refetch()} />}
      {hits.length > 0 && (
        <ul className={search.isPlaceholderData ? 'kb-list kb-list--stale' : 'kb-list'}>
          {hits.map((hit) => (
            <ArticleCard key={hit.id} article={hit} />
          ))}
        </ul>
      )}
      {total === 0 && !search.isPending && !search.isError && (
        <p className="muted">{t(audience ? 'knowledge.search.noResultsHintFor' : 'knowledge.search.noResultsHint')}</p>
      )}
      {search.hasNextPage && (
        <button
          type="button"
          className="button button--secondary"
          onClick={() => void search.fetchNextPage()}
          aria-disabled={search.isFetchingNextPage || undefined}
        >
          {search.isFetchingNextPage ? t('knowledge.loading') : t('knowledge.search.more')}
        </button>
      )}
    </section>
  );
}

/** A result or list card. `data-pending` marks articles I still must confirm. */
export function ArticleCard({ article, headingLevel = 3 }: { article: ArticleSummary | SearchHit; headingLevel?: 3 | 4 }) {
  const { t, i18n } = useTranslation();
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const snippet = 'snippet' in article ? article.snippet : undefined;
  const pending = article.confirmation?.pending ?? false;
  return (
    <li
      className={pending ? 'kb-card kb-card--pending' : 'kb-card'}
      data-testid="kb-result"
      data-id={article.id}
      data-type={article.type}
      data-category={article.category}
      data-pending={pending ? 'true' : 'false'}
    >
      <Heading className="kb-card__title">
        <Link to={`/kennisbank/${encodeURIComponent(article.id)}`} className="kb-card__link">
          {article.title}
        </Link>
      </Heading>
      {snippet && snippet.text ? (
        <p className="kb-card__snippet" data-testid="kb-snippet">
          <SnippetText snippet={snippet} />
        </p>
      ) : (
        article.summary && <p className="kb-card__snippet">{article.summary}</p>
      )}
      <p className="kb-card__meta">
        <span>{categoryLabel(t, article.category)}</span>
        <span>{typeLabel(t, article.type)}</span>
        {article.version && <span>{t('knowledge.article.versionShort', { version: article.version })}</span>}
        {article.publishedAt && <span>{formatDate(article.publishedAt, i18n.language)}</span>}
      </p>
      {(pending || article.status !== 'published' || article.externalUrl) && (
        <p className="kb-card__badges">
          {pending && (
            <span className="badge kb-badge kb-badge--pending" data-testid="kb-pending-badge">
              {t('knowledge.confirm.needed')}
            </span>
          )}
          {article.status !== 'published' && <span className="badge kb-badge">{t(`knowledge.status.${article.status}`)}</span>}
          {article.externalUrl && <span className="badge kb-badge">{t('knowledge.article.external')}</span>}
        </p>
      )}
    </li>
  );
}

function Browse({
  category,
  audience,
  onSelect,
}: {
  category: Category | '';
  audience: AudienceChoice | '';
  onSelect: (c: Category | '') => void;
}) {
  if (audience) return <ArticleBrowseList category={category} audience={audience} />;
  return category ? <ArticleBrowseList category={category} audience="" /> : <CategoryOverview onSelect={onSelect} />;
}

/**
 * One category and/or one audience, newest first, paged. Without an audience
 * it is the plain category list; with one, the category is optional.
 */
function ArticleBrowseList({ category, audience }: { category: Category | ''; audience: AudienceChoice | '' }) {
  const { t } = useTranslation();
  const list = useArticleList(category, '', true, audience);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  const categoryName = category ? categoryLabel(t, category) : '';
  const title = !audience
    ? categoryName
    : categoryName
      ? t(`knowledge.forWhom.titleIn.${audience}`, { category: categoryName })
      : t(`knowledge.forWhom.${audience}`);
  const empty = audience ? t(`knowledge.forWhom.empty.${audience}`) : t('knowledge.browse.empty');
  return (
    <section
      className="kb-browse"
      aria-labelledby="kb-browse-title"
      aria-busy={list.isFetching || undefined}
      data-testid="kb-browse"
      data-category={category || undefined}
      data-audience={audience || undefined}
    >
      <h2 id="kb-browse-title">
        {title} <span className="kb-count">{t('knowledge.search.articleCount', { count: total })}</span>
      </h2>
      {audience && <p className="kb-browse__intro">{t(`knowledge.forWhom.intro.${audience}`)}</p>}
      <QueryView query={list} loading={t('knowledge.loading')} empty={empty} isEmpty={() => items.length === 0}>
        {() => (
          <ul className="kb-list">
            {items.map((a) => (
              <ArticleCard key={a.id} article={a} />
            ))}
          </ul>
        )}
      </QueryView>
      {list.hasNextPage && (
        <button type="button" className="button button--secondary" onClick={() => void list.fetchNextPage()}>
          {list.isFetchingNextPage ? t('knowledge.loading') : t('knowledge.search.more')}
        </button>
      )}
    </section>
  );
}

/** Without a query or filter: every category with its newest articles. */
function CategoryOverview({ onSelect }: { onSelect: (c: Category) => void }) {
  const { t } = useTranslation();
  const meta = useKnowledgeMeta();
  const newest = useArticleChoices(true);
  const groups = useMemo(() => {
    const byCategory = new Map<string, ArticleSummary[]>();
    for (const a of newest.data ?? []) byCategory.set(a.category, [...(byCategory.get(a.category) ?? []), a]);
    return (meta.data?.categories ?? [])
      .filter((c) => c.count > 0)
      .map((c) => ({ ...c, items: (byCategory.get(c.id) ?? []).slice(0, PER_CATEGORY) }));
  }, [meta.data, newest.data]);

  if (meta.isPending || newest.isPending) return <Loading label={t('knowledge.loading')} />;
  if (meta.isError || newest.isError)
    return (
      <ErrorAlert
        error={meta.error ?? newest.error}
        onRetry={() => {
          void meta.refetch();
          void newest.refetch();
        }}
      />
    );
  if (groups.length === 0)
    return (
      <div className="empty-state">
        <p className="empty-state__title">{t('knowledge.browse.emptyTitle')}</p>
        <p>{t('knowledge.browse.emptyBody')}</p>
      </div>
    );
  return (
    <div className="kb-overview">
      <h2 className="visually-hidden">{t('knowledge.browse.title')}</h2>
      {groups.map((g) => (
        <section key={g.id} className="kb-group" aria-labelledby={`kb-group-${g.id}`} data-testid="kb-group">
          <h3 id={`kb-group-${g.id}`} className="kb-group__title">
            {categoryLabel(t, g.id)} <span className="kb-count">{t('knowledge.search.articleCount', { count: g.count })}</span>
          </h3>
          <ul className="kb-list">
            {g.items.map((a) => (
              <ArticleCard key={a.id} article={a} headingLevel={4} />
            ))}
          </ul>
          {g.count > g.items.length && (
            <button type="button" className="kb-link-button arrow-link" onClick={() => onSelect(g.id)}>
              {t('knowledge.browse.all', { count: g.count, category: categoryLabel(t, g.id) })}
            </button>
          )}
        </section>
      ))}
    </div>
  );
}
