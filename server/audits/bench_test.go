package audits

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/plein/plein/server/identity"
)

// Benchmarks of the region overview and the heat map (docs/performance.md,
// "Audits (issue 12)"): every read is answered from memory.
//
//	go test -run '^$' -bench . -benchtime 2000x ./server/audits/
func BenchmarkRegionOverview54x8(b *testing.B)  { benchReads(b, 54, 8, "region") }
func BenchmarkHeatmap54x8(b *testing.B)         { benchReads(b, 54, 8, "heatmap") }
func BenchmarkRegionOverview500x8(b *testing.B) { benchReads(b, 500, 8, "region") }
func BenchmarkHeatmap500x8(b *testing.B)        { benchReads(b, 500, 8, "heatmap") }

// filled builds a service whose memory holds rounds of audits over every
// team: all finished, every criterion answered, ~3 actions per audit in
// mixed states (a third overdue).
func filled(b *testing.B, teams, rounds int) (*Service, *identity.Actor) {
	b.Helper()
	o, p := bigOrg(teams)
	svc, _ := newTestService(b, o, p, nil)
	tpl := svc.tpl[DefaultTemplateKey+":v1"]
	rng := rand.New(rand.NewPCG(1, 2))
	q := QuarterOf(testNow)
	svc.mu.Lock()
	defer svc.mu.Unlock()
	for r := 0; r < rounds; r++ {
		typ := []string{TypeInternal, TypePeer}[r%2]
		quarter := AddQuarters(q, -r)
		round := &Round{ID: RoundID(typ, quarter), Type: typ, Quarter: quarter, Label: QuarterLabel(quarter), TemplateID: tpl.ID, Status: RoundClosed}
		for _, t := range o.teams {
			auditor := fmt.Sprintf("%s-%s", identity.RoleCoordinerendWV, t.RegionID)
			round.Assignments = append(round.Assignments, Assignment{TeamID: t.ID, AuditorID: auditor})
			fin := testNow.AddDate(0, -3*r, 0)
			au := &Audit{ID: AuditID(round.ID, t.ID), RoundID: round.ID, Type: typ, Quarter: quarter, TemplateID: tpl.ID, TeamID: t.ID,
				RegionID: t.RegionID, AuditorID: auditor, Status: AuditFinished, FinishedAt: &fin, Answers: map[string]Answer{}}
			for _, th := range tpl.Themes {
				for _, c := range th.Criteria {
					au.Answers[c.Key] = Answer{Criterion: c.Key, Score: []Score{Voldoet, Voldoet, Deels, VoldoetNiet, NietVanToep}[rng.IntN(5)]}
				}
			}
			svc.audits[au.ID] = au
			n := 0
			for k, a := range au.Answers {
				if !a.Score.IsFinding() || n >= 3 {
					continue
				}
				n++
				st := []string{ActionOpen, ActionInProgress, ActionClosed, ActionConfirmed}[rng.IntN(4)]
				due := testNow.AddDate(0, 0, rng.IntN(120)-60).Format("2006-01-02")
				act := &Action{ID: FindingID(au.ID, k) + ":x", AuditID: au.ID, Criterion: k, TeamID: t.ID, RegionID: t.RegionID,
					Title: "Actie", OwnerTeamRole: "kwaliteit", Due: due, Status: st}
				svc.actions[act.ID] = act
			}
		}
		svc.rounds[round.ID] = round
	}
	return svc, &identity.Actor{UserID: "q", Roles: []identity.Role{identity.RoleOndersteunendeDienst}}
}

func benchReads(b *testing.B, teams, rounds int, what string) {
	svc, a := filled(b, teams, rounds)
	region := svc.dir().regionList[0].ID
	durations := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		var err error
		if what == "region" {
			_, err = svc.Region(a, region)
		} else {
			_, err = svc.HeatmapFor(a, "", "")
		}
		if err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durations)
	p := func(q float64) float64 { return float64(durations[int(q*float64(len(durations)-1))].Microseconds()) }
	b.ReportMetric(p(0.5), "p50-µs")
	b.ReportMetric(p(0.99), "p99-µs")
}
