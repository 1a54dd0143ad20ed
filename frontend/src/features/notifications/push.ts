// Web Push on this device: the browser side of /api/v1/push (server/push).
import { useEffect, useRef } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { http, seg } from '../spaces/http';
import type { PushConfig, PushDevice, PushSettings, QuietHours } from './types';

export const pushKeys = {
  config: ['push', 'config'] as const,
  devices: ['push', 'devices'] as const,
  settings: ['push', 'settings'] as const,
  thisDevice: ['push', 'this-device'] as const,
};

/** Whether this browser can receive Web Push at all. */
export function pushSupported(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** The VAPID public key (base64url) as the bytes pushManager.subscribe wants. */
export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** The server's id of a subscription: hex of the first 12 bytes of sha256(endpoint). */
export async function deviceId(endpoint: string): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(endpoint)));
  return Array.from(hash.slice(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A label the person recognises: browser and system, from the user agent. */
export function deviceLabel(ua: string): string {
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : '';
  const system = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : '';
  return [browser, system].filter(Boolean).join(' · ');
}

async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const reg = await navigator.serviceWorker.getRegistration();
  return reg ? reg.pushManager.getSubscription() : null;
}

export function usePushConfig() {
  return useQuery({ queryKey: pushKeys.config, queryFn: ({ signal }) => http.get<PushConfig>('/push/config', signal), staleTime: Infinity });
}

export function usePushDevices() {
  return useQuery({
    queryKey: pushKeys.devices,
    queryFn: ({ signal }) => http.get<{ items: PushDevice[] }>('/push/subscriptions', signal),
    select: (l) => l.items,
  });
}

/** This browser's subscription id, when it has one ("" when not). */
export function useThisDevice() {
  return useQuery({
    queryKey: pushKeys.thisDevice,
    queryFn: async () => {
      const sub = await currentSubscription();
      return sub ? deviceId(sub.endpoint) : '';
    },
    enabled: pushSupported(),
  });
}

export class PermissionDenied extends Error {}

/** Turn push on for this device: permission, subscribe, tell the server. */
export function useEnablePush() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ publicKey, language }: { publicKey: string; language: string }) => {
      if ((await Notification.requestPermission()) !== 'granted') throw new PermissionDenied();
      const reg = await navigator.serviceWorker.ready;
      const sub =
        (await reg.pushManager.getSubscription()) ??
        (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
      const json = sub.toJSON();
      return http.post<PushDevice>('/push/subscriptions', {
        endpoint: json.endpoint,
        keys: json.keys,
        expirationTime: json.expirationTime ?? null,
        label: deviceLabel(navigator.userAgent),
        language: pushLanguage(language),
      });
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['push'] });
    },
  });
}

/** Remove a device; when it is this one, unsubscribe the browser too. */
export function useRemoveDevice() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const sub = await currentSubscription();
      if (sub && (await deviceId(sub.endpoint)) === id) await sub.unsubscribe();
      await http.del(`/push/subscriptions/${seg(id)}`);
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['push'] });
    },
  });
}

export function usePushSettings() {
  return useQuery({ queryKey: pushKeys.settings, queryFn: ({ signal }) => http.get<PushSettings>('/push/settings', signal) });
}

export function useSaveQuietHours() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (quietHours: QuietHours) => http.put<PushSettings>('/push/settings', { quietHours }),
    onSuccess: (s) => client.setQueryData(pushKeys.settings, s),
  });
}

/** The language push texts are written in for an app language. */
export function pushLanguage(language: string): 'nl' | 'en' {
  return language.startsWith('en') ? 'en' : 'nl';
}

/**
 * Push texts follow the app's language: when the person switches NL/EN, the
 * server is told (PUT /push/settings, kept per person for every device).
 * Nothing is sent at start, only on a switch; a device turned on later
 * sends the language with its subscription.
 */
export function useSyncPushLanguage(language: string) {
  const client = useQueryClient();
  const last = useRef(pushLanguage(language));
  const want = pushLanguage(language);
  useEffect(() => {
    if (last.current === want) return;
    last.current = want;
    http.put<PushSettings>('/push/settings', { language: want }).then(
      (s) => client.setQueryData(pushKeys.settings, s),
      () => undefined, // the next switch or subscription tells it again
    );
  }, [want, client]);
}
