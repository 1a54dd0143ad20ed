/**
 * Turning the export's sections into readable parts without showing its
 * field names: each part has a translated label (privacy.part.<label>), a
 * count, and up to MAX_LINES lines made of the items' values.
 */

/** The sections in the order the page shows them (the server's register order). */
export const SECTION_ORDER = [
  'account',
  'teams',
  'chat',
  'teamSpaces',
  'knowledge',
  'learning',
  'audits',
  'dashboard',
  'notifications',
  'pushDevices',
  'accessLog',
  'adminChanges',
] as const;
export type SectionName = (typeof SECTION_ORDER)[number];

/** The labels the page knows (privacy.part.*); anything else shows as "other". */
export const PART_LABELS = [
  'profile',
  'sessions',
  'memberships',
  'channels',
  'messages',
  'readMarkers',
  'posts',
  'comments',
  'reactions',
  'events',
  'documentVersions',
  'announcements',
  'communities',
  'confirmations',
  'feedback',
  'answers',
  'revisions',
  'versions',
  'records',
  'items',
  'settings',
  'devices',
  'byThem',
  'aboutThem',
  'other',
] as const;
type PartLabel = (typeof PART_LABELS)[number];

const COLLECTION_LABELS: Record<string, PartLabel> = {
  memberships: 'memberships',
  kb_confirmations: 'confirmations',
  kb_feedback: 'feedback',
  kb_answers: 'answers',
  kb_revisions: 'revisions',
  kb_versions: 'versions',
};

export interface Part {
  key: string;
  label: PartLabel;
  value: unknown;
}

function labelOf(key: string): PartLabel {
  if ((PART_LABELS as readonly string[]).includes(key)) return key as PartLabel;
  return COLLECTION_LABELS[key] ?? 'records';
}

/** The parts of one section. The account section is the profile plus its sessions. */
export function sectionParts(name: string, value: unknown): Part[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [{ key: 'other', label: 'other', value }];
  const obj = value as Record<string, unknown>;
  if (name === 'account') {
    const { sessions, ...profile } = obj;
    return [
      { key: 'profile', label: 'profile', value: profile },
      { key: 'sessions', label: 'sessions', value: sessions ?? [] },
    ];
  }
  return Object.keys(obj)
    .filter((k) => k !== 'truncated')
    .sort()
    .map((k) => ({ key: k, label: labelOf(k), value: obj[k] }));
}

/** How many items a part holds; null for a single record (a profile, settings). */
export function countItems(value: unknown): number | null {
  if (Array.isArray(value)) return value.length;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    // A map of read markers counts its entries.
    if (keys.length > 0 && keys.every((k) => typeof (value as Record<string, unknown>)[k] === 'number')) return keys.length;
  }
  return null;
}

export const MAX_LINES = 20;

const TIME_KEYS = ['at', 'createdAt', 'uploadedAt', 'updatedAt', 'lastLoginAt', 'startedAt', 'start', 'lastSeenAt'];
const isTime = (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s);

/** One line per item (newest records as the server sends them), values only. */
export function itemLines(value: unknown, date: (iso: string) => string): string[] {
  const line = (item: unknown): string => {
    if (item === null || item === undefined) return '';
    if (typeof item !== 'object') return String(item);
    const obj = item as Record<string, unknown>;
    const when = TIME_KEYS.map((k) => obj[k]).find((v) => typeof v === 'string' && isTime(v)) as string | undefined;
    const values: string[] = [];
    for (const [k, v] of Object.entries(obj)) {
      if (TIME_KEYS.includes(k) || k === '_id' || k === 'id') continue;
      if (typeof v === 'string' && v.trim() !== '' && !isTime(v)) values.push(v.length > 140 ? `${v.slice(0, 140)}…` : v);
      else if (typeof v === 'number' && k !== 'seq') values.push(String(v));
      else if (Array.isArray(v) && v.every((x) => typeof x === 'string') && v.length > 0) values.push(v.join(', '));
    }
    return [when ? date(when) : '', ...values].filter(Boolean).join(' · ');
  };
  if (Array.isArray(value)) return value.slice(0, MAX_LINES).map(line);
  if (value && typeof value === 'object') {
    if (countItems(value) !== null) {
      return Object.entries(value as Record<string, number>)
        .slice(0, MAX_LINES)
        .map(([k, n]) => `${k} · ${n}`);
    }
    return [line(value)];
  }
  return [line(value)];
}
