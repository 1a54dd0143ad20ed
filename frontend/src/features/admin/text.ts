/** A search key that ignores case and common diacritics ("Zwaag" matches "zwäag"). */
export function Collate(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** "Julianadorp" → "julianadorp"; "Den Helder-Centrum" → "den-helder-centrum" (a suggested id). */
export function slugify(s: string): string {
  return Collate(s)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}
