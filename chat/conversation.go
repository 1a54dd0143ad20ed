package chat

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
)

// Searching within one conversation and exporting one's own conversations
// (AVG right of access). Both are reads of a channel the asker must be a
// member of, checked here; the handlers record the access.

const (
	// MaxSearchQuery is the longest search text, in characters.
	MaxSearchQuery = 200
	// SearchLimit is the most hits a conversation search answers.
	SearchLimit = 50
	// exportPage is how many entries the export reads at once (parallel
	// point lookups, as history does).
	exportPage = 200
)

// Searcher finds messages of one channel. Chat does not index messages
// itself: the app wires the global search's message index, which already
// holds every message (server/globalsearch), filtered to the channel there.
type Searcher interface {
	ChannelMessages(ch, text string, limit int) ([]SearchHit, int)
}

// SearchHit is a message found in a conversation: where it is (Seq), who
// wrote it when, and a masked excerpt with the matched words marked
// (Marks are UTF-16 offsets, as the global search gives them).
type SearchHit struct {
	Seq     int64         `json:"seq"`
	At      time.Time     `json:"at"`
	ByName  string        `json:"byName"`
	Snippet SearchSnippet `json:"snippet"`
}

// SearchSnippet is an excerpt of a found message.
type SearchSnippet struct {
	Text  string   `json:"text"`
	Marks [][2]int `json:"marks"`
}

// SearchResult is the answer to a conversation search.
type SearchResult struct {
	Query string      `json:"query"`
	Total int         `json:"total"`
	Items []SearchHit `json:"items"`
}

// SetSearcher sets the message index conversation search uses.
func (s *Service) SetSearcher(x Searcher) { s.searcher.Store(&x) }

// SearchConversation finds messages in a channel the user is a member of,
// best first, at most SearchLimit. A non-member gets not_found, as for
// every other read of a channel.
func (s *Service) SearchConversation(userID, chID, q string) (*SearchResult, error) {
	if !s.IsMember(userID, chID) {
		return nil, apperr.NotFound("not_found", "channel not found")
	}
	q = strings.TrimSpace(q)
	var v apperr.Validator
	v.Check(q != "", "q", "required", "type what you are looking for")
	v.Check(utf8.RuneCountInString(q) <= MaxSearchQuery, "q", "too_long", "use at most 200 characters", apperr.Params{"max": MaxSearchQuery})
	if err := v.Err(); err != nil {
		return nil, err
	}
	x := s.searcher.Load()
	if x == nil {
		return nil, apperr.ErrUnavailable
	}
	hits, total := (*x).ChannelMessages(chID, q, SearchLimit)
	if hits == nil {
		hits = []SearchHit{}
	}
	return &SearchResult{Query: q, Total: total, Items: hits}, nil
}

// ConversationExport is one conversation as its participant downloads it.
// It has the shape of the personal data export ("Mijn gegevens",
// server/privacy.Export: generatedAt, subject, sections), with one section,
// "chat", whose messages are MessageData as that export lists them, so the
// same reader reads both.
type ConversationExport struct {
	GeneratedAt time.Time      `json:"generatedAt"`
	Subject     ExportSubject  `json:"subject"`
	Sections    map[string]any `json:"sections"`
}

// ExportSubject is the person who asked for the export.
type ExportSubject struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ExportChannel describes the exported conversation.
type ExportChannel struct {
	ID      string         `json:"id"`
	Kind    Kind           `json:"kind"`
	Members []ExportMember `json:"members"`
}

// ExportMember is a participant of the exported conversation.
type ExportMember struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ExportConversation gathers every message of one of the user's own
// conversations (a DM or a group conversation), oldest first, with edits
// applied and deleted messages as a trace. Team and other channels are
// refused (chat_export_dm_only): the right of access covers them through
// the personal data export of one's own messages.
func (s *Service) ExportConversation(ctx context.Context, userID, chID string) (*ConversationExport, error) {
	c, ok := s.channel(chID)
	if !ok || !s.isMember(userID, c) {
		return nil, apperr.NotFound("not_found", "channel not found")
	}
	if c.Kind != KindDM && c.Kind != KindGroup {
		return nil, apperr.Forbidden("chat_export_dm_only", "only direct and group conversations can be exported")
	}
	msgs, err := s.conversationMessages(ctx, chID)
	if err != nil {
		return nil, err
	}
	me, _ := s.dir.Person(userID)
	ch := ExportChannel{ID: c.ID, Kind: c.Kind, Members: make([]ExportMember, 0, len(c.Members))}
	for _, m := range c.Members {
		name, _ := s.dir.Person(m)
		ch.Members = append(ch.Members, ExportMember{ID: m, Name: name})
	}
	return &ConversationExport{
		GeneratedAt: s.now().UTC(),
		Subject:     ExportSubject{ID: userID, Name: me},
		Sections:    map[string]any{"chat": map[string]any{"conversation": ch, "messages": msgs}},
	}, nil
}

// conversationMessages reads the channel's log page by page (point lookups
// by _id, never a scan) and folds edits and deletions into the messages.
func (s *Service) conversationMessages(ctx context.Context, chID string) ([]MessageData, error) {
	st := s.state(chID)
	last, err := s.refresh(ctx, chID, st)
	if err != nil {
		return nil, err
	}
	out := []MessageData{}
	at := map[int64]int{} // seq → index in out
	for from := int64(1); from <= last; from += exportPage {
		es, err := s.rangeEntries(ctx, st, chID, from, min(last, from+exportPage-1))
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			s.foldExport(&out, at, e)
		}
	}
	return out, nil
}

func (s *Service) foldExport(out *[]MessageData, at map[int64]int, e *Entry) {
	switch e.Kind {
	case EntryMsg:
		m := MessageData{Channel: e.Ch, Seq: e.Seq, At: e.At, By: e.By, ByName: e.ByName, Reply: e.Reply, Deleted: e.Deleted}
		if !e.Deleted {
			m.Body = mentionNames(e.Body, s.dir.Person)
			for _, a := range e.Attachments {
				m.Files = append(m.Files, a.Name)
			}
		}
		at[e.Seq] = len(*out)
		*out = append(*out, m)
	case EntryEdit:
		if i, ok := at[e.Target]; ok && !(*out)[i].Deleted {
			(*out)[i].Body, (*out)[i].Edited = mentionNames(e.Body, s.dir.Person), true
		}
	case EntryDelete:
		if i, ok := at[e.Target]; ok {
			(*out)[i].Body, (*out)[i].Files, (*out)[i].Deleted = "", nil, true
		}
	}
}
