import { useTranslation } from 'react-i18next';

/**
 * The length the server counts: characters (code points) after trimming.
 * A field is never cut at its limit (no maxLength): the counter says how
 * many characters are left or too many, and the form refuses to send.
 */
export function charLength(text: string): number {
  return [...text.trim()].length;
}

/** Whether text fits in max characters (as the server counts). */
export function fits(text: string, max: number): boolean {
  return charLength(text) <= max;
}

/**
 * "12 tekens over" under a field, from 80 % of its limit on; "3 tekens te
 * veel" (as an error) beyond it. Always rendered (empty when far from the
 * limit) so that aria-describedby can point at it.
 */
export function CharCount({ id, text, max }: { id: string; text: string; max: number }) {
  const { t } = useTranslation();
  const left = max - charLength(text);
  const near = left <= max * 0.2;
  return (
    <p
      id={id}
      className={left < 0 ? 'char-count char-count--over' : 'char-count'}
      aria-live="polite"
      data-testid="char-count"
    >
      {near ? (left < 0 ? t('charCount.over', { count: -left }) : t('charCount.left', { count: left })) : ''}
    </p>
  );
}
