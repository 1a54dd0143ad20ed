/**
 * Logging out turns Web Push off on this device (docs/security.md, "Web
 * Push"): the browser drops its push subscription, so nothing reaches this
 * device any more even if the server never heard of the logout. The server
 * removes the device itself when the session ends (push.SessionEnded).
 * Bounded by `ms` (a service worker that never answers must not hold up
 * the logout); never throws.
 */
export async function turnOffPushHere(ms = 2000): Promise<boolean> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return false;
  const attempt = (async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    const sub = reg ? await reg.pushManager.getSubscription() : null;
    return sub ? sub.unsubscribe() : false;
  })().catch(() => false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([attempt, late]);
  } finally {
    clearTimeout(timer);
  }
}
