package streamlog

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"
)

// A document change log serves a domain whose replica is a set of documents
// in small collections (the learning programme, audits): each write appends
// an entry naming the documents it stored, and every other instance reads
// those documents by _id into memory. An entry that names none (a seed)
// reloads the replica whole.

// Ref names one stored document: its collection and _id.
type Ref struct {
	C  string `bson:"c"`
	ID string `bson:"id"`
}

// RefChange is one entry of a document change log.
type RefChange struct {
	ID       string    `bson:"_id"`
	Refs     []Ref     `bson:"refs,omitempty"` // none: reload whole
	Instance string    `bson:"instance"`       // the writer, whose memory has it already
	At       time.Time `bson:"at"`
}

// RefOptions say how a domain reads what an entry names.
type RefOptions struct {
	Name string // the domain, for log lines
	// Refresh reads one document by _id into memory (and removes it from
	// memory when it is gone). It runs with Lock held.
	Refresh func(ctx context.Context, r Ref) error
	// Reload reads the replica whole: for an entry that names no document,
	// and (unless Options.Reload is set) when the entries needed were pruned.
	Reload func(ctx context.Context) error
	// Lock is the domain's write lock: a local write holds it from its store
	// write to its memory update, so what Refresh reads is never older than
	// memory.
	Lock sync.Locker
	Now  func() time.Time
}

// RefLog follows a document change log and appends this instance's writes.
type RefLog struct {
	f        *Follower[RefChange]
	instance string // names this instance's entries: it skips them
	name     string
	now      func() time.Time
	log      *slog.Logger
	bus      *Bus
}

// FollowRefs follows l from last (the log's end read before the replica was
// loaded: entries appended meanwhile are applied again, which is
// idempotent).
func FollowRefs(l *Log, last int64, ro RefOptions, opt Options) *RefLog {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	r := &RefLog{instance: hex.EncodeToString(b), name: ro.Name, now: ro.Now, log: opt.Logger, bus: opt.Bus}
	if r.now == nil {
		r.now = time.Now
	}
	if r.log == nil {
		r.log = slog.Default()
	}
	if opt.Reload == nil {
		opt.Reload = ro.Reload
	}
	r.f = Follow(l, last, func(ctx context.Context, _ int64, c *RefChange) error {
		if c.Instance == r.instance {
			return nil
		}
		if len(c.Refs) == 0 {
			return ro.Reload(ctx)
		}
		ro.Lock.Lock()
		defer ro.Lock.Unlock()
		for _, x := range c.Refs {
			if err := ro.Refresh(ctx, x); err != nil {
				return err
			}
		}
		return nil
	}, opt)
	return r
}

// Changed appends this instance's write (already in its memory) and
// announces it. A failure is logged: the other instances see the documents
// at their next start, or with the next change to them.
func (r *RefLog) Changed(ctx context.Context, refs ...Ref) {
	l := r.f.Log()
	_, err := l.Append(ctx, r.f.Last(), func(_ int64, id string) any {
		return &RefChange{ID: id, Refs: refs, Instance: r.instance, At: r.now().UTC()}
	})
	if err != nil {
		r.log.WarnContext(ctx, r.name+" change log", "err", err)
		return
	}
	r.bus.Announce(ctx, l.Key(), r.log)
}

// CatchUp applies the entries appended since the last one applied (another
// instance's write just made), as Follower.CatchUp.
func (r *RefLog) CatchUp(ctx context.Context) error { return r.f.CatchUp(ctx) }

// Run follows the log until ctx ends.
func (r *RefLog) Run(ctx context.Context) { r.f.Run(ctx) }

// Prune deletes entries older than before (keeping the newest); see
// PruneOlder.
func (r *RefLog) Prune(ctx context.Context, before time.Time) (int, error) {
	return PruneOlder(ctx, r.f.Log(), before, func(c *RefChange) time.Time { return c.At })
}
