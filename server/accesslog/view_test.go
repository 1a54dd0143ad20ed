package accesslog

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/store/storetest"
)

func TestListFiltersAndPages(t *testing.T) {
	ctx := context.Background()
	l := New(storetest.New(t))
	base := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	users := []string{"u000000000000000000000001", "u000000000000000000000002"}
	for i := range 10 {
		e := Entry{At: base.Add(time.Duration(i) * time.Hour), UserID: users[i%2], Action: []string{"read", "search"}[i/5], Subject: fmt.Sprintf("team:t%d", i%3)}
		if err := l.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	page, err := l.List(ctx, Query{From: day(20), To: day(21), Limit: 4})
	if err != nil || len(page.Items) != 4 || page.Next == "" || !page.Items[0].At.Equal(base.Add(9*time.Hour)) {
		t.Fatalf("first page: %v %+v", err, page)
	}
	seen := 4
	for page.Next != "" {
		next, err := l.List(ctx, Query{From: day(20), To: day(21), Limit: 4, Before: page.Next})
		if err != nil {
			t.Fatal(err)
		}
		if len(next.Items) > 0 && next.Items[0].ID >= page.Items[len(page.Items)-1].ID {
			t.Fatal("pages overlap or go forward")
		}
		seen += len(next.Items)
		page = next
	}
	if seen != 10 {
		t.Fatalf("paged through %d of 10", seen)
	}
	count := func(q Query) int {
		q.From, q.To, q.Limit = day(20), day(21), 100
		p, err := l.List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Items)
	}
	if n := count(Query{UserID: users[0]}); n != 5 {
		t.Errorf("one user: %d", n)
	}
	if n := count(Query{UserID: users[0], Action: "search"}); n != 2 {
		t.Errorf("one user's searches: %d", n)
	}
	if n := count(Query{Subject: "team:t0"}); n != 4 {
		t.Errorf("one subject: %d", n)
	}
	// The period bounds the result.
	if p, _ := l.List(ctx, Query{From: day(21), To: day(22), Limit: 10}); len(p.Items) != 0 {
		t.Errorf("the next day has %d entries", len(p.Items))
	}
	if p, _ := l.List(ctx, Query{From: base.Add(2 * time.Hour), To: base.Add(4 * time.Hour), Limit: 10}); len(p.Items) != 2 {
		t.Errorf("two hours: %d entries", len(p.Items))
	}
}

// TestListAcrossDays: the day collections read as one log, newest first,
// with pages that neither overlap nor skip across midnight.
func TestListAcrossDays(t *testing.T) {
	ctx := context.Background()
	l := New(storetest.New(t))
	base := time.Date(2030, 1, 1, 3, 0, 0, 0, time.UTC)
	const n = 17 // every 7 hours: five days and a bit
	for i := range n {
		if err := l.Append(ctx, Entry{At: base.Add(time.Duration(i) * 7 * time.Hour), UserID: "u000000000000000000000001", Action: "read", Subject: "s"}); err != nil {
			t.Fatal(err)
		}
	}
	from, to := base.Truncate(24*time.Hour), base.Add(8*24*time.Hour)
	var ids []string
	q := Query{From: from, To: to, Limit: 3}
	for {
		p, err := l.List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range p.Items {
			ids = append(ids, e.ID)
		}
		if p.Next == "" {
			break
		}
		q.Before = p.Next
	}
	if len(ids) != n {
		t.Fatalf("paged through %d of %d entries", len(ids), n)
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] >= ids[i-1] {
			t.Fatalf("not newest first at %d: %s then %s", i, ids[i-1], ids[i])
		}
	}
	// A period inside one day reads only that day's entries.
	p, err := l.List(ctx, Query{From: base.Add(24 * time.Hour).Truncate(24 * time.Hour), To: base.Add(48 * time.Hour).Truncate(24 * time.Hour), Limit: 100})
	if err != nil || len(p.Items) != 4 {
		t.Fatalf("one day: %v, %d entries, want 4", err, len(p.Items))
	}
}

// TestMigrateToDays: the legacy single collection is moved into the day
// collections; a run that failed half-way (some copies made, legacy still
// there) can run again, and every entry is found exactly once.
func TestMigrateToDays(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	l := New(s)
	legacy := s.DB.Collection(legacyCollection)
	base := time.Date(2030, 2, 1, 22, 0, 0, 0, time.UTC)
	var entries []Entry
	for i := range 6 {
		at := base.Add(time.Duration(i) * time.Hour)
		e := Entry{ID: idAt(at) + fmt.Sprintf("-0000000%d", i), At: at, UserID: "u000000000000000000000001", Action: "read", Subject: "s"}
		entries = append(entries, e)
		if _, err := legacy.InsertOne(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	// Half-way: one entry was already copied before the failure.
	if _, err := l.dayOf(entries[3].At).InsertOne(ctx, entries[3]); err != nil {
		t.Fatal(err)
	}
	for run := range 2 {
		if err := MigrateToDays(ctx, s); err != nil {
			t.Fatalf("run %d: %v", run+1, err)
		}
	}
	names, err := s.DB.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(names, legacyCollection) {
		t.Error("the legacy collection is still there")
	}
	p, err := l.List(ctx, Query{From: base.Truncate(24 * time.Hour), To: base.Add(48 * time.Hour), Limit: 100})
	if err != nil || len(p.Items) != len(entries) {
		t.Fatalf("after migration: %v, %d entries, want %d", err, len(p.Items), len(entries))
	}
	for i, e := range p.Items {
		if want := entries[len(entries)-1-i].ID; e.ID != want {
			t.Errorf("entry %d: %s, want %s", i, e.ID, want)
		}
	}
}
