import type { ImgHTMLAttributes } from 'react';
import { srcSet, variantUrl } from '../lib/imageVariants';

interface ResponsiveImageProps extends Omit<ImgHTMLAttributes<HTMLImageElement>, 'src' | 'srcSet' | 'width' | 'height'> {
  /** The image's download URL (variants are `?w=` on it). */
  url: string;
  /** The image's size in pixels; unknown for images stored before variants existed (they have none). */
  width?: number;
  height?: number;
  /** Variant widths the server made, when it said (chat); else derived from `width`. */
  variants?: readonly number[];
  /** How wide the image is shown, for the browser's pick (`sizes`). */
  sizes: string;
}

/**
 * An uploaded image fetched at the size it is shown: `srcset` lists the
 * server's variants so a phone showing it 292 px wide fetches the 320 or 640
 * px one, not the photo (docs/performance.md). Lazy by default, and never
 * shown wider than the image itself.
 */
export function ResponsiveImage({ url, width, height, variants, sizes, style, alt, ...rest }: ResponsiveImageProps) {
  if (!width) return <img src={url} alt={alt} loading="lazy" decoding="async" style={style} {...rest} />;
  const fallback = width > 640 ? variantUrl(url, 640) : url;
  return (
    <img
      src={fallback}
      srcSet={srcSet(url, width, variants)}
      sizes={sizes}
      width={width}
      height={height}
      alt={alt}
      loading="lazy"
      decoding="async"
      style={{ maxWidth: `min(100%, ${width}px)`, ...style }}
      {...rest}
    />
  );
}
