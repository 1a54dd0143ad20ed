import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chatEnvironment } from '../chat/ChatProvider';
import { ChatConnection } from '../chat/connection';
import { FakeSocket, fakeSocketFactory } from '../chat/testing';
import { API, UNREAD_URL, calls, jsonBody, mockApi, notification, renderSpaces, requestOf } from '../spaces/testing';
import { isNotificationFrame, subscribeToNotificationFrames } from './live';

beforeEach(() => {
  FakeSocket.reset();
  chatEnvironment.createSocket = fakeSocketFactory;
});

afterEach(() => {
  chatEnvironment.createSocket = null;
});

const yesterday = () => new Date(Date.now() - 24 * 3600_000).toISOString();

describe('notification bell', () => {
  it('shows the unread count, lists the latest and "alles gelezen" resets the count', async () => {
    let unread = 3;
    const items = [
      notification({ id: 'n1', title: 'Nieuw bericht in Den Helder-Centrum' }),
      notification({ id: 'n2', kind: 'reply', title: 'Sanne Bakker reageerde op je bericht', read: true }),
      notification({ id: 'n3', kind: 'announcement', title: 'Nieuwe mededeling: griepprik', link: '/mededelingen' }),
    ];
    const fetchMock = mockApi({
      [UNREAD_URL]: () => ({ body: { items: items.slice(0, 1), unread } }),
      [`${API}/notifications?limit=10`]: () => ({ body: { items: items.map((n) => (unread === 0 ? { ...n, read: true } : n)), unread } }),
      [`POST ${API}/notifications/read`]: () => {
        unread = 0;
        return { body: { unread: 0 } };
      },
    });
    renderSpaces('/ruimtes-elders');

    const count = await screen.findByTestId('notification-count');
    expect(count).toHaveAttribute('data-count', '3');
    const bell = screen.getByTestId('notification-bell');
    expect(bell).toHaveAccessibleName('Meldingen, 3 ongelezen meldingen');
    expect(bell).toHaveAttribute('aria-expanded', 'false');

    await userEvent.click(bell);
    expect(bell).toHaveAttribute('aria-expanded', 'true');
    const popover = screen.getByTestId('notification-popover');
    const list = await within(popover).findAllByTestId('notification-item');
    expect(list).toHaveLength(3);
    expect(list[0]).toHaveAttribute('data-read', 'false');
    expect(within(list[0]!).getByRole('link')).toHaveAttribute('href', '/ruimtes/den-helder-centrum/berichten/p1');
    expect(list[0]).toHaveTextContent('Ongelezen: Nieuw bericht in Den Helder-Centrum');
    expect(list[1]).toHaveAttribute('data-read', 'true');
    expect(within(popover).getByRole('link', { name: 'Alle meldingen' })).toHaveAttribute('href', '/meldingen');

    await userEvent.click(within(popover).getByRole('button', { name: 'Alles gelezen' }));
    await waitFor(() => expect(screen.queryByTestId('notification-count')).not.toBeInTheDocument());
    expect(jsonBody(requestOf(fetchMock, `POST ${API}/notifications/read`))).toEqual({ all: true });
    expect(within(popover).getAllByTestId('notification-item').every((el) => el.dataset.read === 'true')).toBe(true);
    expect(bell).toHaveAccessibleName('Meldingen');

    // Escape closes the popover and gives focus back to the bell.
    await userEvent.keyboard('{Escape}');
    expect(bell).toHaveAttribute('aria-expanded', 'false');
    expect(bell).toHaveFocus();
  });

  it('marks one notification read and follows its link', async () => {
    const fetchMock = mockApi({
      [UNREAD_URL]: { body: { items: [], unread: 1 } },
      [`${API}/notifications?limit=10`]: { body: { items: [notification({ id: 'n9', link: '/mededelingen' })], unread: 1 } },
      [`POST ${API}/notifications/read`]: { body: { unread: 0 } },
      [`${API}/announcements?limit=50`]: { body: { items: [] } },
    });
    const { router } = renderSpaces('/ruimtes-elders');
    await userEvent.click(await screen.findByTestId('notification-bell'));
    const item = await screen.findByTestId('notification-item');
    await userEvent.click(within(item).getByRole('link'));
    expect(router.state.location.pathname).toBe('/mededelingen');
    await waitFor(() => expect(jsonBody(requestOf(fetchMock, `POST ${API}/notifications/read`))).toEqual({ ids: ['n9'] }));
    await waitFor(() => expect(screen.queryByTestId('notification-count')).not.toBeInTheDocument());
    expect(screen.getByTestId('notification-popover')).not.toBeVisible();
  });

  it('refetches the count when the window gets focus', async () => {
    let unread = 0;
    const fetchMock = mockApi({ [UNREAD_URL]: () => ({ body: { items: [], unread } }) });
    renderSpaces('/ruimtes-elders');
    await waitFor(() => expect(calls(fetchMock)).toContain(`GET ${UNREAD_URL}`));
    expect(screen.queryByTestId('notification-count')).not.toBeInTheDocument();
    unread = 2;
    act(() => {
      window.dispatchEvent(new Event('focus'));
    });
    expect(await screen.findByTestId('notification-count')).toHaveAttribute('data-count', '2');
  });
});

describe('live notification frames', () => {
  it('recognises notification frames', () => {
    expect(isNotificationFrame({ type: 'notification', item: notification(), unread: 2 })).toBe(true);
    expect(isNotificationFrame({ type: 'notify', kind: 'mention' })).toBe(false);
    expect(isNotificationFrame({ type: 'notification', unread: 'x' })).toBe(false);
  });

  it('falls back (null) when the connection has no "notification" event', () => {
    // As the chat connection does today: an unknown event has no handler set.
    const handlers: Record<string, Set<unknown>> = { notify: new Set() };
    const connection = {
      on: (event: string, handler: unknown) => {
        handlers[event]!.add(handler);
        return () => handlers[event]!.delete(handler);
      },
    } as unknown as ChatConnection;
    expect(subscribeToNotificationFrames(connection, () => {})).toBeNull();
  });

  it('subscribes when the connection offers a "notification" event', () => {
    const handlers = new Set<(frame: unknown) => void>();
    const connection = {
      on: (event: string, handler: (frame: unknown) => void) => {
        if (event !== 'notification') throw new Error('unknown event');
        handlers.add(handler);
        return () => handlers.delete(handler);
      },
    } as unknown as ChatConnection;
    const received = vi.fn();
    const off = subscribeToNotificationFrames(connection, received);
    expect(off).toBeTypeOf('function');
    for (const handler of handlers) {
      handler({ type: 'notification', item: notification({ id: 'live' }), unread: 4 });
      handler({ type: 'notification', bogus: true });
    }
    expect(received).toHaveBeenCalledTimes(1);
    expect(received.mock.calls[0]![0]).toMatchObject({ unread: 4, item: { id: 'live' } });
    off!();
    expect(handlers.size).toBe(0);
  });
});

describe('live notifications through the chat websocket', () => {
  it('the chat connection forwards notification frames', () => {
    const off = subscribeToNotificationFrames(new ChatConnection({ url: 'ws://test/api/v1/ws', createSocket: fakeSocketFactory }), () => {});
    expect(off).not.toBeNull();
    off?.();
  });

  it('updates the bell from a notification frame without polling', async () => {
    const fetchMock = mockApi({});
    renderSpaces('/ruimtes-elders');
    await waitFor(() => expect(FakeSocket.instances.length).toBeGreaterThan(0));
    await waitFor(() => expect(calls(fetchMock)).toContain(`GET ${UNREAD_URL}`));
    const socket = FakeSocket.latest();
    act(() => {
      socket.serverOpen();
      socket.serverSend({ type: 'ready', user: { id: 'u-anouk', name: 'Anouk de Vries' }, channels: [] });
      socket.serverSend({ type: 'notification', item: notification({ id: 'live-1' }), unread: 5 });
    });
    expect(await screen.findByTestId('notification-count')).toHaveAttribute('data-count', '5');
  });
});

describe('notification centre', () => {
  it('groups by day, marks all read and saves the preferences', async () => {
    let read = false;
    const fetchMock = mockApi({
      [`${API}/notifications?limit=30`]: () => ({
        body: {
          items: [
            notification({ id: 'n1', title: 'Vandaag iets', read }),
            notification({ id: 'n2', title: 'Gisteren iets', createdAt: yesterday(), read: true }),
          ],
          unread: read ? 0 : 1,
        },
      }),
      [`POST ${API}/notifications/read`]: () => {
        read = true;
        return { body: { unread: 0 } };
      },
      [`${API}/notifications/preferences`]: {
        body: {
          kinds: { mention: true, reply: true, announcement: true, document: true, article_confirm: true, post: true, event: true },
          live: true,
        },
      },
      [`PUT ${API}/notifications/preferences`]: () => ({
        body: {
          kinds: { mention: true, reply: true, announcement: true, document: false, article_confirm: true, post: true, event: true },
          live: false,
        },
      }),
    });
    renderSpaces('/meldingen');
    expect(await screen.findByRole('heading', { level: 3, name: 'Vandaag' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 3, name: 'Gisteren' })).toBeInTheDocument();
    const days = screen.getAllByTestId('notification-day');
    expect(within(days[0]!).getByText('Vandaag iets')).toBeInTheDocument();
    expect(within(days[1]!).getByText('Gisteren iets')).toBeInTheDocument();
    expect(within(days[0]!).getByTestId('notification-item')).toHaveClass('sp-notif--unread');

    await userEvent.click(screen.getByTestId('notifications-mark-all'));
    await waitFor(() => expect(within(days[0]!).getByTestId('notification-item')).toHaveAttribute('data-read', 'true'));
    expect(screen.queryByTestId('notifications-mark-all')).not.toBeInTheDocument();

    const prefs = screen.getByTestId('notification-preferences');
    const documents = await within(prefs).findByRole('checkbox', { name: 'Nieuwe documenten en versies' });
    expect(documents).toBeChecked();
    await userEvent.click(documents);
    await userEvent.click(within(prefs).getByRole('checkbox', { name: 'Nieuwe meldingen direct tonen' }));
    await userEvent.click(within(prefs).getByRole('button', { name: 'Opslaan' }));
    expect(await within(prefs).findByText('Je instellingen zijn opgeslagen.')).toBeInTheDocument();
    expect(jsonBody(requestOf(fetchMock, `PUT ${API}/notifications/preferences`))).toEqual({
      kinds: { mention: true, reply: true, announcement: true, document: false, article_confirm: true, post: true, event: true },
      live: false,
    });
    expect(document.title).toBe('Meldingen · Plein');
  });
});
