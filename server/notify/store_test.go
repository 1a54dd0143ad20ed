package notify

import (
	"testing"

	"github.com/plein/plein/server/store/storetest"
)

// The delivery relies on unordered InsertMany reporting exactly which
// documents collided, and inserting all the others.
func TestInsertAllReportsEachDocument(t *testing.T) {
	st := storetest.New(t)
	s := newStore(st)
	if outs := insertAll(ctx, s.items, []any{&itemDoc{ID: itemID("u-a", 2), User: "u-a", Seq: 2}}, 10); outs[0] != inserted {
		t.Fatal(outs)
	}
	var docs []any
	for _, id := range []string{itemID("u-a", 1), itemID("u-a", 2), itemID("u-a", 3), itemID("u-a", 2), itemID("u-a", 4)} {
		docs = append(docs, &itemDoc{ID: id, User: "u-a"})
	}
	outs := insertAll(ctx, s.items, docs, 2) // batches [1 2] [3 2] [4]
	want := []outcome{inserted, duplicate, inserted, duplicate, inserted}
	for i := range want {
		if outs[i] != want[i] {
			t.Fatalf("outcomes %v, want %v", outs, want)
		}
	}
	for seq := int64(1); seq <= 4; seq++ {
		if ok, err := s.exists(ctx, "u-a", seq); !ok || err != nil {
			t.Fatalf("seq %d not stored", seq)
		}
	}
	if h, err := s.lastSeq(ctx, "u-a", 0); h != 4 || err != nil {
		t.Fatalf("lastSeq %d %v", h, err)
	}
	if h, err := s.lastSeq(ctx, "u-b", 0); h != 0 || err != nil {
		t.Fatalf("lastSeq of nobody %d %v", h, err)
	}
}
