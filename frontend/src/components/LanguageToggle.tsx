import { useTranslation } from 'react-i18next';
import { isLanguage } from '../i18n';

/**
 * NL/EN switch. The visible text and accessible name are in the *target*
 * language (marked with lang), as is customary for language switches.
 */
export function LanguageToggle() {
  const { t, i18n } = useTranslation();
  const target = t('language.toggleLang');

  return (
    <button
      type="button"
      className="lang-toggle"
      data-testid="lang-toggle"
      lang={target}
      aria-label={t('language.toggleLabel')}
      onClick={() => {
        if (isLanguage(target)) void i18n.changeLanguage(target);
      }}
    >
      <span aria-hidden="true">{t('language.toggleText')}</span>
    </button>
  );
}
