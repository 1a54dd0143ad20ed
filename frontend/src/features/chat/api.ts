import { useMutation, useQuery } from '@tanstack/react-query';
import { apiRequest, api } from '../../api/client';
import type { ListResponse } from '../../api/types';
import type { BrowseChannel, ChannelSummary, ChatPrefs, Person } from './types';

export const chatKeys = {
  channels: () => ['chat', 'channels'] as const,
  browse: () => ['chat', 'browse'] as const,
  people: (q: string) => ['chat', 'people', q] as const,
};

/** The user's channels over REST: shown until the websocket's `ready` arrives. */
export function useChannelsQuery() {
  return useQuery({
    queryKey: chatKeys.channels(),
    queryFn: ({ signal }) => api.get<ListResponse<ChannelSummary>>('/chat/channels', signal),
    select: (data) => data.items ?? [],
    staleTime: 30_000,
    retry: false,
  });
}

export function useBrowseChannels() {
  return useQuery({
    queryKey: chatKeys.browse(),
    queryFn: ({ signal }) => api.get<ListResponse<BrowseChannel>>('/chat/browse', signal),
    select: (data) => data.items ?? [],
    staleTime: 10_000,
  });
}

/** People search (at least 2 characters). */
export function usePeopleSearch(query: string) {
  const q = query.trim();
  return useQuery({
    queryKey: chatKeys.people(q.toLocaleLowerCase('nl')),
    queryFn: ({ signal }) =>
      api.get<ListResponse<Person>>(`/chat/people?q=${encodeURIComponent(q)}`, signal),
    select: (data) => data.items ?? [],
    enabled: q.length >= 2,
    staleTime: 60_000,
    placeholderData: (previous) => previous,
  });
}

export interface CreateChannelInput {
  name: string;
  kind: 'open' | 'closed';
  topic: string;
  /** The writer saw the client-data warning and creates the channel anyway. */
  acknowledgeIdentifiers?: boolean;
}

export function useCreateChannel() {
  return useMutation({
    mutationFn: (input: CreateChannelInput) => api.post<ChannelSummary>('/chat/channels', input),
  });
}

export function useJoinChannel() {
  return useMutation({
    mutationFn: (id: string) => api.post<ChannelSummary>(`/chat/channels/${encodeURIComponent(id)}/join`),
  });
}

export function useLeaveChannel() {
  return useMutation({
    mutationFn: (id: string) => api.post<void>(`/chat/channels/${encodeURIComponent(id)}/leave`),
  });
}

export function useInviteMember() {
  return useMutation({
    mutationFn: ({ channelId, userId }: { channelId: string; userId: string }) =>
      apiRequest<void>(`/chat/channels/${encodeURIComponent(channelId)}/members/${encodeURIComponent(userId)}`, {
        method: 'PUT',
      }),
  });
}

/** Mute or pin a conversation for oneself (stored on the server, for every device). */
export function useChannelPrefs() {
  return useMutation({
    mutationFn: ({ channelId, ...body }: { channelId: string; muted?: boolean; pinned?: boolean }) =>
      apiRequest<ChannelSummary>(`/chat/channels/${encodeURIComponent(channelId)}/prefs`, { method: 'PUT', body }),
  });
}

/** Change one's own chat settings (hiding one's presence). */
export function useSetChatPrefs() {
  return useMutation({
    mutationFn: (prefs: ChatPrefs) => apiRequest<ChatPrefs>('/chat/prefs', { method: 'PUT', body: prefs }),
  });
}

export function useStartDm() {
  return useMutation({
    mutationFn: (userIds: string[]) => api.post<ChannelSummary>('/chat/dm', { userIds }),
  });
}

/** A message found in one conversation (GET /chat/channels/{id}/search). */
export interface ConversationHit {
  seq: number;
  at: string;
  byName: string;
  snippet: { text: string; marks: [number, number][] };
}

export interface ConversationSearchResult {
  query: string;
  total: number;
  items: ConversationHit[];
}

/** Search within one conversation; runs once q is submitted (not empty). */
export function useConversationSearch(channelId: string, q: string) {
  return useQuery({
    queryKey: ['chat', 'search', channelId, q] as const,
    queryFn: ({ signal }) =>
      api.get<ConversationSearchResult>(
        `/chat/channels/${encodeURIComponent(channelId)}/search?q=${encodeURIComponent(q)}`,
        signal,
      ),
    enabled: q.trim() !== '',
    staleTime: 10_000,
    retry: false,
  });
}

/** One message of a conversation export (the personal data export's MessageData). */
export interface ExportedMessage {
  seq: number;
  at: string;
  byName?: string;
  reply?: number;
  body: string;
  files?: string[];
  edited?: boolean;
  deleted?: boolean;
}

/** GET /chat/channels/{id}/export: the personal data export's shape with one section, chat. */
export interface ConversationExport {
  generatedAt: string;
  subject: { id: string; name: string };
  sections: {
    chat: {
      conversation: { id: string; kind: string; members: { id: string; name: string }[] };
      messages: ExportedMessage[];
    };
  };
}

export function conversationExportUrl(channelId: string, download = false): string {
  return `/api/v1/chat/channels/${encodeURIComponent(channelId)}/export${download ? '?download=1' : ''}`;
}

export function fetchConversationExport(channelId: string): Promise<ConversationExport> {
  return api.get<ConversationExport>(`/chat/channels/${encodeURIComponent(channelId)}/export`);
}
