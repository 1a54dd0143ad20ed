package dashboard

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestSeedFiguresAddUp(t *testing.T) {
	end := MonthAt(2026, 10)
	b := SeedFigures(seedTeams(), end)
	if len(b.Rows) != 54*SeedMonths {
		t.Fatalf("%d rows", len(b.Rows))
	}
	if SeedFigures(seedTeams(), end).Hash() != b.Hash() {
		t.Fatal("seed is not deterministic")
	}
	first := end - SeedMonths + 1
	mean := func(m Month, key string) float64 {
		var sw, swv float64
		for _, r := range b.Rows {
			if r.Month == m {
				sw += *r.Values[KeyFTE]
				swv += *r.Values[KeyFTE] * *r.Values[key]
			}
		}
		return swv / sw
	}
	for _, c := range []struct {
		key        string
		start, end float64
	}{
		{KeyClientSatisfied, 80, 92.4}, {KeyClientGrade, 7.6, 8.2}, {KeyEmployeeGrade, 6.9, 7.2},
		{KeyAbsence, 8.24, 5.9}, {KeyProductivity, 61.2, 64.8},
	} {
		if got := mean(first, c.key); math.Abs(got-c.start) > 0.005 {
			t.Errorf("%s first month = %.3f, want %v", c.key, got, c.start)
		}
		if got := mean(end, c.key); math.Abs(got-c.end) > 0.005 {
			t.Errorf("%s last month = %.3f, want %v", c.key, got, c.end)
		}
	}
	var y1, y2 float64
	improved, slipped := 0, 0
	startAbs, endAbs := map[string]float64{}, map[string]float64{}
	for _, r := range b.Rows {
		if r.Month < first+12 {
			y1 += *r.Values[KeyBusinessResult]
		} else {
			y2 += *r.Values[KeyBusinessResult]
		}
		for k, v := range r.Values {
			if v == nil || math.IsNaN(*v) {
				t.Fatalf("%s %s %s: %v", r.Team, r.Month, k, v)
			}
		}
		if r.Month == first {
			startAbs[r.Team] = *r.Values[KeyEmployeeGrade]
		}
		if r.Month == end {
			endAbs[r.Team] = *r.Values[KeyEmployeeGrade]
		}
	}
	if y1 != -151000 || y2 != 1149000 {
		t.Errorf("business result per year: %v, %v", y1, y2)
	}
	for team := range startAbs {
		if endAbs[team] > startAbs[team] {
			improved++
		} else if endAbs[team] < startAbs[team] {
			slipped++
		}
	}
	if improved < 20 || slipped < 5 {
		t.Errorf("employee grade: %d teams improved, %d slipped; want a believable spread", improved, slipped)
	}
}

func TestSeedIdempotentAndViews(t *testing.T) {
	svc, st := newTestService(t, seedOrg())
	ctx := context.Background()
	end := MonthOf(testNow) - 1
	ok, err := Seed(ctx, st, svc, seedTeams(), end)
	if err != nil || !ok {
		t.Fatalf("seed: %v %v", ok, err)
	}
	f1, i1 := storedCounts(t, st)
	if f1 != 54*SeedMonths || i1 != 1 {
		t.Fatalf("stored %d figures, %d imports", f1, i1)
	}
	if ok, err := Seed(ctx, st, svc, seedTeams(), end); ok || err != nil {
		t.Fatalf("second seed: %v %v", ok, err)
	}
	// Without the marker (a seed interrupted after its import) nothing is duplicated.
	if _, err := st.DB.Collection("meta").DeleteOne(ctx, map[string]string{"_id": seedMarker}); err != nil {
		t.Fatal(err)
	}
	if _, err := Seed(ctx, st, svc, seedTeams(), end); err != nil {
		t.Fatal(err)
	}
	if f, i := storedCounts(t, st); f != f1 || i != i1 {
		t.Fatalf("re-seed stored %d→%d, %d→%d", f1, f, i1, i)
	}
	v, err := svc.Organisation(carer, ListQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if v.Month.String() != "2026-10" || len(v.Teams) != 54 || len(v.Regions) != 6 {
		t.Fatalf("month %v, %d teams, %d regions", v.Month, len(v.Teams), len(v.Regions))
	}
	for key, want := range map[string]float64{KeyAbsence: 5.9, KeyProductivity: 64.8, KeyClientSatisfied: 92.4, KeyClientGrade: 8.2, KeyEmployeeGrade: 7.2} {
		if got := v.Organisation.Values[key]; got == nil || math.Abs(*got-want) > 0.011 {
			t.Errorf("organisation %s = %v, want %v", key, ptrStr(got), want)
		}
	}
	// The small demo teams' absence is withheld; Den Helder's mean still shows.
	for _, r := range v.Teams {
		if (r.ID == "huisduinen" || r.ID == "visbuurt") && r.Suppressed[KeyAbsence] != SuppressedSmallTeam {
			t.Errorf("%s absence: %+v", r.ID, r)
		}
	}
	for _, r := range v.Regions {
		if r.Values[KeyAbsence] == nil {
			t.Errorf("region %s absence withheld", r.ID)
		}
	}
}

func seededService(b *testing.B, months int) *Service {
	svc, _ := newTestService(b, seedOrg())
	if _, err := svc.commit(context.Background(), support, seedFigures(seedTeams(), MonthOf(testNow)-1, months), Import{Kind: KindSeed, Source: "bench"}); err != nil {
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
		if _, err := svc.Organisation(carer, ListQuery{Sort: KeyAbsence, Order: "desc"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTeamView(b *testing.B) {
	svc := seededService(b, 36)
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.Team(carer, "den-helder-centrum", ViewQuery{Months: 24}); err != nil {
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
		for _, t := range seedOrg().teams {
			for m := MonthOf(testNow) - 12; m < MonthOf(testNow); m++ {
				fmt.Fprintf(&sb, "%s;%s;91,%d;8,1;7,2;64,5;5,%d;12.500;12;8,4\n", t.ID, m, n, n)
			}
		}
		files[n] = sb.String()
	}
	b.SetBytes(int64(len(files[0])))
	b.ResetTimer()
	i := 0
	for b.Loop() {
		res, err := svc.ImportFile(context.Background(), support, Upload{FileName: "bench.csv", Data: []byte(files[i%2])})
		if err != nil || res.Import == nil {
			b.Fatalf("%v %+v", err, res)
		}
		i++
	}
}
