import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anouk, regions } from '../../test/fixtures';
import { mockFetch, renderApp } from '../../test/utils';
import { chatEnvironment } from './ChatProvider';
import { FakeSocket, fakeSocketFactory, summary } from './testing';

const me = { id: anouk.user.id, name: anouk.user.name };
const at = (iso: string, text: string, by = 'u-sanne', byName = 'Sanne Bakker') => ({ seq: 2, by, byName, at: iso, text });
const team = summary({ id: 'c-team', kind: 'team', name: 'Den Helder-Centrum', lastSeq: 2, readSeq: 2, last: at('2026-12-07T08:00:00Z', 'Overdracht om 14:00') });
const dm = summary({
  id: 'c-dm',
  kind: 'dm',
  name: '',
  lastSeq: 2,
  readSeq: 1,
  unread: 1,
  members: [me, { id: 'u-sanne', name: 'Sanne Bakker' }],
  last: at('2026-12-07T09:00:00Z', 'Bel je me? BSN •••••••••'),
});
const wond = summary({ id: 'c-wond', kind: 'open', name: 'Wondzorg', lastSeq: 0, readSeq: 0, pinned: true, muted: true });

beforeEach(() => {
  FakeSocket.reset();
  chatEnvironment.createSocket = fakeSocketFactory;
});
afterEach(() => {
  chatEnvironment.createSocket = null;
});

async function open(puts: { url: string; body: unknown }[]) {
  mockFetch({
    '/api/v1/session': { body: anouk },
    '/api/v1/regions': { body: { items: regions } },
    '/api/v1/chat/channels': { body: { items: [] } },
    'PUT /api/v1/chat/channels/c-team/prefs': ({ url, init }) => {
      puts.push({ url, body: JSON.parse(String(init.body)) });
      return { body: { ...team, muted: true } };
    },
    'PUT /api/v1/chat/prefs': ({ url, init }) => {
      puts.push({ url, body: JSON.parse(String(init.body)) });
      return { body: { hidePresence: true } };
    },
  });
  renderApp('/chat');
  await waitFor(() => expect(FakeSocket.instances.length).toBeGreaterThan(0));
  const socket = FakeSocket.latest();
  act(() => {
    socket.serverOpen();
    socket.serverSend({
      type: 'ready',
      user: me,
      channels: [team, dm, wond],
      online: { 'u-sanne': 'online' },
      prefs: { hidePresence: false },
      receipts: true,
      instance: 'test',
    });
  });
  return socket;
}

describe('chat like a messenger', () => {
  it('shows pinned first, previews, presence dots and muted state; mutes and hides presence through the API', async () => {
    const puts: { url: string; body: unknown }[] = [];
    const socket = await open(puts);
    const items = await screen.findAllByTestId('chat-channel-item');
    expect(items.map((i) => i.dataset.channelId)).toEqual(['c-wond', 'c-team', 'c-dm']);
    expect(screen.getByRole('heading', { name: 'Vastgezet' })).toBeInTheDocument();
    expect(within(items[0]!).getByText('Meldingen gedempt')).toBeInTheDocument();
    expect(within(items[2]!).getByTestId('chat-preview')).toHaveTextContent('Bel je me? BSN •••••••••');
    expect(within(items[1]!).getByTestId('chat-preview')).toHaveTextContent('Sanne: Overdracht om 14:00');
    const dot = within(items[2]!).getByTestId('presence-dot');
    expect(dot.dataset.status).toBe('online');
    act(() => socket.serverSend({ type: 'presence', user: 'u-sanne', status: 'offline', lastSeen: '2026-12-07T09:30:00Z' }));
    expect(within(screen.getAllByTestId('chat-channel-item')[2]!).getByTestId('presence-dot').dataset.status).toBe('offline');

    const user = userEvent.setup();
    await user.click(screen.getByRole('checkbox', { name: 'Verberg of ik online ben' }));
    await waitFor(() => expect(screen.getByRole('checkbox', { name: 'Verberg of ik online ben' })).toBeChecked());
    expect(puts).toContainEqual({ url: '/api/v1/chat/prefs', body: { hidePresence: true } });

    await user.click(within(items[1]!).getByRole('link'));
    await user.click(await screen.findByRole('button', { name: /Info/ }));
    await user.click(screen.getByRole('button', { name: 'Meldingen dempen' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Meldingen weer aan' })).toHaveAttribute('aria-pressed', 'true'));
    expect(puts).toContainEqual({ url: '/api/v1/chat/channels/c-team/prefs', body: { muted: true } });
  });
});
