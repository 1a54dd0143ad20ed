import type { RouteObject } from 'react-router';
import { BrowseChannels } from './BrowseChannels';
import { ChannelView } from './ChannelView';
import { ChatHome, ChatPage } from './ChatPage';
import { NewConversation } from './NewConversation';

/** /chat routes, added under the root route's children in App.tsx. */
export const chatRoute: RouteObject = {
  path: 'chat',
  element: <ChatPage />,
  children: [
    { index: true, element: <ChatHome /> },
    { path: 'new', element: <NewConversation /> },
    { path: 'browse', element: <BrowseChannels /> },
    { path: ':channelId', element: <ChannelView /> },
    { path: ':channelId/thread/:seq', element: <ChannelView /> },
  ],
};
