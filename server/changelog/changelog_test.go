package changelog

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/store/storetest"
)

// TestNumberedAppendAndPages: concurrent appends, from two instances, get distinct numbers, a
// page is newest first and continues with next, and a number whose insert
// failed (a gap) is skipped.
func TestNumberedAppendAndPages(t *testing.T) {
	ctx := context.Background()
	l := New(storetest.New(t))
	if p, err := l.List(ctx, "", 10); err != nil || len(p.Items) != 0 || p.Next != "" {
		t.Fatalf("empty log: %+v %v", p, err)
	}
	// A second instance on the same store races the first for numbers.
	other := &Log{entries: l.entries, counter: l.counter, now: l.now}
	actor := &identity.Actor{UserID: "u1", Name: "Yvonne Kramer"}
	var wg sync.WaitGroup
	for i := range 12 {
		logs := []*Log{l, other}
		wg.Go(func() {
			if err := logs[i%2].RecordChange(ctx, actor, identity.Change{Action: "region.create", Subject: fmt.Sprintf("region:r%d", i)}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// A gap: number 5 taken, its entry never stored.
	if _, err := l.entries.DeleteOne(ctx, bson.D{{Key: "_id", Value: idOf(5)}}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	before := ""
	for pages := 0; ; pages++ {
		p, err := l.List(ctx, before, 5)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range p.Items {
			ids = append(ids, e.ID)
			if e.ActorName != "Yvonne Kramer" || e.ActorID != "u1" || e.Action != "region.create" {
				t.Errorf("entry %+v", e)
			}
		}
		if p.Next == "" {
			break
		}
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		before = p.Next
	}
	want := []string{}
	for n := int64(12); n >= 1; n-- {
		if n != 5 {
			want = append(want, idOf(n))
		}
	}
	if fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Fatalf("ids %v, want %v", ids, want)
	}
	if !ValidID(idOf(12)) || ValidID("12") || ValidID(`{"$gt":""}`) {
		t.Error("ValidID")
	}
}

// BenchmarkPage measures a page of 50 (the app's page) from a log of 2,000
// entries on the test store (the embedded one by default): 50 point lookups
// by _id plus the head. go test -run XXX -bench Page ./server/changelog/
func BenchmarkPage(b *testing.B) {
	ctx := context.Background()
	l := New(storetest.New(b))
	docs := make([]any, 2000)
	for i := range docs {
		docs[i] = Entry{ID: idOf(int64(i + 1)), Action: "member.set", Subject: "team:x user:u1", SubjectName: "Daan Visser · X",
			After: map[string]any{"teamRoles": []string{"planning"}}}
	}
	if _, err := l.entries.InsertMany(ctx, docs); err != nil {
		b.Fatal(err)
	}
	if err := l.Append(ctx, Entry{Action: "region.create"}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		p, err := l.List(ctx, "", 50)
		if err != nil || len(p.Items) != 50 {
			b.Fatalf("%v %d", err, len(p.Items))
		}
	}
}
