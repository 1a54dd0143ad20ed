import type { RouteObject } from 'react-router';
import { lazyPages } from '../../lib/lazyPages';

const page = lazyPages(() => import('./pages'), ['chat']);
const BrowseChannels = page('BrowseChannels');
const ChannelView = page('ChannelView');
const ChatHome = page('ChatHome');
const ChatPage = page('ChatPage');
const NewConversation = page('NewConversation');

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
