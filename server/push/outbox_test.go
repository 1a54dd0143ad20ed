package push

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/plein/plein/server/notify"
	"github.com/plein/plein/server/push/pushtest"
	"github.com/plein/plein/server/store/storetest"
)

// countOutbox counts the waiting pushes (the test's own small collection).
func countOutbox(t *testing.T, s *Service) int {
	t.Helper()
	docs, err := s.out.all(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(docs)
}

// A push is in the outbox until it is sent; one a stopped process left
// behind is sent by the next start (or another instance) once stale, by
// exactly one of them, and one older than the TTL is dropped unsent.
func TestOutboxSurvivesARestart(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	keys := testKeys(t)
	clk := &testClock{t: amsterdam(12, 0)}
	opts := Options{Keys: keys, AllowLoopback: true, Now: clk.Now}
	a, err := NewService(ctx, st, opts)
	if err != nil {
		t.Fatal(err)
	}
	ps := pushtest.NewService(t)
	d := pushtest.NewDevice(t)
	subscribe(t, a, "anouk", ps.URL+"/a", d)
	a.Forward(ctx, "anouk", notify.Notification{Kind: notify.KindMention, Link: "/chat/x?m=1", Title: "geheim",
		Actor: &notify.PersonRef{Name: "Sanne de Vries"}, Place: "Den Helder-Centrum"})
	ps.Next(t)
	flush(t, a)
	if n := countOutbox(t, a); n != 0 {
		t.Fatalf("%d sent pushes still in the outbox", n)
	}
	a.Close(ctx)

	// What a process that stopped before sending leaves: one push ten
	// minutes old, one two days old, one just written (its owner may still
	// be sending it).
	left := newOutDoc("anouk", notify.Notification{Kind: notify.KindMention, Link: "/chat/x?m=2",
		Actor: &notify.PersonRef{Name: "Sanne de Vries"}, Place: "Den Helder-Centrum"}, clk.Now().Add(-10*time.Minute).UTC())
	old := newOutDoc("anouk", notify.Notification{Kind: notify.KindMention, Link: "/chat/x?m=0"}, clk.Now().Add(-48*time.Hour).UTC())
	fresh := newOutDoc("anouk", notify.Notification{Kind: notify.KindMention, Link: "/chat/x?m=3"}, clk.Now().Add(-time.Minute).UTC())
	if err := newOutbox(st).write(ctx, []job{{doc: left}, {doc: old}, {doc: fresh}}); err != nil {
		t.Fatal(err)
	}
	if left.Actor != "Sanne" {
		t.Fatalf("the outbox keeps %q of the actor's name", left.Actor)
	}

	b, err := NewService(ctx, st, opts) // the restart: sends the stale one at start
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close(ctx)
	c, err := NewService(ctx, st, opts) // another instance at the same moment
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	got := ps.Next(t)
	plain, err := d.Decrypt(got.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m Message
	if err := json.Unmarshal(plain, &m); err != nil || m.URL != "/chat/x?m=2" || m.Title != "Sanne noemde je" || m.Body != "in Den Helder-Centrum" {
		t.Fatalf("recovered push %s", plain)
	}
	flush(t, b)
	flush(t, c)
	ps.None(t) // not twice, not the old one, not the fresh one yet
	if n := countOutbox(t, b); n != 1 {
		t.Fatalf("want only the fresh push waiting, got %d", n)
	}
	// Once it is stale too, a sweep sends it.
	clk.Set(clk.Now().Add(outboxStale))
	if n, err := c.Recover(ctx); err != nil || n != 1 {
		t.Fatalf("recover: %d, %v", n, err)
	}
	ps.Next(t)
	flush(t, c)
	if n, err := b.Recover(ctx); err != nil || n != 0 {
		t.Fatalf("recovered again: %d, %v", n, err)
	}
	if n := countOutbox(t, b); n != 0 {
		t.Fatalf("%d pushes left", n)
	}
}

// At erasure the person's waiting pushes go at once with their devices,
// not when an instance sends them (or drops them a TTL later); another
// person's stay. A run that stopped after the devices (the step is
// re-run until recorded) finishes the outbox.
func TestErasureDropsWaitingPushes(t *testing.T) {
	ctx := context.Background()
	s, clk := newService(t, testKeys(t))
	d := pushtest.NewDevice(t)
	ps := pushtest.NewService(t)
	subscribe(t, s, "anouk", ps.URL+"/a", d)
	subscribe(t, s, "sanne", ps.URL+"/s", pushtest.NewDevice(t))
	// Left behind by a process that stopped: two for Anouk, one for Sanne.
	var jobs []job
	for _, u := range []string{"anouk", "sanne", "anouk"} {
		jobs = append(jobs, job{doc: newOutDoc(u, notify.Notification{Kind: notify.KindMention, Link: "/chat/x?m=1",
			Actor: &notify.PersonRef{Name: "Bram Jansen"}, Place: "Den Helder-Centrum"}, clk.Now().Add(-time.Minute).UTC())})
	}
	if err := s.out.write(ctx, jobs); err != nil {
		t.Fatal(err)
	}

	// A run that stopped half-way: the devices are gone, the outbox not yet.
	if err := s.Forget(ctx, "anouk"); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the re-run, then a run after the job was done
		if err := s.Pseudonymise(ctx, "anouk", "Oud-medewerker 1A2B"); err != nil {
			t.Fatal(err)
		}
		docs, err := s.out.all(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != 1 || docs[0].User != "sanne" {
			t.Fatalf("outbox after erasure: %+v", docs)
		}
	}
	if l, err := s.Devices(ctx, "anouk"); err != nil || len(l.Items) != 0 {
		t.Fatalf("devices after erasure: %+v %v", l, err)
	}
	if l, err := s.Devices(ctx, "sanne"); err != nil || len(l.Items) != 1 {
		t.Fatalf("sanne's devices after erasure: %+v %v", l, err)
	}
}
