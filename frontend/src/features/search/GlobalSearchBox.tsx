import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { SearchIcon } from '../../components/Icons';

export const SEARCH_PATH = '/zoeken';

export function searchPageUrl(q: string): string {
  return `${SEARCH_PATH}?q=${encodeURIComponent(q)}`;
}

/**
 * Header search: a field on wide screens; on phones a search button that
 * opens the field. Enter goes to /zoeken?q=….
 */
export function GlobalSearchBox() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const onSearchPage = location.pathname === SEARCH_PATH;
  const urlQuery = onSearchPage ? (params.get('q') ?? '') : '';
  const [value, setValue] = useState(urlQuery);
  const [open, setOpen] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const formId = useId();
  const inputId = useId();

  // Follow the URL (back/forward, a search started elsewhere).
  useEffect(() => {
    setValue(urlQuery);
  }, [urlQuery]);

  useEffect(() => {
    if (open) inputRef.current?.focus();
  }, [open]);

  function close() {
    setOpen(false);
    toggleRef.current?.focus();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const q = value.trim();
    if (!q) {
      inputRef.current?.focus();
      return;
    }
    navigate(searchPageUrl(q));
    setOpen(false);
    inputRef.current?.blur();
  }

  return (
    <div className={open ? 'sp-gsearch sp-gsearch--open' : 'sp-gsearch'} data-testid="global-search">
      <button
        ref={toggleRef}
        type="button"
        className="sp-gsearch__toggle"
        aria-expanded={open}
        aria-controls={formId}
        data-testid="global-search-toggle"
        onClick={() => setOpen((v) => !v)}
      >
        <SearchIcon className="sp-gsearch__toggle-icon" />
        <span className="visually-hidden">{t('spaces.search.open')}</span>
      </button>
      <form id={formId} role="search" className="sp-gsearch__form" aria-label={t('spaces.search.label')} onSubmit={submit}>
        <label htmlFor={inputId} className="visually-hidden">
          {t('spaces.search.label')}
        </label>
        <SearchIcon className="sp-gsearch__icon" />
        <input
          ref={inputRef}
          id={inputId}
          type="search"
          className="input sp-gsearch__input"
          value={value}
          placeholder={t('spaces.search.placeholder')}
          enterKeyHint="search"
          autoComplete="off"
          maxLength={200}
          data-testid="global-search-input"
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && open) close();
          }}
        />
        <button type="button" className="button button--quiet sp-gsearch__close" onClick={close}>
          {t('spaces.search.close')}
        </button>
      </form>
    </div>
  );
}
