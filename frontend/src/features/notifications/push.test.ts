import { describe, expect, it } from 'vitest';
import { deviceId, deviceLabel, keyBytes } from './push';

describe('push helpers', () => {
  it('decodes a base64url VAPID key without padding', () => {
    const bytes = keyBytes('BAEC_-8');
    expect(Array.from(bytes)).toEqual([4, 1, 2, 255, 239]);
  });

  it('computes the server id of a subscription (sha256 of the endpoint, 12 bytes hex)', async () => {
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    expect(await deviceId('abc')).toBe('ba7816bf8f01cfea414140de');
  });

  it('names the device by browser and system', () => {
    expect(deviceLabel('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36')).toBe('Chrome · Android');
    expect(deviceLabel('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe('Firefox · Windows');
    expect(deviceLabel('curl/8')).toBe('');
  });
});
