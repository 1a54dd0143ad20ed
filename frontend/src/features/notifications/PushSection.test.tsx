import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { API, jsonBody, mockApi, renderSpaces, requestOf } from '../spaces/testing';

const settings = { quietHours: { enabled: false, from: '22:00', to: '07:00', timeZone: 'Europe/Amsterdam' }, language: 'nl' };

describe('Meldingen op dit apparaat', () => {
  it('lists my devices, removes one and saves quiet hours (a browser without push says so)', async () => {
    let devices = [{ id: 'd1', label: 'Chrome · Android', createdAt: '2026-12-01T09:00:00Z' }];
    const fetchMock = mockApi({
      [`${API}/notifications?limit=30`]: { body: { items: [], unread: 0 } },
      [`${API}/notifications/preferences`]: { body: { kinds: {}, live: true } },
      [`${API}/push/config`]: { body: { enabled: true, publicKey: 'BAEC' } },
      [`${API}/push/subscriptions`]: () => ({ body: { items: devices } }),
      [`DELETE ${API}/push/subscriptions/d1`]: () => {
        devices = [];
        return { status: 204 };
      },
      [`${API}/push/settings`]: { body: settings },
      [`PUT ${API}/push/settings`]: () => ({ body: { ...settings, quietHours: { ...settings.quietHours, enabled: true, from: '21:30' } } }),
    });
    renderSpaces('/meldingen');
    const section = await screen.findByTestId('push-settings');
    expect(within(section).getByRole('heading', { level: 2, name: 'Meldingen op dit apparaat' })).toBeInTheDocument();
    // jsdom has no PushManager: this device cannot, the rest still works.
    expect(await within(section).findByTestId('push-unsupported')).toBeInTheDocument();
    const device = await within(section).findByTestId('push-device');
    expect(device).toHaveTextContent('Chrome · Android');
    await userEvent.click(within(device).getByRole('button', { name: 'Verwijder Chrome · Android' }));
    await waitFor(() => expect(within(section).getByText('Nog geen apparaten.')).toBeInTheDocument());
    expect(requestOf(fetchMock, `DELETE ${API}/push/subscriptions/d1`)).toBeTruthy();

    await userEvent.click(within(section).getByTestId('push-quiet-on'));
    const from = within(section).getByTestId('push-quiet-from');
    await userEvent.clear(from);
    await userEvent.type(from, '21:30');
    await userEvent.click(within(section).getByTestId('push-quiet-save'));
    expect(await within(section).findByText('Je stille uren zijn opgeslagen.')).toBeInTheDocument();
    expect(jsonBody(requestOf(fetchMock, `PUT ${API}/push/settings`))).toEqual({
      quietHours: { enabled: true, from: '21:30', to: '07:00', timeZone: 'Europe/Amsterdam' },
    });
  });

  it('says so when the server has push off', async () => {
    mockApi({
      [`${API}/notifications?limit=30`]: { body: { items: [], unread: 0 } },
      [`${API}/notifications/preferences`]: { body: { kinds: {}, live: true } },
      [`${API}/push/config`]: { body: { enabled: false, publicKey: '' } },
    });
    renderSpaces('/meldingen');
    expect(await screen.findByTestId('push-off')).toHaveTextContent('Pushmeldingen staan op deze server niet aan.');
    expect(screen.queryByTestId('push-quiet')).not.toBeInTheDocument();
  });
});
