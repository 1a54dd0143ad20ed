package knowledge

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plein/plein/server/demo/articles"
	"github.com/plein/plein/server/demo/orgdata"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/storetest"
)

const testIssuer = "http://127.0.0.1:8080/dev-idp"

// seedWorld is the demo organisation as the knowledge base sees it.
type seedWorld struct {
	teams   []org.TeamSummary
	members map[string][]string
	people  fakePeople
}

func newSeedWorld() *seedWorld {
	w := &seedWorld{members: map[string][]string{}, people: fakePeople{}}
	for _, t := range orgdata.Teams() {
		w.teams = append(w.teams, org.TeamSummary{ID: t.ID, Name: t.Name, RegionID: t.RegionID})
	}
	for _, p := range orgdata.People() {
		id := identity.UserID(testIssuer, p.Sub)
		var roles []identity.Role
		for _, r := range p.Roles {
			roles = append(roles, identity.Role(r))
		}
		w.people[id] = identity.User{ID: id, Name: p.Name, ClaimRoles: roles}
		for _, m := range p.Teams {
			w.members[m.TeamID] = append(w.members[m.TeamID], id)
		}
	}
	return w
}

func (w *seedWorld) ListTeams(*identity.Actor, string) ([]org.TeamSummary, error) {
	return w.teams, nil
}
func (w *seedWorld) MemberIDs(t string) []string { return w.members[t] }
func (w *seedWorld) TeamRegion(t string) (string, bool) {
	for _, x := range w.teams {
		if x.ID == t {
			return x.RegionID, true
		}
	}
	return "", false
}
func (w *seedWorld) TeamIDsOf(u string) []string {
	var out []string
	for t, ms := range w.members {
		if slices.Contains(ms, u) {
			out = append(out, t)
		}
	}
	return out
}

func (w *seedWorld) actor(sub string) *identity.Actor {
	id := identity.UserID(testIssuer, sub)
	u := w.people[id]
	return &identity.Actor{UserID: id, Name: u.Name, Roles: u.Roles()}
}

// TestMain drops the shared seeded database after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if seedStore != nil {
		_ = seedStore.DB.Drop(context.Background())
		seedStore.Close(context.Background())
	}
	os.Exit(code)
}

var (
	seedStore *store.Store
	seedOnce  sync.Once
	seedSvc   *Service
	seedW     *seedWorld
	seedError error
)

// seededService is one knowledge base with the demo articles, shared by the
// tests that only read it (seeding takes seconds under the race detector).
func seededService(t testing.TB) (*Service, *seedWorld) {
	t.Helper()
	seedOnce.Do(func() { seedSvc, seedW, seedError = newSeeded(t) })
	if seedError != nil {
		t.Fatal(seedError)
	}
	return seedSvc, seedW
}

func mustArticles(t testing.TB) []articles.Article {
	t.Helper()
	arts, err := articles.Parse(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	return arts
}

// articleContent is a demo article's content at one of its versions.
func articleContent(a articles.Article, v articles.Version) Content {
	return Content{Title: a.Title, Summary: a.Summary, Category: a.Category, Type: a.Type, Tags: a.Tags, Owner: a.Owner,
		Audience: Audience{Everyone: a.Audience.Everyone, Regions: a.Audience.Regions, Teams: a.Audience.Teams, Roles: a.Audience.Roles},
		Body:     v.Body, RequiresConfirmation: a.RequiresConfirmation, ReviewDue: a.ReviewDue, Related: a.Related, ExternalURL: a.ExternalURL}
}

// importedArticles are the demo articles as an import brings them in,
// written by one of the demo's support staff and approved by another, the
// newest six days ago (server/demo adds owners and read confirmations).
func importedArticles(t testing.TB, w *seedWorld) []ImportedArticle {
	author, reviewer := w.actor("ilse.dekker"), w.actor("yvonne.kramer")
	var out []ImportedArticle
	for i, a := range mustArticles(t) {
		newest := testNow.Add(-time.Duration(6+9*i) * 24 * time.Hour).Truncate(time.Millisecond)
		ia := ImportedArticle{ID: a.Slug}
		var ver Version
		for k, v := range a.Versions {
			major := k == 0 || (k == len(a.Versions)-1 && a.Major)
			ver = ver.Next(major)
			info := VersionInfo{Version: ver, Major: major, PublishedAt: newest.Add(-time.Duration(len(a.Versions)-1-k) * 150 * 24 * time.Hour),
				Author: PersonRef{ID: author.UserID, Name: author.Name}, Reviewer: PersonRef{ID: reviewer.UserID, Name: reviewer.Name}, ChangeNote: v.Note}
			ia.Versions = append(ia.Versions, ImportedVersion{Info: info, Content: articleContent(a, v)})
		}
		out = append(out, ia)
	}
	return out
}

func newSeeded(t testing.TB) (*Service, *seedWorld, error) {
	w := newSeedWorld()
	// Its own database, outliving the test that created it (TestMain drops it).
	st, err := store.Open(context.Background(), store.Options{URI: storetest.URI(t), Database: fmt.Sprintf("kbseed%d", time.Now().UnixNano())})
	if err != nil {
		return nil, nil, err
	}
	seedStore = st
	svc, err := NewService(context.Background(), st, w, w.people, Options{Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return testNow }})
	if err != nil {
		return nil, nil, err
	}
	n, err := svc.Import(context.Background(), importedArticles(t, w))
	if err == nil && n == 0 {
		err = fmt.Errorf("nothing imported")
	}
	return svc, w, err
}

// The demo articles are valid input as an editor would write it, and an
// import stores them with their versions, once.
func TestImportDemoArticles(t *testing.T) {
	svc, w := seededService(t)
	arts := mustArticles(t)
	if len(arts) < 30 {
		t.Fatalf("%d demo articles, want at least 30", len(arts))
	}
	ilse := w.actor("ilse.dekker")
	var confirm, overdue, multi int
	for _, sa := range arts {
		a, err := svc.Get(ilse, sa.Slug)
		if err != nil {
			t.Fatalf("%s: %v", sa.Slug, err)
		}
		if _, err := svc.validate(ilse, ArticleInput{Title: a.Title, Summary: a.Summary, Category: a.Category, Type: a.Type, Tags: a.Tags,
			Owner: a.Owner, Audience: a.Audience, Body: a.Body, ReviewDue: a.ReviewDue, Related: sa.Related, ExternalURL: a.ExternalURL}, a.ID); err != nil {
			t.Errorf("%s: %v", sa.Slug, err)
		}
		if len(a.Related) != len(sa.Related) {
			t.Errorf("%s: related %v resolved to %v", sa.Slug, sa.Related, a.Related)
		}
		if a.RequiresConfirmation {
			confirm++
		}
		if a.Overdue {
			overdue++
		}
		if len(a.Versions) != len(sa.Versions) {
			t.Errorf("%s: %d versions, want %d", sa.Slug, len(a.Versions), len(sa.Versions))
		}
		if len(a.Versions) > 1 {
			multi++
			if _, err := svc.Diff(context.Background(), ilse, a.ID, a.Versions[1].Version, a.Versions[0].Version); err != nil {
				t.Errorf("%s: diff: %v", sa.Slug, err)
			}
		}
	}
	if confirm < 10 || overdue < 5 || multi < 6 {
		t.Fatalf("confirm=%d overdue=%d multi-version=%d", confirm, overdue, multi)
	}
	// Importing again changes nothing.
	if n, err := svc.Import(context.Background(), importedArticles(t, w)); err != nil || n != 0 {
		t.Fatalf("second import: %v %v", n, err)
	}
}

// TestSearchQuality: a fixed set of Dutch queries and the article a care
// worker expects at the top (or among the first three).
func TestSearchQuality(t *testing.T) {
	svc, w := seededService(t)
	anouk := w.actor("anouk.devries")    // care worker, Den Helder
	fatima := w.actor("fatima.elamrani") // district nurse, Den Helder
	cases := []struct {
		who    *identity.Actor
		q      string
		prefix bool
		top    string // expected first hit
		in3    string // or: expected among the first three
		absent string // never in the results for this reader
	}{
		{anouk, "wond", true, "", "wondzorg-wondbeoordeling", ""},
		{anouk, "wonden", false, "", "wondzorg-wondinfectie-signaleren", ""},
		{anouk, "verbandmiddelen", false, "", "wondzorg-verbandmiddelen-kiezen", ""},
		{anouk, "verbandmiddelen kiezen", false, "wondzorg-verbandmiddelen-kiezen", "", ""},
		{anouk, "verbandmiddel", false, "", "wondzorg-verbandmiddelen-kiezen", ""},
		{anouk, "verband", true, "", "wondzorg-verbandmiddelen-kiezen", ""},
		{anouk, "insuline", false, "medicatie-insuline-injecteren", "", ""},
		{anouk, "insu", true, "medicatie-insuline-injecteren", "", ""},
		{anouk, "cliënt niet thuis", false, "veiligheid-client-niet-thuis", "", ""},
		{anouk, "client niet thuis", false, "veiligheid-client-niet-thuis", "", ""},
		{anouk, "handschoenen", false, "hygiene-handschoenen-pbm", "", ""},
		{anouk, "handhygiëne", false, "hygiene-handhygiene", "", ""},
		{anouk, "verlof aanvragen", false, "hr-verlof-aanvragen", "", ""},
		{anouk, "wachtwoord", false, "ict-wachtwoord-tweestapsverificatie", "", ""},
		{anouk, "ziekmelden", false, "hr-ziekmelden-verzuim", "", ""},
		{anouk, "decubitus", false, "wondzorg-decubitus-preventie", "", ""},
		{anouk, "MRSA", false, "hygiene-mrsa-brmo-thuis", "", ""},
		{anouk, "valpreventie", false, "veiligheid-valpreventie", "", ""},
		{anouk, "prikaccident", false, "hygiene-prikaccident", "", ""},
		{anouk, "medicatie toedienen", false, "", "medicatie-toedienen-dubbele-controle", ""},
		{anouk, "protocollen", false, "", "", "zorgverlening-katheteriseren"},
		// Audience: the catheter protocol is for district nurses, the ferry note for Texel.
		{anouk, "katheteriseren", false, "", "", "zorgverlening-katheteriseren"},
		{fatima, "katheteriseren", false, "zorgverlening-katheteriseren", "", ""},
		{anouk, "veerboot", false, "", "", "zorgverlening-texel-veerboot"},
	}
	for _, c := range cases {
		hits, err := searchHits(svc.Search(c.who, SearchQuery{Text: c.q, Prefix: c.prefix, Limit: 10}))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range hits {
			ids = append(ids, h.ID)
		}
		switch {
		case c.top != "" && (len(ids) == 0 || ids[0] != c.top):
			t.Errorf("%q: top %v, want %s first", c.q, first(ids, 3), c.top)
		case c.in3 != "" && !slices.Contains(first(ids, 3), c.in3):
			t.Errorf("%q: top %v, want %s among the first three", c.q, first(ids, 3), c.in3)
		case c.absent != "" && slices.Contains(ids, c.absent):
			t.Errorf("%q: %s found by a reader outside its audience", c.q, c.absent)
		}
		for _, h := range hits {
			if len(h.Snippet.Marks) == 0 && !strings.Contains(strings.ToLower(h.Title), strings.ToLower(c.q)) {
				t.Logf("%q: %s has no highlighted words in its snippet", c.q, h.ID)
			}
		}
	}
}

func first(xs []string, n int) []string {
	if len(xs) > n {
		return xs[:n]
	}
	return xs
}
