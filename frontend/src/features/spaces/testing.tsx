// Test fixtures and a render helper for spaces, notifications and search:
// the feature routes under a small shell with the bell and the search box
// (the real AppShell gets them once App.tsx/AppShell are wired).
import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { Outlet, RouterProvider, createMemoryRouter } from 'react-router';
import type { Session } from '../../api/types';
import { createQueryClient } from '../../lib/queryClient';
import { anouk, denHelderCentrum, regions, teams } from '../../test/fixtures';
import { mockFetch, type MockHandler } from '../../test/utils';
import { ChatProvider } from '../chat/ChatProvider';
import { NotificationBell } from '../notifications/NotificationBell';
import type { Notification } from '../notifications/types';
import { GlobalSearchBox } from '../search/GlobalSearchBox';
import { teamRoutes } from '../org/routes';
import { useSession } from '../session/api';
import { spacesRoutes } from './routes';
import type { Announcement, DocumentInfo, Post, Space } from './types';

export const daan: Session = {
  user: {
    id: 'u-daan',
    name: 'Daan Visser',
    email: 'daan.visser@noorderkwartier.example',
    roles: ['zorgmedewerker'],
    teams: [{ id: 'julianadorp', name: 'Julianadorp', regionId: 'den-helder', teamRoles: [] }],
  },
  csrfToken: 'csrf-daan',
};

export const ilse: Session = {
  user: {
    id: 'u-ilse',
    name: 'Ilse Dekker',
    email: 'ilse.dekker@noorderkwartier.example',
    roles: ['ondersteunende_dienst'],
    teams: [],
  },
  csrfToken: 'csrf-ilse',
};

export const API = '/api/v1';
export const SPACE_URL = `${API}/spaces/den-helder-centrum`;
export const FEED_URL = `${SPACE_URL}/posts?limit=20`;
export const PINNED_URL = `${SPACE_URL}/posts?pinned=true&limit=20`;
export const UNREAD_URL = `${API}/notifications?limit=1`;

export function space(overrides: Partial<Space> = {}): Space {
  return {
    id: 'den-helder-centrum',
    kind: 'team',
    name: 'Den Helder-Centrum',
    description: 'Wij zijn een **zelfsturend** team.',
    descriptionHtml: '<p>Wij zijn een <strong>zelfsturend</strong> team.</p>',
    regionId: 'den-helder',
    memberCount: 2,
    member: true,
    workingArea: ['1781', 'Centrum'],
    contact: { phone: '0223 - 12 34 56', email: 'centrum@noorderkwartier.example' },
    members: [
      { id: 'u-anouk', name: 'Anouk de Vries', teamRoles: ['planning'] },
      { id: 'u-sanne', name: 'Sanne Bakker', teamRoles: ['kwaliteit', 'ict'] },
    ],
    revision: 3,
    updatedAt: '2026-11-01T09:30:00Z',
    updatedBy: { id: 'u-anouk', name: 'Anouk de Vries' },
    canEdit: true,
    canPost: true,
    canJoin: false,
    canLeave: false,
    ...overrides,
  };
}

let postCounter = 0;

export function post(overrides: Partial<Post> = {}): Post {
  postCounter += 1;
  return {
    id: `p${postCounter}`,
    spaceId: 'den-helder-centrum',
    spaceName: 'Den Helder-Centrum',
    author: { id: 'u-sanne', name: 'Sanne Bakker' },
    body: `Bericht ${postCounter}`,
    bodyHtml: `<p>Bericht ${postCounter}</p>`,
    visibility: 'team',
    agreement: false,
    pinned: false,
    attachments: [],
    reactions: [],
    commentCount: 0,
    createdAt: '2026-11-20T08:00:00Z',
    canEdit: false,
    canDelete: false,
    canPin: true,
    ...overrides,
  };
}

export function documentInfo(overrides: Partial<DocumentInfo> = {}): DocumentInfo {
  return {
    id: 'd1',
    spaceId: 'den-helder-centrum',
    folder: '/',
    name: 'Werkafspraken.pdf',
    version: 1,
    size: 20480,
    contentType: 'application/pdf',
    updatedAt: '2026-11-10T10:00:00Z',
    updatedBy: { id: 'u-anouk', name: 'Anouk de Vries' },
    previewable: true,
    ...overrides,
  };
}

export function announcement(overrides: Partial<Announcement> = {}): Announcement {
  return {
    id: 'a1',
    title: 'Nieuw protocol handhygiëne',
    body: 'Lees het nieuwe protocol.',
    bodyHtml: '<p>Lees het nieuwe protocol.</p>',
    author: { id: 'u-ilse', name: 'Ilse Dekker' },
    audience: { everyone: true, regions: [], teams: [] },
    requiresAck: true,
    acknowledged: false,
    createdAt: '2026-11-19T12:00:00Z',
    ...overrides,
  };
}

export function notification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: 'n1',
    kind: 'post',
    title: 'Nieuw bericht in Den Helder-Centrum',
    text: 'Anouk de Vries: Vanaf maandag…',
    link: '/ruimtes/den-helder-centrum/berichten/p1',
    actor: { id: 'u-anouk', name: 'Anouk de Vries' },
    createdAt: new Date().toISOString(),
    read: false,
    ...overrides,
  };
}

/** Fetch mock with what every screen under the shell needs, plus `table`. */
export function mockApi(table: Record<string, MockHandler>, session: Session = anouk) {
  return mockFetch({
    [`${API}/session`]: { body: session },
    [`${API}/chat/channels`]: { body: { items: [] } },
    [`${API}/regions`]: { body: { items: regions } },
    [`${API}/teams`]: { body: { items: teams } },
    [`${API}/teams/den-helder-centrum`]: { body: denHelderCentrum },
    [UNREAD_URL]: { body: { items: [], unread: 0 } },
    ...table,
  });
}

function TestShell() {
  const session = useSession();
  if (!session.data) return <p>…</p>;
  return (
    <ChatProvider user={session.data.user}>
      <header>
        <NotificationBell />
        <GlobalSearchBox />
      </header>
      <main>
        <Outlet />
      </main>
    </ChatProvider>
  );
}

/** Render the feature routes (and the team page, which holds a team's space) at `path` under the test shell. */
export function renderSpaces(path: string) {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const router = createMemoryRouter(
    [{ path: '/', element: <TestShell />, children: [...spacesRoutes, ...teamRoutes, { path: '*', element: <p>elders</p> }] }],
    { initialEntries: [path] },
  );
  const result = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...result, router, queryClient };
}

/** The calls of the fetch mock as "METHOD /path". */
export function calls(fetchMock: ReturnType<typeof mockFetch>): string[] {
  return fetchMock.mock.calls.map(([input, init]) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return `${((init as RequestInit | undefined)?.method ?? 'GET').toUpperCase()} ${url.replace(/^https?:\/\/[^/]+/, '')}`;
  });
}

/** The request init of the first call matching "METHOD /path". */
export function requestOf(fetchMock: ReturnType<typeof mockFetch>, call: string): RequestInit {
  const index = calls(fetchMock).indexOf(call);
  if (index < 0) throw new Error(`no call ${call}; calls: ${calls(fetchMock).join(', ')}`);
  return (fetchMock.mock.calls[index]![1] ?? {}) as RequestInit;
}

export function jsonBody(init: RequestInit): unknown {
  return JSON.parse(String(init.body));
}

export function header(init: RequestInit, name: string): string | undefined {
  const headers = (init.headers ?? {}) as Record<string, string>;
  return headers[name];
}
