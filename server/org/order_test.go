package org

import (
	"context"
	"slices"
	"testing"
)

// Team lists are in collation order (accents folded, apostrophes ignored)
// from the order the snapshot keeps, also after a rename, per region, and
// for the point lookups TeamRegion and TeamDescription.
func TestTeamOrderAndLookups(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t, fakePeople{})
	admin := testAdmin
	for _, r := range []string{"noord", "zuid"} {
		if _, err := svc.CreateRegion(ctx, admin, RegionInput{ID: r, Name: r}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tm := range []struct{ id, region, name string }{
		{"tz", "noord", "Zwolle"}, {"te", "zuid", "Éénhoorn"}, {"td", "noord", "'t Dorp"}, {"ta", "zuid", "Alkmaar"}, {"tf", "noord", "Egmond"},
	} {
		if _, err := svc.CreateTeam(ctx, admin, TeamInput{ID: tm.id, RegionID: tm.region, Name: tm.name, Description: "over " + tm.name}); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(region string) []string {
		list, err := svc.ListTeams(admin, region)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range list {
			out = append(out, s.ID)
		}
		return out
	}
	if got := ids(""); !slices.Equal(got, []string{"ta", "te", "tf", "td", "tz"}) {
		t.Fatalf("all teams: %v", got)
	}
	name := "Aardswoud"
	if _, err := svc.UpdateTeam(ctx, admin, "tz", TeamPatch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if got := ids("noord"); !slices.Equal(got, []string{"tz", "tf", "td"}) {
		t.Fatalf("noord after renaming Zwolle: %v", got)
	}
	if r, ok := svc.TeamRegion("te"); !ok || r != "zuid" {
		t.Fatalf("TeamRegion(te) = %q, %v", r, ok)
	}
	if d, ok := svc.TeamDescription("tf"); !ok || d != "over Egmond" {
		t.Fatalf("TeamDescription(tf) = %q, %v", d, ok)
	}
	if _, ok := svc.TeamRegion("nope"); ok {
		t.Fatal("an unknown team has a region")
	}
}
