package learning

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
)

func count(t *testing.T, f *fixture, coll string) int64 {
	t.Helper()
	n, err := f.st.DB.Collection(coll).CountDocuments(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Import stores the history once: a second run stores nothing twice, and a
// run after a failure half-way (the cohort and some trajectories missing)
// completes it. The imported cohort is current: its coaches coach, its
// designer designs.
func TestImportCompletesAfterAFailureHalfWay(t *testing.T) {
	f := newFixture(t, true)
	ctx := context.Background()
	colls := []string{cohortsColl, trajectoriesColl, programmesColl}
	counts := map[string]int64{}
	for _, c := range colls {
		counts[c] = count(t, f, c)
	}
	if counts[cohortsColl] != 1 || counts[trajectoriesColl] != 54 || counts[programmesColl] != 1 {
		t.Fatalf("imported: %v", counts)
	}
	if err := f.svc.Import(ctx, fixtureHistory(f.org)); err != nil {
		t.Fatal(err)
	}
	// As if the first run died half-way: two trajectories and the cohort
	// never stored.
	if _, err := f.st.DB.Collection(trajectoriesColl).DeleteMany(ctx, bson.D{{Key: "teamId", Value: bson.D{{Key: "$in", Value: []string{"den-helder-centrum", "julianadorp"}}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.DB.Collection(cohortsColl).DeleteMany(ctx, bson.D{}); err != nil {
		t.Fatal(err)
	}
	svc, err := NewService(ctx, f.st, f.org, f.people, Options{Now: f.clock.now, Logger: f.svc.log, Figures: f.figs})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Import(ctx, fixtureHistory(f.org)); err != nil {
		t.Fatalf("re-run: %v", err)
	}
	for c, n := range counts {
		if got := count(t, f, c); got != n {
			t.Errorf("%s: %d documents after a re-run, want %d", c, got, n)
		}
	}
	me := must[*Me](t)(svc.Me(f.people.actor("peter.smit")))
	if !strings.Contains(strings.Join(me.CoachedTeams, ","), "den-helder-centrum") {
		t.Fatalf("peter coaches %v", me.CoachedTeams)
	}
	if me := must[*Me](t)(svc.Me(f.people.actor("ilse.dekker"))); !me.Designer {
		t.Fatal("ilse is not a designer")
	}
	var set Settings
	if err := f.st.DB.Collection(metaColl).FindOne(ctx, byID(settingsID)).Decode(&set); err != nil || len(set.Designers) != 1 {
		t.Fatalf("designers after two imports: %v %v", err, set.Designers)
	}
}

// Editing a programme stores a new version; running trajectories keep theirs.
func TestProgrammeVersions(t *testing.T) {
	f := newFixture(t, true)
	ctx := context.Background()
	ilse := f.people.actor("ilse.dekker")
	p := must[*Programme](t)(f.svc.Programme(ilse, DefaultProgrammeID, 0))
	mods := p.Modules
	mods[0].Title = "Zelfsturing in de praktijk"
	in := ProgrammeInput{Name: p.Name, Description: p.Description, Modules: mods, BaseVersion: p.Version}
	next := must[*Programme](t)(f.svc.UpdateProgramme(ctx, ilse, DefaultProgrammeID, in))
	if next.Version != p.Version+1 {
		t.Fatalf("version %d", next.Version)
	}
	if _, err := f.svc.UpdateProgramme(ctx, ilse, DefaultProgrammeID, in); !errors.Is(err, apperr.ErrConflict) {
		t.Fatalf("stale edit: %v", err)
	}
	tv := must[*TeamView](t)(f.svc.Team(f.people.actor("anouk.devries"), "den-helder-centrum"))
	if tv.Version != 1 || tv.Modules[0].Title != "Werken als zelfsturend team" {
		t.Fatalf("running trajectory changed: v%d %q", tv.Version, tv.Modules[0].Title)
	}
	if v1 := must[*Programme](t)(f.svc.Programme(ilse, DefaultProgrammeID, 1)); v1.Modules[0].Title != "Werken als zelfsturend team" {
		t.Fatal("version 1 was rewritten")
	}
	// A carer cannot edit.
	if _, err := f.svc.UpdateProgramme(ctx, f.people.actor("anouk.devries"), DefaultProgrammeID, in); !errors.Is(err, apperr.ErrForbidden) {
		t.Fatalf("carer edits: %v", err)
	}
}

// A scan with fewer than three answers never shows a profile; answers are
// gone after closing; a closed scan is immutable.
func TestScanRuleOfThree(t *testing.T) {
	f := newFixture(t, true)
	ctx := context.Background()
	peter := f.people.actor("peter.smit")
	members := f.org.members["den-helder-centrum"]
	for _, n := range []int{2, 3} {
		x := must[*ScanView](t)(f.svc.OpenScan(ctx, peter, "den-helder-centrum", OpenScanInput{Kind: ScanQuarter}))
		for i := 0; i < n; i++ {
			u := f.people.users[members[i]]
			a := &identity.Actor{UserID: u.ID, Name: u.Name, Roles: u.Roles()}
			must[*ScanView](t)(f.svc.Answer(ctx, a, x.ID, AnswerInput{Answers: map[string]int{"samenwerking": 4, "besluitvorming": 4, "planning": 4, "kwaliteit": 4, "financien": 4, "client": 4}}))
		}
		closed := must[*ScanView](t)(f.svc.Close(ctx, peter, x.ID))
		if (n < 3) != (closed.Profile == nil) || (n < 3) != closed.TooFew {
			t.Fatalf("%d answers: profile %+v tooFew %v", n, closed.Profile, closed.TooFew)
		}
		if got := count(t, f, answersColl); got != 0 {
			t.Fatalf("%d answers kept after closing", got)
		}
		if _, err := f.svc.Observe(ctx, peter, x.ID, ObservationInput{Observation: "x", Phase: 2}); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("closed scan changed: %v", err)
		}
	}
}

// The day-before reminder goes out once, and only the day before.
func TestRemindTomorrow(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	admin := f.people.actor("yvonne.kramer")
	must[*Programme](t)(f.svc.CreateProgramme(ctx, admin, ProgrammeInput{ID: "p", Name: "P", Modules: DefaultModules()}))
	must[*CohortView](t)(f.svc.CreateCohort(ctx, admin, CohortInput{ID: "c", Name: "C", ProgrammeID: "p", StartMonth: "2026-09",
		Teams: []CohortTeam{{TeamID: "den-helder-centrum", CoachID: uid("peter.smit")}}}))
	start := testNow.Add(30 * time.Hour)
	x := must[*SessionView](t)(f.svc.CreateSession(ctx, f.people.actor("peter.smit"), SessionInput{ModuleKey: "teamrollen", TeamIDs: []string{"den-helder-centrum"},
		Start: start.Format(time.RFC3339), End: start.Add(time.Hour).Format(time.RFC3339), Place: "Wijkcentrum", Capacity: 20}))
	if len(f.notes.list) != 1 || f.notes.list[0].key != "learning_session:"+x.ID || len(f.notes.list[0].users) != len(f.org.members["den-helder-centrum"]) {
		t.Fatalf("invitation: %+v", f.notes.list)
	}
	f.clock.set(testNow.Add(-24 * time.Hour))
	if n := f.svc.RemindTomorrow(ctx); n != 0 {
		t.Fatalf("two days before: %d reminders", n)
	}
	f.clock.set(testNow)
	if n := f.svc.RemindTomorrow(ctx); n != 1 {
		t.Fatalf("the day before: %d reminders", n)
	}
	if n := f.svc.RemindTomorrow(ctx); n != 0 {
		t.Fatalf("again: %d reminders", n)
	}
	if last := f.notes.list[len(f.notes.list)-1]; last.key != "learning_reminder:"+x.ID {
		t.Fatalf("reminder key %q", last.key)
	}
	// In the team agenda.
	if got := f.svc.TeamAgenda("den-helder-centrum", testNow, testNow.Add(48*time.Hour)); len(got) != 1 || got[0].ID != "learning-"+x.ID {
		t.Fatalf("agenda: %+v", got)
	}
}

// The board signals a team whose client satisfaction fell three months in a
// row without a session in 90 days.
func TestBoardSignals(t *testing.T) {
	f := newFixture(t, true)
	peter := f.people.actor("peter.smit")
	f.figs.falls["den-helder-centrum"] = true
	// Move the clock far past the last sessions: no session in 90 days.
	f.clock.set(testNow.AddDate(0, 5, 0))
	b := must[*Board](t)(f.svc.Board(peter, BoardQuery{Filter: "signals"}))
	var found bool
	for _, r := range b.Teams {
		for _, s := range r.Signals {
			if r.Team.ID == "den-helder-centrum" && s.Key == "satisfaction_falling_no_session" {
				found = true
			}
		}
	}
	if !found {
		t.Fatalf("no signal: %+v", b.Teams)
	}
	if b.Total != 7 {
		t.Fatalf("peter's board has %d teams", b.Total)
	}
	if _, err := f.svc.Board(f.people.actor("anouk.devries"), BoardQuery{}); !errors.Is(err, apperr.ErrForbidden) {
		t.Fatalf("carer's board: %v", err)
	}
}

// The yield leaves out figures the dashboard withholds (small teams) and
// counts them.
func TestYieldSmallTeams(t *testing.T) {
	f := newFixture(t, true)
	a := f.people.actor("daan.visser")
	y := must[*Yield](t)(f.svc.Yield(a, YieldQuery{Level: LevelRegion, ID: "den-helder"}))
	if y.Total.Figures[FigAbsence].Withheld != 1 {
		t.Fatalf("withheld: %+v", y.Total.Figures[FigAbsence])
	}
	for _, r := range y.Rows {
		if r.ID == "huisduinen" && r.Figures[FigAbsence].Start != nil {
			t.Fatalf("small team's absence shown: %+v", r.Figures[FigAbsence])
		}
	}
	csv := string(YieldCSV(y))
	if !strings.Contains(csv, "geen bewijs") || !strings.Contains(csv, "Huisduinen") {
		t.Fatalf("csv: %.300s", csv)
	}
}

// A trajectory left behind by an interrupted cohort create (its cohort was
// never written) does not replace the team's current trajectory; re-running
// the create completes it.
func TestInterruptedCohortCreate(t *testing.T) {
	f := newFixture(t, true)
	ctx := context.Background()
	leftover := &Trajectory{ID: TrajectoryID("later", "den-helder-centrum"), CohortID: "later", TeamID: "den-helder-centrum",
		CoachID: uid("peter.smit"), ProgrammeID: DefaultProgrammeID, ProgrammeVersion: 1, StartMonth: "2029-01"}
	if err := put(ctx, f.svc.st.trajectories, leftover.ID, leftover); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	tv := must[*TeamView](t)(f.svc.Team(f.people.actor("anouk.devries"), "den-helder-centrum"))
	if tv.CohortID != "cohort-1" {
		t.Fatalf("current cohort %q after a leftover trajectory", tv.CohortID)
	}
	admin := f.people.actor("yvonne.kramer")
	in := CohortInput{ID: "later", Name: "Later", ProgrammeID: DefaultProgrammeID, StartMonth: "2029-01",
		Teams: []CohortTeam{{TeamID: "den-helder-centrum", CoachID: uid("peter.smit")}}}
	must[*CohortView](t)(f.svc.CreateCohort(ctx, admin, in))
	if tv := must[*TeamView](t)(f.svc.Team(f.people.actor("anouk.devries"), "den-helder-centrum")); tv.CohortID != "later" {
		t.Fatalf("after the re-run: cohort %q", tv.CohortID)
	}
}

// The CSV export neutralises names a spreadsheet would read as a formula.
func TestYieldCSVFormulas(t *testing.T) {
	y := &Yield{Rows: []YieldRow{{Kind: LevelTeam, ID: "x", Name: "=HYPERLINK(\"http://x.example\")", Figures: map[string]Movement{}}},
		Total: YieldRow{Kind: LevelOrganisation, Name: "Organisatie", Figures: map[string]Movement{}}}
	csv := string(YieldCSV(y))
	if !strings.Contains(csv, "'=HYPERLINK") || strings.Contains(csv, ";=HYPERLINK") || strings.Contains(csv, ";\"=HYPERLINK") {
		t.Fatalf("formula not neutralised:\n%s", csv)
	}
}

// Absentees are offered a make-up session: a notification and, on the
// session, the next session of the module with room. Self check-in is open
// only around the session.
func TestAttendanceAndMakeUp(t *testing.T) {
	f := newFixture(t, true)
	ctx := context.Background()
	peter := f.people.actor("peter.smit")
	plan := func(start time.Time, capacity int) *SessionView {
		return must[*SessionView](t)(f.svc.CreateSession(ctx, peter, SessionInput{ModuleKey: "teamrollen", TeamIDs: []string{"den-helder-centrum"},
			Start: start.Format(time.RFC3339), End: start.Add(2 * time.Hour).Format(time.RFC3339), Place: "Wijkcentrum", Capacity: capacity}))
	}
	now := plan(testNow.Add(-10*time.Minute), 30)
	later := plan(testNow.Add(14*24*time.Hour), 40)
	full := plan(testNow.Add(time.Hour), 1) // full: no room for make-up guests
	members := f.org.members["den-helder-centrum"]
	absent := members[0]
	entries := []AttendanceEntry{{UserID: absent, Status: Absent}, {UserID: members[1], Status: Present}}
	must[*SessionView](t)(f.svc.RecordAttendance(ctx, peter, now.ID, AttendanceInput{Entries: entries}))
	last := f.notes.list[len(f.notes.list)-1]
	if last.key != "learning_makeup:"+now.ID || len(last.users) != 1 || last.users[0] != absent {
		t.Fatalf("make-up notice: %+v", last)
	}
	u := f.people.users[absent]
	v := must[*SessionView](t)(f.svc.SessionByID(&identity.Actor{UserID: u.ID, Roles: u.Roles()}, now.ID))
	if v.MakeUp == nil || v.MakeUp.SessionID == full.ID || v.MakeUp.SessionID == now.ID || !v.MakeUp.Start.After(testNow) || v.Attendees != nil {
		t.Fatalf("absentee's view: make-up %+v, attendees %v", v.MakeUp, v.Attendees)
	}
	// Check-in: open now for this session, not for the one in two weeks.
	u2 := f.people.users[members[2]]
	a2 := &identity.Actor{UserID: u2.ID, Roles: u2.Roles()}
	if v := must[*SessionView](t)(f.svc.CheckIn(ctx, a2, now.ID)); v.Mine == nil || !v.Mine.Self || v.Mine.Status != Present {
		t.Fatalf("check-in: %+v", v.Mine)
	}
	if _, err := f.svc.CheckIn(ctx, a2, later.ID); !errors.Is(err, apperr.ErrConflict) {
		t.Fatalf("check-in two weeks early: %v", err)
	}
	// Another coach may not take attendance.
	other := &identity.Actor{UserID: uid("x-coach"), Roles: []identity.Role{identity.RoleTeamcoach}}
	if _, err := f.svc.RecordAttendance(ctx, other, now.ID, AttendanceInput{Entries: entries}); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("other coach: %v", err)
	}
}

// The web app translates the scan's themes by key; its Dutch text must be
// the server's, so that the two never drift apart.
func TestScanThemesMatchWebApp(t *testing.T) {
	b, err := os.ReadFile("../../frontend/src/features/learning/i18n/nl.json")
	if err != nil {
		t.Fatal(err)
	}
	var nl struct {
		Themes map[string]map[string]string `json:"themes"`
	}
	if err := json.Unmarshal(b, &nl); err != nil {
		t.Fatal(err)
	}
	if len(nl.Themes) != len(ScanThemes) {
		t.Fatalf("web app has %d themes, server %d", len(nl.Themes), len(ScanThemes))
	}
	for _, th := range ScanThemes {
		w := nl.Themes[th.Key]
		if w["title"] != th.Title || w["question"] != th.Question {
			t.Errorf("%s: web app %q / %q, server %q / %q", th.Key, w["title"], w["question"], th.Title, th.Question)
		}
		for i, st := range th.Statements {
			if got := w["s"+strconv.Itoa(i+1)]; got != st {
				t.Errorf("%s statement %d: web app %q, server %q", th.Key, i+1, got, st)
			}
		}
	}
}
