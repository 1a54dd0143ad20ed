package notify

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

// fakeForwarder records what is forwarded.
type fakeForwarder struct {
	mu  sync.Mutex
	got map[string][]Notification
}

func (f *fakeForwarder) Forward(_ context.Context, user string, n Notification) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.got == nil {
		f.got = map[string][]Notification{}
	}
	f.got[user] = append(f.got[user], n)
}

func (f *fakeForwarder) of(user string) []Notification {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Notification(nil), f.got[user]...)
}

// Every notification delivered to a person is forwarded once, with its
// place; kinds switched off are not; an ephemeral notice is forwarded and
// not stored; a fan-out in the background forwards too.
func TestForwarderGetsEveryDelivery(t *testing.T) {
	ctx := context.Background()
	svc, _, st := newTest(t)
	f := &fakeForwarder{}
	svc.SetForwarder(f)

	n := notice("Anouk noemde je in Den Helder-Centrum")
	n.Place = "Den Helder-Centrum"
	svc.Notify(ctx, []string{"u-sanne", "u-daan"}, n)
	got := f.of("u-sanne")
	if len(got) != 1 || got[0].Place != "Den Helder-Centrum" || got[0].ID != "u-sanne:1" || got[0].Kind != KindMention {
		t.Fatalf("forwarded: %+v", got)
	}
	if p := list(t, svc, "u-sanne", "", 0); len(p.Items) != 1 || p.Items[0].Place != "Den Helder-Centrum" {
		t.Fatalf("stored: %+v", p.Items)
	}

	// Switched off: neither stored nor forwarded.
	off := false
	if _, err := svc.SetPrefs(ctx, "u-daan", PrefsInput{Kinds: map[string]bool{KindMessage: off}}); err != nil {
		t.Fatal(err)
	}
	msg := Notice{Kind: KindMessage, Title: "Nieuw bericht van Anouk", Link: "/chat/dm-1?m=4", ActorID: "u-anouk", ActorName: "Anouk de Vries", Ephemeral: true}
	svc.Notify(ctx, []string{"u-sanne", "u-daan", "u-anouk"}, msg)
	if got := f.of("u-sanne"); len(got) != 2 || got[1].Kind != KindMessage || got[1].ID != "" || got[1].Link != "/chat/dm-1?m=4" {
		t.Fatalf("ephemeral: %+v", got)
	}
	if got := f.of("u-daan"); len(got) != 1 {
		t.Fatalf("daan switched messages off: %+v", got)
	}
	if got := f.of("u-anouk"); len(got) != 0 {
		t.Fatalf("the actor got her own message: %+v", got)
	}
	if p := list(t, svc, "u-sanne", "", 0); len(p.Items) != 1 {
		t.Fatalf("the ephemeral notice was stored: %+v", p.Items)
	}
	if n := stored(t, st, itemsColl, nil); n != 2 {
		t.Fatalf("%d items stored, want 2", n)
	}

	// A large fan-out (a background job) forwards to each.
	many := users(120, "u-m")
	svc.Notify(ctx, many, notice("Nieuwe mededeling"))
	flush(t, svc)
	for _, u := range many {
		if len(f.of(u)) != 1 {
			t.Fatalf("%s: %d forwarded", u, len(f.of(u)))
		}
	}
}

// A reminder (a keyed notice) that two instances send at the same time, or
// one sends again, is forwarded (so pushed) once per person; a person who
// switched its kind off gets neither the notification nor the push.
func TestKeyedReminderForwardedOnceAcrossInstances(t *testing.T) {
	ctx := context.Background()
	one, _, st := newTest(t)
	two := open(t, st, Options{})
	f1, f2 := &fakeForwarder{}, &fakeForwarder{}
	one.SetForwarder(f1)
	two.SetForwarder(f2)
	if _, err := two.SetPrefs(ctx, "u-daan", PrefsInput{Kinds: map[string]bool{KindEvent: false}}); err != nil {
		t.Fatal(err)
	}
	one.refreshStates(ctx, []string{"u-daan"}) // the preference, as a delivery to a few people re-reads it
	r := Notice{Kind: KindEvent, Title: "Straks: Teamoverleg", Text: "7 december 2026, 14:00–15:00", Link: "/ruimtes/dhc/agenda/e1",
		Place: "Den Helder-Centrum", Key: "event_reminder:e1"}
	to := []string{"u-sanne", "u-anouk", "u-daan"}
	var wg sync.WaitGroup
	for _, svc := range []*Service{one, two, one} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc.Notify(ctx, to, r)
		}()
	}
	wg.Wait()
	flush(t, one)
	flush(t, two)
	caughtUp(t, two)
	for _, u := range []string{"u-sanne", "u-anouk"} {
		if n := len(f1.of(u)) + len(f2.of(u)); n != 1 {
			t.Fatalf("%s: the reminder forwarded %d times", u, n)
		}
		if p := list(t, two, u, "", 0); len(p.Items) != 1 || p.Items[0].Kind != KindEvent {
			t.Fatalf("%s: %+v", u, p.Items)
		}
	}
	if n := len(f1.of("u-daan")) + len(f2.of("u-daan")); n != 0 {
		t.Fatalf("daan switched events off, yet got %d pushes", n)
	}
	if p := list(t, two, "u-daan", "", 0); len(p.Items) != 0 {
		t.Fatalf("daan switched events off: %+v", p.Items)
	}
}

// A notice's PushSubject reaches the forwarder, inline and from a
// background fan-out, and never the person's stored notifications or JSON.
func TestPushSubjectIsForwardedNotStored(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newTest(t)
	f := &fakeForwarder{}
	svc.SetForwarder(f)
	n := Notice{Kind: KindEvent, Title: "Straks: Teamoverleg", Place: "Den Helder-Centrum", PushSubject: "Teamoverleg"}
	svc.Notify(ctx, []string{"u-sanne"}, n)
	if got := f.of("u-sanne"); len(got) != 1 || got[0].PushSubject != "Teamoverleg" {
		t.Fatalf("forwarded: %+v", got)
	}
	many := users(120, "u-m")
	svc.Notify(ctx, many, n)
	flush(t, svc)
	for _, u := range many {
		if got := f.of(u); len(got) != 1 || got[0].PushSubject != "Teamoverleg" {
			t.Fatalf("%s: forwarded %+v", u, got)
		}
	}
	p := list(t, svc, "u-sanne", "", 0)
	if len(p.Items) != 1 || p.Items[0].PushSubject != "" {
		t.Fatalf("stored: %+v", p.Items)
	}
	if b, _ := json.Marshal(f.of("u-sanne")[0]); strings.Contains(string(b), "ushSubject") {
		t.Fatalf("the API type shows it: %s", b)
	}
}
