// Wire types of the knowledge base API (/api/v1/knowledge/…). Mirrors the
// contract the server implements (server/knowledge); keep the two in sync.

export const ARTICLE_STATUSES = ['concept', 'review', 'published', 'archived'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

export const CATEGORIES = ['wondzorg', 'medicatie', 'hygiene', 'veiligheid', 'zorgverlening', 'hr', 'ict', 'kwaliteit'] as const;
export type Category = (typeof CATEGORIES)[number];

export const ARTICLE_TYPES = ['protocol', 'werkinstructie', 'nieuws', 'faq'] as const;
export type ArticleType = (typeof ARTICLE_TYPES)[number];

/** Support services that own articles. */
export const OWNERS = ['kwaliteit', 'hr', 'ict', 'financien', 'communicatie'] as const;
export type Owner = (typeof OWNERS)[number];

export type FeedbackKind = 'question' | 'outdated';

/** everyone=true → the lists are empty. */
export interface Audience {
  everyone: boolean;
  regions: string[];
  teams: string[];
  roles: string[];
}

/**
 * The `audience` filter of /knowledge/search and /knowledge/articles:
 * everyone = articles for the whole organisation; mine = articles aimed at
 * one of my own teams, regions or roles (not the everyone-articles); the
 * others = articles aimed at that team, region or role. Absent = everything
 * the reader may read. Anything else is a 422 (field "audience").
 */
export type AudienceFilter = 'everyone' | 'mine' | `team:${string}` | `region:${string}` | `role:${string}`;

export interface PersonRef {
  id: string;
  name: string;
}

/** pending = in the audience, required, and the current major version not confirmed yet. */
export interface ConfirmState {
  required: boolean;
  confirmedVersion?: string;
  confirmedAt?: string;
  pending: boolean;
}

export interface ArticleSummary {
  id: string;
  title: string;
  summary: string;
  category: Category;
  type: ArticleType;
  tags: string[];
  owner: Owner;
  /** Status of the working copy (editors); readers only ever get published ones. */
  status: ArticleStatus;
  /** Newest published version, "2.1"; "" when never published. */
  version: string;
  publishedAt?: string;
  updatedAt: string;
  /** yyyy-mm-dd */
  reviewDue: string;
  overdue: boolean;
  requiresConfirmation: boolean;
  confirmation: ConfirmState;
  externalUrl?: string;
}

/** Item of GET /knowledge/review: the draft author's name inline. */
export interface ReviewItem extends ArticleSummary {
  author?: PersonRef | string;
}

export interface Attachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

export interface VersionInfo {
  version: string;
  major: boolean;
  publishedAt: string;
  author: PersonRef;
  reviewer: PersonRef;
  changeNote: string;
}

/** The working copy, editors only. */
export interface Draft {
  revision: number;
  status: ArticleStatus;
  title: string;
  summary: string;
  category: Category;
  type: ArticleType;
  tags: string[];
  owner: Owner;
  audience: Audience;
  body: string;
  requiresConfirmation: boolean;
  reviewDue: string;
  related: string[];
  externalUrl: string;
  author: PersonRef;
  updatedAt: string;
  changeNote: string;
  major: boolean;
  /** The last rejection comment. */
  reviewComment?: string;
}

export interface Article extends ArticleSummary {
  /** Published version's markdown and its sanitised HTML. */
  body: string;
  bodyHtml: string;
  audience: Audience;
  attachments: Attachment[];
  related: { id: string; title: string }[];
  /** Newest first. */
  versions: VersionInfo[];
  /** Only for editors. */
  draft?: Draft;
  canEdit: boolean;
  canReview: boolean;
  canReport: boolean;
}

export interface Meta {
  categories: { id: Category; count: number }[];
  owners: Owner[];
  types: ArticleType[];
  canEdit: boolean;
  pendingConfirmations: number;
}

export interface Snippet {
  text: string;
  /** [start, end) in UTF-16 code units (JS string indices). */
  marks: [number, number][];
}

export interface SearchHit extends ArticleSummary {
  snippet: Snippet;
}

export interface SearchResponse {
  items: SearchHit[];
  total: number;
  query: string;
  /** Set when the words as typed found nothing and close words did (a typo). */
  corrected?: string;
}

export interface ArticleList {
  items: ArticleSummary[];
  total: number;
}

export interface VersionView {
  version: VersionInfo;
  title: string;
  body: string;
  bodyHtml: string;
}

export interface DiffLine {
  op: 'eq' | 'add' | 'del';
  text: string;
}

export interface Diff {
  from: string;
  to: string;
  lines: DiffLine[];
}

/** Body of POST /knowledge/articles. */
export interface ArticleInput {
  title: string;
  summary: string;
  category: Category;
  type: ArticleType;
  tags: string[];
  owner: Owner;
  audience: Audience;
  body: string;
  requiresConfirmation: boolean;
  reviewDue: string;
  related: string[];
  externalUrl: string;
  /** The writer saw the client-data warning and saves anyway. */
  acknowledgeIdentifiers?: boolean;
}

/** Body of PUT /knowledge/articles/:id/draft. */
export interface DraftInput extends ArticleInput {
  revision: number;
  changeNote: string;
  major: boolean;
}

export interface TeamConfirmation {
  team: { id: string; name: string };
  regionId: string;
  members: number;
  confirmed: number;
  /** 0..1 */
  rate: number;
  missing: PersonRef[];
}

export interface ConfirmationReport {
  article: { id: string; title: string; version: string };
  teams: TeamConfirmation[];
  total: { members: number; confirmed: number; rate: number };
}

export interface ConfirmationOverviewItem {
  article: ArticleSummary;
  members: number;
  confirmed: number;
  rate: number;
}

export interface Feedback {
  id: string;
  articleId: string;
  articleTitle: string;
  kind: FeedbackKind;
  text: string;
  author: PersonRef;
  createdAt: string;
  answer?: { text: string; author: PersonRef; at: string };
}
