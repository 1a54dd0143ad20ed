// Shared form pieces: one way to label a field, show its error and sum up a refused form.
export { ErrorSummary, type SummaryItem } from './ErrorSummary';
export { ProblemSummary } from './ProblemSummary';
export { Field, describedBy, type ControlProps } from './Field';
export { FieldError } from './FieldError';
export { fieldErrorOf, fieldErrorsOf, matchesField, summaryItems, useFieldErrors, useFieldIds, type FieldErrors, type FieldMessage } from './fieldErrors';
