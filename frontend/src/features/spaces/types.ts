// Wire types for team spaces, communities and announcements (/api/v1/spaces,
// /api/v1/communities, /api/v1/announcements). Keep in sync with the server.

export interface PersonRef {
  id: string;
  name: string;
}

export type SpaceKind = 'team' | 'community';
export type Visibility = 'team' | 'organisation';

export interface SpaceSummary {
  id: string;
  kind: SpaceKind;
  name: string;
  description: string;
  regionId?: string;
  memberCount: number;
  member: boolean;
}

export interface SpaceContact {
  phone: string;
  email: string;
}

export interface SpaceMember {
  id: string;
  name: string;
  teamRoles: string[];
}

export interface Space extends SpaceSummary {
  /** Sanitised by the server: the only HTML we render. */
  descriptionHtml: string;
  workingArea: string[];
  contact: SpaceContact;
  members: SpaceMember[];
  revision: number;
  updatedAt: string;
  updatedBy?: PersonRef;
  canEdit: boolean;
  canPost: boolean;
  /** An archived team's space: read-only (its former members read it). */
  archived?: boolean;
  canJoin: boolean;
  canLeave: boolean;
}

export interface SpacesOverview {
  teams: SpaceSummary[];
  communities: SpaceSummary[];
}

export interface ProfileRevision {
  revision: number;
  at: string;
  by: PersonRef;
  fields: string[];
  description: string;
  workingArea: string[];
  contact: SpaceContact;
}

export interface ProfileInput {
  description: string;
  workingArea: string[];
  contact: SpaceContact;
  revision: number;
  /** The writer saw the client-data warning and saves anyway. */
  acknowledgeIdentifiers?: boolean;
}

export interface Attachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  image: boolean;
  /** An image's size in pixels (absent for images stored before variants existed). */
  width?: number;
  height?: number;
}

/** The fixed reaction set, in display order. */
export const POST_REACTIONS = ['👍', '❤️', '🎉', '🙏', '👀', '✅'] as const;
export type PostReaction = (typeof POST_REACTIONS)[number];

export interface Reaction {
  emoji: string;
  count: number;
  mine: boolean;
}

export interface Post {
  id: string;
  spaceId: string;
  spaceName: string;
  author: PersonRef;
  body: string;
  /** Sanitised by the server. */
  bodyHtml: string;
  visibility: Visibility;
  /** A team agreement ("afspraak"). */
  agreement: boolean;
  pinned: boolean;
  attachments: Attachment[];
  reactions: Reaction[];
  commentCount: number;
  createdAt: string;
  editedAt?: string;
  canEdit: boolean;
  canDelete: boolean;
  canPin: boolean;
}

export interface PostPage {
  items: Post[];
  next?: string;
}

export interface PostInput {
  body: string;
  visibility: Visibility;
  agreement: boolean;
  /** Sent after the writer chose "Toch versturen" on the client-data warning. */
  acknowledgeIdentifiers?: boolean;
  /** Staged files (stageUpload) published with the post: all of them, or no post. */
  attachments?: string[];
}

/** A file staged for a post that is yet to be written (POST …/uploads). */
export interface StagedUpload {
  id: string;
  name: string;
  contentType: string;
  size: number;
  image: boolean;
}

export interface Comment {
  id: string;
  postId: string;
  author: PersonRef;
  body: string;
  bodyHtml: string;
  createdAt: string;
  canDelete: boolean;
}

export interface Folder {
  path: string;
  name: string;
}

export interface DocumentVersion {
  version: number;
  size: number;
  contentType: string;
  uploadedAt: string;
  uploadedBy: PersonRef;
  note: string;
}

export interface DocumentInfo {
  id: string;
  spaceId: string;
  folder: string;
  name: string;
  version: number;
  size: number;
  contentType: string;
  updatedAt: string;
  updatedBy: PersonRef;
  /** Image or PDF. */
  previewable: boolean;
  /** The current version's size in pixels when it is an image stored with variants. */
  width?: number;
  height?: number;
  versions?: DocumentVersion[];
}

export interface FolderListing {
  folder: string;
  folders: Folder[];
  items: DocumentInfo[];
}

export interface SpaceEvent {
  id: string;
  spaceId: string;
  title: string;
  start: string;
  end: string;
  allDay: boolean;
  location: string;
  description: string;
  visibility: Visibility;
  createdBy: PersonRef;
  canDelete: boolean;
}

export interface EventInput {
  title: string;
  start: string;
  end: string;
  allDay: boolean;
  location: string;
  description: string;
  visibility: Visibility;
  /** Sent after the writer chose "Toch versturen" on the client-data warning. */
  acknowledgeIdentifiers?: boolean;
}

export interface CalendarFeed {
  url: string;
}

export interface Audience {
  everyone: boolean;
  regions: string[];
  teams: string[];
}

export interface Announcement {
  id: string;
  title: string;
  body: string;
  bodyHtml: string;
  author: PersonRef;
  audience: Audience;
  requiresAck: boolean;
  acknowledged: boolean;
  ackedAt?: string;
  createdAt: string;
}

export interface AnnouncementInput {
  title: string;
  body: string;
  audience: Audience;
  requiresAck: boolean;
  /** The writer saw the client-data warning and publishes anyway. */
  acknowledgeIdentifiers?: boolean;
}

export interface AckReportTeam {
  team: { id: string; name: string };
  members: number;
  acked: number;
  rate: number;
  missing: PersonRef[];
}

export interface AckReport {
  announcement: { id: string; title: string };
  teams: AckReportTeam[];
  total: { members: number; acked: number; rate: number };
}

/** Roles that may write announcements. */
export const ANNOUNCEMENT_ROLES = [
  'ondersteunende_dienst',
  'regiomanager',
  'coordinerend_wijkverpleegkundige',
  'beheerder',
] as const;
