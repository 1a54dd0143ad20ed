package demo

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/demo/orgdata"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/learning"
)

// paceFigures: every team's client satisfaction climbs by its own pace.
type paceFigures map[string]float64

func (f paceFigures) Series(_ *identity.Actor, teams []string, from, to learning.Month) map[string][]learning.FigureMonth {
	out := map[string][]learning.FigureMonth{}
	for _, team := range teams {
		for m := from; m <= to; m++ {
			k := float64(m - from)
			cs, abs, grade, prod := 80+f[team]*k, 8-0.05*f[team]*k, 7.0, 62.0
			out[team] = append(out[team], learning.FigureMonth{Values: map[string]*float64{learning.FigClientSatisfied: &cs,
				learning.FigEmployeeGrade: &grade, learning.FigProductivity: &prod, learning.FigAbsence: &abs}})
		}
	}
	return out
}

// The demo programme: three cohorts over the 54 teams, consistent with the
// figures (teams whose figures improve most grow most in phase), loaded
// once, and completed by a run after a failure half-way.
func TestSeedLearning(t *testing.T) {
	ctx := context.Background()
	st, users, orgSvc := newOrganisation(t, testIssuer)
	now := func() time.Time { return time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC) }
	pace := paceFigures{}
	for i, tm := range orgdata.Teams() {
		pace[tm.ID] = float64(i%10) / 10
	}
	open := func() *learning.Service {
		svc, err := learning.NewService(ctx, st, orgSvc, users, learning.Options{Now: now, Logger: slog.New(slog.DiscardHandler), Figures: pace})
		if err != nil {
			t.Fatal(err)
		}
		return svc
	}
	d := Deps{Store: st, Org: orgSvc, Learning: open(), Issuer: testIssuer, Now: now}
	if ok, err := seedLearning(ctx, d); !ok || err != nil {
		t.Fatalf("seed: %v %v", ok, err)
	}
	count := func(c string) int64 {
		n, err := st.DB.Collection(c).CountDocuments(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	counts := map[string]int64{}
	for _, c := range []string{"learning_cohorts", "learning_trajectories", "learning_sessions", "learning_reflections", "learning_scans", "learning_programmes"} {
		counts[c] = count(c)
	}
	if counts["learning_cohorts"] != LearningCohorts || counts["learning_trajectories"] != 54 || counts["learning_programmes"] != 2 ||
		counts["learning_sessions"] < 100 || counts["learning_scans"] < 54*7 || counts["learning_reflections"] < 200 {
		t.Fatalf("seed counts: %v", counts)
	}
	if ok, err := seedLearning(ctx, d); ok || err != nil {
		t.Fatalf("second seed: %v %v", ok, err)
	}
	// A run that died before its marker, with some sessions lost: the next
	// start completes it on a fresh instance and stores nothing twice.
	for c, f := range map[string]bson.D{"meta": {{Key: "_id", Value: learningMarker}}, "learning_sessions": {{Key: "coachId", Value: identity.UserID(testIssuer, "peter.smit")}}} {
		if _, err := st.DB.Collection(c).DeleteMany(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	d.Learning = open()
	if ok, err := seedLearning(ctx, d); !ok || err != nil {
		t.Fatalf("re-run: %v %v", ok, err)
	}
	for c, n := range counts {
		if got := count(c); got != n {
			t.Errorf("%s: %d documents after a re-run, want %d", c, got, n)
		}
	}
	actor := func(sub string) *identity.Actor {
		u, _ := users.Get(identity.UserID(testIssuer, sub))
		return &identity.Actor{UserID: u.ID, Name: u.Name, Roles: u.Roles()}
	}
	svc := d.Learning
	// The fastest improvers (pace 0.9) end higher than the slowest (pace 0).
	y, err := svc.Yield(actor("anouk.devries"), learning.YieldQuery{Level: learning.LevelOrganisation})
	if err != nil || y.Total.Maturity.Change == nil || *y.Total.Maturity.Change <= 0.5 {
		t.Fatalf("organisation maturity movement: %v %+v", err, y)
	}
	var fast, slow []float64
	for tm, p := range pace {
		ty, err := svc.Yield(actor("anouk.devries"), learning.YieldQuery{Level: learning.LevelTeam, ID: tm})
		if err != nil {
			t.Fatal(err)
		}
		if ch := ty.Total.Maturity.Change; ch != nil && p >= 0.8 {
			fast = append(fast, *ch)
		} else if ch != nil && p <= 0.1 {
			slow = append(slow, *ch)
		}
	}
	if mean(fast) <= mean(slow)+0.5 {
		t.Fatalf("improving teams do not progress more: fast %.2f, slow %.2f", mean(fast), mean(slow))
	}
	// Peter Smit coaches Den Helder-Centrum; Ilse Dekker designs.
	if me, err := svc.Me(actor("peter.smit")); err != nil || !strings.Contains(strings.Join(me.CoachedTeams, ","), "den-helder-centrum") {
		t.Fatalf("peter coaches: %v %+v", err, me)
	}
	if me, err := svc.Me(actor("ilse.dekker")); err != nil || !me.Designer {
		t.Fatalf("ilse is not a designer: %v", err)
	}
}

func mean(l []float64) float64 {
	var s float64
	for _, v := range l {
		s += v
	}
	return s / float64(max(1, len(l)))
}
