package notify

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/storetest"
	"github.com/plein/plein/server/store/streamlog"
)

// fakePusher records every frame.
type fakePusher struct {
	mu     sync.Mutex
	frames map[string][]pushed
}

type pushed struct {
	Type   string       `json:"type"`
	Item   Notification `json:"item"`
	Unread int          `json:"unread"`
}

func (p *fakePusher) PushNotification(_ context.Context, user string, item Notification, unread int) {
	f := pushed{"notification", item, unread}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.frames == nil {
		p.frames = map[string][]pushed{}
	}
	p.frames[user] = append(p.frames[user], f)
}

func (p *fakePusher) of(user string) []pushed {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]pushed(nil), p.frames[user]...)
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond) // every reading is later than the one before
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// buses: the instances of one test store share a Bus (in this process),
// as the app's instances share the broker.
var (
	busMu sync.Mutex
	buses = map[*store.Store]*streamlog.Bus{}
)

func busFor(st *store.Store) *streamlog.Bus {
	busMu.Lock()
	defer busMu.Unlock()
	if buses[st] == nil {
		buses[st] = streamlog.NewBus(nil)
	}
	return buses[st]
}

// open starts a service ("an instance") on st; it is closed when the test ends.
func open(t testing.TB, st *store.Store, o Options) *Service {
	t.Helper()
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Bus == nil {
		o.Bus = busFor(st)
	}
	svc, err := NewService(context.Background(), st, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close(context.Background()) })
	return svc
}

func newTest(t testing.TB) (*Service, *fakePusher, *store.Store) {
	t.Helper()
	st := storetest.New(t)
	p := &fakePusher{}
	return open(t, st, Options{Pusher: p}), p, st
}

func notice(title string) Notice {
	return Notice{Kind: KindMention, Title: title, Text: "Anouk noemde je in een bericht", Link: "/ruimtes/den-helder-centrum/berichten/p1",
		ActorID: "u-anouk", ActorName: "Anouk de Vries"}
}

func list(t testing.TB, svc *Service, user, before string, limit int) *Page {
	t.Helper()
	p, err := svc.List(context.Background(), user, before, limit)
	if err != nil {
		t.Fatalf("list %s: %v", user, err)
	}
	return p
}

func titles(p *Page) []string {
	out := make([]string, len(p.Items))
	for i, n := range p.Items {
		out[i] = n.Title
	}
	return out
}

// stored counts a collection's documents.
func stored(t testing.TB, st *store.Store, coll string, filter bson.D) int64 {
	t.Helper()
	if filter == nil {
		filter = bson.D{}
	}
	n, err := st.DB.Collection(coll).CountDocuments(context.Background(), filter)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func users(n int, prefix string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%05d", prefix, i)
	}
	return out
}

func flush(t testing.TB, svc *Service) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := svc.Flush(ctx); err != nil {
		t.Fatalf("flush: %v", err)
	}
}

// caughtUp waits until svc's follower has applied every change-log entry
// stored now: what another instance wrote reaches svc within a second
// (streamlog.Poll), at once when the Bus carries the signal, as here. It
// waits on the applied event, not on a clock; the deadline only ends a
// hung test (the 1 s bound is measured in server/app,
// TestChangeVisibleOnOtherInstanceWithinOneSecond).
func caughtUp(t testing.TB, svc *Service) {
	t.Helper()
	events, stop := svc.opts.Bus.Watch()
	defer stop()
	end, err := svc.changes.Log().Last(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	for svc.changes.Last() < end {
		select {
		case <-events:
		case <-deadline.C:
			if svc.changes.Last() < end {
				t.Fatalf("the change log was applied up to %d, want %d", svc.changes.Last(), end)
			}
		}
	}
}
