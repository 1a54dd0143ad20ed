import type { TFunction, i18n as I18n } from 'i18next';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import type { ProblemFieldError } from '../api/types';

/**
 * What the app says about a refused request. The server names every refusal
 * with a stable code (`problem.<code>`, and per field `field.<code>` with
 * params such as `{ max: 200 }`); this module is the one place that turns
 * them into the reader's language. The server's English title, detail and
 * field messages are for logs and API clients and are never shown: an
 * unknown code gets a generic sentence instead.
 */
export interface ProblemText {
  /** One sentence for the whole refusal (or for a failed request of any kind). */
  problem: (error: unknown) => string;
  /** "Maximaal 200 tekens." for one field error. */
  field: (fe: ProblemFieldError) => string;
  /** The field's name for people: "Titel"; "Dit veld" when unknown. */
  fieldName: (field: string) => string;
  /** "Titel: Maximaal 200 tekens." */
  fieldLine: (fe: ProblemFieldError) => string;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** "audience.regions[2]" → "regions"; "contact.email" → "email". */
export function fieldBase(field: string): string {
  const parts = field.replace(/\[\d+\]/g, '').split('.');
  return parts[parts.length - 1] ?? '';
}

export function problemText(t: TFunction, i18n: I18n): ProblemText {
  const tr = t as unknown as Translate;
  const has = (key: string) => i18n.exists(key);

  const problem = (error: unknown): string => {
    if (!isApiError(error)) return tr('error.unexpected');
    if (error.isNetworkError) return tr('error.network');
    if (error.code && has(`problem.${error.code}`)) return tr(`problem.${error.code}`, { ...error.params });
    // No code (an old server, a proxy's page) or one this app does not know yet.
    if (error.status === 401) return tr('problem.unauthenticated');
    if (error.status === 403) return tr('error.forbidden');
    if (error.status === 404) return tr('error.notFound');
    if (error.status === 422 && error.errors.length > 0) return tr('problem.validation');
    if (error.status >= 500) return tr('error.server');
    return tr('problem.unknown');
  };
  const field = (fe: ProblemFieldError): string =>
    fe.code && has(`field.${fe.code}`) ? tr(`field.${fe.code}`, { ...fe.params }) : tr('field.unknown_code');
  const fieldName = (name: string): string => {
    const base = fieldBase(name);
    return base && has(`fieldName.${base}`) ? tr(`fieldName.${base}`) : tr('fieldName.generic');
  };
  const fieldLine = (fe: ProblemFieldError): string => `${fieldName(fe.field)}: ${field(fe)}`;
  return { problem, field, fieldName, fieldLine };
}

/** problemText for the current language. */
export function useProblemText(): ProblemText {
  const { t, i18n } = useTranslation();
  return problemText(t, i18n);
}
