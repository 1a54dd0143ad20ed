import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import { http, postMultipart, qs, seg } from './http';
import type {
  AckReport,
  Announcement,
  AnnouncementInput,
  CalendarFeed,
  Comment,
  DocumentInfo,
  EventInput,
  Folder,
  FolderListing,
  Post,
  PostInput,
  PostPage,
  PostReaction,
  ProfileInput,
  ProfileRevision,
  Space,
  SpaceEvent,
  SpacesOverview,
  StagedUpload,
} from './types';

export const POSTS_PAGE_SIZE = 20;

export const spacesKeys = {
  all: ['spaces'] as const,
  overview: () => ['spaces', 'overview'] as const,
  space: (id: string) => ['spaces', 'space', id] as const,
  history: (id: string) => ['spaces', 'history', id] as const,
  /** Prefix of every post query of a space (feed, pinned, single posts). */
  posts: (id: string) => ['spaces', 'posts', id] as const,
  feed: (id: string) => ['spaces', 'posts', id, 'feed'] as const,
  pinned: (id: string) => ['spaces', 'posts', id, 'pinned'] as const,
  post: (id: string, postId: string) => ['spaces', 'posts', id, 'post', postId] as const,
  comments: (id: string, postId: string) => ['spaces', 'comments', id, postId] as const,
  documents: (id: string) => ['spaces', 'documents', id] as const,
  folder: (id: string, folder: string) => ['spaces', 'documents', id, 'folder', folder] as const,
  document: (id: string, docId: string) => ['spaces', 'documents', id, 'doc', docId] as const,
  events: (id: string) => ['spaces', 'events', id] as const,
  agenda: () => ['spaces', 'agenda'] as const,
  calendarFeed: () => ['spaces', 'calendar-feed'] as const,
};

export const announcementKeys = {
  all: ['announcements'] as const,
  list: () => ['announcements', 'list'] as const,
  report: (id: string) => ['announcements', 'report', id] as const,
};

const spacePath = (id: string) => `/spaces/${seg(id)}`;
const postPath = (id: string, postId: string) => `${spacePath(id)}/posts/${seg(postId)}`;

// ---------- Spaces ----------

export function useSpacesOverview() {
  return useQuery({
    queryKey: spacesKeys.overview(),
    queryFn: ({ signal }) => http.get<SpacesOverview>('/spaces', signal),
  });
}

export function useSpace(id: string) {
  return useQuery({
    queryKey: spacesKeys.space(id),
    queryFn: ({ signal }) => http.get<Space>(spacePath(id), signal),
    enabled: Boolean(id),
  });
}

/** The space when it is already loaded (e.g. by SpaceLayout), without a request of its own. */
export function useLoadedSpace(id: string): Space | undefined {
  return useQuery({
    queryKey: spacesKeys.space(id),
    queryFn: ({ signal }) => http.get<Space>(spacePath(id), signal),
    enabled: false,
  }).data;
}

function storeSpace(client: QueryClient, space: Space) {
  client.setQueryData(spacesKeys.space(space.id), space);
  void client.invalidateQueries({ queryKey: spacesKeys.overview() });
}

export function useUpdateProfile(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ProfileInput) => http.put<Space>(`${spacePath(id)}/profile`, input),
    onSuccess: (space) => {
      storeSpace(client, space);
      void client.invalidateQueries({ queryKey: spacesKeys.history(id) });
    },
  });
}

export function useProfileHistory(id: string) {
  return useQuery({
    queryKey: spacesKeys.history(id),
    queryFn: ({ signal }) => http.get<{ items: ProfileRevision[] }>(`${spacePath(id)}/profile/history`, signal),
    select: (data) => data.items,
  });
}

export function useCreateCommunity() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; description: string }) => http.post<Space>('/communities', input),
    onSuccess: (space) => storeSpace(client, space),
  });
}

export function useMembership(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: 'join' | 'leave') => http.post<Space>(`${spacePath(id)}/${action}`),
    onSuccess: (space) => {
      storeSpace(client, space);
      // What may be seen and done in the space changed.
      void client.invalidateQueries({ queryKey: spacesKeys.posts(id) });
      void client.invalidateQueries({ queryKey: spacesKeys.documents(id) });
      invalidateEvents(client, id);
    },
  });
}

// ---------- Posts ----------

export function usePostFeed(id: string, enabled = true) {
  return useInfiniteQuery({
    queryKey: spacesKeys.feed(id),
    queryFn: ({ signal, pageParam }) =>
      http.get<PostPage>(`${spacePath(id)}/posts${qs({ before: pageParam, limit: POSTS_PAGE_SIZE })}`, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next || undefined,
    enabled,
    // A stream changes while you are away (posts, pins): refetch on every visit.
    staleTime: 0,
  });
}

export function usePinnedPosts(id: string, enabled = true) {
  return useQuery({
    queryKey: spacesKeys.pinned(id),
    queryFn: ({ signal }) =>
      http.get<PostPage>(`${spacePath(id)}/posts${qs({ pinned: true, limit: POSTS_PAGE_SIZE })}`, signal),
    select: (data) => data.items,
    enabled,
    staleTime: 0,
  });
}

export function usePost(id: string, postId: string) {
  return useQuery({
    queryKey: spacesKeys.post(id, postId),
    queryFn: ({ signal }) => http.get<Post>(postPath(id, postId), signal),
  });
}

/** Put a changed post into every cached list and the single-post query of its space. */
export function replacePostInCaches(client: QueryClient, post: Post): void {
  const swap = (item: Post) => (item.id === post.id ? post : item);
  client.setQueriesData<unknown>({ queryKey: spacesKeys.posts(post.spaceId) }, (data: unknown) => {
    if (!data || typeof data !== 'object') return data;
    if ('pages' in data) {
      const infinite = data as InfiniteData<PostPage>;
      return { ...infinite, pages: infinite.pages.map((page) => ({ ...page, items: page.items.map(swap) })) };
    }
    if ('items' in data) {
      const page = data as PostPage;
      return { ...page, items: page.items.map(swap) };
    }
    if ((data as Post).id === post.id) return post;
    return data;
  });
}

export function useCreatePost(id: string) {
  return useMutation({
    mutationFn: (input: PostInput) => http.post<Post>(`${spacePath(id)}/posts`, input),
  });
}

/**
 * Stages a file for a post yet to be written: the server checks and keeps
 * it, visible to nobody, until a post names it (or 24 hours pass). A file
 * name that looks like client data is refused (identifier_suspected) unless
 * acknowledgeIdentifiers.
 */
export function stageUpload(spaceId: string, file: File, acknowledgeIdentifiers = false): Promise<StagedUpload> {
  const form = new FormData();
  form.append('file', file, file.name);
  if (acknowledgeIdentifiers) form.append('acknowledgeIdentifiers', 'true');
  return postMultipart<StagedUpload>(`${spacePath(spaceId)}/uploads`, form);
}

/** Removes a staged file that no post will publish. */
export function discardUpload(spaceId: string, uploadId: string): Promise<void> {
  return http.del(`${spacePath(spaceId)}/uploads/${seg(uploadId)}`);
}

export function attachmentUrl(spaceId: string, postId: string, attachmentId: string): string {
  return `/api/v1${postPath(spaceId, postId)}/attachments/${seg(attachmentId)}`;
}

export function useUpdatePost(post: Post) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<PostInput>) => http.patch<Post>(postPath(post.spaceId, post.id), input),
    onSuccess: (updated) => {
      replacePostInCaches(client, updated);
      // Visibility or agreement may move the post between lists.
      void client.invalidateQueries({ queryKey: spacesKeys.posts(post.spaceId) });
    },
  });
}

export function useDeletePost(post: Post) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => http.del(postPath(post.spaceId, post.id)),
    onSuccess: () => {
      client.removeQueries({ queryKey: spacesKeys.post(post.spaceId, post.id) });
      void client.invalidateQueries({ queryKey: spacesKeys.posts(post.spaceId) });
    },
  });
}

export function usePinPost(post: Post) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (pinned: boolean) => http.put<Post>(`${postPath(post.spaceId, post.id)}/pin`, { pinned }),
    onSuccess: (updated) => {
      replacePostInCaches(client, updated);
      void client.invalidateQueries({ queryKey: spacesKeys.posts(post.spaceId) });
    },
  });
}

export function useReact(post: Post) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ emoji, on }: { emoji: PostReaction; on: boolean }) =>
      on
        ? http.put<Post>(`${postPath(post.spaceId, post.id)}/reactions/${seg(emoji)}`)
        : http.del<Post>(`${postPath(post.spaceId, post.id)}/reactions/${seg(emoji)}`),
    onSuccess: (updated) => {
      if (updated && typeof updated === 'object') replacePostInCaches(client, updated);
    },
  });
}

// ---------- Comments ----------

export function useComments(post: Post, enabled: boolean) {
  return useQuery({
    queryKey: spacesKeys.comments(post.spaceId, post.id),
    queryFn: ({ signal }) => http.get<{ items: Comment[] }>(`${postPath(post.spaceId, post.id)}/comments`, signal),
    select: (data) => data.items,
    enabled,
  });
}

export function useAddComment(post: Post) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ body, acknowledgeIdentifiers }: { body: string; acknowledgeIdentifiers?: boolean }) =>
      http.post<Comment>(`${postPath(post.spaceId, post.id)}/comments`, acknowledgeIdentifiers ? { body, acknowledgeIdentifiers } : { body }),
    onSuccess: (comment) => {
      client.setQueryData<{ items: Comment[] }>(spacesKeys.comments(post.spaceId, post.id), (data) =>
        data ? { items: [...data.items.filter((c) => c.id !== comment.id), comment] } : { items: [comment] },
      );
      replacePostInCaches(client, { ...post, commentCount: post.commentCount + 1 });
    },
  });
}

export function useDeleteComment(post: Post) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (commentId: string) => http.del(`${postPath(post.spaceId, post.id)}/comments/${seg(commentId)}`),
    onSuccess: (_result, commentId) => {
      client.setQueryData<{ items: Comment[] }>(spacesKeys.comments(post.spaceId, post.id), (data) =>
        data ? { items: data.items.filter((c) => c.id !== commentId) } : data,
      );
      replacePostInCaches(client, { ...post, commentCount: Math.max(0, post.commentCount - 1) });
    },
  });
}

// ---------- Documents ----------

export function useFolder(id: string, folder: string, enabled = true) {
  return useQuery({
    queryKey: spacesKeys.folder(id, folder),
    queryFn: ({ signal }) => http.get<FolderListing>(`${spacePath(id)}/documents${qs({ folder })}`, signal),
    enabled,
  });
}

export function useDocument(id: string, docId: string | null) {
  return useQuery({
    queryKey: spacesKeys.document(id, docId ?? ''),
    queryFn: ({ signal }) => http.get<DocumentInfo>(`${spacePath(id)}/documents/${seg(docId ?? '')}`, signal),
    enabled: Boolean(docId),
  });
}

export function documentContentUrl(spaceId: string, docId: string, version?: number): string {
  return `/api/v1${spacePath(spaceId)}/documents/${seg(docId)}/content${qs({ version })}`;
}

export function useCreateFolder(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { parent: string; name: string; acknowledgeIdentifiers?: boolean }) =>
      http.post<Folder>(`${spacePath(id)}/folders`, input),
    onSuccess: () => client.invalidateQueries({ queryKey: spacesKeys.documents(id) }),
  });
}

export function useUploadDocument(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      file,
      folder,
      note,
      acknowledgeIdentifiers,
    }: {
      file: File;
      folder: string;
      note: string;
      acknowledgeIdentifiers?: boolean;
    }) => {
      const form = new FormData();
      form.append('file', file, file.name);
      form.append('folder', folder);
      form.append('note', note);
      if (acknowledgeIdentifiers) form.append('acknowledgeIdentifiers', 'true');
      return postMultipart<DocumentInfo>(`${spacePath(id)}/documents`, form);
    },
    onSuccess: () => client.invalidateQueries({ queryKey: spacesKeys.documents(id) }),
  });
}

export function useDeleteDocument(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (docId: string) => http.del(`${spacePath(id)}/documents/${seg(docId)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: spacesKeys.documents(id) }),
  });
}

// ---------- Events and the calendar feed ----------

/** API path of a space's events between two days. */
export const eventsPath = (id: string, from: string, to: string) => `${spacePath(id)}/events${qs({ from, to })}`;

/** A space's events changed: its agenda and the own teams' agenda (home) are read again. */
function invalidateEvents(client: QueryClient, id: string) {
  void client.invalidateQueries({ queryKey: spacesKeys.events(id) });
  void client.invalidateQueries({ queryKey: spacesKeys.agenda() });
}

/**
 * The events of my own teams from today (the organisation's day) for `days`
 * days, by start: home's agenda, one request that needs no team id, so
 * index.html's early script can ask for it with the page (public/home-early.js).
 */
export const agendaPath = (days: number) => `/agenda${qs({ days })}`;

export function useAgenda(days: number) {
  return useQuery({
    queryKey: [...spacesKeys.agenda(), days],
    queryFn: ({ signal }) => http.get<{ items: SpaceEvent[] }>(agendaPath(days), signal),
    select: (data) => data.items,
  });
}

export function useEvents(id: string, from: string, to: string) {
  return useQuery({
    queryKey: [...spacesKeys.events(id), from, to],
    queryFn: ({ signal }) => http.get<{ items: SpaceEvent[] }>(eventsPath(id, from, to), signal),
    select: (data) => [...data.items].sort((a, b) => a.start.localeCompare(b.start)),
  });
}

export function useCreateEvent(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: EventInput) => http.post<SpaceEvent>(`${spacePath(id)}/events`, input),
    onSuccess: () => invalidateEvents(client, id),
  });
}

export function useDeleteEvent(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (eventId: string) => http.del(`${spacePath(id)}/events/${seg(eventId)}`),
    onSuccess: () => invalidateEvents(client, id),
  });
}

/** The personal calendar feed URL: a secret, so only fetched when asked for. */
export function useCalendarFeed(enabled: boolean) {
  return useQuery({
    queryKey: spacesKeys.calendarFeed(),
    queryFn: ({ signal }) => http.get<CalendarFeed>('/spaces/calendar-feed', signal),
    enabled,
    staleTime: Infinity,
  });
}

export function useResetCalendarFeed() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => http.post<CalendarFeed>('/spaces/calendar-feed/reset'),
    onSuccess: (feed) => client.setQueryData(spacesKeys.calendarFeed(), feed),
  });
}

// ---------- Announcements ----------

export function useAnnouncements() {
  return useQuery({
    queryKey: announcementKeys.list(),
    queryFn: ({ signal }) => http.get<{ items: Announcement[] }>(`/announcements${qs({ limit: 50 })}`, signal),
    select: (data) => data.items,
  });
}

export function useCreateAnnouncement() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: AnnouncementInput) => http.post<Announcement>('/announcements', input),
    onSuccess: () => client.invalidateQueries({ queryKey: announcementKeys.list() }),
  });
}

export function useAcknowledge() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => http.post<Announcement>(`/announcements/${seg(id)}/ack`),
    onSuccess: (updated) => {
      client.setQueryData<{ items: Announcement[] }>(announcementKeys.list(), (data) =>
        data ? { items: data.items.map((a) => (a.id === updated.id ? updated : a)) } : data,
      );
    },
  });
}

export function useAckReport(id: string) {
  return useQuery({
    queryKey: announcementKeys.report(id),
    queryFn: ({ signal }) => http.get<AckReport>(`/announcements/${seg(id)}/report`, signal),
  });
}
