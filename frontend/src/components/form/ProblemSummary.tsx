import { useTranslation } from 'react-i18next';
import { useProblemText } from '../../lib/problemText';
import { ErrorSummary, type SummaryItem } from './ErrorSummary';
import { summaryItems, type FieldErrors } from './fieldErrors';

interface ProblemSummaryProps {
  /** The failed request's error (or several, e.g. save and submit; the first set one is said). */
  error: unknown;
  /**
   * The form's errors (useFieldErrors): its own checks and the server's. With
   * `fields` and `idOf` they become lines linking to the fields, and the
   * summary shows for the form's own checks too, before any request.
   */
  errors?: FieldErrors;
  /** The form's field names, top to bottom (the order of the lines). */
  fields?: string[];
  /** The id of a field's control (see useFieldIds). */
  idOf?: (name: string) => string;
  /** Lines given by hand instead (see summaryItems). */
  items?: SummaryItem[];
  /** What failed ("Opslaan is niet gelukt"): then the title, with the refusal's sentence under it. */
  title?: string;
  /** Take focus again when this changes too (e.g. a count of submit attempts). */
  focusKey?: unknown;
  className?: string;
  testId?: string;
}

/**
 * What is wrong with a form, at its top, above the fields: one sentence in
 * the reader's language from the refusal's code ("Niet alles is goed
 * ingevuld."), or for the form's own checks, with a link to each field in
 * error. It takes focus for each new error (and each new focusKey).
 */
export function ProblemSummary({ error, errors, fields = [], idOf = (name) => name, items, title, focusKey, className, testId }: ProblemSummaryProps) {
  const { t } = useTranslation();
  const say = useProblemText();
  const first = Array.isArray(error) ? (error as unknown[]).find(Boolean) : error;
  const list = errors?.list ?? [];
  if (!first && list.length === 0) return null;
  const sentence = first ? say.problem(first) : t('problem.validation');
  return (
    <ErrorSummary
      title={title ?? sentence}
      items={items ?? summaryItems(list, fields, idOf)}
      focusKey={[first, focusKey]}
      className={className}
      testId={testId}
    >
      {title && <p className="error-summary__text">{sentence}</p>}
    </ErrorSummary>
  );
}
