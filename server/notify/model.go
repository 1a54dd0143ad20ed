package notify

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Kinds of notification. A Notice's Kind must be one of them.
const (
	KindMention        = "mention"         // someone @-mentioned you in a post or comment
	KindReply          = "reply"           // a comment on your post
	KindAnnouncement   = "announcement"    // an announcement (mededeling) that targets you
	KindDocument       = "document"        // a new document or version in one of your spaces
	KindArticleConfirm = "article_confirm" // a protocol asks you to confirm "gelezen en begrepen"
	KindPost           = "post"            // a new post in one of your spaces
	KindEvent          = "event"           // a new event in one of your spaces
	KindReviewDue      = "review_due"      // an article you wrote or approved is past its review date
	KindLearning       = "learning"        // the learning programme: a session invitation or reminder, a scan, a reflection
	KindAudit          = "audit"           // audits: an assignment, a new, finished or reopened action, a reminder, a finished audit
	KindMessage        = "message"         // a chat message in a direct or group conversation (push only: Notice.Ephemeral)
)

// Kinds lists every kind, in the order the preferences show them.
var Kinds = []string{KindMention, KindReply, KindAnnouncement, KindDocument, KindArticleConfirm, KindReviewDue, KindPost, KindEvent, KindLearning, KindAudit, KindMessage}

// ValidKind reports whether k is a known kind.
func ValidKind(k string) bool { return slices.Contains(Kinds, k) }

// Limits on what a notification holds and on requests.
const (
	MaxTitle    = 200 // runes; longer titles are cut with "…"
	MaxText     = 500 // runes
	MaxLink     = 500 // bytes
	MaxKey      = 500 // bytes of a dedup key
	MaxUserID   = 128 // bytes
	MaxReadIDs  = 500 // ids in one mark-read request
	MaxLimit    = 100 // items in one page
	DefaultPage = 30
)

// Notice is what a domain asks to notify. Title is required; Text is plain
// text (the client never renders it as HTML); Link is an app path such as
// /ruimtes/den-helder-centrum/berichten/p123 (anything else is dropped);
// ActorID/ActorName name who caused it (optional); Key, when set, makes the
// notice at most once per user ("article_confirm:<article>:<major>").
// Place names where it happened (a channel, space or team name) for
// messages that must not carry content, such as Web Push. Ephemeral
// notices are not stored: they only reach the Forwarder (a chat message
// in a conversation: the chat list shows it unread already).
type Notice struct {
	Kind      string
	Title     string
	Text      string
	Link      string
	ActorID   string
	ActorName string
	Place     string
	Key       string
	Ephemeral bool
	// PushSubject, when set, is what Web Push may name besides the kind and
	// place: a short subject the domain chose for it (an event reminder's
	// start time, "14:00"). Push checks it again and drops it when it looks like
	// client data. It is not stored with the person's notifications (only
	// with a fan-out in progress).
	PushSubject string
}

// PersonRef names a person.
type PersonRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Notification is one notification as its owner sees it (the API type).
type Notification struct {
	ID        string     `json:"id"` // "<userId>:<seq>"
	Kind      string     `json:"kind"`
	Title     string     `json:"title"`
	Text      string     `json:"text"`
	Link      string     `json:"link"`
	Actor     *PersonRef `json:"actor,omitempty"`
	Place     string     `json:"place,omitempty"`
	CreatedAt time.Time  `json:"createdAt"`
	Read      bool       `json:"read"`
	// PushSubject is the notice's PushSubject, for the Forwarder only.
	PushSubject string `json:"-"`
}

// Page is one page of a user's notifications, newest first.
type Page struct {
	Items  []Notification `json:"items"`
	Unread int            `json:"unread"`
	Next   string         `json:"next,omitempty"` // cursor for ?before= (older items)
}

// Prefs are a user's notification preferences. Kinds holds every kind
// (true: on). Live: push new notifications over the websocket.
type Prefs struct {
	Kinds map[string]bool `json:"kinds"`
	Live  bool            `json:"live"`
}

// PrefsInput changes preferences: the kinds it names are set, the others
// keep their setting; Live, when given, is set.
type PrefsInput struct {
	Kinds map[string]bool `json:"kinds"`
	Live  *bool           `json:"live"`
}

// content is what a notification says: the same for every recipient of one
// notice, so it is interned (unique.Handle) and shared in memory.
type content struct {
	Kind, Title, Text, Link, ActorID, ActorName, Place string
	PushSubject                                        string // not stored: a fan-out's own content only
	At                                                 int64  // unix milliseconds
}

func (c content) notification(user string, seq int64, read bool) Notification {
	n := Notification{ID: FormatID(user, seq), Kind: c.Kind, Title: c.Title, Text: c.Text, Link: c.Link, Place: c.Place, PushSubject: c.PushSubject,
		CreatedAt: time.UnixMilli(c.At).UTC(), Read: read}
	if c.ActorID != "" || c.ActorName != "" {
		n.Actor = &PersonRef{ID: c.ActorID, Name: c.ActorName}
	}
	return n
}

// FormatID is the public id of a user's notification number seq.
func FormatID(user string, seq int64) string { return user + ":" + strconv.FormatInt(seq, 10) }

// ParseID splits a public id into user and sequence number.
func ParseID(id string) (user string, seq int64, ok bool) {
	i := strings.LastIndexByte(id, ':')
	if i <= 0 || i == len(id)-1 || len(id)-i-1 > 18 {
		return "", 0, false
	}
	user, num := id[:i], id[i+1:]
	if !validUserID(user) || num[0] == '0' {
		return "", 0, false
	}
	for _, r := range num {
		if r < '0' || r > '9' {
			return "", 0, false
		}
	}
	seq, err := strconv.ParseInt(num, 10, 64)
	return user, seq, err == nil && seq > 0
}

// validUserID: non-empty, bounded, printable, no whitespace.
func validUserID(u string) bool {
	if u == "" || len(u) > MaxUserID || !utf8.ValidString(u) {
		return false
	}
	for _, r := range u {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// normalise checks and cleans a notice. It returns false when the notice
// cannot be shown (unknown kind, no title).
func (n Notice) normalise() (Notice, bool) {
	if !ValidKind(n.Kind) {
		return n, false
	}
	n.Title = clip(plain(n.Title), MaxTitle)
	n.Text = clip(plain(n.Text), MaxText)
	n.ActorName = clip(plain(n.ActorName), MaxTitle)
	n.Place = clip(plain(n.Place), MaxTitle)
	if !validUserID(n.ActorID) {
		n.ActorID = ""
	}
	if !appPath(n.Link) {
		n.Link = ""
	}
	if len(n.Key) > MaxKey || !utf8.ValidString(n.Key) {
		return n, false
	}
	return n, n.Title != ""
}

// appPath accepts a local path only: "/…", not "//host" or "/\host", no
// control characters or spaces. (No javascript: or other schemes.)
func appPath(s string) bool {
	if len(s) < 1 || len(s) > MaxLink || s[0] != '/' || strings.HasPrefix(s, "//") || strings.HasPrefix(s, `/\`) {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f || r == '\\' {
			return false
		}
	}
	return utf8.ValidString(s)
}

// plain collapses whitespace (including newlines) and drops control and
// invalid characters.
func plain(s string) string {
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case !unicode.IsPrint(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRightFunc(string(r[:n-1]), unicode.IsSpace) + "…"
}
