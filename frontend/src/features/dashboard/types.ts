// Wire types of the dashboard API (/api/v1/dashboard/…). Mirrors
// server/dashboard/model.go, views.go and service.go.

export type IndicatorUnit = '%' | 'grade' | 'EUR' | 'number' | (string & {});
export type TrafficLight = 'green' | 'amber' | 'red' | 'none';
/** Why a value is withheld: a small team, or an aggregate that would reveal one. */
export type Suppression = 'small_team' | 'complementary' | (string & {});

export interface Indicator {
  key: string;
  /** Dutch display name (built-in indicators are translated client-side). */
  name: string;
  unit: IndicatorUnit;
  direction: 'higher' | 'lower';
  target: number | null;
  min: number | null;
  max: number | null;
  aggregate: 'weighted_mean' | 'sum';
  builtin: boolean;
  private: boolean;
  restricted: boolean;
}

export interface TeamRef {
  id: string;
  name: string;
  regionId: string;
  regionName: string;
}

export interface Tile {
  key: string;
  value: number | null;
  previous: number | null;
  change: number | null;
  target: number | null;
  status: TrafficLight;
  region: number | null;
  organisation: number | null;
  suppressed?: Suppression;
  importId?: string;
  source?: string;
}

export type Values = Record<string, number | null | undefined>;

export interface SeriesPoint {
  month: string; // yyyy-mm
  team?: Values;
  region?: Values | null;
  organisation: Values;
  suppressed?: Record<string, Suppression>;
}

export interface Size {
  headcount: number | null;
  fte: number | null;
}

export interface Signal {
  team: string;
  teamName: string;
  key?: string;
  kind: 'off_target' | 'no_figures' | (string & {});
  months?: number;
  message: string;
}

export interface TeamView {
  team: TeamRef;
  month: string | null;
  size: Size;
  minGroupSize: number;
  indicators: Indicator[];
  latest: Tile[];
  series: SeriesPoint[];
  signals: Signal[];
}

export interface AggRow {
  id: string;
  name: string;
  teams: number;
  values: Values;
  changes: Values;
  status: Record<string, TrafficLight>;
  suppressed?: Record<string, Suppression>;
}

export interface TeamRow {
  id: string;
  name: string;
  regionId: string;
  regionName: string;
  size: Size;
  values: Values;
  changes: Values;
  status: Record<string, TrafficLight>;
  suppressed?: Record<string, Suppression>;
  signals: Signal[];
}

export interface OrgView {
  month: string | null;
  firstMonth: string | null;
  lastMonth: string | null;
  minGroupSize: number;
  indicators: Indicator[];
  organisation: AggRow;
  regions: AggRow[];
  teams: TeamRow[];
  series: SeriesPoint[];
  sort: string;
  order: 'asc' | 'desc';
}

export interface RegionView {
  region: AggRow;
  organisation: AggRow;
  month: string | null;
  minGroupSize: number;
  indicators: Indicator[];
  teams: TeamRow[];
  series: SeriesPoint[];
}

export interface ImportIssue {
  /** Spreadsheet row (header = 1); 0 for the file as a whole. */
  row: number;
  field: string;
  column?: string;
  code?: string;
  message: string;
}

export interface ChangeSummary {
  teamMonths: number;
  newTeamMonths: number;
  added: number;
  changed: number;
  cleared: number;
  unchanged: number;
}

export interface Change {
  team: string;
  month: string;
  key: string;
  old: number | null;
  new: number | null;
}

export interface PreviewRow {
  row: number;
  team: string;
  teamName: string;
  month: string;
  values: Values;
}

export interface ImportPreview {
  fileName: string;
  delimiter?: string;
  valid: boolean;
  rows: number;
  columns: string[];
  errors: ImportIssue[];
  hash?: string;
  summary?: ChangeSummary;
  changes?: Change[];
  changesTruncated?: boolean;
  duplicateOf?: string;
  figures?: PreviewRow[];
}

export interface ImportRecord {
  id: string;
  committed: boolean;
  at: string;
  by: string;
  byName: string;
  kind: 'csv' | 'api' | 'seed' | (string & {});
  fileName: string;
  source: string;
  hash: string;
  rows: number;
  columns: string[];
  firstMonth: string;
  lastMonth: string;
  summary: ChangeSummary;
  changes?: Change[];
  changesTruncated?: boolean;
}

export interface CommitResult {
  import?: ImportRecord;
  unchanged: boolean;
  duplicateOf?: string;
  summary: ChangeSummary;
}
