package globalsearch

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/knowledge"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/teamspace"
)

// A generated organisation: 54 teams, 5,000 people, two years of activity
// (28,000 posts, half team-only; 2,000 documents of 1,500 words; 100,000
// chat messages).
type fakeWorld struct {
	posts   []teamspace.PostDoc
	docs    []teamspace.DocumentDoc
	msgs    []ChatEntry
	texts   map[string]string // blob → document text
	textErr error
	gate    chan struct{} // when set, the chat scan waits for it
	users   []identity.User
	teamOf  map[string]string
	members map[string]map[string]bool // channel/space → user
}

func (w *fakeWorld) CanSee(u, space, vis string) bool {
	return vis == "organisation" || w.members[space][u] || vis == "" && strings.HasPrefix(space, "c-")
}
func (w *fakeWorld) SpaceName(id string) string    { return "Team " + id }
func (w *fakeWorld) AllPosts() []teamspace.PostDoc { return w.posts }
func (w *fakeWorld) AllDocuments() []teamspace.DocumentDoc {
	return w.docs
}
func (w *fakeWorld) DocumentText(_ context.Context, blob string) (string, error) {
	if w.textErr != nil {
		return "", w.textErr
	}
	return w.texts[blob], nil
}
func (w *fakeWorld) ListSpaces(context.Context, *identity.Actor) (*teamspace.SpaceList, error) {
	l := &teamspace.SpaceList{}
	for i := range 54 {
		l.Teams = append(l.Teams, teamspace.SpaceSummary{ID: fmt.Sprintf("t%02d", i), Name: fmt.Sprintf("Team %02d", i), Kind: "team"})
	}
	return l, nil
}
func (w *fakeWorld) Search(*identity.Actor, knowledge.SearchQuery) (knowledge.SearchResult, error) {
	return knowledge.SearchResult{}, nil
}
func (w *fakeWorld) IsMember(u, ch string) bool { return w.members[strings.TrimPrefix(ch, "t-")][u] }
func (w *fakeWorld) EachStoredEntry(_ context.Context, f func(*ChatEntry)) error {
	if w.gate != nil {
		<-w.gate
	}
	for i := range w.msgs {
		f(&w.msgs[i])
	}
	return nil
}
func (w *fakeWorld) ListTeams(*identity.Actor, string) ([]org.TeamSummary, error) { return nil, nil }
func (w *fakeWorld) TeamIDsOf(u string) []string                                  { return []string{w.teamOf[u]} }
func (w *fakeWorld) TeamName(t string) (string, bool)                             { return "Team " + t, true }
func (w *fakeWorld) All() []identity.User                                         { return w.users }
func (w *fakeWorld) Get(id string) (identity.User, bool) {
	var n int
	fmt.Sscanf(id, "u%05d", &n)
	if n < len(w.users) {
		return w.users[n], true
	}
	return identity.User{}, false
}

var words = strings.Fields("wond zorg cliënt medicatie rooster overleg planning dienst insuline verband dementie thuis " +
	"afspraak team scholing vakantie sleutel kastje familie huisarts apotheek avond nacht weekend dossier " +
	"overdracht valpreventie hygiëne handschoenen douche steunkousen ziekmelding bezoek ochtend collega")

func buildWorld() *fakeWorld {
	r := rand.New(rand.NewPCG(3, 4))
	w := &fakeWorld{teamOf: map[string]string{}, members: map[string]map[string]bool{}, texts: map[string]string{}}
	for i := range 5000 {
		id := fmt.Sprintf("u%05d", i)
		t := fmt.Sprintf("t%02d", i%54)
		w.users = append(w.users, identity.User{ID: id, Name: fmt.Sprintf("Medewerker %d", i), Active: true,
			ClaimRoles: []identity.Role{identity.RoleZorgmedewerker}})
		w.teamOf[id] = t
		if w.members[t] == nil {
			w.members[t] = map[string]bool{}
		}
		w.members[t][id] = true
	}
	text := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteByte(' ')
		}
		return b.String()
	}
	start := time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := range 28000 {
		vis := "team"
		if i%2 == 0 {
			vis = "organisation"
		}
		w.posts = append(w.posts, teamspace.PostDoc{ID: fmt.Sprintf("p%d", i), SpaceID: fmt.Sprintf("t%02d", i%54),
			AuthorID: fmt.Sprintf("u%05d", r.IntN(5000)), Body: text(40), Visibility: vis, CreatedAt: start.Add(time.Duration(i) * 37 * time.Minute)})
	}
	for i := range 2000 {
		blob := fmt.Sprintf("b%d", i)
		w.texts[blob] = text(1500) // a few pages
		w.docs = append(w.docs, teamspace.DocumentDoc{ID: fmt.Sprintf("d%d", i), SpaceID: fmt.Sprintf("t%02d", i%54), Folder: "/",
			Name: words[i%len(words)] + fmt.Sprintf("-%d.pdf", i), Versions: []teamspace.DocumentVersionDoc{{Version: 1, BlobID: blob, UploadedAt: start}}})
	}
	for i := range 100000 {
		w.msgs = append(w.msgs, ChatEntry{Ch: fmt.Sprintf("t-t%02d", i%54), Seq: int64(i/54 + 1), Kind: ChatMessage,
			ByName: "Medewerker", Body: text(12), At: start.Add(time.Duration(i) * 10 * time.Minute)})
	}
	return w
}

// BenchmarkGlobalSearch: all seven groups for one care worker, p50/p99.
func BenchmarkGlobalSearch(b *testing.B) {
	w := buildWorld()
	t0 := time.Now()
	s, err := New(context.Background(), w, w, w, w, w)
	if err != nil {
		b.Fatal(err)
	}
	buildMS := float64(time.Since(t0).Milliseconds())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	t0 = time.Now()
	go s.Run(ctx)
	if err := s.Settle(ctx); err != nil {
		b.Fatal(err)
	}
	backgroundMS := float64(time.Since(t0).Milliseconds())
	queries := []string{"wond", "rooster overleg", "insu", "cliënt thuis", "sleutel", "medewerker 42", "dementie avond", "ve"}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := &identity.Actor{UserID: fmt.Sprintf("u%05d", i%5000)}
		t1 := time.Now()
		if _, err := s.Search(context.Background(), a, Query{Text: queries[i%len(queries)], Limit: 5}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t1))
	}
	slices.Sort(lat)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	// After ResetTimer, which drops metrics reported before it.
	b.ReportMetric(buildMS, "build-ms")
	b.ReportMetric(backgroundMS, "background-ms") // chat messages and document texts
}

// BenchmarkChannelMessages: a search within one conversation (the chat's
// search box) over 100,000 messages in 54 team channels, p50/p99. The
// channel is a facet of the one message index, so a common word visits its
// postings in every channel and keeps those of the asked one.
func BenchmarkChannelMessages(b *testing.B) {
	full := buildWorld()
	w := &fakeWorld{msgs: full.msgs, teamOf: full.teamOf, members: full.members, users: full.users}
	s, err := New(context.Background(), w, w, w, w, w)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Settle(context.Background()); err != nil {
		b.Fatal(err)
	}
	queries := []string{"wond", "rooster overleg", "insu", "cliënt thuis", "sleutel", "dementie avond"}
	var lat []time.Duration
	hits := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t1 := time.Now()
		h, _ := s.ChannelMessages(fmt.Sprintf("t-t%02d", i%54), queries[i%len(queries)], 50)
		lat = append(lat, time.Since(t1))
		hits += len(h)
	}
	if hits == 0 {
		b.Fatal("no hits")
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
