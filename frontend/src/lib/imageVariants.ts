/**
 * Image variants. The server makes every uploaded image 320, 640 and 1280
 * px wide (never wider than the image itself) and serves them with `?w=` on
 * the image's own URL, under the same access check. `srcSet` lists them for
 * an `<img srcset>`, so the browser fetches the smallest that covers the
 * shown width times the screen's pixel ratio (docs/performance.md).
 */
export const VARIANT_WIDTHS = [320, 640, 1280] as const;

/** `url` with `?w=` (or `&w=`) for a variant. */
export function variantUrl(url: string, width: number): string {
  return `${url}${url.includes('?') ? '&' : '?'}w=${width}`;
}

/**
 * A `srcset` for an image at `url`. With its `width` known, only variants
 * narrower than the image are listed, and the image itself as the widest;
 * without it (files stored before variants existed answer `?w=` with the
 * image itself), all three.
 */
export function srcSet(url: string, width?: number, variants?: readonly number[]): string {
  if (!width) return VARIANT_WIDTHS.map((w) => `${variantUrl(url, w)} ${w}w`).join(', ');
  const ws = variants ?? VARIANT_WIDTHS.filter((w) => w < width);
  return [...ws.map((w) => `${variantUrl(url, w)} ${w}w`), `${url} ${width}w`].join(', ');
}
