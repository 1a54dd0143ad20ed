import { useProblemText } from '../../lib/problemText';
import { ErrorSummary, type SummaryItem } from './ErrorSummary';

interface ProblemSummaryProps {
  /** The failed request's error; nothing is shown without one. */
  error: unknown;
  /** Lines linking to the fields in error (see summaryItems); none: the sentence alone. */
  items?: SummaryItem[];
  className?: string;
  testId?: string;
}

/**
 * A refused request as an ErrorSummary: one sentence in the reader's language
 * from the problem's code ("Niet alles is goed ingevuld."), with links to the
 * fields when given. It takes focus for each new error.
 */
export function ProblemSummary({ error, items, className, testId }: ProblemSummaryProps) {
  const say = useProblemText();
  if (!error) return null;
  return <ErrorSummary title={say.problem(error)} items={items} focusKey={error} className={className} testId={testId} />;
}
