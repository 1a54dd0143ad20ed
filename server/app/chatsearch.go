package app

import (
	"context"

	"github.com/plein/plein/chat"
	"github.com/plein/plein/server/globalsearch"
)

// chatSearch adapts chat to global search, which does not import chat. It
// feeds the export's author index (chatauthors.go) from the same entries.
type chatSearch struct {
	svc     *chat.Service
	authors *chatAuthors
}

func (c chatSearch) IsMember(userID, chID string) bool { return c.svc.IsMember(userID, chID) }

func (c chatSearch) EachStoredEntry(ctx context.Context, f func(*globalsearch.ChatEntry)) error {
	return c.authors.load(ctx, c.svc.EachStoredEntry, func(e *chat.Entry) {
		if x, ok := searchEntry(e); ok {
			f(x)
		}
	})
}

// observer passes chat's live entries to search.
func (c chatSearch) observer(gs *globalsearch.Service) func(*chat.Entry) {
	return func(e *chat.Entry) {
		c.authors.observe(e)
		if x, ok := searchEntry(e); ok {
			gs.ObserveEntry(x)
		}
	}
}

// searchEntry converts the chat entries search indexes (messages, edits,
// deletions); reactions, joins and the rest are not indexed.
func searchEntry(e *chat.Entry) (*globalsearch.ChatEntry, bool) {
	var k globalsearch.ChatKind
	switch e.Kind {
	case chat.EntryMsg:
		k = globalsearch.ChatMessage
	case chat.EntryEdit:
		k = globalsearch.ChatEdit
	case chat.EntryDelete:
		k = globalsearch.ChatDelete
	default:
		return nil, false
	}
	return &globalsearch.ChatEntry{Kind: k, Ch: e.Ch, Seq: e.Seq, Target: e.Target, ByName: e.ByName,
		Body: e.Body, At: e.At, Deleted: e.Deleted}, true
}

// conversationSearch lets chat search one conversation in the global
// search's message index (chat checks membership first).
type conversationSearch struct{ gs *globalsearch.Service }

func (c conversationSearch) ChannelMessages(ch, text string, limit int) ([]chat.SearchHit, int) {
	hits, total := c.gs.ChannelMessages(ch, text, limit)
	out := make([]chat.SearchHit, len(hits))
	for i, h := range hits {
		out[i] = chat.SearchHit{Seq: h.Seq, At: h.At, ByName: h.ByName, Snippet: chat.SearchSnippet{Text: h.Snippet.Text, Marks: h.Snippet.Marks}}
	}
	return out, total
}
