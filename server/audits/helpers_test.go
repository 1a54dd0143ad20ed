package audits

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/plein/plein/server/demo/orgdata"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/storetest"
)

const testIssuer = "https://idp.test"

// testNow is the tests' clock; everything is derived from it.
var testNow = time.Date(2026, 11, 15, 9, 0, 0, 0, time.UTC)

// fakeOrg is an organisation in memory.
type fakeOrg struct {
	regions []org.RegionSummary
	teams   []org.TeamSummary
	members map[string][]identity.TeamRef // user → teams
	gen     uint64                        // bump after changing regions or teams
}

func (f *fakeOrg) Generation() uint64 { return f.gen }

func (f *fakeOrg) ListRegions(*identity.Actor) ([]org.RegionSummary, error) { return f.regions, nil }
func (f *fakeOrg) ListTeams(*identity.Actor, string) ([]org.TeamSummary, error) {
	return f.teams, nil
}
func (f *fakeOrg) TeamsOf(userID string) []identity.TeamRef { return f.members[userID] }
func (f *fakeOrg) MemberIDs(teamID string) []string {
	var out []string
	for u, ts := range f.members {
		for _, t := range ts {
			if t.ID == teamID {
				out = append(out, u)
			}
		}
	}
	return out
}

type fakePeople struct{ users map[string]identity.User }

func (p *fakePeople) Get(id string) (identity.User, bool) { u, ok := p.users[id]; return u, ok }
func (p *fakePeople) All() []identity.User {
	out := make([]identity.User, 0, len(p.users))
	for _, u := range p.users {
		out = append(out, u)
	}
	return out
}

// demoOrg is the seed's organisation and people.
func demoOrg() (*fakeOrg, *fakePeople) {
	f := &fakeOrg{members: map[string][]identity.TeamRef{}}
	region := map[string]string{}
	for _, r := range orgdata.Regions() {
		f.regions = append(f.regions, org.RegionSummary{ID: r.ID, Name: r.Name})
	}
	for _, t := range orgdata.Teams() {
		f.teams = append(f.teams, org.TeamSummary{ID: t.ID, Name: t.Name, RegionID: t.RegionID})
		region[t.ID] = t.RegionID
	}
	p := &fakePeople{users: map[string]identity.User{}}
	for _, sp := range orgdata.People() {
		u := identity.User{ID: identity.UserID(testIssuer, sp.Sub), Subject: sp.Sub, Name: sp.Name, Active: true}
		for _, r := range sp.Roles {
			u.ClaimRoles = append(u.ClaimRoles, identity.Role(r))
		}
		p.users[u.ID] = u
		for _, m := range sp.Teams {
			f.members[u.ID] = append(f.members[u.ID], identity.TeamRef{ID: m.TeamID, RegionID: region[m.TeamID], TeamRoles: m.TeamRoles})
		}
	}
	return f, p
}

// bigOrg is an organisation of n teams in n/9 regions, with a manager and a
// coordinating nurse per region.
func bigOrg(n int) (*fakeOrg, *fakePeople) {
	f := &fakeOrg{members: map[string][]identity.TeamRef{}}
	p := &fakePeople{users: map[string]identity.User{}}
	regions := (n + 8) / 9
	for r := 0; r < regions; r++ {
		f.regions = append(f.regions, org.RegionSummary{ID: fmt.Sprintf("r%02d", r), Name: fmt.Sprintf("Regio %02d", r)})
		for _, role := range []identity.Role{identity.RoleRegiomanager, identity.RoleCoordinerendWV} {
			id := fmt.Sprintf("%s-r%02d", role, r)
			p.users[id] = identity.User{ID: id, Name: id, Active: true, ClaimRoles: []identity.Role{role}}
		}
	}
	for i := 0; i < n; i++ {
		f.teams = append(f.teams, org.TeamSummary{ID: fmt.Sprintf("t%03d", i), Name: fmt.Sprintf("Team %03d", i), RegionID: fmt.Sprintf("r%02d", i%regions)})
	}
	return f, p
}

type notice struct {
	users     []string
	kind, key string
}

type recorder struct {
	mu   sync.Mutex
	sent []notice
	bad  []string // kinds the notification centre would refuse
}

func (r *recorder) notify(_ context.Context, users []string, kind, _, _, _, key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, notice{users, kind, key})
	if kind != NotifyKind {
		r.bad = append(r.bad, kind)
	}
}

func newTestService(t testing.TB, o Org, p People, rec *recorder) (*Service, *store.Store) {
	t.Helper()
	st := storetest.New(t)
	return newServiceOn(t, st, o, p, rec), st
}

func newServiceOn(t testing.TB, st *store.Store, o Org, p People, rec *recorder) *Service {
	t.Helper()
	opt := Options{Now: func() time.Time { return testNow }, Logger: slog.New(slog.DiscardHandler)}
	if rec != nil {
		opt.Notify = rec.notify
		t.Cleanup(func() {
			if len(rec.bad) > 0 {
				t.Errorf("notices sent with kinds %v, not %q: the notification centre drops them", rec.bad, NotifyKind)
			}
		})
	}
	svc, err := NewService(context.Background(), st, o, p, opt)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func actorOf(p *fakePeople, sub string) *identity.Actor {
	id := identity.UserID(testIssuer, sub)
	u := p.users[id]
	return &identity.Actor{UserID: id, Name: u.Name, Roles: u.Roles()}
}

// fixtureHistory is what the tests start from: the demo organisation's
// auditors (regional managers and coordinating nurses, by region), and a
// closed internal round in the quarter before testNow's in which Marieke
// Jansen (coordinating nurse, Den Helder) audited Den Helder-Centrum:
// finished, every criterion met but one, partly, whose finding has an
// overdue action for Anouk de Vries.
func fixtureHistory() Imported {
	var in Imported
	for _, p := range orgdata.People() {
		if rid, ok := orgdata.RegionOf(p); ok {
			in.Auditors = append(in.Auditors, Auditor{UserID: identity.UserID(testIssuer, p.Sub), RegionID: rid})
		}
	}
	q := AddQuarters(QuarterOf(testNow), -1)
	marieke, team := identity.UserID(testIssuer, "marieke.jansen"), "den-helder-centrum"
	tpl := DefaultTemplate()
	r := &Round{ID: RoundID(TypeInternal, q), Type: TypeInternal, Quarter: q, Label: QuarterLabel(q), TemplateID: tpl.ID, Status: RoundClosed,
		Assignments: []Assignment{{TeamID: team, AuditorID: marieke}}, CreatedAt: testNow.AddDate(0, -5, 0), CreatedBy: "fixture"}
	day := testNow.AddDate(0, -3, 0)
	fin := day.Add(2 * time.Hour)
	au := &Audit{ID: AuditID(r.ID, team), RoundID: r.ID, Type: r.Type, Quarter: q, TemplateID: tpl.ID, TeamID: team, RegionID: "den-helder",
		AuditorID: marieke, Status: AuditFinished, Answers: map[string]Answer{}, ClientIDs: []string{}, Photos: []Photo{}, CreatedAt: r.CreatedAt, FinishedAt: &fin}
	partly := ""
	for _, th := range tpl.Themes {
		for _, c := range th.Criteria {
			sc := Voldoet
			if partly == "" && c.Key != "rooster-eigen" {
				sc, partly = Deels, c.Key
			}
			au.Answers[c.Key] = Answer{Criterion: c.Key, Score: sc, ClientID: "fixture-" + c.Key, AnsweredAt: day}
			au.ClientIDs = append(au.ClientIDs, "fixture-"+c.Key)
		}
	}
	act := &Action{ID: FindingID(au.ID, partly) + ":fixture", AuditID: au.ID, FindingID: FindingID(au.ID, partly), Criterion: partly,
		TeamID: team, RegionID: au.RegionID, Title: "Verbeteren", Due: testNow.AddDate(0, 0, -20).Format("2006-01-02"), Status: ActionInProgress,
		OwnerUserID: identity.UserID(testIssuer, "anouk.devries"), CreatedBy: marieke, CreatedAt: fin, UpdatedAt: fin}
	in.Rounds, in.Audits, in.Actions = []*Round{r}, []*Audit{au}, []*Action{act}
	return in
}

// withHistory imports fixtureHistory.
func withHistory(t testing.TB, svc *Service) {
	t.Helper()
	if err := svc.Import(context.Background(), fixtureHistory()); err != nil {
		t.Fatal(err)
	}
}
