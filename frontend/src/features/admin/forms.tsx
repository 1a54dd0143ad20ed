import { useId, type ReactNode } from 'react';
import { isApiError } from '../../api/client';
import type { ProblemFieldError } from '../../api/types';
import { useProblemText } from '../../lib/problemText';

/** The server's error for one field of a failed request ("contact.email", "workingArea[2]" match "email", "workingArea"). */
export function fieldErrorOf(error: unknown, name: string): ProblemFieldError | undefined {
  if (!isApiError(error)) return undefined;
  return error.errors.find((e) => {
    const f = e.field.replace(/\[\d+\]$/, '');
    return f === name || f.endsWith(`.${name}`);
  });
}

/**
 * The refusal of a form as one sentence ("Niet alles is goed ingevuld."):
 * each field's own error is shown beside that field.
 */
export function FormProblem({ error }: { error: unknown }) {
  const say = useProblemText();
  if (!error) return null;
  return (
    <p className="alert alert--error adm-form-problem" role="alert">
      {say.problem(error)}
    </p>
  );
}

interface FieldProps {
  label: string;
  name: string;
  error: unknown;
  hint?: string;
  children: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}

/** A labelled form field with its hint and the server's error for it, in the reader's language. */
export function Field({ label, name, error, hint, children }: FieldProps) {
  const id = useId();
  const say = useProblemText();
  const fe = fieldErrorOf(error, name);
  const describedBy = [fe ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="adm-field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {children({ id, 'aria-invalid': fe ? true : undefined, 'aria-describedby': describedBy })}
      {fe && (
        <p id={`${id}-error`} className="adm-field-error" data-testid={`error-${name}`}>
          {say.field(fe)}
        </p>
      )}
    </div>
  );
}
