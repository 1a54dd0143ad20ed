package notify

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
	"unique"

	"github.com/plein/plein/server/store/storetest"
)

// BenchmarkNotify5000 is an announcement to 5,000 people on the embedded
// store: "return-ms" is how long the request waits (one job document),
// ns/op until all 5,000 are stored (and pushed).
func BenchmarkNotify5000(b *testing.B) { benchNotify(b, "", 0) }

// BenchmarkNotify5000Keyed also claims a dedup key per user.
func BenchmarkNotify5000Keyed(b *testing.B) { benchNotify(b, "article_confirm:wondzorg:", 0) }

// BenchmarkNotify5000Sync fans out inside Notify (no job document).
func BenchmarkNotify5000Sync(b *testing.B) { benchNotify(b, "", 10000) }

func benchNotify(b *testing.B, key string, asyncOver int) {
	st := storetest.New(b)
	p := &fakePusher{}
	svc := open(b, st, Options{Pusher: p, AsyncOver: asyncOver})
	all := users(5000, "u")
	var wait time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := Notice{Kind: KindAnnouncement, Title: fmt.Sprint("Mededeling ", i), Text: "Vanaf maandag is de griepprik te halen.",
			Link: "/mededelingen/a1", ActorID: "u-ilse", ActorName: "Ilse Dekker"}
		if key != "" {
			n.Key = fmt.Sprint(key, i)
		}
		t0 := time.Now()
		svc.Notify(context.Background(), all, n)
		wait += time.Since(t0)
		flush(b, svc)
	}
	b.StopTimer()
	b.ReportMetric(float64(wait.Milliseconds())/float64(b.N), "return-ms")
	if got := svc.Unread("u04999"); got != b.N {
		b.Fatalf("unread %d after %d", got, b.N)
	}
	if len(p.of("u00000")) != b.N {
		b.Fatal("not pushed")
	}
}

// BenchmarkList reads the first page (30) of a user with 100 notifications:
// warm (this instance wrote them) and cold (another instance did).
func BenchmarkList(b *testing.B) {
	st := storetest.New(b)
	w := open(b, st, Options{})
	for i := range 100 {
		w.Notify(context.Background(), []string{"u-bram"}, notice(fmt.Sprint("n", i)))
	}
	b.Run("warm", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			list(b, w, "u-bram", "", 30)
		}
	})
	b.Run("cold", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			r := open(b, st, Options{})
			b.StartTimer()
			list(b, r, "u-bram", "", 30)
			b.StopTimer()
			r.Close(context.Background())
			b.StartTimer()
		}
	})
}

// BenchmarkCacheMemory: the in-memory windows of 5,000 users × 100
// notifications. "shared" is broadcast-like (one content for everyone, as
// after announcements); "distinct" gives every item its own text (mentions).
func BenchmarkCacheMemory(b *testing.B) {
	for _, distinct := range []bool{false, true} {
		name := "shared"
		if distinct {
			name = "distinct"
		}
		b.Run(name, func(b *testing.B) {
			for range b.N {
				before := heap()
				m := map[string]*userState{}
				shared := unique.Make(content{Kind: KindAnnouncement, Title: "Nieuwe werkinstructie wondzorg gepubliceerd",
					Text: "Lees de nieuwe werkinstructie en bevestig dat je die gelezen en begrepen hebt.", Link: "/kennis/wondzorg",
					ActorID: "u0123456789abcdef01234567", ActorName: "Ilse Dekker", At: 1})
				for u := range 5000 {
					st := &userState{head: 100}
					add := make([]entry, 100)
					for i := range add {
						c := shared
						if distinct {
							c = unique.Make(content{Kind: KindMention, Title: fmt.Sprintf("Anouk de Vries noemde je in Den Helder-Centrum %d/%d", u, i),
								Text: "Kun jij morgen de wondzorg bij mevrouw Jansen overnemen? Zij heeft om 9 uur een afspraak.",
								Link: fmt.Sprintf("/ruimtes/den-helder-centrum/berichten/p%d", i), ActorID: "u0123456789abcdef01234567",
								ActorName: "Anouk de Vries", At: int64(i)})
						}
						add[i] = entry{int64(i + 1), c}
					}
					st.remember(add, 100)
					m[fmt.Sprintf("u%024d", u)] = st
				}
				used := heap() - before
				b.ReportMetric(float64(used)/(1<<20), "MB")
				b.ReportMetric(float64(used)/500000, "B/item")
				runtime.KeepAlive(m)
			}
		})
	}
}

func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkHousekeeping5000 is the app's 30-second notification tick with
// 5,000 people who each have a state document (docs/performance.md):
// "read-every-state" is the part the tick did before it followed
// notify_changes (one read of the whole notify_users, applied to memory),
// "tick" what it does now (the shared heads, idle windows, abandoned
// jobs), "follow-idle" the follower's catch-up when nothing changed (every
// second).
func BenchmarkHousekeeping5000(b *testing.B) {
	st := storetest.New(b)
	ctx := context.Background()
	docs := make([]any, 0, 5000)
	for i, u := range users(5000, "u") {
		docs = append(docs, &stateDoc{ID: u, V: 1, ReadTo: int64(i % 40), Read: []int64{int64(i%40 + 2)}, Off: []string{KindPost}, Head: int64(i%40 + 3), At: time.Now().UTC()})
	}
	if _, err := st.DB.Collection(usersColl).InsertMany(ctx, docs); err != nil {
		b.Fatal(err)
	}
	svc := open(b, st, Options{})
	b.Run("read-every-state", func(b *testing.B) {
		for b.Loop() {
			if err := svc.loadStates(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("tick", func(b *testing.B) {
		for b.Loop() {
			if err := svc.Reload(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("follow-idle", func(b *testing.B) {
		for b.Loop() {
			if err := svc.changes.CatchUp(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkStateLookup is the point lookup of a person's state document
// (what GET /notifications/preferences did on every request before it was
// served from memory, and what a small delivery still does): when
// notify_users does not exist yet (nobody ever read or set anything), when
// it exists but holds no document for the person, and when it does.
func BenchmarkStateLookup(b *testing.B) {
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		create bool
		doc    bool
	}{{"no-collection", false, false}, {"no-document", true, false}, {"document", true, true}} {
		b.Run(c.name, func(b *testing.B) {
			st := storetest.New(b)
			ns := newStore(st)
			if c.create {
				if err := ns.saveState(ctx, &stateDoc{ID: "u-other", V: 1}); err != nil {
					b.Fatal(err)
				}
			}
			if c.doc {
				if err := ns.saveState(ctx, &stateDoc{ID: "u-bram", V: 1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for b.Loop() {
				d, err := ns.loadState(ctx, "u-bram")
				if err != nil || (d != nil) != c.doc {
					b.Fatalf("%+v %v", d, err)
				}
			}
		})
	}
}
