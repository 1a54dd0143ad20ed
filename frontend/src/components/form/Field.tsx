import { useId, type ReactNode } from 'react';
import { FieldError } from './FieldError';
import './form.css';

/** What Field hands its control: spread these on the input, select or textarea. */
export interface ControlProps {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

interface FieldProps {
  label: ReactNode;
  /** Under the label, before the control. */
  hint?: ReactNode;
  /** The field's error, in the reader's language (see useFieldErrors). */
  error?: string;
  /** The control's id; give one when an ErrorSummary links to the field. Default: a generated id. */
  id?: string;
  /** Mark the control invalid without an error text (e.g. a CharCount over its limit). */
  invalid?: boolean;
  /** More ids that describe the control, e.g. a CharCount's. */
  describedBy?: string;
  /** The wrapper's class; default "field". */
  className?: string;
  /** The field's name in the form; the error text's data-testid is then "error-<name>". */
  name?: string;
  /** data-testid of the error text (default from name). */
  errorTestId?: string;
  /** The control, given the id and ARIA wiring; anything after it (a CharCount) may follow. */
  children: (control: ControlProps) => ReactNode;
}

/** The ids a control is described by: its hint, its error, and any others; undefined when none. */
export function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  return ids.filter(Boolean).join(' ') || undefined;
}

/**
 * A labelled form field: label, hint, the control and its error, with the
 * control's aria-invalid and aria-describedby wired to the hint and the
 * error, as the NL Design System and GOV.UK form fields do.
 */
export function Field({ label, hint, error, id, invalid, describedBy: more, className = 'field', name, errorTestId = name && `error-${name}`, children }: FieldProps) {
  const generated = useId();
  const controlId = id ?? generated;
  const hintId = `${controlId}-hint`;
  const errorId = `${controlId}-error`;
  return (
    <div className={className}>
      <label className="field-label" htmlFor={controlId}>
        {label}
      </label>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {children({
        id: controlId,
        'aria-invalid': error || invalid ? true : undefined,
        'aria-describedby': describedBy(hint ? hintId : undefined, error ? errorId : undefined, more),
      })}
      <FieldError id={errorId} message={error} testId={errorTestId} />
    </div>
  );
}
