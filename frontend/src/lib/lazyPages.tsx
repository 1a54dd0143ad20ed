import { lazy, Suspense, useState, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { loadFeatureTranslations } from '../i18n';
import { Loading } from '../components/Loading';

function PageLoading() {
  const { t } = useTranslation();
  return <Loading label={t('status.loading')} />;
}

/**
 * Route-level code splitting: `lazyPages(() => import('./pages'))` returns a
 * function that gives, for a named export of that module, a component that
 * fetches the module the first time it is rendered and shows a polite
 * loading status meanwhile. One module per feature (its `pages.ts`), so a
 * feature's pages come in one request and the home route does not carry them.
 * `translations` names the features whose texts (features/<f>/i18n) the
 * pages use: fetched alongside the module, in the language in use
 * (scripts/i18n-placement.mjs checks the list).
 * A failed fetch (offline) shows the route's error element, which offers a
 * reload; the module's other pages try the fetch again (React.lazy keeps the
 * failure only for the page that met it).
 */
export function lazyPages<M extends object>(load: () => Promise<M>, translations: readonly string[] = []) {
  let pending: Promise<M> | undefined;
  let loaded: M | undefined;
  const once = () => {
    pending ??= Promise.all([load(), loadFeatureTranslations(translations)]).then(
      ([m]) => (loaded = m),
      (err: unknown) => {
        pending = undefined;
        throw err;
      },
    );
    return pending;
  };
  return function page<K extends keyof M>(name: K): M[K] {
    const Lazy = lazy(async () => ({ default: (await once())[name] as ComponentType<Record<string, unknown>> }));
    function Page(props: Record<string, unknown>) {
      // Once the module is here (a layout of this feature brought it), its
      // pages render at once, with the layout, not after a loading flash.
      // Decided when mounted, so a page never changes its element type.
      const [Ready] = useState(() => loaded?.[name] as ComponentType<Record<string, unknown>> | undefined);
      if (Ready) return <Ready {...props} />;
      return (
        <Suspense fallback={<PageLoading />}>
          <Lazy {...props} />
        </Suspense>
      );
    }
    Page.displayName = `Lazy(${String(name)})`;
    return Page as M[K];
  };
}
