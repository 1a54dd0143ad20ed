package knowledge

import (
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/plein/plein/server/search"
)

// ConfirmState is the reader's "gelezen en begrepen" state for an article.
type ConfirmState struct {
	Required         bool       `json:"required"`
	ConfirmedVersion string     `json:"confirmedVersion,omitempty"`
	ConfirmedAt      *time.Time `json:"confirmedAt,omitempty"`
	Pending          bool       `json:"pending"`
}

// ArticleSummary is an article in lists and search results.
type ArticleSummary struct {
	ID                   string       `json:"id"`
	Title                string       `json:"title"`
	Summary              string       `json:"summary"`
	Category             string       `json:"category"`
	Type                 string       `json:"type"`
	Tags                 []string     `json:"tags"`
	Owner                string       `json:"owner"`
	Status               Status       `json:"status"`
	Version              string       `json:"version"`
	PublishedAt          *time.Time   `json:"publishedAt,omitempty"`
	UpdatedAt            time.Time    `json:"updatedAt"`
	ReviewDue            string       `json:"reviewDue"`
	Overdue              bool         `json:"overdue"`
	RequiresConfirmation bool         `json:"requiresConfirmation"`
	Confirmation         ConfirmState `json:"confirmation"`
	ExternalURL          string       `json:"externalUrl,omitempty"`
}

// VersionView describes a published version.
type VersionView struct {
	Version     string    `json:"version"`
	Major       bool      `json:"major"`
	PublishedAt time.Time `json:"publishedAt"`
	Author      PersonRef `json:"author"`
	Reviewer    PersonRef `json:"reviewer"`
	ChangeNote  string    `json:"changeNote"`
}

// RelatedRef links a related article.
type RelatedRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// DraftView is the working copy, for editors.
type DraftView struct {
	Revision             int          `json:"revision"`
	Status               Status       `json:"status"`
	Title                string       `json:"title"`
	Summary              string       `json:"summary"`
	Category             string       `json:"category"`
	Type                 string       `json:"type"`
	Tags                 []string     `json:"tags"`
	Owner                string       `json:"owner"`
	Audience             Audience     `json:"audience"`
	Body                 string       `json:"body"`
	RequiresConfirmation bool         `json:"requiresConfirmation"`
	ReviewDue            string       `json:"reviewDue"`
	Related              []string     `json:"related"`
	ExternalURL          string       `json:"externalUrl"`
	Attachments          []Attachment `json:"attachments"`
	Author               PersonRef    `json:"author"`
	Editors              []PersonRef  `json:"editors"`
	UpdatedAt            time.Time    `json:"updatedAt"`
	ChangeNote           string       `json:"changeNote"`
	Major                bool         `json:"major"`
	ReviewComment        string       `json:"reviewComment,omitempty"`
}

// Article is one article for reading; Draft only for editors.
type Article struct {
	ArticleSummary
	Body        string        `json:"body"`
	BodyHTML    string        `json:"bodyHtml"`
	Audience    Audience      `json:"audience"`
	Attachments []Attachment  `json:"attachments"`
	Related     []RelatedRef  `json:"related"`
	Versions    []VersionView `json:"versions"`
	Draft       *DraftView    `json:"draft,omitempty"`
	CanEdit     bool          `json:"canEdit"`
	CanReview   bool          `json:"canReview"`
	CanReport   bool          `json:"canReport"`
}

// CategoryCount is a category with the number of articles the reader sees in it.
type CategoryCount struct {
	ID    string `json:"id"`
	Count int    `json:"count"`
}

// Meta is the knowledge base's overview.
type Meta struct {
	Categories           []CategoryCount `json:"categories"`
	Owners               []string        `json:"owners"`
	Types                []string        `json:"types"`
	CanEdit              bool            `json:"canEdit"`
	CanReport            bool            `json:"canReport"`
	PendingConfirmations int             `json:"pendingConfirmations"`
}

// Snippet is highlighted plain text; Marks are [start,end) in UTF-16 code
// units (JavaScript string indices).
type Snippet struct {
	Text  string   `json:"text"`
	Marks [][2]int `json:"marks"`
}

// SearchHit is a search result.
type SearchHit struct {
	ArticleSummary
	Snippet Snippet `json:"snippet"`
}

// toUTF16 converts a snippet's byte offsets to UTF-16 offsets.
func toUTF16(s search.Snippet) Snippet {
	out := Snippet{Text: s.Text, Marks: make([][2]int, 0, len(s.Marks))}
	for _, m := range s.Marks {
		if m[0] < 0 || m[1] > len(s.Text) || m[0] > m[1] {
			continue
		}
		out.Marks = append(out.Marks, [2]int{utf16Len(s.Text[:m[0]]), utf16Len(s.Text[:m[1]])})
	}
	return out
}

func utf16Len(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		n += utf16.RuneLen(r)
		s = s[size:]
	}
	return n
}

// VersionBody is one published version's text.
type VersionBody struct {
	Version  VersionView `json:"version"`
	Title    string      `json:"title"`
	Summary  string      `json:"summary"`
	Body     string      `json:"body"`
	BodyHTML string      `json:"bodyHtml"`
}

// DiffLine is one line of a comparison.
type DiffLine struct {
	Op   string `json:"op"` // eq | add | del
	Text string `json:"text"`
}

// Diff compares two versions.
type Diff struct {
	From  string     `json:"from"`
	To    string     `json:"to"`
	Lines []DiffLine `json:"lines"`
}
