// Wire types for global search (/api/v1/search).

// Protocols (knowledge articles) first, then documents, then posts (#14 §7).
export const SEARCH_TYPES = ['article', 'document', 'post', 'team', 'person', 'message', 'community'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export interface Snippet {
  text: string;
  /** [start, end) pairs of UTF-16 indices into `text`. */
  marks: [number, number][];
}

export interface SearchItem {
  id: string;
  title: string;
  snippet: Snippet;
  link: string;
  meta: string;
}

export interface SearchGroup {
  type: SearchType;
  total: number;
  items: SearchItem[];
  /** Set when the words as typed found nothing of this type and close words did (a typo). */
  corrected?: string;
}

export interface SearchResponse {
  query: string;
  groups: SearchGroup[];
}
