// The pages of /beheer/toegangslog, loaded together on first use (routes.tsx, lib/lazyPages.tsx).
export { AccessLogPage } from './AccessLogPage';
