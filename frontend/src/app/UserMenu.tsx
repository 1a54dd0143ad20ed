import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SessionUser } from '../api/types';
import { MY_DATA_PATH } from '../features/privacy/access';
import { initials } from '../lib/text';
import { useDisclosure } from '../lib/useDisclosure';

interface UserMenuProps {
  user: SessionUser;
  /** Logs out; the shell owns the mutation so it can show a failure under the header. */
  onLogout: () => void;
  loggingOut: boolean;
}

/**
 * The account in the header: a compact initials button (44×44) whose
 * accessible name is the person's full name, opening a menu with the name,
 * "Mijn gegevens" and "Uitloggen". A disclosure like "Meer": aria-expanded
 * and aria-controls on the button; closes on Escape (focus back to the
 * button), on a click outside and on navigation.
 */
export function UserMenu({ user, onLogout, loggingOut }: UserMenuProps) {
  const { t } = useTranslation();
  const { open, setOpen, button, box } = useDisclosure<HTMLDivElement>();
  const id = useId();


  return (
    <div ref={box} className="user-menu">
      <button
        ref={button}
        type="button"
        className="user-menu__button"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        data-testid="user-menu-button"
        title={user.name}
        onClick={() => setOpen((v) => !v)}
      >
        <span className="avatar" aria-hidden="true">
          {initials(user.name)}
        </span>
        {/* The full name is the button's accessible name (and what the e2e suites wait for). */}
        <span className="visually-hidden" data-testid="user-name">
          {user.name}
        </span>
        <span className="visually-hidden">, {t('shell.userMenu')}</span>
      </button>
      <div id={`${id}-panel`} className="user-menu__panel" hidden={!open} role="group" aria-label={t('shell.userMenu')}>
        <p className="user-menu__who">
          <span className="user-menu__who-label">{t('shell.signedInAsLabel')}</span>
          <span className="user-menu__name">{user.name}</span>
        </p>
        <ul className="user-menu__list">
          <li>
            <Link to={MY_DATA_PATH} className="user-menu__link" data-testid="nav-mydata">
              {t('privacy.nav')}
            </Link>
          </li>
          <li>
            <button
              type="button"
              className="user-menu__link user-menu__logout"
              data-testid="logout-button"
              onClick={() => {
                if (!loggingOut) onLogout();
              }}
              aria-disabled={loggingOut || undefined}
            >
              {loggingOut ? t('shell.loggingOut') : t('shell.logout')}
            </button>
          </li>
        </ul>
      </div>
    </div>
  );
}
