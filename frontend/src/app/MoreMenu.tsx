import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, matchPath, useLocation } from 'react-router';
import { canAdminister, ADMIN_PATH } from '../features/admin/access';
import type { SessionUser } from '../api/types';
import { useDisclosure } from '../lib/useDisclosure';
import { MoreIcon } from '../components/Icons';

interface MoreLink {
  to: string;
  label: string;
  testId: string;
  /** Only in the menu on phones (on wider screens the item is in the bar itself). */
  narrowOnly?: boolean;
}

/**
 * "Meer" in the main navigation: a disclosure with the less frequent places
 * (on phones also the dashboard), so the bottom bar keeps five roomy items
 * and the desktop header one row. Coaches and auditors reach learning and
 * audits from their home page too.
 * Closes on Escape (focus back to the button), on a click outside and on
 * navigation.
 * The user comes from the shell (as the user menu's does): on logout the
 * session's cache is cleared before the page leaves, and the shell renders
 * once more without a session.
 */
export function MoreMenu({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const { open, setOpen, button, box } = useDisclosure<HTMLLIElement>();
  const id = useId();
  const location = useLocation();

  const links: MoreLink[] = [
    { to: '/dashboard', label: t('nav.dashboard'), testId: 'nav-more-dashboard', narrowOnly: true },
    { to: '/leren', label: t('learning.nav'), testId: 'nav-learning' },
    { to: '/audits', label: t('audits.nav'), testId: 'nav-audits' },
    { to: '/ruimtes', label: t('nav.spaces'), testId: 'nav-spaces' },
    { to: '/mededelingen', label: t('nav.announcements'), testId: 'nav-announcements' },
    { to: '/teams', label: t('nav.allTeams'), testId: 'nav-all-teams' },
    // Beheer only for those the server lets change the organisation.
    ...(canAdminister(user) ? [{ to: ADMIN_PATH, label: t('admin.nav'), testId: 'nav-admin' }] : []),
  ];
  const here = links.some((l) => !l.narrowOnly && matchPath({ path: l.to, end: l.to === '/teams' }, location.pathname));


  return (
    <li ref={box} className="main-nav__more">
      <button
        ref={button}
        type="button"
        className={here ? 'main-nav__link main-nav__more-button is-here' : 'main-nav__link main-nav__more-button'}
        aria-expanded={open}
        aria-controls={`${id}-list`}
        data-testid="nav-more"
        onClick={() => setOpen((v) => !v)}
      >
        <MoreIcon className="main-nav__icon" />
        <span>{t('nav.more')}</span>
      </button>
      <ul id={`${id}-list`} className="main-nav__more-list" hidden={!open} aria-label={t('nav.moreLabel')}>
        {links.map((link) => (
          <li key={link.to} className={link.narrowOnly ? 'main-nav__more-item main-nav__more-item--narrow' : 'main-nav__more-item'}>
            <NavLink to={link.to} end={link.to === '/teams'} className="main-nav__more-link" data-testid={link.testId}>
              {link.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </li>
  );
}
