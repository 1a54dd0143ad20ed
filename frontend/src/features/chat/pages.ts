// The pages of /chat routes, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
// Styles: the feature's own and those of other features whose parts these pages show.
import './chat.css';
import './chatfiles.css';
import '../spaces/spaces.css';
export { BrowseChannels } from './BrowseChannels';
export { ChannelView } from './ChannelView';
export { ChatHome, ChatPage } from './ChatPage';
export { NewConversation } from './NewConversation';
