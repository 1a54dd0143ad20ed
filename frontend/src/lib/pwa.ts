/// <reference types="vite-plugin-pwa/client" />
import { registerSW } from 'virtual:pwa-register';

/** How often an open app asks whether a new version was deployed. */
const UPDATE_CHECK_MS = 30 * 60_000;

/**
 * Registers the service worker (built by vite-plugin-pwa, scripts/pwa.ts).
 * Loaded by main.tsx after the first render, so it adds nothing to the
 * first screen. A new version waits until the person chooses "vernieuwen"
 * (components/OfflineStatus.tsx); then it takes over and the page reloads.
 */
export function registerServiceWorker(updateWaiting: (apply: () => void) => void): void {
  const update = registerSW({
    immediate: true,
    onNeedRefresh() {
      updateWaiting(() => void update(true));
    },
    onRegisteredSW(_url, registration) {
      if (!registration) return;
      setInterval(() => {
        if (navigator.onLine) void registration.update().catch(() => {});
      }, UPDATE_CHECK_MS);
    },
  });
}
