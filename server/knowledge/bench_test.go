package knowledge

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/richtext"
)

// benchWorld: 54 teams in 6 regions, 5,000 users, 10,000 published
// articles (a fifth asking for confirmation, a tenth for one region or a
// role), and confirmations by about half the audience.
func benchWorld(b *testing.B) (*Service, []*identity.Actor) {
	b.Helper()
	w := &seedWorld{members: map[string][]string{}, people: fakePeople{}}
	for i := range 54 {
		w.teams = append(w.teams, org.TeamSummary{ID: fmt.Sprintf("t%02d", i), Name: fmt.Sprintf("Team %02d", i), RegionID: fmt.Sprintf("r%d", i%6)})
	}
	var actors []*identity.Actor
	for i := range 5000 {
		id := fmt.Sprintf("u%05d", i)
		role := identity.RoleZorgmedewerker
		if i%8 == 0 {
			role = identity.RoleWijkverpleegkundige
		}
		w.people[id] = identity.User{ID: id, Name: "Persoon " + id, ClaimRoles: []identity.Role{role}, Active: true}
		t := fmt.Sprintf("t%02d", i%54)
		w.members[t] = append(w.members[t], id)
		actors = append(actors, &identity.Actor{UserID: id, Name: "Persoon " + id, Roles: []identity.Role{role}})
	}
	// TeamIDsOf over 5,000 users is a linear scan in seedWorld; index it.
	teamOf := map[string][]string{}
	for t, ms := range w.members {
		for _, u := range ms {
			teamOf[u] = append(teamOf[u], t)
		}
	}
	s := &Service{org: benchOrg{w, teamOf}, people: w.people, now: func() time.Time { return testNow }, render: richtext.New()}
	s.reset()
	arts := mustArticles(b)
	var vocab []string
	for _, a := range arts {
		vocab = append(vocab, strings.Fields(a.Versions[len(a.Versions)-1].Body)...)
	}
	r := rand.New(rand.NewPCG(1, 2))
	pub := testNow.Add(-24 * time.Hour)
	for i := range 10000 {
		base := arts[i%len(arts)]
		c := articleContent(base, base.Versions[len(base.Versions)-1])
		var body strings.Builder
		for range 350 {
			body.WriteString(vocab[r.IntN(len(vocab))])
			body.WriteByte(' ')
		}
		c.Body = body.String()
		c.Title = fmt.Sprintf("%s (%d)", c.Title, i)
		c.RequiresConfirmation = i%5 == 0
		c.Audience = Audience{Everyone: true}
		switch i % 10 {
		case 1:
			c.Audience = Audience{Regions: []string{fmt.Sprintf("r%d", i%6)}}
		case 2:
			c.Audience = Audience{Roles: []string{string(identity.RoleWijkverpleegkundige)}}
		}
		id := fmt.Sprintf("a%05d", i)
		h := &Head{ID: headID(id, 1), Article: id, Rev: 1, Status: StatusPublished, Draft: c, Published: &c, Version: Version{1, 0}, PublishedAt: pub.Add(-time.Duration(i) * time.Minute)}
		s.applyHeadLocked(h)
		if c.RequiresConfirmation {
			for j, u := range actors {
				if (j+i)%2 == 0 {
					s.applyConfirmLocked(&Confirmation{Article: id, Major: 1, UserID: u.UserID})
				}
			}
		}
	}
	return s, actors
}

type benchOrg struct {
	w      *seedWorld
	teamOf map[string][]string
}

func (o benchOrg) ListTeams(a *identity.Actor, r string) ([]org.TeamSummary, error) {
	return o.w.ListTeams(a, r)
}
func (o benchOrg) MemberIDs(t string) []string        { return o.w.MemberIDs(t) }
func (o benchOrg) TeamRegion(t string) (string, bool) { return o.w.TeamRegion(t) }
func (o benchOrg) TeamIDsOf(u string) []string        { return o.teamOf[u] }

var benchQueries = []SearchQuery{
	{Text: "wond"}, {Text: "wond", Prefix: true}, {Text: "insuline"}, {Text: "verbandmiddelen"}, {Text: "cliënt thuis"},
	{Text: "handhygiëne"}, {Text: "medicatie toedienen"}, {Text: "ve", Prefix: true}, {Text: "decubitus preventie"}, {Text: "hygi", Prefix: true},
}

// BenchmarkKnowledgeSearch10k reports p50/p99 per search over 10,000
// articles as care workers (audience filtering per hit).
func BenchmarkKnowledgeSearch10k(b *testing.B) {
	s, actors := benchWorld(b)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := searchHits(s.Search(actors[i%len(actors)], benchQueries[i%len(benchQueries)])); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	report(b, lat)
}

// BenchmarkKnowledgeRead10k: one article for reading (the GET handler's work).
func BenchmarkKnowledgeRead10k(b *testing.B) {
	s, actors := benchWorld(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Get(actors[i%len(actors)], fmt.Sprintf("a%05d", (i*10)%10000)); err != nil { // every tenth: audience everyone
			b.Fatal(err)
		}
	}
}

// BenchmarkKnowledgeOrgReport: the confirmation overview of all 2,000
// articles that ask for it, across 5,000 users.
func BenchmarkKnowledgeOrgReport(b *testing.B) {
	s, _ := benchWorld(b)
	editor := &identity.Actor{UserID: "editor", Roles: []identity.Role{identity.RoleOndersteunendeDienst}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		items, err := s.OrgReport(editor)
		if err != nil || len(items) != 2000 {
			b.Fatalf("%d items, %v", len(items), err)
		}
	}
}

func report(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	sorted := slices.Clone(lat)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	b.ReportMetric(float64(sorted[len(sorted)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(sorted[len(sorted)*99/100].Microseconds())/1000, "p99-ms")
}
