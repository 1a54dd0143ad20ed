import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { describedBy, FieldError } from '../../components/form';
import { initials } from '../../lib/text';
import { usePeopleSearch } from '../chat/api';

export interface ChosenPerson {
  id: string;
  /** Unknown when the id came from the URL and no entry named the person yet. */
  name?: string;
}

interface PersonFilterProps {
  value: ChosenPerson | null;
  onChange: (person: ChosenPerson | null) => void;
  /** The name to show for the chosen id when `value.name` is unknown. */
  nameOf: (id: string) => string;
  /** A field error from the server (field "user"). */
  error?: string;
  /** The search box's id (an error summary links to it). */
  inputId?: string;
}

/**
 * "Medewerker" filter: one person or everyone. Uses the people search the
 * chat uses (at least 2 letters, at most 20 results), never a list of all
 * users: there are thousands.
 */
export function PersonFilter({ value, onChange, nameOf, error, inputId: givenId }: PersonFilterProps) {
  const { t } = useTranslation();
  const [input, setInput] = useState('');
  const [query, setQuery] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const clearRef = useRef<HTMLButtonElement>(null);
  const focusAfter = useRef<'input' | 'clear' | null>(null);
  const id = useId();
  const inputId = givenId ?? `${id}-input`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;

  useEffect(() => {
    const timer = setTimeout(() => setQuery(input), 250);
    return () => clearTimeout(timer);
  }, [input]);

  // Picking or clearing removes the control that had focus: move it on.
  useEffect(() => {
    if (focusAfter.current === 'clear') clearRef.current?.focus();
    if (focusAfter.current === 'input') inputRef.current?.focus();
    focusAfter.current = null;
  }, [value]);

  const people = usePeopleSearch(value ? '' : query);
  const tooShort = query.trim().length < 2;
  const results = people.data ?? [];

  if (value) {
    const name = value.name || nameOf(value.id);
    return (
      <div className="al-field al-person" data-testid="al-person">
        <p className="field-label" id={`${id}-label`}>
          {t('accesslog.who.label')}
        </p>
        <div className="al-person__chosen" role="group" aria-labelledby={`${id}-label`}>
          <span className="avatar" aria-hidden="true">
            {initials(name)}
          </span>
          <span className="al-person__name" data-testid="al-person-chosen">
            {name}
          </span>
          <button
            ref={clearRef}
            type="button"
            className="button button--quiet al-person__clear"
            aria-label={t('accesslog.who.clearLabel', { name })}
            aria-describedby={error ? errorId : undefined}
            onClick={() => {
              focusAfter.current = 'input';
              setInput('');
              setQuery('');
              onChange(null);
            }}
          >
            {t('accesslog.who.clear')}
          </button>
        </div>
        <FieldError id={errorId} message={error} testId="al-error-user" />
      </div>
    );
  }

  return (
    <div className="al-field al-person" data-testid="al-person">
      <label htmlFor={inputId} className="field-label">
        {t('accesslog.who.search')}
      </label>
      <input
        ref={inputRef}
        id={inputId}
        type="search"
        className="input"
        value={input}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={describedBy(hintId, error && errorId)}
        aria-invalid={error ? true : undefined}
        data-testid="al-person-search"
        onChange={(event) => setInput(event.target.value)}
        onKeyDown={(event) => {
          // Enter in the search box would submit the filters with nobody chosen.
          if (event.key === 'Enter' && input.trim()) event.preventDefault();
        }}
      />
      <p id={hintId} className="field-hint">
        {t('accesslog.who.hint')}
      </p>
      <FieldError id={errorId} message={error} testId="al-error-user" />
      {people.isError && <ErrorAlert error={people.error} />}
      <p className="visually-hidden" role="status" aria-live="polite">
        {tooShort || people.isFetching ? '' : t('accesslog.who.results', { count: results.length })}
      </p>
      {!tooShort && !people.isPending && results.length === 0 && !people.isError && (
        <p className="muted">{t('accesslog.who.none', { query: query.trim() })}</p>
      )}
      {!tooShort && results.length > 0 && (
        <ul className="al-person__list" data-testid="al-person-results">
          {results.map((person) => (
            <li key={person.id}>
              <button
                type="button"
                className="al-person__option"
                aria-label={t('accesslog.who.pick', { name: person.name })}
                onClick={() => {
                  focusAfter.current = 'clear';
                  onChange({ id: person.id, name: person.name });
                }}
              >
                <span className="avatar" aria-hidden="true">
                  {initials(person.name)}
                </span>
                <span className="al-person__who">
                  <span className="al-person__name">{person.name}</span>
                  {person.teams.length > 0 && <span className="al-person__teams">{person.teams.join(', ')}</span>}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
