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
	mu     sync.RWMutex
	by     map[string]map[chat.MessageRef]struct{}
	loaded bool
}

func newChatAuthors() *chatAuthors {
	return &chatAuthors{by: map[string]map[chat.MessageRef]struct{}{}}
}

func (x *chatAuthors) observe(e *chat.Entry) {
	if e.By == "" {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	m := x.by[e.By]
	if m == nil {
		m = map[chat.MessageRef]struct{}{}
		x.by[e.By] = m
	}
	m[chat.MessageRef{Ch: e.Ch, Seq: e.Seq}] = struct{}{}
}

// of lists userID's messages; ok is false until the stored ones are in.
func (x *chatAuthors) of(userID string) ([]chat.MessageRef, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if !x.loaded {
		return nil, false
	}
	out := make([]chat.MessageRef, 0, len(x.by[userID]))
	for r := range x.by[userID] {
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
