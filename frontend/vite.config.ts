import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';
import { precompressPlugin } from './scripts/precompress.ts';
import { pwaOptions } from './scripts/pwa.ts';

// The Go server serves dist/ and falls back to index.html for unknown non-API
// paths. During `npm run dev` the API and auth routes are proxied to it.
const backend = process.env.PLEIN_BACKEND ?? 'http://127.0.0.1:8080';

// Preact's compat layer stands in for React (docs/architecture.md, "The
// frontend"; docs/performance.md, "Preact's compat layer"): the app and its
// libraries import react / react-dom, and these names resolve to Preact.
// The types stay React's (@types/react): compat implements that API.
const preactAliases = [
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react-dom\/test-utils$/, replacement: 'preact/test-utils' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
  { find: /^react$/, replacement: 'preact/compat' },
  // react-i18next's useSyncExternalStore shim: compat has the hook itself.
  { find: /^use-sync-external-store\/shim(\/index\.js)?$/, replacement: 'preact/compat' },
];

export default defineConfig({
  resolve: { alias: preactAliases },
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
    // Node would load these libraries' CommonJS builds, which require the
    // real React past the aliases: inline them (so the aliases apply inside
    // them) and point the two whose Node entry is CommonJS at their ES build.
    server: { deps: { inline: ['@testing-library/react', 'react-router', '@tanstack/react-query', 'react-i18next'] } },
    alias: [
      { find: /^@testing-library\/react$/, replacement: new URL('./node_modules/@testing-library/react/dist/@testing-library/react.esm.js', import.meta.url).pathname },
      { find: /^react-router$/, replacement: new URL('./node_modules/react-router/dist/development/index.mjs', import.meta.url).pathname },
      ...preactAliases,
    ],
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    // A test that first renders a lazy feature page also transforms that
    // feature's modules (lib/lazyPages.tsx): on the shared 2-core machine more than 5 s.
    testTimeout: 20_000,
    css: false,
  },
});
