package streamlog_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/plein/plein/server/store/storetest"
	"github.com/plein/plein/server/store/streamlog"
)

type stamped struct {
	ID string    `bson:"_id"`
	At time.Time `bson:"at"`
}

func stampedAt(v *stamped) time.Time { return v.At }

// appendStamped appends n entries dated at.
func appendStamped(t *testing.T, l *streamlog.Log, n int, at time.Time) {
	t.Helper()
	for range n {
		if _, err := l.Append(context.Background(), 0, func(_ int64, id string) any { return stamped{ID: id, At: at} }); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPruneKeepsRecentEntriesAndTheNewest(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	l := streamlog.NewPrunable(st.DB.Collection("plog"), "")
	old, now := time.Now().Add(-3*time.Hour), time.Now()
	appendStamped(t, l, 5, old)
	appendStamped(t, l, 3, now)
	n, err := streamlog.PruneOlder(ctx, l, now.Add(-streamlog.Retain), stampedAt)
	if err != nil || n != 5 {
		t.Fatalf("PruneOlder = %d, %v; want 5 deleted", n, err)
	}
	if first, err := l.First(ctx); err != nil || first != 6 {
		t.Fatalf("First = %d, %v; want 6", first, err)
	}
	// A search for the end from a pruned number starts at the floor, so the
	// next append takes 9, never a pruned number again.
	if last, err := l.Last(ctx, 2); err != nil || last != 8 {
		t.Fatalf("Last(2) = %d, %v; want 8", last, err)
	}
	if seq, err := l.Append(ctx, 0, func(_ int64, id string) any { return stamped{ID: id, At: now} }); err != nil || seq != 9 {
		t.Fatalf("Append from 0 = %d, %v; want 9", seq, err)
	}

	// Everything old: the newest entry stays.
	l2 := streamlog.NewPrunable(st.DB.Collection("plog2"), "s")
	appendStamped(t, l2, 4, old)
	if n, err := streamlog.PruneOlder(ctx, l2, now, stampedAt); err != nil || n != 3 {
		t.Fatalf("PruneOlder of an old log = %d, %v; want 3", n, err)
	}
	if last, err := l2.Last(ctx, 0); err != nil || last != 4 {
		t.Fatalf("Last after pruning all but one = %d, %v; want 4", last, err)
	}
	// A log that is not prunable is refused.
	if _, err := streamlog.PruneOlder(ctx, streamlog.New(st.DB.Collection("plog3"), ""), now, stampedAt); err == nil {
		t.Fatal("pruned a log not made prunable")
	}
}

// TestFollowerBehindAPrunedLogReloads is the gap path: a follower whose
// next entries were pruned reads its replica again and carries on from the
// end, applying what comes after.
func TestFollowerBehindAPrunedLogReloads(t *testing.T) {
	a, b := twoInstances(t)
	ctx := context.Background()
	old := time.Now().Add(-3 * time.Hour)
	w := streamlog.NewPrunable(a.DB.Collection("glog"), "")
	appendStamped(t, w, 2, old)
	var reloads int
	var got []int64
	hook, done := applied()
	f := streamlog.Follow(streamlog.NewPrunable(b.DB.Collection("glog"), ""), 2,
		func(_ context.Context, seq int64, _ *stamped) error { got = append(got, seq); return nil },
		// As if it had not caught up for longer than GapCheck (the store was away).
		streamlog.Options{Applied: hook, Reload: func(context.Context) error { reloads++; return nil }, GapCheck: time.Nanosecond})
	appendStamped(t, w, 4, old) // 3..6, which the follower has not seen
	appendStamped(t, w, 1, time.Now())
	if n, err := streamlog.PruneOlder(ctx, w, time.Now().Add(-streamlog.Retain), stampedAt); err != nil || n != 6 {
		t.Fatalf("PruneOlder = %d, %v; want 6", n, err)
	}
	if err := f.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if reloads != 1 || f.Last() != 7 {
		t.Fatalf("after the gap: %d reloads, last %d; want 1 reload and 7", reloads, f.Last())
	}
	waitApplied(t, done, 7, time.Second, "the reload reported as applied up to 7")
	appendStamped(t, w, 1, time.Now()) // 8
	if err := f.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	waitApplied(t, done, 8, time.Second, "entry 8 after the reload")
	if reloads != 1 || len(got) != 1 || got[0] != 8 {
		t.Fatalf("%d reloads, applied %v; want 1 and [8]", reloads, got)
	}

	// Without a Reload the follower stops with ErrGap instead of skipping.
	g := streamlog.Follow(streamlog.NewPrunable(b.DB.Collection("glog"), ""), 1,
		func(context.Context, int64, *stamped) error { return nil }, streamlog.Options{GapCheck: time.Nanosecond})
	if err := g.CatchUp(ctx); !errors.Is(err, streamlog.ErrGap) {
		t.Fatalf("CatchUp without Reload = %v; want ErrGap", err)
	}
}
