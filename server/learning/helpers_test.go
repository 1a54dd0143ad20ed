package learning

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/plein/plein/server/demo/orgdata"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/storetest"
)

// testNow is the tests' clock; nothing depends on the real date.
var testNow = time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)

const testIssuer = "http://idp.test"

func uid(sub string) string { return identity.UserID(testIssuer, sub) }

// fakeOrg is an organisation in memory: teams with regions and members.
type fakeOrg struct {
	regions []org.RegionSummary
	teams   []org.TeamSummary
	names   map[string]string
	members map[string][]string
}

func (f *fakeOrg) ListRegions(*identity.Actor) ([]org.RegionSummary, error) { return f.regions, nil }
func (f *fakeOrg) ListTeams(*identity.Actor, string) ([]org.TeamSummary, error) {
	return f.teams, nil
}
func (f *fakeOrg) IsMember(u, team string) bool { return slices.Contains(f.members[team], u) }
func (f *fakeOrg) MemberIDs(team string) []string {
	return f.members[team]
}
func (f *fakeOrg) TeamName(team string) (string, bool) { n, ok := f.names[team]; return n, ok }
func (f *fakeOrg) TeamIDsOf(u string) []string {
	var out []string
	for team, ms := range f.members {
		if slices.Contains(ms, u) {
			out = append(out, team)
		}
	}
	return out
}

// seedOrg is the demo organisation with its demo people.
func seedOrg() (*fakeOrg, *fakePeople) {
	f := &fakeOrg{names: map[string]string{}, members: map[string][]string{}}
	for _, r := range orgdata.Regions() {
		f.regions = append(f.regions, org.RegionSummary{ID: r.ID, Name: r.Name})
	}
	for _, t := range orgdata.Teams() {
		f.teams = append(f.teams, org.TeamSummary{ID: t.ID, Name: t.Name, RegionID: t.RegionID})
		f.names[t.ID] = t.Name
	}
	p := &fakePeople{users: map[string]identity.User{}}
	for _, sp := range orgdata.People() {
		u := identity.User{ID: uid(sp.Sub), Name: sp.Name, Active: true}
		for _, r := range sp.Roles {
			u.ClaimRoles = append(u.ClaimRoles, identity.Role(r))
		}
		p.users[u.ID] = u
		for _, m := range sp.Teams {
			f.members[m.TeamID] = append(f.members[m.TeamID], u.ID)
		}
	}
	return f, p
}

type fakePeople struct{ users map[string]identity.User }

func (p *fakePeople) Get(id string) (identity.User, bool) { u, ok := p.users[id]; return u, ok }

func (p *fakePeople) actor(sub string) *identity.Actor {
	u := p.users[uid(sub)]
	return &identity.Actor{UserID: u.ID, Name: u.Name, Roles: u.Roles()}
}

// fakeFigures: every team's client satisfaction climbs by its own pace
// (teams later in the list improve more); the first team's absence is
// withheld (a small team).
type fakeFigures struct {
	pace  map[string]float64
	falls map[string]bool // client satisfaction falls every month
}

func (f *fakeFigures) Series(_ *identity.Actor, teams []string, from, to Month) map[string][]FigureMonth {
	out := map[string][]FigureMonth{}
	for _, team := range teams {
		var l []FigureMonth
		for m := from; m <= to; m++ {
			k := float64(m - from)
			cs := 80 + f.pace[team]*k
			if f.falls[team] {
				cs = 90 - k
			}
			abs := 8 - 0.05*f.pace[team]*k
			fm := FigureMonth{Values: map[string]*float64{FigClientSatisfied: &cs, FigEmployeeGrade: ptr(7), FigProductivity: ptr(62), FigAbsence: &abs, FigBusinessResult: ptr(1000)}}
			if team == "huisduinen" {
				fm.Values[FigAbsence] = nil
				fm.Withheld = map[string]bool{FigAbsence: true}
			}
			l = append(l, fm)
		}
		out[team] = l
	}
	return out
}

func ptr(v float64) *float64 { return &v }

type notice struct {
	users            []string
	kind, title, key string
}

type notes struct {
	mu   sync.Mutex
	list []notice
}

func (n *notes) notify(_ context.Context, users []string, kind, title, _, _, key string) {
	n.mu.Lock()
	n.list = append(n.list, notice{users, kind, title, key})
	n.mu.Unlock()
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

type fixture struct {
	svc    *Service
	st     *store.Store
	org    *fakeOrg
	people *fakePeople
	notes  *notes
	clock  *clock
	figs   *fakeFigures
}

// newFixture builds a service over the demo organisation, with the
// programme history of importHistory when history is true.
func newFixture(t testing.TB, history bool) *fixture {
	t.Helper()
	o, p := seedOrg()
	figs := &fakeFigures{pace: map[string]float64{}, falls: map[string]bool{}}
	for i, tm := range o.teams {
		figs.pace[tm.ID] = float64(i%10) / 10
	}
	f := &fixture{org: o, people: p, notes: &notes{}, clock: &clock{t: testNow}, figs: figs}
	f.st = storetest.New(t)
	svc, err := NewService(context.Background(), f.st, o, p, Options{Now: f.clock.now, Logger: slog.New(slog.DiscardHandler),
		Notify: f.notes.notify, Figures: figs})
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	if history {
		if err := svc.Import(context.Background(), fixtureHistory(o)); err != nil {
			t.Fatalf("import: %v", err)
		}
	}
	return f
}

func must[T any](t testing.TB) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// fixtureHistory is what the tests start from: the default programme, and
// one cohort ("cohort-1", started a year before testNow) with every team
// of the organisation coached by its demo coach (Peter Smit coaches seven,
// Den Helder-Centrum among them), its first four modules done; Ilse Dekker
// designs.
func fixtureHistory(o *fakeOrg) Imported {
	start := MonthOf(testNow) - 12
	p := &Programme{DocID: ProgrammeDocID(DefaultProgrammeID, 1), ID: DefaultProgrammeID, Version: 1, Name: "Leertraject zelfsturing",
		Modules: DefaultModules(), CreatedAt: start.Time().AddDate(0, -2, 0), CreatedBy: uid(orgdata.DesignerSub)}
	c := &Cohort{ID: "cohort-1", Name: "Cohort 1", ProgrammeID: p.ID, ProgrammeVersion: 1, StartMonth: start.String(),
		CreatedAt: start.Time().AddDate(0, -1, 0), CreatedBy: uid(orgdata.DesignerSub)}
	in := Imported{Programmes: []*Programme{p}, Cohorts: []*Cohort{c}, Designers: []string{uid(orgdata.DesignerSub)}}
	coach := orgdata.CoachOf()
	for _, tm := range o.teams {
		c.TeamIDs = append(c.TeamIDs, tm.ID)
		tr := &Trajectory{ID: TrajectoryID(c.ID, tm.ID), CohortID: c.ID, TeamID: tm.ID, CoachID: uid(coach[tm.ID]), ProgrammeID: p.ID,
			ProgrammeVersion: 1, StartMonth: start.String(), Modules: PlanModules(p, start), UpdatedAt: testNow}
		for i := range 4 {
			done := monthOfString(tr.Modules[i].PlannedMonth).Time().AddDate(0, 0, 20)
			tr.Modules[i].Status, tr.Modules[i].DoneAt = StatusDone, &done
		}
		in.Trajectories = append(in.Trajectories, tr)
	}
	return in
}
