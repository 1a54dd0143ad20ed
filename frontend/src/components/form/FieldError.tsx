import './form.css';

/** A field's error, under the field; its id goes in the control's aria-describedby (Field does this). */
export function FieldError({ id, message, testId }: { id: string; message?: string; testId?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error" data-testid={testId}>
      {message}
    </p>
  );
}
