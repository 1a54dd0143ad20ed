import { describe, expect, it } from 'vitest';
import { srcSet, variantUrl } from './imageVariants';

describe('image variants', () => {
  it('adds w to a URL with or without a query', () => {
    expect(variantUrl('/a/b', 320)).toBe('/a/b?w=320');
    expect(variantUrl('/a/b?version=2', 640)).toBe('/a/b?version=2&w=640');
  });
  it('lists only variants narrower than a known width, then the image itself', () => {
    expect(srcSet('/f', 1000)).toBe('/f?w=320 320w, /f?w=640 640w, /f 1000w');
    expect(srcSet('/f', 200)).toBe('/f 200w');
    expect(srcSet('/f', 4032, [320, 640, 1280])).toBe('/f?w=320 320w, /f?w=640 640w, /f?w=1280 1280w, /f 4032w');
  });
  it('lists all three when the width is unknown', () => {
    expect(srcSet('/f')).toBe('/f?w=320 320w, /f?w=640 640w, /f?w=1280 1280w');
  });
});
