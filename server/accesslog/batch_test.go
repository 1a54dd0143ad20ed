package accesslog

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store/storetest"
)

// stored reads today's day collection directly (not through List, which
// writes the buffer first), oldest first.
func stored(t *testing.T, l *Log) []Entry {
	t.Helper()
	ctx := context.Background()
	cur, err := l.dayOf(l.now()).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		t.Fatal(err)
	}
	var es []Entry
	if err := cur.All(ctx, &es); err != nil {
		t.Fatal(err)
	}
	return es
}

func subjects(es []Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Subject
	}
	return out
}

// Recorded entries wait in memory and are written together, in the order
// recorded, by the timer; Close writes what waits, and an entry recorded
// after Close is written at once.
func TestRecordIsBufferedAndWrittenInOrder(t *testing.T) {
	ctx := context.Background()
	l := New(storetest.New(t))
	l.every = time.Hour // only Flush and Close write
	for i := range 5 {
		if err := l.Record(ctx, "read", fmt.Sprintf("s%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if es := stored(t, l); len(es) != 0 {
		t.Fatalf("written before a flush: %v", subjects(es))
	}
	if err := l.Close(ctx); err != nil {
		t.Fatal(err)
	}
	es := stored(t, l)
	if got := fmt.Sprint(subjects(es)); got != "[s0 s1 s2 s3 s4]" {
		t.Fatalf("after Close: %s", got)
	}
	if err := l.Record(ctx, "read", "late"); err != nil {
		t.Fatal(err)
	}
	if es := stored(t, l); len(es) != 6 || es[5].Subject != "late" {
		t.Fatalf("an entry after Close is not written at once: %v", subjects(es))
	}
}

// The timer writes the buffer without anyone asking; more than FlushAt
// entries are written in order too.
func TestRecordIsWrittenByTheTimer(t *testing.T) {
	ctx := context.Background()
	l := New(storetest.New(t))
	written := make(chan int, 100)
	total := 0
	l.onFlush = func(n int, err error) {
		if err == nil {
			written <- n
		}
	}
	const n = FlushAt + 10
	for i := range n {
		if err := l.Record(ctx, "read", fmt.Sprintf("s%04d", i)); err != nil {
			t.Fatal(err)
		}
	}
	for total < n {
		select {
		case k := <-written:
			total += k
		case <-time.After(30 * time.Second):
			t.Fatalf("%d of %d entries written", total, n)
		}
	}
	es := stored(t, l)
	if len(es) != n {
		t.Fatalf("%d entries stored", len(es))
	}
	for i, e := range es {
		if want := fmt.Sprintf("s%04d", i); e.Subject != want {
			t.Fatalf("entry %d is %s, want %s: out of order", i, e.Subject, want)
		}
	}
}

// List on the instance that recorded sees its entries at once.
func TestListSeesBufferedEntries(t *testing.T) {
	ctx := context.Background()
	l := New(storetest.New(t))
	l.every = time.Hour
	if err := l.Record(ctx, "read", "mine"); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	p, err := l.List(ctx, Query{From: now.Add(-time.Hour), To: now.Add(time.Hour), Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || p.Items[0].Subject != "mine" {
		t.Fatalf("List: %v", subjects(p.Items))
	}
}

// A failed write keeps its entries, ahead of newer ones; until a write
// succeeds Record refuses (fail closed: nothing is served unrecorded).
func TestFailedWriteKeepsEntriesAndFailsClosed(t *testing.T) {
	ctx := context.Background()
	l := New(storetest.New(t))
	l.every = time.Hour
	broken := errors.New("store down")
	l.store = func(context.Context, []Entry) error { return broken }
	if err := l.Record(ctx, "read", "a"); err != nil {
		t.Fatal(err)
	}
	if err := l.Flush(ctx); !errors.Is(err, broken) {
		t.Fatalf("Flush: %v", err)
	}
	if err := l.Record(ctx, "read", "refused"); !errors.Is(err, apperr.ErrUnavailable) {
		t.Fatalf("Record while the store fails: %v", err)
	}
	l.store = l.write // the store is back
	if err := l.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := l.Record(ctx, "read", "b"); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(subjects(stored(t, l))); got != "[a b]" {
		t.Fatalf("stored %s", got)
	}
}
