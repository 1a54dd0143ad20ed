package learning

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/store/storetest"
)

// memFigures is a figures source shaped like dashboard.Series: per team
// and month a fresh map of the six figures, read from precomputed arrays.
type memFigures struct {
	first Month
	vals  map[string][][6]float64
}

var figKeys = [6]string{FigClientSatisfied, FigClientGrade, FigEmployeeGrade, FigAbsence, FigProductivity, FigBusinessResult}

func (m *memFigures) Series(_ *identity.Actor, teams []string, from, to Month) map[string][]FigureMonth {
	out := make(map[string][]FigureMonth, len(teams))
	for _, team := range teams {
		l := make([]FigureMonth, 0, int(to-from)+1)
		for mm := from; mm <= to; mm++ {
			fm := FigureMonth{Values: make(map[string]*float64, 6)}
			if i := int(mm - m.first); i >= 0 && i < len(m.vals[team]) {
				for k, key := range figKeys {
					v := m.vals[team][i][k]
					fm.Values[key] = &v
				}
			}
			l = append(l, fm)
		}
		out[team] = l
	}
	return out
}

// benchService builds n teams (12 members each, coach "c0" holds the first
// 50) with 24 months of trajectory: quarterly closed scans, a session per
// module per three teams with attendance, and figures.
func benchService(b *testing.B, n int) (*Service, *identity.Actor) {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	o := &fakeOrg{names: map[string]string{}, members: map[string][]string{}}
	for r := 0; r < 6; r++ {
		o.regions = append(o.regions, org.RegionSummary{ID: fmt.Sprintf("r%d", r), Name: fmt.Sprintf("Regio %d", r)})
	}
	people := &fakePeople{users: map[string]identity.User{}}
	now := testNow
	nowM := MonthOf(now)
	start := nowM - 23
	figs := &memFigures{first: start, vals: map[string][][6]float64{}}
	st := newState()
	prog := &Programme{ID: DefaultProgrammeID, Version: 1, Name: "P", Modules: DefaultModules()}
	st.addProgramme(prog)
	coachOf := func(i int) string {
		if i < 50 {
			return "c0"
		}
		return fmt.Sprintf("c%d", 1+(i-50)/50)
	}
	for c := 0; c < 1+n/50; c++ {
		id := fmt.Sprintf("c%d", c)
		people.users[id] = identity.User{ID: id, Name: "Coach " + id, Active: true, ClaimRoles: []identity.Role{identity.RoleTeamcoach}}
	}
	cohort := &Cohort{ID: "cohort", Name: "Cohort", ProgrammeID: prog.ID, ProgrammeVersion: 1, StartMonth: start.String()}
	st.cohorts[cohort.ID] = cohort
	var teams []string
	for i := 0; i < n; i++ {
		team := fmt.Sprintf("t%03d", i)
		teams = append(teams, team)
		o.teams = append(o.teams, org.TeamSummary{ID: team, Name: "Team " + team, RegionID: fmt.Sprintf("r%d", i%6)})
		o.names[team] = "Team " + team
		for m := 0; m < 12; m++ {
			o.members[team] = append(o.members[team], fmt.Sprintf("%s-m%02d", team, m))
		}
		cohort.TeamIDs = append(cohort.TeamIDs, team)
		tr := &Trajectory{ID: TrajectoryID(cohort.ID, team), CohortID: cohort.ID, TeamID: team, CoachID: coachOf(i), ProgrammeID: prog.ID,
			ProgrammeVersion: 1, StartMonth: start.String(), Modules: PlanModules(prog, start)}
		for k := range tr.Modules {
			if k < 7 {
				tr.Modules[k].Status = StatusDone
			}
		}
		st.addTrajectory(tr)
		for q := 0; q < 8; q++ {
			closed := (start + Month(3*q)).Time().AddDate(0, 0, 14)
			x := &Scan{ID: ScanID(tr.ID, q+1), TrajectoryID: tr.ID, TeamID: team, Seq: q + 1, Kind: ScanQuarter, OpenedAt: closed.AddDate(0, 0, -14),
				ClosedAt: &closed, Respondents: o.members[team][:6], Profile: benchProfile(rng, 1.5+float64(q)*0.2, 6)}
			st.addScan(x)
		}
		var months [][6]float64
		for m := 0; m < 24; m++ {
			months = append(months, [6]float64{80 + float64(m)*0.5 + rng.Float64(), 7.8, 7, 8 - float64(m)*0.1, 61 + float64(m)*0.15, 1000})
		}
		figs.vals[team] = months
	}
	for g := 0; g*3 < n; g++ {
		grp := teams[g*3 : min(n, g*3+3)]
		var inv []string
		for _, tm := range grp {
			inv = append(inv, o.members[tm]...)
		}
		for k := 0; k < 8; k++ {
			t0 := (start + Month(3*k)).Time().AddDate(0, 0, 10).Add(13 * time.Hour)
			x := &Session{ID: fmt.Sprintf("s%d-%d", g, k), ModuleKey: prog.Modules[k].Key, Title: prog.Modules[k].Title, TeamIDs: slices.Clone(grp),
				CoachID: st.teamTraj[grp[0]].CoachID, Start: t0, End: t0.Add(2 * time.Hour), Capacity: 50, Invitees: inv, Attendance: map[string]Attendance{}}
			for _, id := range inv {
				s := Present
				if rng.IntN(5) == 0 {
					s = Absent
				}
				x.Attendance[id] = Attendance{Status: s}
			}
			st.addSession(x)
		}
	}
	svc, err := NewService(context.Background(), storetest.New(b), o, people, Options{Now: func() time.Time { return now },
		Logger: slog.New(slog.DiscardHandler), Figures: figs})
	if err != nil {
		b.Fatal(err)
	}
	svc.cur = st
	return svc, &identity.Actor{UserID: "c0", Name: "Coach", Roles: []identity.Role{identity.RoleTeamcoach}}
}

// runP99 times every iteration and reports the 99th percentile.
func runP99(b *testing.B, f func() error) {
	var d []time.Duration
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		d = append(d, time.Since(t0))
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	if len(d) > 0 {
		b.ReportMetric(float64(d[min(len(d)-1, len(d)*99/100)].Microseconds())/1000, "p99-ms")
	}
}

// BenchmarkCoachBoard50: a coach's board over 50 teams (aim: p99 < 20 ms).
func BenchmarkCoachBoard50(b *testing.B) {
	svc, coach := benchService(b, 54)
	runP99(b, func() error {
		v, err := svc.Board(coach, BoardQuery{Sort: "signals"})
		if err == nil && len(v.Teams) != 50 {
			return fmt.Errorf("%d teams", len(v.Teams))
		}
		return err
	})
}

// BenchmarkYieldOrganisation54: organisation yield over 54 teams × 24
// months (aim: p99 < 50 ms).
func BenchmarkYieldOrganisation54(b *testing.B) {
	svc, a := benchService(b, 54)
	runP99(b, func() error { _, err := svc.Yield(a, YieldQuery{}); return err })
}

// BenchmarkYieldOrganisation500: the same at 500 teams (aim: < 200 ms).
func BenchmarkYieldOrganisation500(b *testing.B) {
	svc, a := benchService(b, 500)
	runP99(b, func() error { _, err := svc.Yield(a, YieldQuery{}); return err })
}

// BenchmarkCoachBoard500: a coach's board (50 teams) in an organisation of 500.
func BenchmarkCoachBoard500(b *testing.B) {
	svc, coach := benchService(b, 500)
	runP99(b, func() error { _, err := svc.Board(coach, BoardQuery{}); return err })
}

// benchProfile is a profile around score from n members' answers.
func benchProfile(rng *rand.Rand, score float64, n int) *Profile {
	answers := make([]map[string]int, n)
	for i := range answers {
		answers[i] = map[string]int{}
		for _, th := range ScanThemes {
			answers[i][th.Key] = int(math.Max(1, math.Min(4, math.Floor(score+rng.NormFloat64()*0.6+0.5))))
		}
	}
	return ProfileOf(answers)
}
