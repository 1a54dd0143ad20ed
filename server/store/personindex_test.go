package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/storetest"
)

// TestPersonIndex: a person's ids come back from every month since the
// index was completed, without repeats and without other people's; before
// the backfill marks it complete the reader is told to read by filter;
// neither a write nor a read scans (store.Scans).
func TestPersonIndex(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	x := store.NewPersonIndex(s.DB, "things")
	now := time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC)
	x.SetClock(func() time.Time { return now })
	if _, err := x.IDs(ctx, "ann"); !errors.Is(err, store.ErrIndexIncomplete) {
		t.Fatalf("before the backfill: %v", err)
	}
	before := s.Scans.Snapshot()
	if err := x.Add(ctx, "t1", "ann", "bob", "ann", ""); err != nil {
		t.Fatal(err)
	}
	if err := x.AddAll(ctx, map[string][]string{"ann": {"t0", "t1"}, "bob": {"t0"}}); err != nil {
		t.Fatal(err)
	}
	if err := x.Complete(ctx, now); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Hour) // December
	if err := x.Add(ctx, "t2", "ann"); err != nil {
		t.Fatal(err)
	}
	if err := x.Add(ctx, "t2", "ann"); err != nil { // a re-run
		t.Fatal(err)
	}
	now = now.AddDate(0, 2, 0) // February: January has nothing
	got, err := x.IDs(ctx, "ann")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"t0", "t1", "t2"}) {
		t.Errorf("ann: %v", got)
	}
	if got, _ := x.IDs(ctx, "bob"); !slices.Equal(got, []string{"t0", "t1"}) {
		t.Errorf("bob: %v", got)
	}
	if got, _ := x.IDs(ctx, "cas"); len(got) != 0 {
		t.Errorf("cas: %v", got)
	}
	for k, n := range s.Scans.Snapshot() {
		if n != before[k] && k.Collection == x.Collection() {
			t.Errorf("the index was scanned: %+v %d×", k, n-before[k])
		}
	}
	// A later completion does not move the start forward.
	if err := x.Complete(ctx, now); err != nil {
		t.Fatal(err)
	}
	if got, _ := x.IDs(ctx, "ann"); len(got) != 3 {
		t.Errorf("after a second completion: %v", got)
	}
	// Dropping November keeps December.
	if err := x.DropBefore(ctx, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if got, _ := x.IDs(ctx, "ann"); !slices.Equal(got, []string{"t2"}) {
		t.Errorf("after dropping November: %v", got)
	}
}
