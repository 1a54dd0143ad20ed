package accesslog

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/plein/plein/server/apperr"
)

// The write buffer. Record is on the request path of every read of personal
// data; one insert per entry was one SQLite transaction (and fsync) per
// request on the embedded store, 8–14 ms at organisation scale
// (docs/performance.md). Record therefore puts the entry in memory and
// returns; the buffer is written with one InsertMany per day at most
// FlushEvery later, or at once when FlushAt entries wait.
//
// What a crash can lose (NEN 7513): the entries recorded in the last
// FlushEvery (50 ms) before the process died, and those of a write in
// flight; never more, because the log fails closed:
//
//   - A failed write keeps its entries, in order, and tries them again
//     (after RetryEvery); until a write succeeds, Record refuses
//     (ErrUnavailable), so no data is served without its entry being kept.
//   - At most MaxPending entries wait; past that Record refuses as well.
//   - Close (the app's shutdown, after the HTTP server stopped) writes what
//     waits; Record after Close writes at once.
//   - Reads of the log on this instance (List, PersonalData) write the
//     buffer first, so a review here sees every entry recorded here. A
//     review on another instance sees them within FlushEvery.
const (
	FlushEvery = 50 * time.Millisecond
	FlushAt    = 256
	MaxPending = 10_000
	RetryEvery = time.Second
	// flushTimeout bounds one background write.
	flushTimeout = 10 * time.Second
)

// buffer holds the entries recorded and not yet written.
type buffer struct {
	mu      sync.Mutex
	pending []Entry
	armed   bool  // a write is scheduled (timer or goroutine)
	failing error // the last write's error; nil once one succeeds
	closed  bool
	writing sync.Mutex // one write at a time, so entries are stored in order
}

// enqueue times e, prepares it and adds it to the buffer.
func (l *Log) enqueue(ctx context.Context, e Entry) error {
	b := &l.buf
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		e.At = l.now()
		return l.Append(ctx, e)
	}
	if b.failing != nil {
		err := b.failing
		b.mu.Unlock()
		return fmt.Errorf("%w: access log: entries wait to be written: %w", apperr.ErrUnavailable, err)
	}
	if len(b.pending) >= MaxPending {
		b.mu.Unlock()
		return fmt.Errorf("%w: access log: %d entries wait to be written", apperr.ErrUnavailable, MaxPending)
	}
	// Timed under the lock: ids (which start with the time) follow the
	// order of the buffer.
	e.At = l.now()
	prepare(&e)
	b.pending = append(b.pending, e)
	switch {
	case len(b.pending) >= FlushAt:
		b.armed = true
		go l.flushBackground()
	case !b.armed:
		b.armed = true
		time.AfterFunc(l.every, l.flushBackground)
	}
	b.mu.Unlock()
	return nil
}

func (l *Log) flushBackground() {
	ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
	defer cancel()
	_ = l.Flush(ctx) // a failure is kept in b.failing and retried
}

// Flush writes the entries waiting in the buffer. On failure they stay in
// it, ahead of newer ones, and a retry is scheduled.
func (l *Log) Flush(ctx context.Context) error {
	b := &l.buf
	b.writing.Lock()
	defer b.writing.Unlock()
	b.mu.Lock()
	batch := b.pending
	b.pending = nil
	b.armed = false
	b.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := l.store(ctx, batch)
	if l.onFlush != nil {
		defer l.onFlush(len(batch), err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err != nil {
		b.pending = append(batch, b.pending...)
		b.failing = err
		if !b.armed && !b.closed {
			b.armed = true
			time.AfterFunc(RetryEvery, l.flushBackground)
		}
		return err
	}
	b.failing = nil
	if len(b.pending) > 0 && !b.armed && !b.closed {
		b.armed = true
		time.AfterFunc(l.every, l.flushBackground)
	}
	return nil
}

// Close writes what waits; later entries are written at once. Call it
// after the HTTP server has stopped, before the store closes.
func (l *Log) Close(ctx context.Context) error {
	l.buf.mu.Lock()
	l.buf.closed = true
	l.buf.mu.Unlock()
	return l.Flush(ctx)
}
