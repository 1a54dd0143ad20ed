package teamspace

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/plein/plein/server/org"
)

// Kinds of space.
const (
	KindTeam      = "team"
	KindCommunity = "community"
)

// Visibility of a post or event.
const (
	VisibilityTeam         = "team"         // members of the space only
	VisibilityOrganisation = "organisation" // every logged-in member of staff
)

// Emojis is the fixed set of reactions, in display order.
var Emojis = []string{"👍", "❤️", "🎉", "🙏", "👀", "✅"}

// normaliseEmoji maps an emoji (with or without variation selector) to its
// form in Emojis; ok is false for anything outside the set.
func normaliseEmoji(s string) (string, bool) {
	if s == "❤" {
		s = "❤️"
	}
	return s, slices.Contains(Emojis, s)
}

// Limits.
const (
	MaxPostRunes         = 10_000
	MaxCommentRunes      = 4_000
	MaxAnnouncementRunes = 10_000
	MaxDescriptionRunes  = 4_000
	MaxFileBytes         = 10 << 20 // attachments and documents
	MaxAttachments       = 10       // per post
	MaxPageSize          = 50
)

// Contact is how others reach a team: the organisation's own (org.Contact),
// which a team's profile revisions change.
type Contact = org.Contact

// ---------------------------------------------------------------------------
// Stored types. They are exported so that a search indexer can read them;
// the service hands out copies, never its own values.

// PostDoc is a post as stored (its latest revision).
type PostDoc struct {
	ID          string          `json:"id"`
	SpaceID     string          `json:"spaceId"`
	AuthorID    string          `json:"authorId"`
	Body        string          `json:"body"`
	Visibility  string          `json:"visibility"`
	Agreement   bool            `json:"agreement"`
	Pinned      bool            `json:"pinned"`
	Attachments []AttachmentDoc `json:"attachments"`
	CreatedAt   time.Time       `json:"createdAt"`
	EditedAt    time.Time       `json:"editedAt"` // zero when never edited
}

// AttachmentDoc is a file attached to a post.
type AttachmentDoc struct {
	ID          string `bson:"id" json:"id"`
	BlobID      string `bson:"blob" json:"-"`
	Name        string `bson:"name" json:"name"`
	ContentType string `bson:"contentType" json:"contentType"`
	Size        int64  `bson:"size" json:"size"`
	// Width and Height of an image (0 for files stored before images went
	// through server/photo, and for other files).
	Width  int `bson:"w,omitempty" json:"width,omitempty"`
	Height int `bson:"h,omitempty" json:"height,omitempty"`
}

// CommentDoc is a comment on a post.
type CommentDoc struct {
	ID        string
	PostID    string
	AuthorID  string
	Body      string
	CreatedAt time.Time
}

// DocumentDoc is a document in a space's document library with its versions.
type DocumentDoc struct {
	ID        string               `json:"id"`
	SpaceID   string               `json:"spaceId"`
	Folder    string               `json:"folder"`
	Name      string               `json:"name"`
	Versions  []DocumentVersionDoc `json:"versions"` // oldest first; never empty
	CreatedAt time.Time            `json:"createdAt"`
}

// Current is the latest version.
func (d *DocumentDoc) Current() DocumentVersionDoc { return d.Versions[len(d.Versions)-1] }

// DocumentVersionDoc is one uploaded version of a document.
type DocumentVersionDoc struct {
	Version     int       `bson:"version" json:"version"`
	BlobID      string    `bson:"blob" json:"-"`
	Size        int64     `bson:"size" json:"size"`
	ContentType string    `bson:"contentType" json:"contentType"`
	SHA256      string    `bson:"sha256" json:"-"`
	UploadedAt  time.Time `bson:"at" json:"uploadedAt"`
	UploadedBy  string    `bson:"by" json:"uploadedBy"`
	Note        string    `bson:"note" json:"note"`
	// Width and Height of an image (see AttachmentDoc).
	Width  int `bson:"w,omitempty" json:"width,omitempty"`
	Height int `bson:"h,omitempty" json:"height,omitempty"`
}

// EventDoc is a calendar event of a space.
type EventDoc struct {
	ID          string
	SpaceID     string
	Title       string
	Start, End  time.Time // UTC; for all-day events midnight UTC of the first and the last day
	AllDay      bool
	Location    string
	Description string
	Visibility  string
	CreatedBy   string
	CreatedAt   time.Time
}

// Audience says whom an announcement is for.
type Audience struct {
	Everyone bool     `bson:"everyone" json:"everyone"`
	Regions  []string `bson:"regions" json:"regions"`
	Teams    []string `bson:"teams" json:"teams"`
}

// AnnouncementDoc is an announcement to (part of) the organisation.
type AnnouncementDoc struct {
	ID          string
	Title       string
	Body        string
	AuthorID    string
	Audience    Audience
	RequiresAck bool
	CreatedAt   time.Time
}

// CommunityDoc is an open, cross-team space around a theme.
type CommunityDoc struct {
	ID          string
	Name        string
	Description string
	CreatedBy   string
	CreatedAt   time.Time
}

// ProfileRevisionDoc is one revision of a space's profile. Revisions are
// insert-only; _id is "<space>:<revision, zero-padded>" so that two
// concurrent edits of the same revision collide on the unique _id.
type ProfileRevisionDoc struct {
	ID          string    `bson:"_id"`
	SpaceID     string    `bson:"space"`
	Revision    int       `bson:"revision"`
	At          time.Time `bson:"at"`
	By          string    `bson:"by"`
	Fields      []string  `bson:"fields"`
	Description string    `bson:"description"`
	WorkingArea []string  `bson:"workingArea"`
	Contact     Contact   `bson:"contact"`
}

// ProfileRevisionID is the _id of a space's profile revision.
func ProfileRevisionID(spaceID string, rev int) string { return spaceID + ":" + pad6(rev) }

func pad6(n int) string {
	s := strconv.Itoa(n)
	if len(s) < 6 {
		s = strings.Repeat("0", 6-len(s)) + s
	}
	return s
}

// ---------------------------------------------------------------------------
// The change log (see doc.go): every change is one insert-only entry.

// Entry kinds.
const (
	kCommunity     = "community"
	kJoin          = "join"
	kLeave         = "leave"
	kProfile       = "profile"
	kPost          = "post"
	kPostEdit      = "post.edit"
	kPostDelete    = "post.delete"
	kPin           = "pin"
	kReact         = "react"
	kUnreact       = "unreact"
	kAttach        = "attach"
	kComment       = "comment"
	kCommentDelete = "comment.delete"
	kFolder        = "folder"
	kDocument      = "document"
	kDocDelete     = "document.delete"
	kEvent         = "event"
	kEventDelete   = "event.delete"
	kAnnounce      = "announce"
	kAck           = "ack"
)

// entry is one change. Its _id is the global sequence number, zero-padded,
// so that catching up is a point lookup of the next number.
type entry struct {
	ID    string    `bson:"_id"`
	Seq   int64     `bson:"seq"`
	At    time.Time `bson:"at"`
	Kind  string    `bson:"kind"`
	By    string    `bson:"by"`
	Space string    `bson:"space,omitempty"`
	Ref   string    `bson:"ref,omitempty"` // the post, document, event or announcement
	Sub   string    `bson:"sub,omitempty"` // the comment (of post Ref)

	Text       string         `bson:"text,omitempty"` // post, comment and announcement body; folder path; emoji
	Visibility string         `bson:"vis,omitempty"`
	Agreement  bool           `bson:"agreement,omitempty"`
	Pinned     bool           `bson:"pinned,omitempty"`
	Attachment *AttachmentDoc `bson:"attachment,omitempty"`
	// Attachments are a new post's files (kPost), published with it in
	// this one entry, or the files an edit adds (kPostEdit): a post or an
	// edit and its files are one outcome. (Attachment, one file added by a
	// kAttach entry, is what the old separate upload wrote; such entries
	// are still read.)
	Attachments []AttachmentDoc     `bson:"attachments,omitempty"`
	Document    *entryDocument      `bson:"document,omitempty"`
	Event       *entryEvent         `bson:"event,omitempty"`
	Community   *entryCommunity     `bson:"community,omitempty"`
	Profile     *ProfileRevisionDoc `bson:"profile,omitempty"`
	Announce    *entryAnnouncement  `bson:"announce,omitempty"`
	// Import is the Key of the import item that wrote the entry
	// (Service.Import): a re-run of the import skips it.
	Import string `bson:"import,omitempty"`
}

type entryDocument struct {
	Folder  string             `bson:"folder"`
	Name    string             `bson:"name"`
	Version DocumentVersionDoc `bson:"version"`
}

type entryEvent struct {
	Title       string    `bson:"title"`
	Start       time.Time `bson:"start"`
	End         time.Time `bson:"end"`
	AllDay      bool      `bson:"allDay"`
	Location    string    `bson:"location"`
	Description string    `bson:"description"`
}

type entryCommunity struct {
	Name        string `bson:"name"`
	Description string `bson:"description"`
}

type entryAnnouncement struct {
	Title       string   `bson:"title"`
	Audience    Audience `bson:"audience"`
	RequiresAck bool     `bson:"requiresAck"`
}

func seqID(seq int64) string {
	s := strconv.FormatInt(seq, 10)
	if len(s) < 12 {
		s = strings.Repeat("0", 12-len(s)) + s
	}
	return s
}

// Public ids are a letter and the sequence number of the entry that made
// the thing: p123 (post), c124 (comment), f125 (attachment), d126
// (document), e127 (event), a128 (announcement).
func refID(prefix byte, seq int64) string { return string(prefix) + strconv.FormatInt(seq, 10) }

var refRE = regexp.MustCompile(`^[pcfdea][1-9][0-9]{0,14}$`)

// parseRef returns the sequence number of a public id with the given prefix.
func parseRef(prefix byte, id string) (int64, bool) {
	if !refRE.MatchString(id) || id[0] != prefix {
		return 0, false
	}
	n, err := strconv.ParseInt(id[1:], 10, 64)
	return n, err == nil
}

// CommunityPrefix starts every community id.
const CommunityPrefix = "c-"

// IsCommunityID reports whether id names a community.
func IsCommunityID(id string) bool { return strings.HasPrefix(id, CommunityPrefix) }

// SpaceLink is the app's page of a space, or of one of its sections
// ("berichten/p12", "agenda/e3", …): a team's space is part of its team page
// (/teams/<id>), a community has its own (/ruimtes/<id>). Old /ruimtes links
// to a team keep working (the app redirects them).
func SpaceLink(spaceID, section string) string {
	base := "/teams/" + spaceID
	if IsCommunityID(spaceID) {
		base = "/ruimtes/" + spaceID
	}
	if section == "" {
		return base
	}
	return base + "/" + section
}

// ---------------------------------------------------------------------------
// Response types: what the API shows.

// PersonRef names a person.
type PersonRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// SpaceSummary is a space in lists.
type SpaceSummary struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	Description string `json:"description"`
	RegionID    string `json:"regionId,omitempty"`
	MemberCount int    `json:"memberCount"`
	Member      bool   `json:"member"`
}

// SpaceMember is a member as the space page shows them.
type SpaceMember struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	TeamRoles []string `json:"teamRoles"`
}

// Space is one space's page.
type Space struct {
	SpaceSummary
	DescriptionHTML string        `json:"descriptionHtml"`
	WorkingArea     []string      `json:"workingArea"`
	Contact         Contact       `json:"contact"`
	Members         []SpaceMember `json:"members"`
	Revision        int           `json:"revision"`
	UpdatedAt       time.Time     `json:"updatedAt"`
	UpdatedBy       *PersonRef    `json:"updatedBy,omitempty"`
	CanEdit         bool          `json:"canEdit"`
	CanPost         bool          `json:"canPost"`
	// Archived: the team stopped; its space is read-only (#14 §7).
	Archived bool `json:"archived,omitempty"`
	CanJoin  bool `json:"canJoin"`
	CanLeave bool `json:"canLeave"`
}

// SpaceList answers GET /spaces.
type SpaceList struct {
	Teams       []SpaceSummary `json:"teams"`
	Communities []SpaceSummary `json:"communities"`
}

// ProfileRevision is one entry of a profile's history.
type ProfileRevision struct {
	Revision    int       `json:"revision"`
	At          time.Time `json:"at"`
	By          PersonRef `json:"by"`
	Fields      []string  `json:"fields"`
	Description string    `json:"description"`
	WorkingArea []string  `json:"workingArea"`
	Contact     Contact   `json:"contact"`
}

// Attachment is a file attached to a post.
type Attachment struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	Image       bool   `json:"image"`
	// Width and Height of an image, when known: its variants are fetched
	// with ?w=320|640|1280 (never wider than the image).
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
}

// Reaction is the count of one emoji on a post.
type Reaction struct {
	Emoji string `json:"emoji"`
	Count int    `json:"count"`
	Mine  bool   `json:"mine"`
}

// Post is a post as a reader sees it.
type Post struct {
	ID           string       `json:"id"`
	SpaceID      string       `json:"spaceId"`
	SpaceName    string       `json:"spaceName"`
	Author       PersonRef    `json:"author"`
	Body         string       `json:"body"`
	BodyHTML     string       `json:"bodyHtml"`
	Visibility   string       `json:"visibility"`
	Agreement    bool         `json:"agreement"`
	Pinned       bool         `json:"pinned"`
	Attachments  []Attachment `json:"attachments"`
	Reactions    []Reaction   `json:"reactions"`
	CommentCount int          `json:"commentCount"`
	CreatedAt    time.Time    `json:"createdAt"`
	EditedAt     *time.Time   `json:"editedAt,omitempty"`
	CanEdit      bool         `json:"canEdit"`
	CanDelete    bool         `json:"canDelete"`
	CanPin       bool         `json:"canPin"`
}

// PostPage is one page of a space's stream.
type PostPage struct {
	Items []Post `json:"items"`
	Next  string `json:"next,omitempty"`
}

// Comment is a comment as a reader sees it.
type Comment struct {
	ID        string    `json:"id"`
	PostID    string    `json:"postId"`
	Author    PersonRef `json:"author"`
	Body      string    `json:"body"`
	BodyHTML  string    `json:"bodyHtml"`
	CreatedAt time.Time `json:"createdAt"`
	CanDelete bool      `json:"canDelete"`
}

// Folder is a folder of a document library.
type Folder struct {
	Path string `json:"path"`
	Name string `json:"name"`
}

// DocumentVersion is one version as the API shows it.
type DocumentVersion struct {
	Version     int       `json:"version"`
	Size        int64     `json:"size"`
	ContentType string    `json:"contentType"`
	UploadedAt  time.Time `json:"uploadedAt"`
	UploadedBy  PersonRef `json:"uploadedBy"`
	Note        string    `json:"note"`
}

// DocumentInfo is a document as the API shows it.
type DocumentInfo struct {
	ID          string    `json:"id"`
	SpaceID     string    `json:"spaceId"`
	Folder      string    `json:"folder"`
	Name        string    `json:"name"`
	Version     int       `json:"version"`
	Size        int64     `json:"size"`
	ContentType string    `json:"contentType"`
	UpdatedAt   time.Time `json:"updatedAt"`
	UpdatedBy   PersonRef `json:"updatedBy"`
	Previewable bool      `json:"previewable"`
	// Width and Height of the current version when it is an image (its
	// variants: ?w=320|640|1280 on the content URL).
	Width    int               `json:"width,omitempty"`
	Height   int               `json:"height,omitempty"`
	Versions []DocumentVersion `json:"versions,omitempty"`
}

// DocumentList is the content of one folder.
type DocumentList struct {
	Folder  string         `json:"folder"`
	Folders []Folder       `json:"folders"`
	Items   []DocumentInfo `json:"items"`
}

// Event is an event as the API shows it.
type Event struct {
	ID          string    `json:"id"`
	SpaceID     string    `json:"spaceId"`
	Title       string    `json:"title"`
	Start       string    `json:"start"` // RFC 3339 in UTC, or yyyy-mm-dd for all-day events
	End         string    `json:"end"`   // idem; for all-day events the last day (inclusive)
	AllDay      bool      `json:"allDay"`
	Location    string    `json:"location"`
	Description string    `json:"description"`
	Visibility  string    `json:"visibility"`
	CreatedBy   PersonRef `json:"createdBy"`
	CanDelete   bool      `json:"canDelete"`
	Link        string    `json:"link,omitempty"` // set on another domain's event (a learning session): where it lives
}

// Announcement is an announcement as a reader sees it.
type Announcement struct {
	ID           string     `json:"id"`
	Title        string     `json:"title"`
	Body         string     `json:"body"`
	BodyHTML     string     `json:"bodyHtml"`
	Author       PersonRef  `json:"author"`
	Audience     Audience   `json:"audience"`
	RequiresAck  bool       `json:"requiresAck"`
	Acknowledged bool       `json:"acknowledged"`
	AckedAt      *time.Time `json:"ackedAt,omitempty"`
	CreatedAt    time.Time  `json:"createdAt"`
}

// IDName is an id with a name.
type IDName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// AckTeam is one team's line in an acknowledgement report.
type AckTeam struct {
	Team    IDName      `json:"team"`
	Members int         `json:"members"`
	Acked   int         `json:"acked"`
	Rate    float64     `json:"rate"`
	Missing []PersonRef `json:"missing"`
}

// AckTotal sums a report over distinct people.
type AckTotal struct {
	Members int     `json:"members"`
	Acked   int     `json:"acked"`
	Rate    float64 `json:"rate"`
}

// AckReport says who in an announcement's audience acknowledged it.
type AckReport struct {
	Announcement struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"announcement"`
	Teams []AckTeam `json:"teams"`
	Total AckTotal  `json:"total"`
}
