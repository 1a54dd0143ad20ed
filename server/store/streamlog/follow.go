package streamlog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Poll is the fallback poll of a Follower, and so the freshness bound: a
// change made on one instance is applied on every other one within Poll,
// even when the Bus's signal is lost.
const Poll = time.Second

// Options configure a Follower.
type Options struct {
	Bus    *Bus          // signals appends between instances; nil: poll only
	Poll   time.Duration // fallback poll; 0 means Poll
	Logger *slog.Logger
	// Reload reads the replica whole from its base collections; a follower
	// of a prunable log calls it when the entries it needs were pruned (see
	// prune.go), then carries on from the log's end. nil: such a follower
	// stops with ErrGap.
	Reload func(ctx context.Context) error
	// GapCheck: see the constant; 0 means GapCheck (tests set less).
	GapCheck time.Duration
	// Applied, when set, is called after the replica has applied every
	// entry up to seq (after each entry, and after a Reload): tests wait on
	// it instead of polling. It must not block.
	Applied func(seq int64)
}

// Apply applies entry seq to the replica. It is called in sequence order,
// once per entry, never concurrently. An error stops the catch-up there;
// the entry is applied again by the next one.
type Apply[T any] func(ctx context.Context, seq int64, v *T) error

// Follower keeps one replica in step with one Log: every entry is applied
// once, in order, whether this instance appended it or another did.
type Follower[T any] struct {
	log   *Log
	apply Apply[T]
	opt   Options
	wake  chan struct{}

	mu     sync.Mutex   // serialises catch-ups and appends
	last   int64        // the last entry applied (mu)
	caught time.Time    // the last catch-up that reached the end (mu)
	seen   atomic.Int64 // last, for readers that do not take mu
}

// Follow makes a Follower of l that has applied everything up to from
// (the replica was loaded with it) and registers it on opt.Bus.
func Follow[T any](l *Log, from int64, apply Apply[T], opt Options) *Follower[T] {
	if opt.Poll <= 0 {
		opt.Poll = Poll
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.GapCheck <= 0 {
		opt.GapCheck = GapCheck
	}
	f := &Follower[T]{log: l, apply: apply, opt: opt, wake: make(chan struct{}, 1), last: from, caught: time.Now()}
	f.seen.Store(from)
	opt.Bus.register(l.key, f.wake)
	return f
}

// Log is the followed log.
func (f *Follower[T]) Log() *Log { return f.log }

// Last is the last entry applied.
func (f *Follower[T]) Last() int64 { return f.seen.Load() }

func (f *Follower[T]) setLast(seq int64) {
	f.last = seq
	f.seen.Store(seq)
	if f.opt.Applied != nil {
		f.opt.Applied(seq)
	}
	f.opt.Bus.applied(f.log.key, seq)
}

// Reset sets the last entry applied, after the replica was reloaded whole.
func (f *Follower[T]) Reset(seq int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.setLast(seq)
}

// Locked holds off catch-ups and appends while fn runs (a reload that
// must see no entry applied half-way); fn gets the last entry applied and
// returns the new one.
func (f *Follower[T]) Locked(fn func(last int64) (int64, error)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, err := fn(f.last)
	if err == nil {
		f.setLast(n)
	}
	return err
}

// Wake asks Run to catch up now (it never blocks).
func (f *Follower[T]) Wake() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// CatchUp applies every entry after the last one applied.
func (f *Follower[T]) CatchUp(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.catchUpLocked(ctx)
}

// maxBatch bounds how many entries one step of a catch-up reads ahead.
const maxBatch = 32

// catchUpLocked reads ahead in doubling steps (1, 2, 4 … maxBatch): one
// point lookup when nothing is new, three for one new entry, and few
// round trips for a long run.
func (f *Follower[T]) catchUpLocked(ctx context.Context) error {
	if f.log.prunable && time.Since(f.caught) > f.opt.GapCheck {
		floor, err := f.log.Floor(ctx)
		if err != nil {
			return err
		}
		if f.last < floor-1 {
			return f.recoverLocked(ctx)
		}
	}
	for n := int64(1); ; n = min(2*n, maxBatch) {
		es, err := Range[T](ctx, f.log, f.last+1, f.last+n)
		if err != nil {
			return err
		}
		for _, e := range es {
			if e.Seq != f.last+1 {
				if f.log.prunable {
					return f.recoverLocked(ctx) // appends leave no hole: pruned
				}
				return nil // a removed entry ends the run; appends never leave one
			}
			if err := f.apply(ctx, e.Seq, e.V); err != nil {
				return err
			}
			f.setLast(e.Seq)
		}
		if int64(len(es)) < n {
			f.caught = time.Now()
			return nil
		}
	}
}

// recoverLocked starts again after a gap: the replica is read whole, from
// the log's end found before it (entries appended meanwhile are applied
// again by the next catch-up; applying is idempotent).
func (f *Follower[T]) recoverLocked(ctx context.Context) error {
	if f.opt.Reload == nil {
		return fmt.Errorf("%s after %d: %w", f.log.key, f.last, ErrGap)
	}
	end, err := f.log.Last(ctx, f.last)
	if err != nil {
		return err
	}
	f.opt.Logger.WarnContext(ctx, "change log pruned past this replica: reloading it", "log", f.log.key, "applied", f.last, "end", end)
	if err := f.opt.Reload(ctx); err != nil {
		return err
	}
	f.setLast(end)
	f.caught = time.Now()
	return nil
}

// Build makes the entry for seq (its _id must be id) from the replica,
// which has applied every entry before seq; it may refuse with an error.
type Build[T any] func(seq int64, id string) (*T, error)

// Append catches up, builds the next entry against the caught-up replica
// and claims its number; when another instance took the number first it
// catches up and builds again, so a check made in build holds for the
// state the entry follows. The entry is applied here, then announced on
// the Bus so every other instance applies it at once.
func (f *Follower[T]) Append(ctx context.Context, build Build[T]) (int64, error) {
	seq, err := f.appendLocked(ctx, build)
	if err == nil {
		f.opt.Bus.Announce(ctx, f.log.key, f.opt.Logger)
	}
	return seq, err
}

func (f *Follower[T]) appendLocked(ctx context.Context, build Build[T]) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range maxAttempts {
		if err := f.catchUpLocked(ctx); err != nil {
			return 0, err
		}
		seq := f.last + 1
		v, err := build(seq, f.log.ID(seq))
		if err != nil {
			return 0, err
		}
		err = f.log.Insert(ctx, seq, v)
		if errors.Is(err, ErrTaken) {
			continue
		}
		if err != nil {
			return 0, err
		}
		if err := f.apply(ctx, seq, v); err != nil {
			// Stored: the next catch-up applies it.
			f.opt.Logger.WarnContext(ctx, "apply own log entry", "log", f.log.key, "seq", seq, "err", err)
			return seq, nil
		}
		f.setLast(seq)
		return seq, nil
	}
	return 0, fmt.Errorf("streamlog %s: %w after %d attempts", f.log.key, ErrTaken, maxAttempts)
}

// Run catches up whenever the Bus signals an append and every Poll, until
// ctx ends.
func (f *Follower[T]) Run(ctx context.Context) {
	t := time.NewTicker(f.opt.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-f.wake:
		case <-t.C:
		}
		if err := f.CatchUp(ctx); err != nil && ctx.Err() == nil {
			f.opt.Logger.Warn("follow change log", "log", f.log.key, "err", err)
		}
	}
}
