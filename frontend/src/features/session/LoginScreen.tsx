import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { LanguageToggle } from '../../components/LanguageToggle';
import { PleinMark } from '../../components/Icons';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { startLogin } from './api';

/** Shown instead of the app when GET /api/v1/session answers 401. */
export function LoginScreen() {
  const { t } = useTranslation();
  const [redirecting, setRedirecting] = useState(false);
  const location = useLocation();
  useDocumentTitle(t('login.documentTitle'));

  function handleLogin() {
    setRedirecting(true);
    startLogin(location.pathname + location.search);
  }

  return (
    <div className="login-page">
      <header className="login-page__top">
        <LanguageToggle />
      </header>
      <main id="main" className="login-page__main" tabIndex={-1}>
        <div className="login-card">
          <PleinMark className="login-card__mark" />
          <p className="login-card__brand">{t('app.name')}</p>
          <h1 className="login-card__title">{t('login.title')}</h1>
          <p className="login-card__intro">{t('login.intro')}</p>
          <button
            type="button"
            className="button button--primary button--large"
            data-testid="login-button"
            onClick={handleLogin}
            aria-disabled={redirecting || undefined}
          >
            {t('login.button')}
          </button>
          <p className="login-card__hint" role="status" aria-live="polite">
            {redirecting ? t('login.redirecting') : t('login.hint')}
          </p>
        </div>
      </main>
    </div>
  );
}
