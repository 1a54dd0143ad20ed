// The pages of /zoeken, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
export { SearchPage } from './SearchPage';
