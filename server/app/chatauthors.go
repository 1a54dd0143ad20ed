package app

import (
	"context"
	"sync"

	"github.com/plein/plein/chat"
)

// chatAuthors is an in-memory index of who wrote which chat entry
// (messages, edits, reactions), so a person's export and erasure find them
// without reading the whole chat log (issue 16). It is fed exactly like search: the stored entries once at
// start (the scan search makes anyway) and every live entry after, on every
// instance; until the stored entries are in, it answers "not loaded" and the
// export reads the log as before.
type chatAuthors struct {
	mu        sync.RWMutex
	by        refSets // author → entries
	mentioned refSets // person → messages and edits mentioning them
	loaded    bool
}

type refSets map[string]map[chat.MessageRef]struct{}

func (m refSets) add(user string, r chat.MessageRef) {
	if m[user] == nil {
		m[user] = map[chat.MessageRef]struct{}{}
	}
	m[user][r] = struct{}{}
}

func newChatAuthors() *chatAuthors {
	return &chatAuthors{by: refSets{}, mentioned: refSets{}}
}

func (x *chatAuthors) observe(e *chat.Entry) {
	r := chat.MessageRef{Ch: e.Ch, Seq: e.Seq}
	x.mu.Lock()
	defer x.mu.Unlock()
	if e.By != "" {
		x.by.add(e.By, r)
	}
	for _, u := range e.Mentions {
		x.mentioned.add(u, r)
	}
}

// By lists userID's entries; ok is false until the stored ones are in.
func (x *chatAuthors) By(userID string) ([]chat.MessageRef, bool) { return x.list(x.by, userID) }

// Mentioning lists the entries mentioning userID (ok as for By).
func (x *chatAuthors) Mentioning(userID string) ([]chat.MessageRef, bool) {
	return x.list(x.mentioned, userID)
}

func (x *chatAuthors) list(m refSets, userID string) ([]chat.MessageRef, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if !x.loaded {
		return nil, false
	}
	out := make([]chat.MessageRef, 0, len(m[userID]))
	for r := range m[userID] {
		out = append(out, r)
	}
	return out, true
}

// load reads the stored entries through each (chat's EachStoredEntry,
// passing them on to f too) and marks the index complete when that ends
// without error.
func (x *chatAuthors) load(ctx context.Context, each func(context.Context, func(*chat.Entry)) error, f func(*chat.Entry)) error {
	err := each(ctx, func(e *chat.Entry) {
		x.observe(e)
		f(e)
	})
	if err == nil {
		x.mu.Lock()
		x.loaded = true
		x.mu.Unlock()
	}
	return err
}
