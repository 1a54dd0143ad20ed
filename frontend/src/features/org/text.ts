/**
 * A post body (markdown with <@user> mention tokens) as one short line of
 * plain text for lists: no markdown marks, no tokens, at most `max` characters.
 */
export function plainText(body: string, max: number): string {
  const text = body
    .replace(/<@[^>]+>/g, '@')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`#>~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
