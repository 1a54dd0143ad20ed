package streamlog_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/storetest"
	"github.com/plein/plein/server/store/streamlog"
)

type item struct {
	ID   string `bson:"_id"`
	By   string `bson:"by"`
	Prev int64  `bson:"prev"` // what the writer's replica had applied
}

// twoInstances opens the same database over two connections, as two
// instances of Plein would.
func twoInstances(t *testing.T) (a, b *store.Store) {
	t.Helper()
	a = storetest.New(t)
	b, err := store.Open(context.Background(), store.Options{URI: storetest.URI(t), Database: a.DB.Name()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close(context.Background()) })
	return a, b
}

// applied is a Follower's Applied hook as a channel: the test waits on
// the event itself, not on a poll of the replica.
func applied() (hook func(int64), ch chan int64) {
	ch = make(chan int64, 1024)
	return func(seq int64) { ch <- seq }, ch
}

// waitApplied waits until the follower reports seq applied, failing after
// within.
func waitApplied(t *testing.T, ch <-chan int64, seq int64, within time.Duration, what string) {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case got := <-ch:
			if got >= seq {
				return
			}
		case <-deadline:
			t.Fatalf("not within %v: %s", within, what)
		}
	}
}

func TestIDsArePointLookupKeys(t *testing.T) {
	st := storetest.New(t)
	if got := streamlog.New(st.DB.Collection("x"), "u1").ID(42); got != "u1:000000000042" {
		t.Errorf("ID = %q", got)
	}
	if got := streamlog.New(st.DB.Collection("x"), "").ID(7); got != "000000000007" {
		t.Errorf("ID without stream = %q", got)
	}
}

func TestAppendRaceClaimsDistinctNumbers(t *testing.T) {
	a, b := twoInstances(t)
	const each = 15
	var mu sync.Mutex
	var got []int64
	var wg sync.WaitGroup
	for i, st := range []*store.Store{a, a, b, b} {
		l := streamlog.New(st.DB.Collection("log"), "s")
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				seq, err := l.Append(context.Background(), 0, func(seq int64, id string) any {
					return item{ID: id, By: fmt.Sprint(i)}
				})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				got = append(got, seq)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(got)
	for i, seq := range got {
		if seq != int64(i+1) {
			t.Fatalf("claimed %v: want 1..%d, each once", got, 4*each)
		}
	}
	last, err := streamlog.New(b.DB.Collection("log"), "s").Last(context.Background(), 3)
	if err != nil || last != 4*each {
		t.Errorf("Last = %d, %v; want %d", last, err, 4*each)
	}
	// Another stream in the same collection is its own sequence.
	if last, err := streamlog.New(a.DB.Collection("log"), "t").Last(context.Background(), 0); err != nil || last != 0 {
		t.Errorf("other stream's Last = %d, %v; want 0", last, err)
	}
}

func TestRange(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	l := streamlog.New(st.DB.Collection("log"), "r")
	for range 10 {
		if _, err := l.Append(ctx, 0, func(_ int64, id string) any { return item{ID: id} }); err != nil {
			t.Fatal(err)
		}
	}
	seqs := func(es []streamlog.Entry[item]) (out []int64) {
		for _, e := range es {
			if e.V.ID != l.ID(e.Seq) {
				t.Errorf("entry %d has _id %q", e.Seq, e.V.ID)
			}
			out = append(out, e.Seq)
		}
		return out
	}
	es, err := streamlog.Range[item](ctx, l, 3, 7)
	if err != nil || !slices.Equal(seqs(es), []int64{3, 4, 5, 6, 7}) {
		t.Errorf("Range(3, 7) = %v, %v", seqs(es), err)
	}
	es, err = streamlog.Range[item](ctx, l, 8, 20)
	if err != nil || !slices.Equal(seqs(es), []int64{8, 9, 10}) {
		t.Errorf("Range(8, 20) = %v, %v", seqs(es), err)
	}
	// An entry removed (retention) is skipped.
	if _, err := st.DB.Collection("log").DeleteOne(ctx, bson.D{{Key: "_id", Value: l.ID(5)}}); err != nil {
		t.Fatal(err)
	}
	es, err = streamlog.Range[item](ctx, l, 0, 6)
	if err != nil || !slices.Equal(seqs(es), []int64{1, 2, 3, 4, 6}) {
		t.Errorf("Range(0, 6) after removing 5 = %v, %v", seqs(es), err)
	}
	// Range reads by point lookups only: nothing scanned the collection.
	for k, n := range st.Scans.Snapshot() {
		if k.Collection == "log" && n > 0 {
			t.Errorf("%d scans of the log (%v)", n, k)
		}
	}
}

// replica records what a follower applied.
type replica struct {
	mu      sync.Mutex
	applied []int64
}

func (r *replica) apply(_ context.Context, seq int64, v *item) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.applied = append(r.applied, seq)
	return nil
}

func (r *replica) inOrder(n int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, s := range r.applied {
		if s != int64(i+1) {
			return false
		}
	}
	return len(r.applied) == n
}

func TestFollowAppliesInOrderOnEveryInstance(t *testing.T) {
	a, b := twoInstances(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bus := streamlog.NewBus(nil) // both instances in this process: a signal reaches both
	const each = 20
	var reps [2]replica
	var fs [2]*streamlog.Follower[item]
	var done [2]chan int64
	for i, st := range []*store.Store{a, b} {
		var hook func(int64)
		hook, done[i] = applied()
		fs[i] = streamlog.Follow(streamlog.New(st.DB.Collection("log"), "f"), 0, reps[i].apply,
			streamlog.Options{Bus: bus, Poll: time.Hour, Applied: hook}) // only the signal wakes them
		go fs[i].Run(ctx)
	}
	var wg sync.WaitGroup
	for i := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				_, err := fs[i].Append(ctx, func(seq int64, id string) (*item, error) {
					return &item{ID: id, Prev: fs[i].Last()}, nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for i := range reps {
		waitApplied(t, done[i], 2*each, streamlog.Poll, fmt.Sprintf("instance %d applied up to %d", i, 2*each))
		if !reps[i].inOrder(2 * each) {
			t.Errorf("instance %d applied %v, not 1..%d in order", i, reps[i].applied, 2*each)
		}
	}
	// Each entry was built against a replica that had applied everything
	// before it.
	es, err := streamlog.Range[item](ctx, fs[0].Log(), 1, 2*each)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.V.Prev != e.Seq-1 {
			t.Errorf("entry %d was built after %d", e.Seq, e.V.Prev)
		}
	}
}

func TestFollowerThatMissedTheSignalCatchesUpByPolling(t *testing.T) {
	a, b := twoInstances(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var rep replica
	hook, done := applied()
	// No bus: the follower on b never hears of a's appends.
	f := streamlog.Follow(streamlog.New(b.DB.Collection("log"), "p"), 0, rep.apply, streamlog.Options{Applied: hook})
	go f.Run(ctx)
	w := streamlog.Follow(streamlog.New(a.DB.Collection("log"), "p"), 0,
		func(context.Context, int64, *item) error { return nil }, streamlog.Options{})
	for range 3 {
		if _, err := w.Append(ctx, func(_ int64, id string) (*item, error) { return &item{ID: id}, nil }); err != nil {
			t.Fatal(err)
		}
	}
	waitApplied(t, done, 3, streamlog.Poll+streamlog.Poll/2, "the follower applied 1..3 by its poll")
	if !rep.inOrder(3) {
		t.Errorf("applied %v, want 1..3", rep.applied)
	}
}

func TestCatchUpStopsAtAFailedApplyAndRetriesIt(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	l := streamlog.New(st.DB.Collection("log"), "e")
	for range 4 {
		if _, err := l.Append(ctx, 0, func(_ int64, id string) any { return item{ID: id} }); err != nil {
			t.Fatal(err)
		}
	}
	var rep replica
	failAt := int64(3)
	f := streamlog.Follow(l, 0, func(ctx context.Context, seq int64, v *item) error {
		if seq == failAt {
			return fmt.Errorf("store down")
		}
		return rep.apply(ctx, seq, v)
	}, streamlog.Options{})
	if err := f.CatchUp(ctx); err == nil || f.Last() != 2 {
		t.Fatalf("CatchUp = %v, Last %d; want the failure and 2", err, f.Last())
	}
	failAt = 0
	if err := f.CatchUp(ctx); err != nil || !rep.inOrder(4) {
		t.Fatalf("CatchUp = %v, applied %v; want 1..4", err, rep.applied)
	}
}
