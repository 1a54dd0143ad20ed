import type { VitePWAOptions } from 'vite-plugin-pwa';

/**
 * The installable app and its service worker (vite-plugin-pwa, Workbox's
 * generateSW). See docs/architecture.md, "Offline reading", and
 * docs/security.md, "Offline copies on a shared device".
 *
 * - Precache: the app shell, every hashed file of the build (so each
 *   feature's lazy pages open offline) and index.html; never the .br/.gz
 *   copies (the server picks those per request).
 * - Navigations answer index.html from the precache, except the server's
 *   own pages: /auth/ (OIDC login, callback, logout), /dev-idp/, /api/
 *   (downloads open as navigations), /ical/, /healthz, /readyz and /metrics
 *   always go to the network.
 * - Runtime cache, network first, only the reads listed in OFFLINE_READS;
 *   nothing else of the API (not the session, not downloads, not the
 *   websocket: the service worker never sees a websocket).
 * - Web Push: sw.js imports public/push-sw.js (shows the push, opens its
 *   page on a click; features/notifications/push.ts subscribes).
 * - registerType 'prompt': a new version waits until the person chooses
 *   "vernieuwen" (src/lib/pwa.ts); the app registers the worker itself,
 *   after the first render.
 */

/** Name of the runtime cache of API reads (cleared on logout: src/lib/offline.ts). */
export const API_CACHE = 'plein-api';

/**
 * The API reads kept for offline reading: the knowledge base (articles to
 * confirm, lists, articles, its meta), a team's page (team with its members
 * and their contacts, the space with its profile, regions for the layout),
 * its agreements (pinned posts) and its agenda. Paths without /api/v1.
 * Exported for the unit test; the service worker gets a copy as source text.
 */
export const OFFLINE_READS: RegExp[] = [
  /^\/knowledge\/meta(?:\?|$)/,
  /^\/knowledge\/confirmations\/pending(?:\?|$)/,
  /^\/knowledge\/articles(?:\?|$)/,
  /^\/knowledge\/articles\/[^/?]+(?:\?|$)/,
  /^\/regions(?:\?|$)/,
  /^\/teams\/[^/?]+(?:\?|$)/,
  /^\/spaces\/[^/?]+(?:\?|$)/,
  /^\/spaces\/[^/?]+\/posts\?(?:.*&)?pinned=true(?:&|$)/,
  /^\/spaces\/[^/?]+\/events(?:\?|$)/,
];

/** Whether GET /api/v1<pathAndQuery> may be answered from the offline copy. */
export function isOfflineRead(pathAndQuery: string): boolean {
  return OFFLINE_READS.some((re) => re.test(pathAndQuery));
}

/** How long a stored answer may be used: the session's absolute life, 72 h. */
export const OFFLINE_MAX_AGE_SECONDS = 72 * 60 * 60;

// The service worker runs the matcher below from its source text, so it may
// use nothing from this module's scope: the patterns are inlined as a literal.
const matcherSource = `({ url, sameOrigin, request }) => {
  if (!sameOrigin || request.method !== 'GET' || !url.pathname.startsWith('/api/v1/')) return false;
  const rest = url.pathname.slice('/api/v1'.length) + url.search;
  return [${OFFLINE_READS.map(String).join(', ')}].some((re) => re.test(rest));
}`;

const offlineReadMatcher = new Function(`return ${matcherSource}`)() as (o: {
  url: URL;
  sameOrigin: boolean;
  request: Request;
}) => boolean;

export const pwaOptions: Partial<VitePWAOptions> = {
  registerType: 'prompt',
  injectRegister: false,
  manifestFilename: 'manifest.webmanifest',
  // The glob below finds the icons; listing them again would precache them twice.
  includeManifestIcons: false,
  manifest: {
    id: '/',
    name: 'Plein — teamplatform voor de wijkzorg',
    short_name: 'Plein',
    description: 'Je team, protocollen, agenda en chat voor zelfsturende wijkteams.',
    lang: 'nl',
    dir: 'ltr',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    orientation: 'any',
    theme_color: '#0f4c5c',
    background_color: '#ffffff',
    categories: ['medical', 'productivity'],
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      { src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    ],
  },
  workbox: {
    // Web Push: the push and notificationclick handlers (public/push-sw.js).
    importScripts: ['/push-sw.js'],
    // manifest.webmanifest is added by the plugin itself.
    globPatterns: ['**/*.{js,css,html,svg,png}'],
    // Hashed names change with their content: no revision query needed.
    dontCacheBustURLsMatching: /^\/?assets\//,
    navigateFallback: '/index.html',
    navigateFallbackDenylist: [/^\/api\//, /^\/auth\//, /^\/dev-idp(\/|$)/, /^\/ical\//, /^\/(healthz|readyz|metrics)$/],
    cleanupOutdatedCaches: true,
    // The first visit's page is controlled at once, so what it reads is kept.
    clientsClaim: true,
    skipWaiting: false,
    runtimeCaching: [
      {
        urlPattern: offlineReadMatcher,
        handler: 'NetworkFirst',
        method: 'GET',
        options: {
          cacheName: API_CACHE,
          // A network that does not answer (a rural mast) is treated as offline after 8 s.
          networkTimeoutSeconds: 8,
          expiration: { maxEntries: 150, maxAgeSeconds: OFFLINE_MAX_AGE_SECONDS, purgeOnQuotaError: true },
          cacheableResponse: { statuses: [200] },
          plugins: [
            {
              // Mark an answer that comes from the cache with the time the
              // server sent it (its Date header), for "bijgewerkt op …".
              cachedResponseWillBeUsed: async ({ cachedResponse }) => {
                if (!cachedResponse) return cachedResponse;
                const headers = new Headers(cachedResponse.headers);
                headers.set('X-Plein-Offline-Copy', cachedResponse.headers.get('Date') || new Date(0).toUTCString());
                headers.delete('Content-Encoding');
                headers.delete('Content-Length');
                return new Response(await cachedResponse.blob(), {
                  status: cachedResponse.status,
                  statusText: cachedResponse.statusText,
                  headers,
                });
              },
            },
          ],
        },
      },
    ],
  },
};
