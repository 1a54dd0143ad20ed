import { useTranslation } from 'react-i18next';
import { AppShell } from './AppShell';
import { ErrorAlert } from '../components/ErrorAlert';
import { FullPageLoading } from '../components/Loading';
import { isApiError } from '../api/client';
import { useSession } from '../features/session/api';
import { LoginScreen } from '../features/session/LoginScreen';

/**
 * Root route element: loads the session and shows the login screen (401),
 * an error, or the authenticated app shell with the routed page inside.
 */
export function SessionGate() {
  const { t } = useTranslation();
  const session = useSession();

  if (session.isPending) {
    return <FullPageLoading label={t('status.loadingSession')} />;
  }

  if (session.isError) {
    if (isApiError(session.error) && session.error.isUnauthorized) {
      return <LoginScreen />;
    }
    return (
      <main id="main" className="page page--centered" tabIndex={-1}>
        <h1 className="visually-hidden">{t('app.name')}</h1>
        <ErrorAlert error={session.error} onRetry={() => void session.refetch()} />
      </main>
    );
  }

  return <AppShell user={session.data.user} />;
}
