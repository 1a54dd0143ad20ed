package teamspace

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/store/storetest"
)

// BenchmarkStream measures a space's stream page and the rebuild at start
// with two years of generated activity: 54 teams × ~5 posts a week ≈ 28,000
// posts, with about one comment and two reactions per post (≈ 112,000
// change-log entries), on the embedded store.
//
//	go test -run '^$' -bench BenchmarkStream -benchtime 200x ./server/teamspace/
func BenchmarkStream(b *testing.B) {
	const teams, posts = 54, 28_000
	ctx := context.Background()
	st := storetest.New(b)
	people := newFakePeople()
	o := newFakeOrg(people)
	for i := range teams {
		id := fmt.Sprintf("team-%02d", i)
		t := &fakeTeam{id: id, name: fmt.Sprintf("Team %02d", i), region: "den-helder", members: map[string][]string{}}
		for j := range 12 {
			u := uid(fmt.Sprintf("m-%d-%d", i, j))
			people.users[u] = identity.User{ID: u, Name: fmt.Sprintf("Medewerker %d-%d", i, j), Active: true}
			t.members[u] = []string{}
		}
		o.teams[id] = t
	}
	o.teams["team-07"].members[anouk] = []string{}

	// Generate the log in time order.
	rng := rand.New(rand.NewPCG(1, 2))
	start := testNow.AddDate(-2, 0, 0)
	step := 2 * 365 * 24 * time.Hour / posts
	var docs []any
	seq := int64(0)
	add := func(e *entry) {
		seq++
		e.Seq, e.ID = seq, seqID(seq)
		docs = append(docs, e)
	}
	body := "Vanaf maandag nemen we de wondzorg over van twee cliënten die uit het ziekenhuis komen. De wondverpleegkundige komt de eerste keer mee. Wil iedereen die die week de route heeft het protocol nog even doorlezen? Dank jullie wel!"
	for i := range posts {
		team := rng.IntN(teams)
		space := fmt.Sprintf("team-%02d", team)
		author := uid(fmt.Sprintf("m-%d-%d", team, rng.IntN(12)))
		at := start.Add(time.Duration(i) * step).Truncate(time.Millisecond)
		vis := VisibilityTeam
		if rng.IntN(3) == 0 {
			vis = VisibilityOrganisation
		}
		add(&entry{Kind: kPost, By: author, Space: space, At: at, Text: fmt.Sprintf("Bericht %d. %s", i, body), Visibility: vis})
		pid := refID('p', seq)
		for range rng.IntN(3) { // 0–2 comments
			add(&entry{Kind: kComment, By: uid(fmt.Sprintf("m-%d-%d", team, rng.IntN(12))), Space: space, Ref: pid, At: at.Add(time.Hour), Text: "Goed dat je het zegt, ik lees het vandaag door."})
		}
		for k := range rng.IntN(5) { // 0–4 reactions
			add(&entry{Kind: kReact, By: uid(fmt.Sprintf("m-%d-%d", team, k)), Space: space, Ref: pid, At: at.Add(2 * time.Hour), Text: Emojis[k%len(Emojis)]})
		}
	}
	t0 := time.Now()
	bySegment := map[int64][]any{}
	for _, d := range docs {
		k := segmentOf(d.(*entry).Seq)
		bySegment[k] = append(bySegment[k], d)
	}
	for k, ds := range bySegment {
		if _, err := st.DB.Collection(segmentName(k)).InsertMany(ctx, ds, options.InsertMany().SetOrdered(false)); err != nil {
			b.Fatal(err)
		}
	}
	docs, bySegment = nil, nil
	b.Logf("generated %d log entries (%d posts) in %v", seq, posts, time.Since(t0).Round(time.Millisecond))

	opts := Options{Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return testNow }, Freshness: time.Hour}
	// The rebuild at start, measured three times (each takes seconds, so
	// not through b.N). The first start finds no sealed copies.
	var svc *Service
	var times []time.Duration
	for range 3 {
		t0 := time.Now()
		var err error
		if svc, err = NewService(ctx, st, o, people, opts); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0).Round(time.Millisecond))
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.Logf("rebuild from %d entries: first start (reads every segment, seals the full ones) %v, later starts (sealed copies) %v; heap in use after GC %d MiB",
		seq, times[0], times[1:], ms.HeapInuse>>20)
	eng, _ := httpapi.NewEngine(httpapi.Options{})
	api := eng.Group("/api/v1", func(c *gin.Context) {
		id := c.GetHeader("X-Test-User")
		if id == "" {
			httpapi.Error(c, apperr.ErrUnauthenticated)
			return
		}
		c.Request = c.Request.WithContext(identity.WithActor(c.Request.Context(), people.actor(id)))
	})
	NewHTTP(svc, &recAccess{}, "https://plein.test").Routes(api)
	get := func(b *testing.B, user, path string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("X-Test-User", user)
		w := httptest.NewRecorder()
		eng.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
	}
	b.Run("page-member", func(b *testing.B) {
		for range b.N {
			get(b, anouk, "/api/v1/spaces/team-07/posts?limit=20")
		}
	})
	b.Run("page-member-uncached-html", func(b *testing.B) {
		for range b.N {
			svc.html = newHTMLCache(4096)
			get(b, anouk, "/api/v1/spaces/team-07/posts?limit=20")
		}
	})
	b.Run("page-nonmember", func(b *testing.B) {
		for range b.N {
			get(b, daan, "/api/v1/spaces/team-07/posts?limit=20")
		}
	})
	b.Run("page-deep-cursor", func(b *testing.B) {
		page, err := svc.ListPosts(ctx, people.actor(anouk), "team-07", PostQuery{Limit: 20})
		if err != nil {
			b.Fatal(err)
		}
		cursor := page.Items[10].ID
		for range 10 { // ten pages down
			page, _ = svc.ListPosts(ctx, people.actor(anouk), "team-07", PostQuery{Limit: 20, Before: cursor})
			cursor = page.Next
		}
		b.ResetTimer()
		for range b.N {
			get(b, anouk, "/api/v1/spaces/team-07/posts?limit=20&before="+cursor)
		}
	})
	b.Run("catch-up-nothing-new", func(b *testing.B) {
		for range b.N {
			if err := svc.catchUp(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("create-post", func(b *testing.B) {
		for i := range b.N {
			if _, err := svc.CreatePost(ctx, people.actor(anouk), "team-07", PostInput{Body: fmt.Sprintf("Nieuw %d", i), Visibility: VisibilityTeam}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
