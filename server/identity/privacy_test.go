package identity

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// TestExportReadsSessionsByTheIndex (issue 16): the export lists the
// person's sessions and no one else's — from a filter before the backfill,
// by point lookups in the session index after it, with no read of the
// whole sessions collection — and the purge drops the index's months whose
// sessions have all expired.
func TestExportReadsSessionsByTheIndex(t *testing.T) {
	w := newSessionWorld(t, 0)
	ctx := context.Background()
	st := w.svc.sessions
	if err := w.svc.users.Upsert(ctx, &User{ID: "u2", Name: "Bas", Active: true}); err != nil {
		t.Fatal(err)
	}
	// Two sessions stored before the index existed, one each.
	if _, err := st.coll.InsertMany(ctx, []any{
		Session{ID: "old-u1", UserID: "u1", CreatedAt: w.now, LastSeenAt: w.now, ExpiresAt: w.now.Add(time.Hour)},
		Session{ID: "old-u2", UserID: "u2", CreatedAt: w.now, LastSeenAt: w.now, ExpiresAt: w.now.Add(time.Hour)},
	}); err != nil {
		t.Fatal(err)
	}
	for i, u := range []string{"u1", "u2", "u1"} {
		if err := st.insert(ctx, &Session{ID: "new-" + u + "-" + string(rune('a'+i)), UserID: u, CreatedAt: w.now, LastSeenAt: w.now, ExpiresAt: w.now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	ids := func() []string {
		t.Helper()
		list, err := st.of(ctx, "u1")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, x := range list {
			out = append(out, x.ID)
		}
		return out
	}
	if got := strings.Join(ids(), " "); !strings.Contains(got, "old-u1") || strings.Contains(got, "u2") || strings.Count(got, "u1") != 3 {
		t.Errorf("before the backfill: %s", got)
	}
	if err := BackfillSessions(ctx, w.st, func() time.Time { return w.now }); err != nil {
		t.Fatal(err)
	}
	// A login after the backfill: in the index by its own write.
	if err := st.insert(ctx, &Session{ID: "new-u1-d", UserID: "u1", CreatedAt: w.now, LastSeenAt: w.now, ExpiresAt: w.now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	before := w.st.Scans.Snapshot()
	v, err := w.svc.PersonalData(ctx, "u1")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(v.(ProfileData).Sessions); n != 4 {
		t.Errorf("the export has %d sessions, want 4", n)
	}
	if got := strings.Join(ids(), " "); got != "new-u1-a new-u1-c new-u1-d old-u1" {
		t.Errorf("by the index: %s", got)
	}
	for k, n := range w.st.Scans.Snapshot() {
		if n != before[k] && strings.HasPrefix(k.Collection, sessionsColl) {
			t.Errorf("read %s whole (%s, %d×)", k.Collection, k.Command, n-before[k])
		}
	}
	// Three days and a month later every session has expired: the purge
	// drops them and their month of the index.
	w.now = w.now.AddDate(0, 1, 3)
	if err := w.svc.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := st.coll.Database().Collection(sessionsColl+"_people").CountDocuments(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$ne", Value: "_since"}}}}); err != nil || n != 0 {
		t.Errorf("index documents after the purge: %d %v", n, err)
	}
	if got := ids(); len(got) != 0 {
		t.Errorf("after the purge: %v", got)
	}
}
