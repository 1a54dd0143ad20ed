import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import { AlertIcon } from './Icons';

interface ErrorAlertProps {
  error: unknown;
  /** Heading shown when the server did not send a problem title. */
  title?: string;
  onRetry?: () => void;
}

/**
 * Accessible alert for a failed request. Shows the RFC 9457 problem
 * title/detail from the server when present, else a translated message.
 */
export function ErrorAlert({ error, title, onRetry }: ErrorAlertProps) {
  const { t } = useTranslation();

  let heading = title ?? t('error.title');
  let message = t('error.unexpected');
  let fieldErrors: { field: string; message: string }[] = [];

  if (isApiError(error)) {
    if (error.isNetworkError) message = t('error.network');
    else if (error.status === 403) message = t('error.forbidden');
    else if (error.status === 404) message = t('error.notFound');
    else if (error.status >= 500) message = t('error.server');
    if (error.title) heading = error.title;
    if (error.detail) message = error.detail;
    else if (error.title) message = '';
    fieldErrors = error.errors;
  }

  return (
    <div className="alert alert--error" role="alert">
      <AlertIcon className="alert__icon" />
      <div className="alert__body">
        <p className="alert__title">{heading}</p>
        {message && <p>{message}</p>}
        {fieldErrors.length > 0 && (
          <>
            <p>{t('error.fieldErrors')}</p>
            <ul>
              {fieldErrors.map((fe) => (
                <li key={`${fe.field}:${fe.message}`}>
                  {fe.field ? `${fe.field}: ` : ''}
                  {fe.message}
                </li>
              ))}
            </ul>
          </>
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
