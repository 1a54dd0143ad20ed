// System notifications for chat. Permission is only ever requested after a
// user click (the "Meldingen aanzetten" button), never on load.

export type NotificationState = NotificationPermission | 'unsupported';

function api(): typeof Notification | null {
  return typeof window !== 'undefined' && 'Notification' in window ? window.Notification : null;
}

export function notificationState(): NotificationState {
  const N = api();
  return N ? N.permission : 'unsupported';
}

export async function requestNotificationPermission(): Promise<NotificationState> {
  const N = api();
  if (!N) return 'unsupported';
  try {
    return await N.requestPermission();
  } catch {
    return N.permission;
  }
}

/** Show a notification when allowed and the tab is hidden. Returns whether one was shown. */
export function showChatNotification(options: {
  title: string;
  body: string;
  tag: string;
  onClick: () => void;
}): boolean {
  const N = api();
  if (!N || N.permission !== 'granted') return false;
  if (typeof document !== 'undefined' && document.visibilityState !== 'hidden') return false;
  try {
    const notification = new N(options.title, { body: options.body, tag: options.tag, icon: '/favicon.svg' });
    notification.onclick = () => {
      window.focus();
      options.onClick();
      notification.close();
    };
    return true;
  } catch {
    // Some mobile browsers only allow notifications from a service worker.
    return false;
  }
}
