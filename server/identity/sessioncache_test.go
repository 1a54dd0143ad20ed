package identity

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/storetest"
)

// sessionWorld is a service with one active person and n sessions last
// seen two minutes ago (so each one's next request marks it seen), whose
// store reads and touch writes are counted.
type sessionWorld struct {
	st     *store.Store
	svc    *Service
	tokens []string
	now    time.Time
	reads  atomic.Int64
	writes atomic.Int64 // touch flushes that wrote
	marks  atomic.Int64 // sessions written by them
}

func newSessionWorld(t *testing.T, n int) *sessionWorld {
	t.Helper()
	ctx := context.Background()
	st := storetest.New(t)
	users, err := NewUsers(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	w := &sessionWorld{st: st, now: time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)}
	w.svc = New(Config{SessionIdle: 8 * time.Hour, SessionAbsolute: 72 * time.Hour, Now: func() time.Time { return w.now },
		Logger: slog.New(slog.DiscardHandler)}, st, users, nil)
	// An hour: a refusal can only come from invalidation, never from expiry.
	w.svc.SetSessionCacheTTL(time.Hour)
	if err := users.Upsert(ctx, &User{ID: "u1", Name: "Anouk", Active: true, CreatedAt: w.now.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	load, write := w.svc.sessions.load, w.svc.sessions.touches.write
	w.svc.sessions.load = func(ctx context.Context, id string) (*Session, error) {
		w.reads.Add(1)
		return load(ctx, id)
	}
	w.svc.sessions.touches.write = func(ctx context.Context, seen map[string]time.Time) error {
		w.writes.Add(1)
		w.marks.Add(int64(len(seen)))
		return write(ctx, seen)
	}
	for i := range n {
		tok := fmt.Sprintf("token-%03d", i)
		w.tokens = append(w.tokens, tok)
		err := w.svc.sessions.insert(ctx, &Session{ID: hashToken(tok), UserID: "u1", CSRF: "c",
			CreatedAt: w.now.Add(-time.Hour), LastSeenAt: w.now.Add(-2 * time.Minute), ExpiresAt: w.now.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func TestReconnectStormMakesBoundedSessionWrites(t *testing.T) {
	const sessions, connects = 25, 2000
	w := newSessionWorld(t, sessions)
	ctx := context.Background()
	for i := range connects {
		if _, err := w.svc.Authenticate(ctx, w.tokens[i%sessions]); err != nil {
			t.Fatalf("connect %d: %v", i, err)
		}
	}
	if n := w.writes.Load(); n != 0 {
		t.Fatalf("%d session writes during the storm, want none before the flush", n)
	}
	if n := w.reads.Load(); n != sessions {
		t.Fatalf("%d session reads for %d connects of %d sessions, want %d", n, connects, sessions, sessions)
	}
	if err := w.svc.FlushTouches(ctx); err != nil {
		t.Fatal(err)
	}
	if n, m := w.writes.Load(), w.marks.Load(); n != 1 || m != sessions {
		t.Fatalf("flush: %d writes of %d sessions, want 1 of %d", n, m, sessions)
	}
	for _, tok := range w.tokens {
		s, err := w.svc.sessions.read(ctx, hashToken(tok))
		if err != nil || !s.LastSeenAt.Equal(w.now) {
			t.Fatalf("stored idle clock: %+v %v, want %v", s, err, w.now)
		}
	}
	// A second storm within the minute marks nothing: nothing to write.
	for i := range connects {
		if _, err := w.svc.Authenticate(ctx, w.tokens[i%sessions]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.svc.FlushTouches(ctx); err != nil {
		t.Fatal(err)
	}
	if n := w.writes.Load(); n != 1 {
		t.Fatalf("%d writes after a second storm, want still 1", n)
	}
}

func TestEndedSessionsLeaveTheCache(t *testing.T) {
	w := newSessionWorld(t, 3)
	ctx := context.Background()
	for _, tok := range w.tokens {
		if _, err := w.svc.Authenticate(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	var ended []string
	w.svc.OnSessionEnd(func(user, session string) { ended = append(ended, user+"/"+session) })
	// Logout here: refused at once.
	if _, err := w.svc.Logout(ctx, w.tokens[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Authenticate(ctx, w.tokens[0]); !errors.Is(err, apperr.ErrUnauthenticated) {
		t.Fatalf("after logout: %v", err)
	}
	if len(ended) != 1 || ended[0] != "u1/"+hashToken(w.tokens[0]) {
		t.Fatalf("session end announced as %v", ended)
	}
	// Ended on another instance (deleted from the store; the broker brings
	// ForgetSessions): refused as soon as the message arrives.
	if err := w.svc.sessions.delete(ctx, hashToken(w.tokens[1])); err != nil {
		t.Fatal(err)
	}
	w.svc.sessions.cache.put(&Session{ID: hashToken(w.tokens[1]), UserID: "u1", CreatedAt: w.now.Add(-time.Hour),
		LastSeenAt: w.now, ExpiresAt: w.now.Add(time.Hour)}, w.svc.sessions.cache.generation()) // as cached before the delete
	if _, err := w.svc.Authenticate(ctx, w.tokens[1]); err != nil {
		t.Fatalf("the cache should still hold it: %v", err)
	}
	w.svc.ForgetSessions("u1", hashToken(w.tokens[1]))
	if _, err := w.svc.Authenticate(ctx, w.tokens[1]); !errors.Is(err, apperr.ErrUnauthenticated) {
		t.Fatalf("after ForgetSessions: %v", err)
	}
	// A read that started before an invalidation is not cached.
	gen := w.svc.sessions.cache.generation()
	w.svc.ForgetSessions("u1", "")
	w.svc.sessions.cache.put(&Session{ID: "stale", UserID: "u1"}, gen)
	if _, ok := w.svc.sessions.cache.get("stale"); ok {
		t.Fatal("a read from before the invalidation was cached")
	}
}
