import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Text files worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|webmanifest|map|xml)$/;
/** Below this a compressed copy saves less than a packet. */
const MIN_BYTES = 512;

/**
 * Writes name.br (brotli, quality 11) and name.gz (gzip, level 9) beside each
 * compressible file in dir, when the copy is at least 10 % smaller. The Go
 * server (server/httpapi/static.go) serves the copy the browser accepts, so
 * the work is done once at build time at the best level, never per request.
 * Directories starting with a dot (.vite) are skipped: they are not served.
 */
export function precompress(dir: string): { files: number; bytes: number; gzip: number; brotli: number } {
  const totals = { files: 0, bytes: 0, gzip: 0, brotli: 0 };
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) walk(p);
        continue;
      }
      if (!COMPRESSIBLE.test(entry.name) || statSync(p).size < MIN_BYTES) continue;
      const raw = readFileSync(p);
      const gz = gzipSync(raw, { level: 9 });
      const br = brotliCompressSync(raw, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        },
      });
      totals.files++;
      totals.bytes += raw.length;
      if (gz.length < raw.length * 0.9) {
        writeFileSync(p + '.gz', gz);
        totals.gzip += gz.length;
      }
      if (br.length < raw.length * 0.9) {
        writeFileSync(p + '.br', br);
        totals.brotli += br.length;
      }
    }
  };
  walk(dir);
  return totals;
}

/** Vite plugin: precompress the build output once it is written. */
export function precompressPlugin(): Plugin {
  let outDir = 'dist';
  return {
    name: 'plein-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    // Last, after vite-plugin-pwa has written sw.js and the Workbox runtime.
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        const t = precompress(outDir);
        const kb = (n: number) => (n / 1024).toFixed(1) + ' KB';
        this.info(`precompressed ${t.files} files: ${kb(t.bytes)} → gzip ${kb(t.gzip)}, brotli ${kb(t.brotli)}`);
      },
    },
  };
}
