/*
 * Web Push in the service worker: Workbox's generated sw.js imports this
 * file (scripts/pwa.ts, workbox.importScripts). A push holds
 * {title, body, url, tag} and never content (docs/security.md, "Web Push").
 * A click focuses an open Plein window and opens the push's page in it, or
 * opens a new window. The handlers take their worker as `sw`, so
 * src/lib/pushSw.test.ts runs this very file against a stand-in worker.
 */
/* global self */
((sw) => {
  // Only an app path opens: no other origin, no protocol-relative URL.
  const appPath = (u) => (typeof u === 'string' && u.startsWith('/') && !u.startsWith('//') && !u.startsWith('/\\') ? u : '/meldingen');

  // What the notification for a push's data looks like.
  const notificationFor = (data) => {
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
    return { title, options };
  };

  // A click: the first open Plein window is focused and shows the page; a
  // window that cannot be navigated (not controlled by this worker yet), or
  // none at all, means a new window. It returns what it did (for tests).
  const openFromClick = async (data) => {
    const url = new URL(appPath(data && data.url), sw.location.origin).href;
    const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const client of windows) {
      if (new URL(client.url).origin !== sw.location.origin) continue;
      const focused = await client.focus();
      try {
        await (focused || client).navigate(url);
        return { focused: client.id, url };
      } catch {
        await sw.clients.openWindow(url);
        return { opened: url };
      }
    }
    await sw.clients.openWindow(url);
    return { opened: url };
  };

  sw.addEventListener('push', (event) => {
    let data = {};
    try {
      data = event.data ? event.data.json() : {};
    } catch {
      data = {};
    }
    const { title, options } = notificationFor(data || {});
    event.waitUntil(sw.registration.showNotification(title, options));
  });

  sw.addEventListener('notificationclick', (event) => {
    event.notification.close();
    event.waitUntil(openFromClick(event.notification.data));
  });
})(self);
