import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { ErrorSummary } from './ErrorSummary';
import { ProblemSummary } from './ProblemSummary';
import { Field } from './Field';
import { fieldErrorOf, matchesField, summaryItems, useFieldErrors } from './fieldErrors';

describe('Field', () => {
  it('labels its control and leaves it valid without an error', () => {
    render(<Field label="Naam">{(c) => <input {...c} />}</Field>);
    const input = screen.getByLabelText('Naam');
    expect(input).not.toHaveAttribute('aria-invalid');
    expect(input).not.toHaveAttribute('aria-describedby');
  });

  it('describes the control by its hint, its error and any other ids, and marks it invalid', () => {
    render(
      <>
        <Field label="Naam" hint="Zoals je team je kent." error="Vul dit in." describedBy="count" errorTestId="error-name">
          {(c) => <input {...c} />}
        </Field>
        <p id="count">12 tekens over</p>
      </>,
    );
    const input = screen.getByLabelText('Naam');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription('Zoals je team je kent. Vul dit in. 12 tekens over');
    expect(screen.getByTestId('error-name')).toHaveTextContent('Vul dit in.');
  });

  it('uses the id it is given and can be invalid without an error text', () => {
    render(
      <Field label="Tekst" id="body" invalid>
        {(c) => <textarea {...c} />}
      </Field>,
    );
    const box = screen.getByLabelText('Tekst');
    expect(box).toHaveAttribute('id', 'body');
    expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(box).not.toHaveAttribute('aria-describedby');
  });
});

describe('ErrorSummary', () => {
  it('takes focus when it appears and links each error to its field', () => {
    render(
      <>
        <ErrorSummary
          title="Er zijn 2 fouten"
          items={[{ message: 'Vul een titel in.', target: 'title' }, { message: 'Iets anders is mis.' }]}
          testId="summary"
        />
        <label htmlFor="title">Titel</label>
        <input id="title" />
      </>,
    );
    const summary = screen.getByTestId('summary');
    expect(summary).toHaveAttribute('role', 'alert');
    expect(summary).toHaveFocus();
    const link = screen.getByRole('link', { name: 'Vul een titel in.' });
    expect(link).toHaveAttribute('href', '#title');
    expect(screen.getByText('Iets anders is mis.').tagName).toBe('LI');

    const before = window.location.href;
    fireEvent.click(link);
    expect(screen.getByLabelText('Titel')).toHaveFocus();
    expect(window.location.href).toBe(before);
  });

  it('takes focus again when its focusKey changes', () => {
    function Form() {
      const [tries, setTries] = useState(1);
      return (
        <>
          <ErrorSummary title="Fout" focusKey={tries} testId="summary" />
          <button type="button" onClick={() => setTries((n) => n + 1)}>
            Opslaan
          </button>
        </>
      );
    }
    render(<Form />);
    const button = screen.getByRole('button', { name: 'Opslaan' });
    button.focus();
    expect(button).toHaveFocus();
    fireEvent.click(button);
    expect(screen.getByTestId('summary')).toHaveFocus();
  });
});

describe('field errors of a problem document', () => {
  const refusal = new ApiError(422, {
    code: 'validation',
    errors: [
      { field: 'contact.email', code: 'invalid', message: 'invalid e-mail' },
      { field: 'audience.teams[2]', code: 'unknown', message: 'unknown team' },
      { field: 'title', code: 'too_long', message: 'at most 200', params: { max: 200 } },
    ],
  });

  it('matches a path by its first or last part, ignoring indices', () => {
    expect(matchesField('contact.email', 'email')).toBe(true);
    expect(matchesField('audience.teams[2]', 'audience')).toBe(true);
    expect(matchesField('workingArea[2]', 'workingArea')).toBe(true);
    expect(matchesField('titles', 'title')).toBe(false);
    expect(fieldErrorOf(refusal, 'email')?.code).toBe('invalid');
    expect(fieldErrorOf(new Error('x'), 'email')).toBeUndefined();
  });

  it('says the errors in Dutch from their codes, the form’s own checks first', () => {
    let seen: ReturnType<typeof useFieldErrors> | undefined;
    function Probe({ withName }: { withName?: boolean }) {
      seen = useFieldErrors([refusal, null], { client: [{ field: 'owner', message: 'Kies een eigenaar.' }], withName });
      return null;
    }
    render(<Probe />);
    expect(seen!.list.map((e) => e.field)).toEqual(['owner', 'contact.email', 'audience.teams[2]', 'title']);
    expect(seen!.of('owner')).toBe('Kies een eigenaar.');
    expect(seen!.of('title')).toBe('Maximaal 200 tekens.');
    expect(seen!.of('body')).toBeUndefined();
    render(<Probe withName />);
    expect(seen!.of('title')).toBe('Titel: Maximaal 200 tekens.');
    expect(seen!.list.map((e) => e.message).join(' ')).not.toMatch(/invalid|unknown|at most/);
  });
});

describe('summaryItems and ProblemSummary', () => {
  it('orders the lines as the form’s fields and links the known ones', () => {
    const items = summaryItems(
      [
        { field: 'wibble', message: 'C' },
        { field: 'owner', message: 'B' },
        { field: 'audience.teams[0]', message: 'A' },
      ],
      ['title', 'audience', 'owner'],
      (name) => `f-${name}`,
    );
    expect(items.map((i) => [i.message, i.target])).toEqual([
      ['A', 'f-audience'],
      ['B', 'f-owner'],
      ['C', undefined],
    ]);
  });

  it('says a refused request in Dutch, takes focus, and shows nothing without an error', () => {
    const { rerender } = render(<ProblemSummary error={null} testId="problem" />);
    expect(screen.queryByTestId('problem')).toBeNull();
    rerender(<ProblemSummary error={new ApiError(422, { code: 'validation', title: 'Invalid input', errors: [] })} testId="problem" />);
    const summary = screen.getByTestId('problem');
    expect(summary).toHaveTextContent('Niet alles is goed ingevuld.');
    expect(summary).not.toHaveTextContent('Invalid input');
    expect(summary).toHaveFocus();
  });
});
