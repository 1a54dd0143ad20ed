/*
 * Web Push in the service worker: Workbox's generated sw.js imports this
 * file (scripts/pwa.ts, workbox.importScripts). A push holds
 * {title, body, url, tag} and never content (docs/security.md, "Web Push").
 * A click focuses an open Plein window and opens the push's page in it, or
 * opens a new window.
 */
/* eslint-env serviceworker */
(() => {
  const appPath = (u) => (typeof u === 'string' && u.startsWith('/') && !u.startsWith('//') && !u.startsWith('/\\') ? u : '/meldingen');

  self.addEventListener('push', (event) => {
    let data = {};
    try {
      data = event.data ? event.data.json() : {};
    } catch {
      data = {};
    }
    const title = typeof data.title === 'string' && data.title ? data.title : 'Plein';
    const options = {
      body: typeof data.body === 'string' ? data.body : '',
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url: appPath(data.url) },
    };
    if (typeof data.tag === 'string' && data.tag) {
      options.tag = data.tag;
      options.renotify = true;
    }
    event.waitUntil(self.registration.showNotification(title, options));
  });

  self.addEventListener('notificationclick', (event) => {
    event.notification.close();
    const url = new URL(appPath(event.notification.data && event.notification.data.url), self.location.origin).href;
    event.waitUntil(
      (async () => {
        const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
        for (const client of windows) {
          if (new URL(client.url).origin !== self.location.origin) continue;
          const focused = await client.focus();
          try {
            await (focused || client).navigate(url);
          } catch {
            // An uncontrolled window cannot be navigated: open one.
            await self.clients.openWindow(url);
          }
          return;
        }
        await self.clients.openWindow(url);
      })(),
    );
  });
})();
