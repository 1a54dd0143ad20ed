import { useId } from 'react';
import { isApiError } from '../../api/client';
import type { ProblemFieldError } from '../../api/types';
import { useProblemText } from '../../lib/problemText';
import type { SummaryItem } from './ErrorSummary';

/** One field's error in the reader's language: the field's name in the form and the sentence. */
export interface FieldMessage {
  field: string;
  message: string;
  /** The message with the field's name ("Aantal: …"), for a summary line that links to no field. */
  line?: string;
}

/**
 * Whether a problem document's field path belongs to the form field `name`.
 * Indices are ignored, and a path matches by its first or its last part:
 * "audience.teams[2]" is the field "audience", "contact.email" the field
 * "email", "workingArea[2]" the field "workingArea".
 */
export function matchesField(path: string, name: string): boolean {
  const plain = path.replace(/\[\d+\]/g, '');
  return plain === name || plain.startsWith(`${name}.`) || plain.endsWith(`.${name}`);
}

/** The field errors of every failed request given (anything not an ApiError has none). */
export function fieldErrorsOf(...errors: unknown[]): ProblemFieldError[] {
  return errors.flatMap((e) => (isApiError(e) ? e.errors : []));
}

/** The server's first error for one form field, or undefined. */
export function fieldErrorOf(error: unknown, name: string): ProblemFieldError | undefined {
  return fieldErrorsOf(error).find((e) => matchesField(e.field, name));
}

export interface FieldErrors {
  /** Every error: the form's own checks first, then the server's, each as said to the reader. */
  list: FieldMessage[];
  /** The message for one form field (see matchesField), or undefined. */
  of: (name: string) => string | undefined;
}

interface Options {
  /** The form's own checks, already in the reader's language. */
  client?: FieldMessage[];
  /** Say the server's errors with the field's name ("Titel: Maximaal 200 tekens.") instead of the sentence alone. */
  withName?: boolean;
}

/**
 * A form's field errors: its own checks and the problem documents of the
 * requests it made (`error` may be one error or several, e.g. save and
 * submit), spoken through src/lib/problemText.ts from their codes.
 */
export function useFieldErrors(error: unknown, { client = [], withName = false }: Options = {}): FieldErrors {
  const say = useProblemText();
  const errors = Array.isArray(error) ? (error as unknown[]) : [error];
  const server = fieldErrorsOf(...errors).map((fe) => ({
    field: fe.field,
    message: withName ? say.fieldLine(fe) : say.field(fe),
    line: say.fieldLine(fe),
  }));
  const list = [...client, ...server];
  return { list, of: (name) => list.find((e) => matchesField(e.field, name))?.message };
}

/**
 * The lines of an ErrorSummary for a form's errors, in the order of `fields`
 * (the form's field names, top to bottom), each linking to its field's
 * control `idOf(name)`; an error for no field of the form comes last, unlinked
 * and with the field's name when known.
 */
export function summaryItems(list: FieldMessage[], fields: string[], idOf: (name: string) => string): SummaryItem[] {
  const place = (e: FieldMessage) => {
    const i = fields.findIndex((name) => matchesField(e.field, name));
    return i < 0 ? fields.length : i;
  };
  return list
    .map((e, i) => ({ e, i, at: place(e) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map(({ e, i, at }) => ({
      key: `${e.field}:${i}`,
      message: at < fields.length ? e.message : (e.line ?? e.message),
      target: at < fields.length ? idOf(fields[at]!) : undefined,
    }));
}

/** Ids for a form's controls by field name, unique on the page: `fid('title')`; for Field's id and a summary's links. */
export function useFieldIds(): (name: string) => string {
  const id = useId();
  return (name) => `${id}-${name}`;
}
