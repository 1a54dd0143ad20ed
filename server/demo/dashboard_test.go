package demo

import (
	"context"
	"log/slog"
	"math"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/dashboard"
	"github.com/plein/plein/server/identity"
)

// The demo figures are the ones the demo has always had (the hash of a
// deterministic generator's output): app and browser tests rely on them.
func TestDashboardFiguresUnchanged(t *testing.T) {
	for months, want := range map[int]string{
		24: "2737668e0ea19c1528bc9b27b881986560b9d7b86a346a11a681bef843f8fcb0",
		36: "53d7db4ded23acef4046e06ffb29e30263ecc092c7e8b11cc51a494b83065819",
	} {
		if got := DashboardFigures(dashboard.MonthAt(2026, 10), months).Hash(); got != want {
			t.Errorf("%d months: hash %s, want %s", months, got, want)
		}
	}
}

func TestDashboardFiguresAddUp(t *testing.T) {
	end := dashboard.MonthAt(2026, 10)
	b := DashboardFigures(end, DashboardMonths)
	if len(b.Rows) != 54*DashboardMonths {
		t.Fatalf("%d rows", len(b.Rows))
	}
	if DashboardFigures(end, DashboardMonths).Hash() != b.Hash() {
		t.Fatal("seed is not deterministic")
	}
	first := end - DashboardMonths + 1
	mean := func(m dashboard.Month, key string) float64 {
		var sw, swv float64
		for _, r := range b.Rows {
			if r.Month == m {
				sw += *r.Values[dashboard.KeyFTE]
				swv += *r.Values[dashboard.KeyFTE] * *r.Values[key]
			}
		}
		return swv / sw
	}
	for _, c := range []struct {
		key        string
		start, end float64
	}{
		{dashboard.KeyClientSatisfied, 80, 92.4}, {dashboard.KeyClientGrade, 7.6, 8.2}, {dashboard.KeyEmployeeGrade, 6.9, 7.2},
		{dashboard.KeyAbsence, 8.24, 5.9}, {dashboard.KeyProductivity, 61.2, 64.8},
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
			y1 += *r.Values[dashboard.KeyBusinessResult]
		} else {
			y2 += *r.Values[dashboard.KeyBusinessResult]
		}
		for k, v := range r.Values {
			if v == nil || math.IsNaN(*v) {
				t.Fatalf("%s %s %s: %v", r.Team, r.Month, k, v)
			}
		}
		if r.Month == first {
			startAbs[r.Team] = *r.Values[dashboard.KeyEmployeeGrade]
		}
		if r.Month == end {
			endAbs[r.Team] = *r.Values[dashboard.KeyEmployeeGrade]
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

func TestSeedDashboardIdempotentAndViews(t *testing.T) {
	ctx := context.Background()
	st, _, orgSvc := newOrganisation(t, testIssuer)
	log := slog.New(slog.DiscardHandler)
	now := func() time.Time { return time.Date(2026, 11, 15, 9, 0, 0, 0, time.UTC) }
	svc, err := dashboard.NewService(ctx, st, orgSvc, dashboard.Options{Now: now, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	d := Deps{Store: st, Dashboard: svc, Now: now}
	count := func() (figures, imports int64) {
		t.Helper()
		f, err := st.DB.Collection("dashboard_figures").EstimatedDocumentCount(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i, err := st.DB.Collection("dashboard_imports").EstimatedDocumentCount(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return f, i
	}
	if ok, err := seedDashboard(ctx, d); err != nil || !ok {
		t.Fatalf("seed: %v %v", ok, err)
	}
	f1, i1 := count()
	if f1 != 54*DashboardMonths || i1 != 1 {
		t.Fatalf("stored %d figures, %d imports", f1, i1)
	}
	if ok, err := seedDashboard(ctx, d); ok || err != nil {
		t.Fatalf("second seed: %v %v", ok, err)
	}
	// Without the marker (a seed interrupted after its import) nothing is duplicated.
	if _, err := st.DB.Collection("meta").DeleteOne(ctx, bson.D{{Key: "_id", Value: dashboardMarker}}); err != nil {
		t.Fatal(err)
	}
	if _, err := seedDashboard(ctx, d); err != nil {
		t.Fatal(err)
	}
	if f, i := count(); f != f1 || i != i1 {
		t.Fatalf("re-seed stored %d→%d, %d→%d", f1, f, i1, i)
	}
	carer := &identity.Actor{UserID: "u-anouk", Name: "Anouk de Vries", Roles: []identity.Role{identity.RoleZorgmedewerker}}
	v, err := svc.Organisation(carer, dashboard.ListQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if v.Month.String() != "2026-10" || len(v.Teams) != 54 || len(v.Regions) != 6 {
		t.Fatalf("month %v, %d teams, %d regions", v.Month, len(v.Teams), len(v.Regions))
	}
	for key, want := range map[string]float64{dashboard.KeyAbsence: 5.9, dashboard.KeyProductivity: 64.8, dashboard.KeyClientSatisfied: 92.4, dashboard.KeyClientGrade: 8.2, dashboard.KeyEmployeeGrade: 7.2} {
		if got := v.Organisation.Values[key]; got == nil || math.Abs(*got-want) > 0.011 {
			t.Errorf("organisation %s = %v, want %v", key, got, want)
		}
	}
	// The small demo teams' absence is withheld; Den Helder's mean still shows.
	for _, r := range v.Teams {
		if (r.ID == "huisduinen" || r.ID == "visbuurt") && r.Suppressed[dashboard.KeyAbsence] != dashboard.SuppressedSmallTeam {
			t.Errorf("%s absence: %+v", r.ID, r)
		}
	}
	for _, r := range v.Regions {
		if r.Values[dashboard.KeyAbsence] == nil {
			t.Errorf("region %s absence withheld", r.ID)
		}
	}
}
