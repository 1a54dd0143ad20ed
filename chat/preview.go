package chat

import (
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/search"
)

// previewRunes is the longest preview text: one line in the chat list.
const previewRunes = 100

// Preview is a conversation's newest message, as one line of plain text for
// the chat list: mention tokens become "@Name", markdown is dropped, likely
// client identifiers are masked (identifiers.Mask), and the text is cut.
type Preview struct {
	Seq     int64     `json:"seq"`
	By      string    `json:"by"`
	ByName  string    `json:"byName"`
	At      time.Time `json:"at"`
	Text    string    `json:"text"`
	Deleted bool      `json:"deleted,omitempty"`
	// Files says the message carries files: "photo" when the first is an
	// image, "file" otherwise (the app shows "📷 Foto" for a photo alone).
	Files string `json:"files,omitempty"`
}

// filesKind is Preview.Files for a message's attachments.
func filesKind(ats []Attachment) string {
	switch {
	case len(ats) == 0:
		return ""
	case strings.HasPrefix(ats[0].ContentType, "image/"):
		return "photo"
	default:
		return "file"
	}
}

var mentionTokenRE = regexp.MustCompile(`<@(u[0-9a-f]{24})>`)

// mentionNames replaces the mention tokens of a body by "@Name" ("@…" for
// someone no longer known).
func mentionNames(body string, person func(string) (string, bool)) string {
	return mentionTokenRE.ReplaceAllStringFunc(body, func(tok string) string {
		if n, ok := person(tok[2 : len(tok)-1]); ok {
			return "@" + n
		}
		return "@…"
	})
}

// previewText turns a message body into one short masked line.
func previewText(body string, person func(string) (string, bool), max int) string {
	body = mentionNames(body, person)
	text := identifiers.Mask(search.PlainText(body))
	text = strings.Join(strings.FieldsFunc(text, unicode.IsSpace), " ")
	if utf8.RuneCountInString(text) > max {
		text = strings.TrimRightFunc(string([]rune(text)[:max-1]), unicode.IsSpace) + "…"
	}
	return text
}

// previewLocked finds the newest message in the window, with later edits
// and a deletion folded in. st.mu is held.
func (s *Service) previewLocked(st *chanState) *Preview {
	if st.previewAt == st.last && st.preview != nil {
		return st.preview
	}
	p := s.makePreviewLocked(st)
	st.preview, st.previewAt = p, st.last
	return p
}

func (s *Service) makePreviewLocked(st *chanState) *Preview {
	var msg *Entry
	for seq := st.last; seq >= st.lo && seq > 0; seq-- {
		if e := st.window[seq]; e != nil && e.Kind == EntryMsg {
			msg = e
			break
		}
	}
	if msg == nil {
		return nil
	}
	p := &Preview{Seq: msg.Seq, By: msg.By, ByName: msg.ByName, At: msg.At, Deleted: msg.Deleted}
	body := msg.Body
	for seq := msg.Seq + 1; seq <= st.last; seq++ {
		e := st.window[seq]
		if e == nil || e.Target != msg.Seq {
			continue
		}
		switch e.Kind {
		case EntryEdit:
			body = e.Body
		case EntryDelete:
			p.Deleted = true
		}
	}
	if !p.Deleted {
		p.Text = previewText(body, s.dir.Person, previewRunes)
		p.Files = filesKind(msg.Attachments)
	}
	return p
}

// sortSummaries orders a chat list as a messenger does: pinned
// conversations first (in the order they were pinned), then by the time of
// the newest message, newest first; conversations without messages last,
// by name.
func sortSummaries(out []Summary) {
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if a.Pinned != b.Pinned {
			return a.Pinned
		}
		if a.Pinned && a.PinnedAt != b.PinnedAt {
			return a.PinnedAt < b.PinnedAt
		}
		var at, bt time.Time
		if a.Last != nil {
			at = a.Last.At
		}
		if b.Last != nil {
			bt = b.Last.At
		}
		if !at.Equal(bt) {
			return at.After(bt)
		}
		return strings.ToLower(a.Name) < strings.ToLower(b.Name)
	})
}
