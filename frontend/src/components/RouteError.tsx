import { useTranslation } from 'react-i18next';
import { useRouteError } from 'react-router';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { ErrorAlert } from './ErrorAlert';

/** Last-resort error boundary for rendering errors inside a route. */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  useDocumentTitle(t('error.title'));
  return (
    <main id="main" className="page page--centered" tabIndex={-1}>
      <h1>{t('error.title')}</h1>
      <ErrorAlert error={error} onRetry={() => window.location.reload()} />
    </main>
  );
}
