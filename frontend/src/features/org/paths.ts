/** The team's chat channel (its section "Chat" on the team page links here). */
export function teamChannelPath(teamId: string): string {
  return `/chat/${encodeURIComponent(`t-${teamId}`)}`;
}
