// The pages the front-end benchmarks measure (scripts/cold-load.mjs,
// scripts/lighthouse.mjs): home, the logged-in person's first team page and
// the first knowledge article they can read. `page` is logged in.
import { BASE_URL } from '../e2e/lib.mjs';

export async function benchTargets(page) {
  const api = (path) => page.evaluate(async (p) => (await fetch(p, { credentials: 'same-origin' })).json(), path);
  const session = await api('/api/v1/session');
  const team = session.user?.teams?.[0]?.id ?? session.teams?.[0]?.id;
  const articles = await api('/api/v1/knowledge/articles?limit=1');
  const article = articles.items?.[0]?.id;
  if (!team || !article) throw new Error(`no team (${team}) or article (${article}) to measure`);
  return [
    { name: 'home', url: `${BASE_URL}/` },
    { name: 'team page', url: `${BASE_URL}/teams/${encodeURIComponent(team)}` },
    { name: 'article', url: `${BASE_URL}/kennisbank/${encodeURIComponent(article)}` },
  ];
}
