// Where a space lives in the app. A team's space is part of its team page
// (/teams/:id, one page per team); a community has its own space page
// (/ruimtes/:id). Old /ruimtes/<team> links redirect (routes.tsx).

/** Communities have ids "c-<slug>"; every other space is a team's. */
export function isCommunityId(spaceId: string): boolean {
  return spaceId.startsWith('c-');
}

/** The page of a space, optionally one of its sections ("documenten", "agenda", "berichten/p1", …). */
export function spaceHref(spaceId: string, section = ''): string {
  const base = isCommunityId(spaceId) ? `/ruimtes/${encodeURIComponent(spaceId)}` : `/teams/${encodeURIComponent(spaceId)}`;
  return section ? `${base}/${section}` : base;
}

/** The page of one post and its comments. */
export function postUrl(post: { spaceId: string; id: string }): string {
  return spaceHref(post.spaceId, `berichten/${encodeURIComponent(post.id)}`);
}
