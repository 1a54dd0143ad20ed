// The pages of /chat routes, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
export { BrowseChannels } from './BrowseChannels';
export { ChannelView } from './ChannelView';
export { ChatHome, ChatPage } from './ChatPage';
export { NewConversation } from './NewConversation';
