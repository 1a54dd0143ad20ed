import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';
import { precompressPlugin } from './scripts/precompress.ts';
import { pwaOptions } from './scripts/pwa.ts';

// The Go server serves dist/ and falls back to index.html for unknown non-API
// paths. During `npm run dev` the API and auth routes are proxied to it.
const backend = process.env.PLEIN_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  // VitePWA writes manifest.webmanifest and sw.js (Workbox) before the
  // precompress step runs over dist/ (plugin order).
  plugins: [react(), VitePWA(pwaOptions), precompressPlugin()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    // dist/.vite/manifest.json: which chunks a route loads (scripts/route-weight.mjs).
    // Not served: the server skips dot-directories.
    manifest: true,
    target: 'es2022',
    // No modulepreload polyfill in the entry (0.5 KB gzip): Chromium 66+,
    // Firefox 115+ and Safari 17+ preload the chunks themselves; an older
    // browser only loses the early fetch, the imports still load.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URIs for scripts/fonts; images are fine under
    // the CSP (img-src 'self' data:) but keep everything as files for clarity.
    assetsInlineLimit: 0,
    rolldownOptions: {
      output: {
        // Libraries change less often than app code: separate chunk, better caching.
        // Not workbox-window: only the lazily loaded service-worker registration uses it.
        codeSplitting: { groups: [{ name: 'vendor', test: /[\\/]node_modules[\\/](?!workbox-)/ }] },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/auth': { target: backend, changeOrigin: false },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    // A test that first renders a lazy feature page also transforms that
    // feature's modules (lib/lazyPages.tsx): on the shared 2-core machine more than 5 s.
    testTimeout: 20_000,
    css: false,
  },
});
