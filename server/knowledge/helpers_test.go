package knowledge

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/storetest"
)

// fakeOrg: region noord with teams a and b, region zuid with team c.
type fakeOrg struct{ members map[string][]string }

func (f *fakeOrg) ListTeams(*identity.Actor, string) ([]org.TeamSummary, error) {
	return []org.TeamSummary{{ID: "team-a", Name: "Team A", RegionID: "noord"}, {ID: "team-b", Name: "Team B", RegionID: "noord"},
		{ID: "team-c", Name: "Team C", RegionID: "zuid"}}, nil
}
func (f *fakeOrg) MemberIDs(t string) []string { return f.members[t] }
func (f *fakeOrg) TeamRegion(t string) (string, bool) {
	teams, _ := f.ListTeams(nil, "")
	for _, x := range teams {
		if x.ID == t {
			return x.RegionID, true
		}
	}
	return "", false
}
func (f *fakeOrg) TeamIDsOf(u string) []string {
	var out []string
	for _, t := range []string{"team-a", "team-b", "team-c"} {
		if slices.Contains(f.members[t], u) {
			out = append(out, t)
		}
	}
	return out
}

type fakePeople map[string]identity.User

func (p fakePeople) Get(id string) (identity.User, bool) { u, ok := p[id]; return u, ok }

var (
	ilse   = &identity.Actor{UserID: "u-ilse", Name: "Ilse Dekker", Roles: []identity.Role{identity.RoleOndersteunendeDienst}}
	omar   = &identity.Actor{UserID: "u-omar", Name: "Omar Bakr", Roles: []identity.Role{identity.RoleOndersteunendeDienst}}
	yvonne = &identity.Actor{UserID: "u-yvonne", Name: "Yvonne Kramer", Roles: []identity.Role{identity.RoleBeheerder}}
	anouk  = &identity.Actor{UserID: "u-anouk", Name: "Anouk de Vries", Roles: []identity.Role{identity.RoleZorgmedewerker}}
	sanne  = &identity.Actor{UserID: "u-sanne", Name: "Sanne Bakker", Roles: []identity.Role{identity.RoleZorgmedewerker}}
	fatima = &identity.Actor{UserID: "u-fatima", Name: "Fatima El Amrani", Roles: []identity.Role{identity.RoleWijkverpleegkundige}}
	daan   = &identity.Actor{UserID: "u-daan", Name: "Daan Visser", Roles: []identity.Role{identity.RoleZorgmedewerker}}
	chris  = &identity.Actor{UserID: "u-chris", Name: "Chris Zuid", Roles: []identity.Role{identity.RoleZorgmedewerker}}
	marie  = &identity.Actor{UserID: "u-marieke", Name: "Marieke Jansen", Roles: []identity.Role{identity.RoleCoordinerendWV}}
	peter  = &identity.Actor{UserID: "u-peter", Name: "Peter Smit", Roles: []identity.Role{identity.RoleTeamcoach}}
)

func testOrg() *fakeOrg {
	return &fakeOrg{members: map[string][]string{
		"team-a": {"u-anouk", "u-sanne", "u-fatima"},
		"team-b": {"u-daan"},
		"team-c": {"u-chris"},
	}}
}

func testPeople() fakePeople {
	p := fakePeople{}
	for _, a := range []*identity.Actor{ilse, omar, yvonne, anouk, sanne, fatima, daan, chris, marie, peter} {
		p[a.UserID] = identity.User{ID: a.UserID, Name: a.Name, ClaimRoles: a.Roles}
	}
	return p
}

var testNow = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

type notice struct {
	users []string
	kind  string
	key   string
}

type harness struct {
	svc     *Service
	st      *store.Store
	notices []notice
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	st := storetest.New(t)
	return newHarnessOn(t, st)
}

func newHarnessOn(t testing.TB, st *store.Store) *harness {
	t.Helper()
	h := &harness{st: st}
	svc, err := NewService(context.Background(), st, testOrg(), testPeople(), Options{
		Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return testNow },
		Notify: func(_ context.Context, users []string, kind, _, _, _, key string) {
			h.notices = append(h.notices, notice{users, kind, key})
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.svc = svc
	return h
}

func input(title string) ArticleInput {
	return ArticleInput{Title: title, Summary: "Korte samenvatting.", Category: "wondzorg", Type: "protocol",
		Tags: []string{"wond"}, Owner: "kwaliteit", Audience: Audience{Everyone: true},
		Body: "## Stappen\n\n1. Handen wassen\n2. Wond bekijken\n", ReviewDue: "2027-06-01"}
}

// publish creates an article as ilse and has omar approve it.
func (h *harness) publish(t testing.TB, in ArticleInput) *Article {
	t.Helper()
	ctx := context.Background()
	a, err := h.svc.Create(ctx, ilse, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Submit(ctx, ilse, a.ID, SubmitInput{}); err != nil {
		t.Fatal(err)
	}
	a, err = h.svc.Approve(ctx, omar, a.ID, ReviewInput{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// change saves a new working copy as ilse, submits it and has omar approve.
func (h *harness) change(t testing.TB, id string, body string, major bool) *Article {
	t.Helper()
	ctx := context.Background()
	cur, err := h.svc.Get(ilse, id)
	if err != nil {
		t.Fatal(err)
	}
	d := cur.Draft
	in := DraftInput{ArticleInput: ArticleInput{Title: d.Title, Summary: d.Summary, Category: d.Category, Type: d.Type, Tags: d.Tags,
		Owner: d.Owner, Audience: d.Audience, Body: body, RequiresConfirmation: d.RequiresConfirmation, ReviewDue: d.ReviewDue,
		Related: d.Related, ExternalURL: d.ExternalURL}, Revision: d.Revision}
	if _, err := h.svc.SaveDraft(ctx, ilse, id, in); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Submit(ctx, ilse, id, SubmitInput{ChangeNote: "Aangepast", Major: major}); err != nil {
		t.Fatal(err)
	}
	a, err := h.svc.Approve(ctx, omar, id, ReviewInput{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func wantErr(t testing.TB, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error %v, want %v", err, kind)
	}
}

func wantField(t testing.TB, err error, field string) {
	t.Helper()
	var ve *apperr.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v, want a validation error on %s", err, field)
	}
	for _, f := range ve.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("validation error %v lacks field %s", ve, field)
}

// searchHits is Search's hits and error, for tests that need no more.
func searchHits(r SearchResult, err error) ([]SearchHit, error) { return r.Hits, err }
