import type { RegionSummary, TeamSummary } from '../../api/types';
import { matchesQuery } from '../../lib/text';

export interface RegionGroup {
  id: string;
  /** null for teams whose region is not in the regions list */
  name: string | null;
  teams: TeamSummary[];
}

export function filterTeams(teams: readonly TeamSummary[], query: string): TeamSummary[] {
  return teams.filter((team) => matchesQuery(query, [team.name, ...team.workingArea]));
}

/** Group teams under their region, in region order; teams sorted by name (Dutch collation). */
export function groupTeamsByRegion(regions: readonly RegionSummary[], teams: readonly TeamSummary[]): RegionGroup[] {
  const collator = new Intl.Collator('nl', { sensitivity: 'base', numeric: true });
  const byRegion = new Map<string, TeamSummary[]>();
  for (const team of teams) {
    const list = byRegion.get(team.regionId);
    if (list) list.push(team);
    else byRegion.set(team.regionId, [team]);
  }
  const groups: RegionGroup[] = [];
  for (const region of regions) {
    const list = byRegion.get(region.id);
    if (!list) continue;
    byRegion.delete(region.id);
    groups.push({ id: region.id, name: region.name, teams: list.sort((a, b) => collator.compare(a.name, b.name)) });
  }
  for (const [id, list] of byRegion) {
    groups.push({ id, name: null, teams: list.sort((a, b) => collator.compare(a.name, b.name)) });
  }
  return groups;
}
