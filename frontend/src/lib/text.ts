/** Lower-case and strip diacritics so "Coördinatie" matches "coordinatie" and "é" matches "e". */
export function normalizeForSearch(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('nl')
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when every whitespace-separated term of `query` occurs in one of `fields`. */
export function matchesQuery(query: string, fields: readonly string[]): boolean {
  const terms = normalizeForSearch(query).split(' ').filter(Boolean);
  if (terms.length === 0) return true;
  const haystack = normalizeForSearch(fields.join(' '));
  return terms.every((term) => haystack.includes(term));
}

/** Split plain text into paragraphs on blank lines; single newlines are kept inside a paragraph. */
export function splitParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

export function firstName(fullName: string): string {
  return fullName.trim().split(/\s+/)[0] ?? fullName;
}

/** Up to two initials for an avatar, e.g. "Anouk de Vries" → "AV". */
export function initials(fullName: string): string {
  const parts = fullName.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  const first = parts[0]!.charAt(0);
  const last = parts.length > 1 ? parts[parts.length - 1]!.charAt(0) : '';
  return (first + last).toLocaleUpperCase('nl');
}

/** Build a tel: URI from a human-formatted Dutch number ("0223 - 12 34 56" → "tel:0223123456"). */
export function telHref(phone: string): string {
  const trimmed = phone.trim();
  const digits = trimmed.replace(/[^\d]/g, '');
  return `tel:${trimmed.startsWith('+') ? '+' : ''}${digits}`;
}

/** Only allow same-site relative paths as login return targets. */
export function safeReturnPath(path: string): string {
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/';
  return path;
}
