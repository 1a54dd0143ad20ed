import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { initials } from '../../lib/text';
import { usePeopleSearch } from './api';
import type { Person } from './types';

interface PeoplePickerProps {
  label: string;
  /** People that cannot be picked (yourself, already chosen, already a member). */
  excludeIds: ReadonlySet<string>;
  onPick: (person: Person) => void;
  pickLabel: (person: Person) => string;
  autoFocus?: boolean;
}

/** Search box (min. 2 characters) with a list of people to pick from. */
export function PeoplePicker({ label, excludeIds, onPick, pickLabel, autoFocus }: PeoplePickerProps) {
  const { t } = useTranslation();
  const [input, setInput] = useState('');
  const [query, setQuery] = useState('');
  const inputId = useId();
  const hintId = useId();

  useEffect(() => {
    const timer = setTimeout(() => setQuery(input), 250);
    return () => clearTimeout(timer);
  }, [input]);

  const people = usePeopleSearch(query);
  const results = (people.data ?? []).filter((p) => !excludeIds.has(p.id));
  const tooShort = query.trim().length < 2;

  return (
    <div className="people-picker">
      <label htmlFor={inputId} className="field-label">
        {label}
      </label>
      <input
        id={inputId}
        type="search"
        className="input"
        value={input}
        autoComplete="off"
        spellCheck={false}
        autoFocus={autoFocus}
        aria-describedby={hintId}
        onChange={(event) => setInput(event.target.value)}
      />
      <p id={hintId} className="field-hint">
        {t('chat.people.hint')}
      </p>
      {people.isError && <ErrorAlert error={people.error} />}
      <p className="visually-hidden" role="status" aria-live="polite">
        {tooShort || people.isFetching ? '' : t('chat.people.results', { count: results.length })}
      </p>
      {!tooShort && !people.isPending && results.length === 0 && !people.isError && (
        <p className="muted">{t('chat.people.none', { query: query.trim() })}</p>
      )}
      {!tooShort && results.length > 0 && (
        <ul className="people-picker__list">
          {results.map((person) => (
            <li key={person.id} className="people-picker__item">
              <span className="avatar" aria-hidden="true">
                {initials(person.name)}
              </span>
              <span className="people-picker__who">
                <span className="people-picker__name">{person.name}</span>
                {person.teams.length > 0 && <span className="people-picker__teams">{person.teams.join(', ')}</span>}
              </span>
              <button type="button" className="button button--secondary" onClick={() => onPick(person)}>
                <span aria-hidden="true">+</span>
                <span className="visually-hidden">{pickLabel(person)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
