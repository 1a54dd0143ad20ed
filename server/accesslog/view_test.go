package accesslog

import (
	"context"
	"fmt"
	"testing"
	"time"

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
