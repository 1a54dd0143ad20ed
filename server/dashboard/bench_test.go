package dashboard_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/dashboard"
	"github.com/plein/plein/server/demo"
	"github.com/plein/plein/server/demo/orgdata"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/store/storetest"
)

// The benchmarks run over the demo figures (server/demo builds them), which
// is why they live in this external test package.

var benchNow = time.Date(2026, 11, 15, 9, 0, 0, 0, time.UTC)

var (
	benchSupport = &identity.Actor{UserID: "u-ilse", Name: "Ilse Dekker", Roles: []identity.Role{identity.RoleOndersteunendeDienst}}
	benchCarer   = &identity.Actor{UserID: "u-anouk", Name: "Anouk de Vries", Roles: []identity.Role{identity.RoleZorgmedewerker}}
)

// benchOrg is the demo organisation's regions and teams.
type benchOrg struct {
	regions []org.RegionSummary
	teams   []org.TeamSummary
}

func (f *benchOrg) ListRegions(*identity.Actor) ([]org.RegionSummary, error) { return f.regions, nil }
func (f *benchOrg) ListTeams(*identity.Actor, string) ([]org.TeamSummary, error) {
	return f.teams, nil
}
func (f *benchOrg) TeamIDsOf(string) []string { return nil }

// Generation never moves: the benchmark's organisation does not change.
func (f *benchOrg) Generation() uint64 { return 0 }

func newBenchOrg() *benchOrg {
	f := &benchOrg{}
	for _, r := range orgdata.Regions() {
		f.regions = append(f.regions, org.RegionSummary{ID: r.ID, Name: r.Name})
	}
	for _, t := range orgdata.Teams() {
		f.teams = append(f.teams, org.TeamSummary{ID: t.ID, Name: t.Name, RegionID: t.RegionID})
	}
	return f
}

// seededService holds months months of demo figures for the 54 demo teams.
func seededService(b *testing.B, months int) *dashboard.Service {
	svc, err := dashboard.NewService(context.Background(), storetest.New(b), newBenchOrg(),
		dashboard.Options{Now: func() time.Time { return benchNow }, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	figures := demo.DashboardFigures(dashboard.MonthOf(benchNow)-1, months)
	if _, err := svc.ImportBatch(context.Background(), benchSupport, figures, dashboard.Import{Kind: dashboard.KindSeed, Source: "bench"}); err != nil {
		b.Fatal(err)
	}
	return svc
}

// BenchmarkOrganisationView: all 54 teams with 36 months of figures in the
// embedded store; the view (6 regions, 54 teams, 24-month trend, signals)
// is computed from memory.
func BenchmarkOrganisationView(b *testing.B) {
	svc := seededService(b, 36)
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.Organisation(benchCarer, dashboard.ListQuery{Sort: dashboard.KeyAbsence, Order: "desc"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTeamView(b *testing.B) {
	svc := seededService(b, 36)
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.Team(benchCarer, "den-helder-centrum", dashboard.ViewQuery{Months: 24}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImport: a 54-team, 12-month CSV file (648 rows) validated and
// committed to the embedded store (on top of 36 months already there).
func BenchmarkImport(b *testing.B) {
	svc := seededService(b, 36)
	files := [2]string{}
	for n := range files {
		var sb strings.Builder
		sb.WriteString("team;maand;clienttevreden;rapportcijfer;cijfer medewerkers;productiviteit;verzuim;bedrijfsresultaat;medewerkers;fte\n")
		for _, t := range orgdata.Teams() {
			for m := dashboard.MonthOf(benchNow) - 12; m < dashboard.MonthOf(benchNow); m++ {
				fmt.Fprintf(&sb, "%s;%s;91,%d;8,1;7,2;64,5;5,%d;12.500;12;8,4\n", t.ID, m, n, n)
			}
		}
		files[n] = sb.String()
	}
	b.SetBytes(int64(len(files[0])))
	b.ResetTimer()
	i := 0
	for b.Loop() {
		res, err := svc.ImportFile(context.Background(), benchSupport, dashboard.Upload{FileName: "bench.csv", Data: []byte(files[i%2])})
		if err != nil || res.Import == nil {
			b.Fatalf("%v %+v", err, res)
		}
		i++
	}
}
