import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import { useProblemText } from '../lib/problemText';
import { AlertIcon } from './Icons';

interface ErrorAlertProps {
  error: unknown;
  /** Heading; defaults to a general "something went wrong". */
  title?: string;
  onRetry?: () => void;
}

/**
 * Accessible alert for a failed request. Says what went wrong from the
 * problem's code (and each field's code) in the reader's language; the
 * server's English title and detail are never shown.
 */
export function ErrorAlert({ error, title, onRetry }: ErrorAlertProps) {
  const { t } = useTranslation();
  const text = useProblemText();
  const fieldErrors = isApiError(error) ? error.errors : [];

  return (
    <div className="alert alert--error" role="alert">
      <AlertIcon className="alert__icon" />
      <div className="alert__body">
        <p className="alert__title">{title ?? t('error.title')}</p>
        <p>{text.problem(error)}</p>
        {fieldErrors.length > 0 && (
          <ul>
            {fieldErrors.map((fe, i) => (
              <li key={`${fe.field}:${fe.code ?? ''}:${i}`}>{text.fieldLine(fe)}</li>
            ))}
          </ul>
        )}
        {onRetry && (
          <button type="button" className="button button--secondary" onClick={onRetry}>
            {t('error.retry')}
          </button>
        )}
      </div>
    </div>
  );
}
