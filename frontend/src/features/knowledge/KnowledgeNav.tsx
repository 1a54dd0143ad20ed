import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useCurrentUser } from '../session/api';
import { useKnowledgeMeta } from './api';
import { REPORT_ROLES, hasAnyRole } from './format';

/** Sub-navigation of the knowledge base: editors get their work lists, reporters the reports. */
export function KnowledgeNav() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const meta = useKnowledgeMeta();
  const canEdit = meta.data?.canEdit ?? false;
  const canReport = canEdit || hasAnyRole(user.roles, REPORT_ROLES);
  if (!canEdit && !canReport) return null;
  return (
    <nav className="kb-nav" aria-label={t('knowledge.subnav.label')}>
      <ul>
        <li>
          <NavLink to="/kennisbank" end className="kb-nav__link">
            {t('knowledge.subnav.search')}
          </NavLink>
        </li>
        {canEdit && (
          <>
            <li>
              <NavLink to="/kennisbank/nieuw" className="kb-nav__link" data-testid="kb-new-article">
                {t('knowledge.subnav.new')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/kennisbank/review" className="kb-nav__link">
                {t('knowledge.subnav.review')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/kennisbank/vragen" className="kb-nav__link">
                {t('knowledge.subnav.feedback')}
              </NavLink>
            </li>
          </>
        )}
        {canReport && (
          <li>
            <NavLink to="/kennisbank/rapportage" className="kb-nav__link">
              {t('knowledge.subnav.reports')}
            </NavLink>
          </li>
        )}
      </ul>
    </nav>
  );
}
