package changelog

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/privacy"
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
	other := &Log{entries: l.entries, counter: l.counter, people: l.people, now: l.now}
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

// TestPersonalDataByThePersonIndex (issue 16): a person's export finds the
// entries they made and those about them (subject "… user:<id>"), none of
// anyone else's, and erasure gives exactly the entries they made the
// pseudonym; once the backfill has indexed the entries stored before the
// index, neither reads or updates the log by a filter (store.Scans).
func TestPersonalDataByThePersonIndex(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	l := New(st)
	// Stored before the index existed: straight into the collection.
	old := []any{
		Entry{ID: idOf(1), ActorID: "uann", ActorName: "Ann", Action: "region.create", Subject: "region:r1"},
		Entry{ID: idOf(2), ActorID: "ubob", ActorName: "Bob", Action: "member.set", Subject: "team:t1 user:uann"},
		Entry{ID: idOf(3), ActorID: "ubob", ActorName: "Bob", Action: "member.set", Subject: "team:t1 user:ucas"},
	}
	if _, err := l.entries.InsertMany(ctx, old); err != nil {
		t.Fatal(err)
	}
	if _, err := l.counter.InsertOne(ctx, counterDoc{ID: counterID, N: 3}); err != nil {
		t.Fatal(err)
	}
	ann, bob := &identity.Actor{UserID: "uann", Name: "Ann"}, &identity.Actor{UserID: "ubob", Name: "Bob"}
	for _, c := range []struct {
		a *identity.Actor
		c identity.Change
	}{
		{ann, identity.Change{Action: "user.roles", Subject: "user:ubob"}},            // 4
		{bob, identity.Change{Action: "user.roles", Subject: "user:uann"}},            // 5
		{bob, identity.Change{Action: "team.rename", Subject: "team:t1"}},             // 6
		{ann, identity.Change{Action: "member.remove", Subject: "team:t2 user:ucas"}}, // 7
	} {
		if err := l.RecordChange(ctx, c.a, c.c); err != nil {
			t.Fatal(err)
		}
	}
	holder, names := privacy.Places(st.DB, Places(st.DB)...)
	export := func() []string {
		t.Helper()
		v, err := holder.PersonalData(ctx, "uann")
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, d := range v.(map[string][]bson.M)[Collection] {
			ids = append(ids, d["_id"].(string))
		}
		slices.Sort(ids)
		return ids
	}
	want := []string{idOf(1), idOf(2), idOf(4), idOf(5), idOf(7)}
	// Before the backfill: read by filter, the same entries.
	if got := export(); !slices.Equal(got, want) {
		t.Errorf("before the backfill: %v, want %v", got, want)
	}
	if err := Backfill(ctx, st); err != nil {
		t.Fatal(err)
	}
	if err := Backfill(ctx, st); err != nil { // a migration re-run
		t.Fatal(err)
	}
	// A change after the backfill: in the index by its own append.
	if err := l.RecordChange(ctx, bob, identity.Change{Action: "user.activate", Subject: "user:uann"}); err != nil { // 8
		t.Fatal(err)
	}
	want = append(want, idOf(8))
	before := st.Scans.Snapshot()
	if got := export(); !slices.Equal(got, want) {
		t.Errorf("by the index: %v, want %v", got, want)
	}
	if err := names.Pseudonymise(ctx, "uann", "Oud-medewerker 0001"); err != nil {
		t.Fatal(err)
	}
	for k, n := range st.Scans.Snapshot() {
		if n != before[k] && strings.HasPrefix(k.Collection, Collection) {
			t.Errorf("read %s whole (%s, %d×)", k.Collection, k.Command, n-before[k])
		}
	}
	p, err := l.List(ctx, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range p.Items {
		wantName := map[string]string{"uann": "Oud-medewerker 0001", "ubob": "Bob"}[e.ActorID]
		if e.ActorName != wantName {
			t.Errorf("entry %s by %s: actor name %q, want %q", e.ID, e.ActorID, e.ActorName, wantName)
		}
	}
}
