package knowledge

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Status is where an article's working copy is in the workflow.
type Status string

// The workflow: concept → ter review → gepubliceerd → gearchiveerd.
const (
	StatusConcept   Status = "concept"
	StatusReview    Status = "review"
	StatusPublished Status = "published"
	StatusArchived  Status = "archived"
)

// Categories, types and owners are fixed lists: the UI translates them.
var (
	Categories = []string{"wondzorg", "medicatie", "hygiene", "veiligheid", "zorgverlening", "hr", "ict", "kwaliteit"}
	Types      = []string{"protocol", "werkinstructie", "nieuws", "faq"}
	// Owners are the support services that own guidance.
	Owners = []string{"kwaliteit", "hr", "ict", "financien", "communicatie"}
)

// Limits on article fields.
const (
	maxTitle       = 160
	maxSummary     = 400
	maxBody        = 60_000
	maxTags        = 12
	maxTag         = 40
	maxRelated     = 10
	maxAttachments = 20
	maxAttachment  = 10 << 20
	maxChangeNote  = 500
	maxComment     = 2000
	maxFeedback    = 4000
)

// Audience says who an article is for. Everyone, or anyone who matches one
// of the regions, teams or roles.
type Audience struct {
	Everyone bool     `bson:"everyone" json:"everyone"`
	Regions  []string `bson:"regions" json:"regions"`
	Teams    []string `bson:"teams" json:"teams"`
	Roles    []string `bson:"roles" json:"roles"`
}

// PersonRef names a person.
type PersonRef struct {
	ID   string `bson:"id" json:"id"`
	Name string `bson:"name" json:"name"`
}

// Attachment is a file attached to an article (bytes in the kbfiles bucket).
type Attachment struct {
	ID          string `bson:"id" json:"id"`
	Name        string `bson:"name" json:"name"`
	ContentType string `bson:"contentType" json:"contentType"`
	Size        int64  `bson:"size" json:"size"`
}

// Content is what an author writes: the working copy, and each published version.
type Content struct {
	Title                string       `bson:"title"`
	Summary              string       `bson:"summary"`
	Category             string       `bson:"category"`
	Type                 string       `bson:"type"`
	Tags                 []string     `bson:"tags"`
	Owner                string       `bson:"owner"`
	Audience             Audience     `bson:"audience"`
	Body                 string       `bson:"body"`
	RequiresConfirmation bool         `bson:"requiresConfirmation"`
	ReviewDue            string       `bson:"reviewDue"` // yyyy-mm-dd
	Related              []string     `bson:"related"`
	ExternalURL          string       `bson:"externalUrl"`
	Attachments          []Attachment `bson:"attachments"`
}

// Version is a published version: major.minor. A major version asks
// readers to confirm again.
type Version struct {
	Major int `bson:"major"`
	Minor int `bson:"minor"`
}

func (v Version) String() string {
	if v.Major == 0 {
		return ""
	}
	return fmt.Sprintf("%d.%d", v.Major, v.Minor)
}

// Next is the version after v for a major or minor change.
func (v Version) Next(major bool) Version {
	if v.Major == 0 || major {
		return Version{Major: v.Major + 1}
	}
	return Version{Major: v.Major, Minor: v.Minor + 1}
}

func (v Version) key() string { return fmt.Sprintf("v%04d.%04d", v.Major, v.Minor) }

// ParseVersion reads "2.1" (or "2").
func ParseVersion(s string) (Version, bool) {
	maj, min, found := strings.Cut(s, ".")
	a, err := strconv.Atoi(maj)
	if err != nil || a < 1 || a > 9999 {
		return Version{}, false
	}
	b := 0
	if found {
		if b, err = strconv.Atoi(min); err != nil || b < 0 || b > 9999 {
			return Version{}, false
		}
	}
	return Version{a, b}, true
}

// VersionInfo describes a published version.
type VersionInfo struct {
	Version     Version   `bson:"version"`
	Major       bool      `bson:"major"`
	PublishedAt time.Time `bson:"publishedAt"`
	Author      PersonRef `bson:"author"`
	Reviewer    PersonRef `bson:"reviewer"`
	ChangeNote  string    `bson:"changeNote"`
}

// Head is an article's whole current state. Every change stores a new
// revision of it (insert-only, `_id` "<article>:<rev>"); the newest is the
// article. A concurrent change of the same revision loses on the unique _id.
type Head struct {
	ID        string    `bson:"_id"`
	Article   string    `bson:"article"`
	Rev       int       `bson:"rev"`
	Op        string    `bson:"op"`
	At        time.Time `bson:"at"`
	By        PersonRef `bson:"by"`
	CreatedAt time.Time `bson:"createdAt"`
	CreatedBy PersonRef `bson:"createdBy"`
	Status    Status    `bson:"status"`
	Draft     Content   `bson:"draft"`
	UpdatedAt time.Time `bson:"updatedAt"` // last change of the working copy
	// Editors changed the working copy since the last publication; none of
	// them may approve it.
	Editors       []PersonRef   `bson:"editors"`
	ChangeNote    string        `bson:"changeNote"`
	MajorChange   bool          `bson:"majorChange"`
	ReviewComment string        `bson:"reviewComment"`
	Published     *Content      `bson:"published,omitempty"`
	Version       Version       `bson:"version"`
	PublishedAt   time.Time     `bson:"publishedAt"`
	Versions      []VersionInfo `bson:"versions"` // oldest first
}

func headID(article string, rev int) string { return fmt.Sprintf("%s:%06d", article, rev) }

// confirmMajor is the major version readers must have confirmed.
func (h *Head) confirmMajor() int { return h.Version.Major }

// visiblePublished reports whether readers see the article.
func (h *Head) visiblePublished() bool { return h.Published != nil && h.Status != StatusArchived }

func (h *Head) isEditor(userID string) bool {
	return slices.ContainsFunc(h.Editors, func(p PersonRef) bool { return p.ID == userID })
}

// storedVersion is one published version, insert-only (`_id` "<article>:v0002.0001").
type storedVersion struct {
	ID      string      `bson:"_id"`
	Article string      `bson:"article"`
	FromRev int         `bson:"fromRev,omitempty"` // the head revision of the review it published
	Info    VersionInfo `bson:"info"`
	Content Content     `bson:"content"`
}

// Confirmation records that a user read and understood a major version
// ("gelezen en begrepen"). Insert-only, `_id` "<article>:<major>:<user>".
type Confirmation struct {
	ID      string    `bson:"_id"`
	Article string    `bson:"article"`
	Major   int       `bson:"major"`
	Version string    `bson:"version"`
	UserID  string    `bson:"userId"`
	At      time.Time `bson:"at"`
}

// Feedback is a question or an "outdated" flag on an article.
type Feedback struct {
	ID        string    `bson:"_id"`
	Article   string    `bson:"article"`
	Kind      string    `bson:"kind"` // question | outdated
	Text      string    `bson:"text"`
	Author    PersonRef `bson:"author"`
	CreatedAt time.Time `bson:"createdAt"`
}

// Answer is the owner's answer to feedback (`_id` = the feedback's id: one answer each).
type Answer struct {
	ID     string    `bson:"_id"`
	Text   string    `bson:"text"`
	Author PersonRef `bson:"author"`
	At     time.Time `bson:"at"`
}

// change is an entry of the change log that lets other instances follow
// writes with point lookups (`_id` a zero-padded sequence number).
type change struct {
	ID   string `bson:"_id"`
	Kind string `bson:"kind"` // head | confirm | feedback | answer
	Ref  string `bson:"ref"`  // the written document's _id
	Art  string `bson:"article"`
	Rev  int    `bson:"rev,omitempty"`
}
