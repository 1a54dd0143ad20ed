package blob_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store/blob"
	"github.com/plein/plein/server/store/storetest"
)

// TestSweepUnreferenced: a complete file that its owner does not name (an
// upload whose owning write failed) is removed once older than the grace
// period; a named one and a young one stay; a second run finds nothing; an
// owner that cannot answer removes nothing; the sweep reads no growing
// collection whole (only the bucket's notes).
func TestSweepUnreferenced(t *testing.T) {
	for mode, disk := range map[string]bool{"chunks": false, "disk": true} {
		t.Run(mode, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.New(t)
			if disk {
				st.FilesDir = t.TempDir()
			}
			b := blob.Open(st, "files")
			fail := false
			b.Claim(func(_ context.Context, id string) (bool, error) {
				if fail {
					return false, errors.New("owner unavailable")
				}
				return id == "used", nil
			})
			data := []byte(strings.Repeat("x", 1000))
			for _, id := range []string{"used", "orphan", "young"} {
				if _, err := b.Put(ctx, id, id+".pdf", "application/pdf", data); err != nil {
					t.Fatal(err)
				}
			}
			notes := st.DB.Collection("files.pending")
			for _, id := range []string{"used", "orphan"} {
				if _, err := notes.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
					bson.D{{Key: "$set", Value: bson.D{{Key: "at", Value: time.Now().Add(-2 * time.Hour)}}}}); err != nil {
					t.Fatal(err)
				}
			}

			fail = true
			if got, err := b.SweepUnreferenced(ctx, time.Hour); err == nil || got.Files != 0 {
				t.Fatalf("owner failing: swept %+v, err %v", got, err)
			}
			fail = false
			before := st.Scans.Snapshot()
			got, err := b.SweepUnreferenced(ctx, time.Hour)
			if err != nil || got.Files != 1 || got.Bytes != 1000 {
				t.Fatalf("swept %+v, %v; want the orphan", got, err)
			}
			for k, n := range st.Scans.Snapshot() {
				if n != before[k] && k.Collection != "files.pending" {
					t.Errorf("the sweep read %s whole (%s)", k.Collection, k.Command)
				}
			}
			if _, err := b.Stat(ctx, "orphan"); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("orphan still stored: %v", err)
			}
			for _, id := range []string{"used", "young"} {
				if _, data, err := b.Get(ctx, id); err != nil || len(data) != 1000 {
					t.Errorf("%s: %v", id, err)
				}
			}
			if n, _ := notes.CountDocuments(ctx, bson.D{}); n != 1 {
				t.Errorf("%d notes left, want the young file's", n)
			}
			if got, err := b.SweepUnreferenced(ctx, time.Hour); err != nil || got.Files != 0 {
				t.Fatalf("second run: %+v %v", got, err)
			}
		})
	}
}

// A bucket nobody claimed keeps no notes.
func TestUnclaimedBucketKeepsNoNotes(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	b := blob.Open(st, "files")
	if _, err := b.Put(ctx, "a", "a.pdf", "application/pdf", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.DB.Collection("files.pending").CountDocuments(ctx, bson.D{}); n != 0 {
		t.Fatalf("%d notes", n)
	}
}
