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
