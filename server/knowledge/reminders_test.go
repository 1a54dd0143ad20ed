package knowledge

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/plein/plein/server/store/storetest"
)

func TestRemindOverdue(t *testing.T) {
	st := storetest.New(t)
	people := testPeople()
	for _, a := range []string{ilse.UserID, omar.UserID, anouk.UserID} {
		u := people[a]
		u.Active = true
		people[a] = u
	}
	h := &harness{st: st}
	now := testNow
	svc, err := NewService(context.Background(), st, testOrg(), people, Options{
		Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return now },
		Notify: func(_ context.Context, users []string, kind, _, _, _, key string) {
			h.notices = append(h.notices, notice{users, kind, key})
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.svc = svc
	soon := input("Wondzorg bij diabetes")
	soon.ReviewDue = "2026-12-01"
	a := h.publish(t, soon) // ilse wrote it, omar approved it
	later := h.publish(t, input("Decubitus voorkomen"))
	gone := input("Oude werkwijze")
	gone.ReviewDue = "2026-12-15"
	old := h.publish(t, gone)
	h.notices = nil
	ctx := context.Background()

	if n := svc.RemindOverdue(ctx); n != 0 || len(h.notices) != 0 {
		t.Fatalf("nothing is due yet: %d %+v", n, h.notices)
	}
	now = time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	if n := svc.RemindOverdue(ctx); n != 1 || len(h.notices) != 1 {
		t.Fatalf("one article is due: %d %+v", n, h.notices)
	}
	got := h.notices[0]
	slices.Sort(got.users)
	want := []string{ilse.UserID, omar.UserID}
	slices.Sort(want)
	if got.kind != ReviewDueKind || got.key != "review_due:"+a.ID+":2026-12-01" || !slices.Equal(got.users, want) {
		t.Fatalf("reminder %+v", got)
	}
	// Once per article and date.
	if n := svc.RemindOverdue(ctx); n != 0 || len(h.notices) != 1 {
		t.Fatalf("reminded twice: %d %+v", n, h.notices)
	}
	// Someone who left (inactive) is not told; archived articles are not due.
	if _, err := svc.Archive(ctx, ilse, old.ID); err != nil {
		t.Fatal(err)
	}
	u := people[omar.UserID]
	u.Active = false
	people[omar.UserID] = u
	now = time.Date(2027, 6, 2, 8, 0, 0, 0, time.UTC)
	if n := svc.RemindOverdue(ctx); n != 1 || len(h.notices) != 2 || !slices.Equal(h.notices[1].users, []string{ilse.UserID}) || h.notices[1].key != "review_due:"+later.ID+":2027-06-01" {
		t.Fatalf("second reminder: %+v", h.notices)
	}
}
