package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store/storetest"
)

var ctx = context.Background()

func TestNotifyStoresCountsAndPushes(t *testing.T) {
	svc, push, st := newTest(t)
	svc.Notify(ctx, []string{"u-bram", "u-chris", "u-bram", "u-anouk", ""}, notice("Anouk noemde je"))

	for _, u := range []string{"u-bram", "u-chris"} {
		p := list(t, svc, u, "", 0)
		if len(p.Items) != 1 || p.Unread != 1 || svc.Unread(u) != 1 {
			t.Fatalf("%s: %d items, unread %d/%d; want 1, 1", u, len(p.Items), p.Unread, svc.Unread(u))
		}
		n := p.Items[0]
		if n.ID != u+":1" || n.Kind != KindMention || n.Title != "Anouk noemde je" || n.Text != "Anouk noemde je in een bericht" ||
			n.Link != "/ruimtes/den-helder-centrum/berichten/p1" || n.Read || n.Actor == nil || n.Actor.Name != "Anouk de Vries" ||
			n.CreatedAt.IsZero() {
			t.Fatalf("%s: got %+v", u, n)
		}
		f := push.of(u)
		if len(f) != 1 || f[0].Type != "notification" || f[0].Item.ID != n.ID || f[0].Unread != 1 || f[0].Item.Title != n.Title {
			t.Fatalf("%s: pushed %+v", u, f)
		}
	}
	// Once per user, never to the actor, nothing for the empty id.
	if got := stored(t, st, itemsColl, nil); got != 2 {
		t.Fatalf("stored %d notifications, want 2", got)
	}
	if p := list(t, svc, "u-anouk", "", 0); len(p.Items) != 0 || len(push.of("u-anouk")) != 0 {
		t.Fatal("the actor was notified of her own action")
	}
	svc.Notify(ctx, []string{"u-bram"}, Notice{Kind: KindReply, Title: "Nieuwe reactie"})
	if p := list(t, svc, "u-bram", "", 0); p.Unread != 2 || p.Items[0].Title != "Nieuwe reactie" || p.Items[0].Actor != nil {
		t.Fatalf("second: %+v", p)
	}
	if f := push.of("u-bram"); len(f) != 2 || f[1].Unread != 2 {
		t.Fatalf("second push: %+v", f)
	}
}

func TestNoticeIsCleanedOrRefused(t *testing.T) {
	svc, _, st := newTest(t)
	svc.Notify(ctx, []string{"u-bram"}, Notice{Kind: "gossip", Title: "x"})
	svc.Notify(ctx, []string{"u-bram"}, Notice{Kind: KindPost, Title: "  \n "})
	if got := stored(t, st, itemsColl, nil); got != 0 {
		t.Fatalf("unknown kind or empty title stored: %d", got)
	}
	for _, link := range []string{"javascript:alert(1)", "//evil.example/x", `/\evil.example`, "https://evil.example", "/a b", "/ok\n"} {
		svc.Notify(ctx, []string{"u-bram"}, Notice{Kind: KindPost, Title: "Nieuw\nbericht\t in  Zwaag", Link: link})
	}
	long := ""
	for range 300 {
		long += "é"
	}
	svc.Notify(ctx, []string{"u-bram"}, Notice{Kind: KindPost, Title: long, Link: "/ruimtes/zwaag"})
	p := list(t, svc, "u-bram", "", 0)
	if len(p.Items) != 7 {
		t.Fatalf("got %d items", len(p.Items))
	}
	if n := p.Items[0]; n.Link != "/ruimtes/zwaag" || len([]rune(n.Title)) != MaxTitle || n.Title[len(n.Title)-3:] != "…" {
		t.Fatalf("long title: %q %q", n.Title, n.Link)
	}
	for _, n := range p.Items[1:] {
		if n.Link != "" || n.Title != "Nieuw bericht in Zwaag" {
			t.Fatalf("not cleaned: %q %q", n.Title, n.Link)
		}
	}
}

func TestPreferencesSuppress(t *testing.T) {
	svc, push, st := newTest(t)
	off, on := false, true
	p, err := svc.SetPrefs(ctx, "u-bram", PrefsInput{Kinds: map[string]bool{KindPost: false, KindEvent: false}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Kinds[KindPost] || p.Kinds[KindEvent] || !p.Kinds[KindMention] || len(p.Kinds) != len(Kinds) || !p.Live {
		t.Fatalf("prefs %+v", p)
	}
	// Kinds not named keep their setting.
	if p, err = svc.SetPrefs(ctx, "u-bram", PrefsInput{Kinds: map[string]bool{KindEvent: true}}); err != nil || p.Kinds[KindPost] || !p.Kinds[KindEvent] {
		t.Fatalf("prefs %+v %v", p, err)
	}
	svc.Notify(ctx, []string{"u-bram", "u-chris"}, Notice{Kind: KindPost, Title: "Nieuw bericht"})
	if got := stored(t, st, itemsColl, bson.D{{Key: "u", Value: "u-bram"}}); got != 0 {
		t.Fatalf("a switched-off kind was stored: %d", got)
	}
	if list(t, svc, "u-bram", "", 0).Unread != 0 || len(push.of("u-bram")) != 0 || list(t, svc, "u-chris", "", 0).Unread != 1 {
		t.Fatal("suppressed kind counted or pushed, or the other user missed it")
	}
	// Live off: stored and counted, not pushed.
	if _, err := svc.SetPrefs(ctx, "u-chris", PrefsInput{Live: &off}); err != nil {
		t.Fatal(err)
	}
	svc.Notify(ctx, []string{"u-chris"}, Notice{Kind: KindEvent, Title: "Teamoverleg"})
	if list(t, svc, "u-chris", "", 0).Unread != 2 || len(push.of("u-chris")) != 1 {
		t.Fatalf("live off: unread %d, pushes %d", svc.Unread("u-chris"), len(push.of("u-chris")))
	}
	if _, err := svc.SetPrefs(ctx, "u-chris", PrefsInput{Live: &on}); err != nil {
		t.Fatal(err)
	}
	// Another instance (and a restart) sees the preferences.
	other := open(t, st, Options{})
	if p, err := other.Prefs(ctx, "u-bram"); err != nil || p.Kinds[KindPost] || !p.Kinds[KindEvent] || !p.Live {
		t.Fatalf("other instance: %+v %v", p, err)
	}
	other.Notify(ctx, []string{"u-bram"}, Notice{Kind: KindPost, Title: "Nog een bericht"})
	if got := stored(t, st, itemsColl, bson.D{{Key: "u", Value: "u-bram"}}); got != 0 {
		t.Fatal("the other instance ignored the preference")
	}
	var ve *apperr.ValidationError
	if _, err := svc.SetPrefs(ctx, "u-bram", PrefsInput{Kinds: map[string]bool{"gossip": false}}); !errors.As(err, &ve) || ve.Fields[0].Field != "kinds.gossip" {
		t.Fatalf("unknown kind: %v", err)
	}
}

func TestDedupKey(t *testing.T) {
	svc, push, st := newTest(t)
	n := Notice{Kind: KindArticleConfirm, Title: "Lees en bevestig: Wondzorg", Link: "/kennis/wondzorg", Key: "article_confirm:wondzorg:3"}
	svc.Notify(ctx, []string{"u-bram"}, n)
	svc.Notify(ctx, []string{"u-bram", "u-chris"}, n)
	if got := list(t, svc, "u-bram", "", 0); len(got.Items) != 1 || len(push.of("u-bram")) != 1 {
		t.Fatalf("bram got it %d times", len(got.Items))
	}
	if got := list(t, svc, "u-chris", "", 0); len(got.Items) != 1 {
		t.Fatalf("chris got it %d times", len(got.Items))
	}
	n.Key = "article_confirm:wondzorg:4" // a new major version
	svc.Notify(ctx, []string{"u-bram"}, n)
	if got := list(t, svc, "u-bram", "", 0); len(got.Items) != 2 {
		t.Fatalf("new key: %d items", len(got.Items))
	}
	// Across instances and restarts too; a broadcast as well.
	other := open(t, st, Options{AsyncOver: 1})
	other.Notify(ctx, []string{"u-bram", "u-chris", "u-dirk"}, n)
	flush(t, other)
	for u, want := range map[string]int{"u-bram": 2, "u-chris": 2, "u-dirk": 1} {
		if got := list(t, other, u, "", 0); len(got.Items) != want {
			t.Fatalf("%s: %d items, want %d", u, len(got.Items), want)
		}
	}
}

func TestMarkReadAndAllRead(t *testing.T) {
	svc, _, _ := newTest(t)
	for i := 1; i <= 5; i++ {
		svc.Notify(ctx, []string{"u-bram"}, notice(fmt.Sprint("n", i)))
	}
	n, err := svc.MarkRead(ctx, "u-bram", []string{"u-bram:2", "u-bram:4", "u-bram:4"})
	if err != nil || n != 3 {
		t.Fatalf("mark read: %d %v", n, err)
	}
	p := list(t, svc, "u-bram", "", 0)
	var read []string
	for _, it := range p.Items {
		if it.Read {
			read = append(read, it.ID)
		}
	}
	if !slices.Equal(read, []string{"u-bram:4", "u-bram:2"}) || p.Unread != 3 {
		t.Fatalf("read %v unread %d", read, p.Unread)
	}
	// Marking 1 folds 1 and 2 into the marker.
	if n, err = svc.MarkRead(ctx, "u-bram", []string{"u-bram:1"}); err != nil || n != 2 {
		t.Fatalf("mark 1: %d %v", n, err)
	}
	if n, err = svc.MarkAllRead(ctx, "u-bram"); err != nil || n != 0 || svc.Unread("u-bram") != 0 {
		t.Fatalf("all read: %d %v", n, err)
	}
	svc.Notify(ctx, []string{"u-bram"}, notice("n6"))
	if p := list(t, svc, "u-bram", "", 0); p.Unread != 1 || p.Items[0].Read || !p.Items[1].Read {
		t.Fatalf("after all read: %+v", p)
	}
}

func TestOtherUsersIDsAreNotFound(t *testing.T) {
	svc, _, _ := newTest(t)
	svc.Notify(ctx, []string{"u-bram", "u-chris"}, notice("a"))
	svc.Notify(ctx, []string{"u-chris"}, notice("b"))
	for _, ids := range [][]string{{"u-chris:2"}, {"u-bram:1", "u-chris:1"}, {"u-bram:2"}} {
		if _, err := svc.MarkRead(ctx, "u-bram", ids); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("%v: got %v, want not found", ids, err)
		}
	}
	if svc.Unread("u-bram") != 1 || svc.Unread("u-chris") != 2 {
		t.Fatal("a refused request changed something")
	}
	var ve *apperr.ValidationError
	if _, err := svc.MarkRead(ctx, "u-bram", []string{"u-bram:01", "nope", "u-bram:0", "u bram:1"}); !errors.As(err, &ve) || len(ve.Fields) != 4 ||
		ve.Fields[0].Field != "ids[0]" {
		t.Fatalf("malformed ids: %v", err)
	}
}

func TestPaging(t *testing.T) {
	st := storetest.New(t)
	svc := open(t, st, Options{Recent: 20})
	for i := 1; i <= 75; i++ {
		svc.Notify(ctx, []string{"u-bram"}, notice(fmt.Sprint("n", i)))
	}
	check := func(svc *Service) {
		t.Helper()
		var all []string
		before, pages := "", 0
		for {
			p := list(t, svc, "u-bram", before, 30)
			pages++
			all = append(all, titles(p)...)
			if p.Unread != 75 {
				t.Fatalf("unread %d", p.Unread)
			}
			if p.Next == "" {
				break
			}
			before = p.Next
		}
		if pages != 3 || len(all) != 75 {
			t.Fatalf("%d pages, %d items", pages, len(all))
		}
		for i, title := range all {
			if title != fmt.Sprint("n", 75-i) {
				t.Fatalf("item %d is %s", i, title)
			}
		}
	}
	check(svc)
	check(open(t, st, Options{Recent: 20})) // cold: everything from the store
	// Another instance adds ten; the window here (20) is smaller than the page.
	other := open(t, st, Options{})
	for i := 76; i <= 85; i++ {
		other.Notify(ctx, []string{"u-bram"}, notice(fmt.Sprint("n", i)))
	}
	caughtUp(t, svc) // the new heads, through the change log
	if p := list(t, svc, "u-bram", "", 30); len(p.Items) != 30 || p.Items[0].Title != "n85" || p.Items[29].Title != "n56" {
		t.Fatalf("after the other instance wrote: %v", titles(p))
	}
	if p := list(t, svc, "u-bram", "3", 100); len(p.Items) != 2 || p.Next != "" || p.Items[0].ID != "u-bram:2" {
		t.Fatalf("before 3: %+v", p)
	}
	if p := list(t, svc, "u-nobody", "", 0); len(p.Items) != 0 || p.Next != "" || p.Items == nil {
		t.Fatalf("empty: %+v", p)
	}
	var ve *apperr.ValidationError
	for _, c := range []struct {
		before string
		limit  int
		field  string
	}{{"", 101, "limit"}, {"", -1, "limit"}, {"x", 10, "before"}, {"0", 10, "before"}} {
		if _, err := svc.List(ctx, "u-bram", c.before, c.limit); !errors.As(err, &ve) || ve.Fields[0].Field != c.field {
			t.Fatalf("%+v: %v", c, err)
		}
	}
}

// Two instances on one store: each serves what the other wrote once its
// change-log entry is applied (within a second; reads come from memory),
// read marks travel, and concurrent writers for the same users neither
// lose nor duplicate a notification.
func TestSecondInstance(t *testing.T) {
	st := storetest.New(t)
	pa, pb := &fakePusher{}, &fakePusher{}
	a := open(t, st, Options{Pusher: pa})
	b := open(t, st, Options{Pusher: pb})
	a.Notify(ctx, []string{"u-bram"}, notice("van A"))
	caughtUp(t, b)
	if b.Unread("u-bram") != 1 {
		t.Fatalf("b after the change log, before any request: unread %d", b.Unread("u-bram"))
	}
	if p := list(t, b, "u-bram", "", 0); len(p.Items) != 1 || p.Items[0].Title != "van A" || p.Unread != 1 {
		t.Fatalf("b: %+v", p)
	}
	if _, err := b.MarkRead(ctx, "u-bram", []string{"u-bram:1"}); err != nil {
		t.Fatal(err)
	}
	caughtUp(t, a)
	if p := list(t, a, "u-bram", "", 0); p.Unread != 0 || !p.Items[0].Read {
		t.Fatalf("a did not see b's read mark: %+v", p)
	}
	// A mark-read of a notification stored elsewhere whose change-log entry
	// this instance has not applied yet (here: none was written) is
	// looked up in the store, not refused.
	if _, err := st.DB.Collection(itemsColl).InsertOne(ctx, &itemDoc{ID: itemID("u-dirk", 1), User: "u-dirk", Seq: 1,
		Kind: KindMention, Title: "voor Dirk", At: time.Now().UTC(), Job: "elders"}); err != nil {
		t.Fatal(err)
	}
	if n, err := b.MarkRead(ctx, "u-dirk", []string{"u-dirk:1"}); err != nil || n != 0 {
		t.Fatalf("mark read ahead of the change log: %d %v", n, err)
	}
	if _, err := b.MarkRead(ctx, "u-dirk", []string{"u-dirk:2"}); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("mark read past the newest: %v", err)
	}

	// Concurrent writers, small and large fan-outs, on both instances.
	team := users(60, "u-t")
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc := a
			if i%2 == 1 {
				svc = b
			}
			to := team[:3]
			if i >= 4 {
				to = team // async job
			}
			svc.Notify(ctx, to, notice(fmt.Sprint("w", i)))
		}()
	}
	wg.Wait()
	flush(t, a)
	flush(t, b)
	caughtUp(t, a)
	caughtUp(t, b)
	for i, u := range team {
		want := 2
		if i < 3 {
			want = 6
		}
		p := list(t, a, u, "", 100)
		got := titles(p)
		slices.Sort(got)
		if len(got) != want || len(slices.Compact(got)) != want || p.Unread != want {
			t.Fatalf("%s: %v (unread %d), want %d distinct", u, got, p.Unread, want)
		}
		for j, it := range p.Items { // dense: ids want..1
			if it.ID != u+":"+strconv.Itoa(want-j) {
				t.Fatalf("%s: item %d has id %s", u, j, it.ID)
			}
		}
		if q := list(t, b, u, "", 100); len(q.Items) != want {
			t.Fatalf("b sees %d for %s", len(q.Items), u)
		}
		if n := len(pa.of(u)) + len(pb.of(u)); n != want {
			t.Fatalf("%s: %d pushes, want %d", u, n, want)
		}
	}
}

// A restart keeps notifications, read marks and counts.
func TestRestartKeepsEverything(t *testing.T) {
	st := storetest.New(t)
	svc := open(t, st, Options{})
	for i := 1; i <= 3; i++ {
		svc.Notify(ctx, []string{"u-bram"}, notice(fmt.Sprint("n", i)))
	}
	if _, err := svc.MarkRead(ctx, "u-bram", []string{"u-bram:2"}); err != nil {
		t.Fatal(err)
	}
	svc.Close(ctx)
	again := open(t, st, Options{})
	if again.Unread("u-bram") != 2 {
		t.Fatalf("after restart, before any request: unread %d", again.Unread("u-bram"))
	}
	p := list(t, again, "u-bram", "", 0)
	if len(p.Items) != 3 || p.Unread != 2 || !p.Items[1].Read || p.Items[0].Read {
		t.Fatalf("after restart: %+v", p)
	}
	again.Notify(ctx, []string{"u-bram"}, notice("n4"))
	if p := list(t, again, "u-bram", "", 0); len(p.Items) != 4 || p.Items[0].ID != "u-bram:4" {
		t.Fatalf("after restart, new: %+v", p)
	}
}

// After a crash (this instance's heads never saved), a new instance knows
// every person's newest before any request: it reads the heads document
// and replays the change-log entries after the one it names.
func TestRestartAfterCrashReplaysTheLog(t *testing.T) {
	st := storetest.New(t)
	a := open(t, st, Options{})
	a.Notify(ctx, []string{"u-bram"}, notice("n1"))
	caughtUp(t, a)
	if err := a.Reload(ctx); err != nil { // saves the heads document
		t.Fatal(err)
	}
	var d headsDoc
	if err := st.DB.Collection(metaColl).FindOne(ctx, byID(headsID)).Decode(&d); err != nil || d.Log < 1 || len(d.Heads) != 1 {
		t.Fatalf("heads document %+v %v", d, err)
	}
	a.Notify(ctx, []string{"u-bram", "u-chris"}, notice("n2"))
	crash(a)
	next := open(t, st, Options{})
	if next.Unread("u-bram") != 2 || next.Unread("u-chris") != 1 {
		t.Fatalf("after the crash: unread %d %d, want 2 1", next.Unread("u-bram"), next.Unread("u-chris"))
	}
	if p := list(t, next, "u-chris", "", 0); len(p.Items) != 1 || p.Items[0].Title != "n2" {
		t.Fatalf("after the crash: %+v", p)
	}
}

// A follower that stood still while the change log was pruned past it
// reloads: the heads from the heads document, the entries kept after it,
// and every state document.
func TestFollowerBehindAPrunedLogReloadsHeads(t *testing.T) {
	st := storetest.New(t)
	clk := newClock()
	a := open(t, st, Options{Now: clk.Now})
	b := open(t, st, Options{Now: clk.Now, gapCheck: time.Nanosecond})
	crash(b) // its follower stops: it stands still
	for i := range 3 {
		a.Notify(ctx, []string{"u-bram"}, notice(fmt.Sprint("n", i)))
	}
	if _, err := a.MarkRead(ctx, "u-bram", []string{"u-bram:1"}); err != nil {
		t.Fatal(err)
	}
	caughtUp(t, a)
	if err := a.Reload(ctx); err != nil { // the heads document holds bram's 3
		t.Fatal(err)
	}
	clk.Advance(48 * time.Hour)
	a.Notify(ctx, []string{"u-chris"}, notice("c1"))
	a.Notify(ctx, []string{"u-chris"}, notice("c2"))
	if n, err := a.PruneLog(ctx, clk.Now().Add(-24*time.Hour)); err != nil || n != 4 {
		t.Fatalf("pruned %d %v, want bram's 3 deliveries and the read mark", n, err)
	}
	if b.Unread("u-bram") != 0 {
		t.Fatal("setup: b applied entries while standing still")
	}
	if err := b.changes.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if b.Unread("u-bram") != 2 || b.Unread("u-chris") != 2 {
		t.Fatalf("after the reload: unread %d %d, want 2 2", b.Unread("u-bram"), b.Unread("u-chris"))
	}
}

// crash stops an instance the hard way: its worker ends and nothing is released.
func crash(s *Service) {
	s.qmu.Lock()
	s.closing = true
	s.queue = nil
	s.qmu.Unlock()
	s.bgEnd()
	<-s.done
}

// Once Notify returned, a broadcast survives the instance dying before or
// during its fan-out; whoever takes it over delivers it exactly once.
func TestBroadcastSurvivesCrash(t *testing.T) {
	st := storetest.New(t)
	clk := newClock()
	team := users(40, "u-b")
	dying := open(t, st, Options{AsyncOver: 5, Batch: 10, Now: clk.Now, hold: make(chan struct{})})
	dying.Notify(ctx, team, notice("Griepprik"))
	if got := stored(t, st, jobsColl, nil); got != 1 {
		t.Fatalf("%d jobs stored, want 1", got)
	}
	// Half-way: the first 15 got it (one batch and a half), then the crash.
	var jobs []jobDoc
	cur, err := st.DB.Collection(jobsColl).Find(ctx, bson.D{})
	if err != nil || cur.All(ctx, &jobs) != nil {
		t.Fatal(err)
	}
	if lost := dying.deliver(ctx, &jobs[0], team[:15], false, 1); len(lost) != 0 {
		t.Fatal(lost)
	}
	if ok, err := dying.st.progressJob(ctx, jobs[0].ID, dying.instance, 10, clk.Now()); !ok || err != nil {
		t.Fatal(ok, err)
	}
	crash(dying)

	// A new instance at once: the job is not stale yet, so it waits.
	p := &fakePusher{}
	next := open(t, st, Options{Batch: 10, Now: clk.Now, Pusher: p})
	flush(t, next)
	if got := stored(t, st, itemsColl, nil); got != 15 {
		t.Fatalf("taken over too early: %d stored", got)
	}
	clk.Advance(3 * time.Minute)
	if err := next.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	flush(t, next)
	for _, u := range team {
		if got := list(t, next, u, "", 0); len(got.Items) != 1 || got.Items[0].Title != "Griepprik" {
			t.Fatalf("%s has %d", u, len(got.Items))
		}
	}
	if got := stored(t, st, jobsColl, nil); got != 0 {
		t.Fatalf("finished job left: %d", got)
	}
	if len(p.of(team[0])) != 0 || len(p.of(team[39])) != 1 {
		t.Fatal("pushes: only what the new instance delivered")
	}
}

// Close with a fan-out queued releases it; the next start takes it at once.
func TestCloseReleasesUnfinishedJobs(t *testing.T) {
	st := storetest.New(t)
	team := users(12, "u-c")
	first := open(t, st, Options{AsyncOver: 5, hold: make(chan struct{})})
	first.Notify(ctx, team, notice("Nieuwe mededeling"))
	short, cancel := context.WithCancel(ctx)
	cancel()
	first.Close(short)
	next := open(t, st, Options{})
	flush(t, next)
	for _, u := range team {
		if got := list(t, next, u, "", 0); len(got.Items) != 1 {
			t.Fatalf("%s has %d", u, len(got.Items))
		}
	}
}

func TestForget(t *testing.T) {
	st := storetest.New(t)
	svc := open(t, st, Options{})
	other := open(t, st, Options{})
	n := notice("x")
	n.Key = "k1"
	svc.Notify(ctx, []string{"u-bram", "u-chris"}, n)
	svc.Notify(ctx, []string{"u-bram"}, notice("y"))
	if _, err := svc.MarkRead(ctx, "u-bram", []string{"u-bram:1"}); err != nil {
		t.Fatal(err)
	}
	caughtUp(t, other)
	if list(t, other, "u-bram", "", 0).Unread != 1 {
		t.Fatal("setup")
	}
	if err := svc.Forget(ctx, "u-bram"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{itemsColl, keysColl} {
		if got := stored(t, st, c, bson.D{{Key: "u", Value: "u-bram"}}); got != 0 {
			t.Fatalf("%s: %d left", c, got)
		}
	}
	if got := stored(t, st, usersColl, bson.D{{Key: "_id", Value: "u-bram"}}); got != 0 {
		t.Fatal("state left")
	}
	if p := list(t, svc, "u-bram", "", 0); len(p.Items) != 0 || p.Unread != 0 {
		t.Fatalf("after forget: %+v", p)
	}
	if err := other.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	other.mu.Lock()
	held := other.users["u-bram"]
	other.mu.Unlock()
	if held != nil {
		t.Fatal("the other instance still holds the forgotten user")
	}
	if p := list(t, other, "u-chris", "", 0); len(p.Items) != 1 {
		t.Fatal("another user's notifications went too")
	}
}

// Only the newest Horizon count as unread.
func TestUnreadHorizon(t *testing.T) {
	st := &userState{head: Horizon + 50, readTo: 10, read: []int64{12, Horizon + 49}}
	if got := st.unread(); got != Horizon-1 {
		t.Fatalf("unread %d", got)
	}
	st.compact()
	if st.readTo != 50 || !slices.Equal(st.read, []int64{Horizon + 49}) {
		t.Fatalf("compact: %d %v", st.readTo, st.read)
	}
}

func TestRememberKeepsNewestContiguousRun(t *testing.T) {
	e := func(seqs ...int64) []entry {
		out := make([]entry, len(seqs))
		for i, s := range seqs {
			out[i].seq = s
		}
		return out
	}
	seqs := func(es []entry) []int64 {
		out := make([]int64, len(es))
		for i, x := range es {
			out[i] = x.seq
		}
		return out
	}
	st := &userState{}
	st.remember(e(3, 4, 5), 4)
	st.remember(e(6, 7), 4)
	if got := seqs(st.win); !slices.Equal(got, []int64{4, 5, 6, 7}) {
		t.Fatal(got)
	}
	st.remember(e(9), 4) // a gap: only the newest run stays
	if got := seqs(st.win); !slices.Equal(got, []int64{9}) {
		t.Fatal(got)
	}
	st.remember(e(1, 2), 4) // older and apart: not kept
	if got := seqs(st.win); !slices.Equal(got, []int64{9}) {
		t.Fatal(got)
	}
	if _, ok := st.cached(8); ok {
		t.Fatal("cached outside the window")
	}
}

// Memory: writes are cached only for users who list on this instance, and
// a window is dropped after an hour without listing.
func TestCacheOnlyForActiveUsers(t *testing.T) {
	st := storetest.New(t)
	clk := newClock()
	svc := open(t, st, Options{Now: clk.Now})
	window := func(u string) int {
		svc.mu.Lock()
		defer svc.mu.Unlock()
		if s := svc.users[u]; s != nil {
			return len(s.win)
		}
		return -1
	}
	svc.Notify(ctx, []string{"u-bram", "u-chris"}, notice("a"))
	if window("u-bram") != 0 {
		t.Fatal("cached for a user who never listed")
	}
	list(t, svc, "u-bram", "", 0)
	svc.Notify(ctx, []string{"u-bram", "u-chris"}, notice("b"))
	if window("u-bram") != 2 || window("u-chris") != 0 {
		t.Fatalf("windows %d %d", window("u-bram"), window("u-chris"))
	}
	clk.Advance(2 * time.Hour)
	if err := svc.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if window("u-bram") != 0 || svc.Unread("u-bram") != 2 {
		t.Fatal("idle window kept, or the count went with it")
	}
	if p := list(t, svc, "u-bram", "", 0); len(p.Items) != 2 {
		t.Fatal("not reloaded from the store")
	}
}

// A delivery that does not finish within InlineFor (here: at once) is not
// lost and does not hold the caller: the users not reached go to the
// worker as a job with its own deadline (issue 16, M4), and each gets the
// notice once.
func TestSlowDeliveryContinuesInTheBackground(t *testing.T) {
	st := storetest.New(t)
	p := &fakePusher{}
	svc := open(t, st, Options{Pusher: p, InlineFor: time.Nanosecond, hold: make(chan struct{})})
	team := users(4, "u-s")
	svc.Notify(ctx, team, notice("Dienstwissel"))
	// Notify has returned; the job is recorded before anyone has the notice.
	if got := stored(t, st, jobsColl, nil); got != 1 {
		t.Fatalf("%d jobs stored, want 1", got)
	}
	if got := stored(t, st, itemsColl, nil); got != 0 {
		t.Fatalf("%d notices stored inline after the inline deadline, want 0", got)
	}
	svc.opts.hold <- struct{}{} // let the worker take the job
	flush(t, svc)
	for _, u := range team {
		if got := list(t, svc, u, "", 0); len(got.Items) != 1 || got.Items[0].Title != "Dienstwissel" || got.Unread != 1 {
			t.Fatalf("%s: %+v, want the notice once", u, got)
		}
		if len(p.of(u)) != 1 {
			t.Fatalf("%s pushed %d times", u, len(p.of(u)))
		}
	}
	if got := stored(t, st, jobsColl, nil); got != 0 {
		t.Fatalf("finished job left: %d", got)
	}
}
