import { useLayoutEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Sets document.title to "<title> · Plein" (or just "Plein"). */
export function useDocumentTitle(title: string | null | undefined): void {
  const { t } = useTranslation();
  const suffix = t('app.titleSuffix');
  // A layout effect: the title is set with the commit that shows the page
  // (Preact runs plain effects only after the next frame).
  useLayoutEffect(() => {
    document.title = title ? `${title} · ${suffix}` : suffix;
  }, [title, suffix]);
}
