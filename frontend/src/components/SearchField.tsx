import { type InputHTMLAttributes, type ReactNode, useId } from 'react';
import { SearchIcon } from './Icons';

type InputExtras = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type' | 'value' | 'onChange' | 'aria-describedby'>;

interface SearchFieldProps extends InputExtras {
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  /** A hint under the field, tied to it with aria-describedby. */
  hint?: string;
  /** A quiet "clear" button after the input, shown while showClear holds (by default: while there is text). */
  clear?: { label: string; onClear: () => void; show?: boolean };
  /** Anything else after the input, inside the control (a submit button). */
  after?: ReactNode;
}

/**
 * The inside of a `.search-box`: label, the input with the search icon, an
 * optional clear or submit button and an optional hint. The caller wraps it
 * in the element the page needs (a `role="search"` form or div).
 */
export function SearchField({ label, value, onValueChange, hint, clear, after, className, ...input }: SearchFieldProps) {
  const inputId = useId();
  const hintId = useId();
  const showClear = clear && (clear.show ?? value !== '');
  return (
    <>
      <label htmlFor={inputId} className="field-label">
        {label}
      </label>
      <div className="search-box__control">
        <SearchIcon className="search-box__icon" />
        <input
          id={inputId}
          type="search"
          className={className ? `input search-box__input ${className}` : 'input search-box__input'}
          value={value}
          onChange={(e) => onValueChange(e.target.value)}
          aria-describedby={hint ? hintId : undefined}
          {...input}
        />
        {showClear && (
          <button type="button" className="button button--quiet search-box__clear" onClick={clear.onClear}>
            {clear.label}
          </button>
        )}
        {after}
      </div>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
    </>
  );
}
