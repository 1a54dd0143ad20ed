import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SessionUser } from '../../api/types';
import { ACCESS_LOG_PATH, isAdministrator } from './access';
import './accesslog.css';

/** A small "Beheer" block on the home page with the way to the access log; only for administrators. */
export function AccessLogHomeLink({ user }: { user: Pick<SessionUser, 'roles'> }) {
  const { t } = useTranslation();
  if (!isAdministrator(user)) return null;
  return (
    <section aria-labelledby="home-admin" className="stack stack--tight" data-testid="home-admin">
      <h2 id="home-admin">{t('accesslog.home.title')}</h2>
      <p>
        <Link to={ACCESS_LOG_PATH} className="arrow-link" data-testid="home-accesslog-link">
          {t('accesslog.home.link')}
        </Link>
        <span className="field-hint al-home-hint">{t('accesslog.home.hint')}</span>
      </p>
    </section>
  );
}
