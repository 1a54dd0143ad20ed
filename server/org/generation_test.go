package org

import (
	"context"
	"testing"
)

// Generation moves with every change of the organisation (the dashboard and
// audits keep their team directories until it does), and not without one.
func TestGenerationMovesOnChange(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t, fakePeople{})
	admin := testAdmin
	g0 := svc.Generation()
	if svc.Generation() != g0 {
		t.Fatal("moved without a change")
	}
	if _, err := svc.CreateRegion(ctx, admin, RegionInput{ID: "schagen", Name: "Schagen"}); err != nil {
		t.Fatal(err)
	}
	g1 := svc.Generation()
	if g1 == g0 {
		t.Fatal("a new region left the generation")
	}
	if _, err := svc.CreateTeam(ctx, admin, TeamInput{ID: "groote-keeten", RegionID: "schagen", Name: "Groote Keeten"}); err != nil {
		t.Fatal(err)
	}
	if svc.Generation() == g1 {
		t.Fatal("a new team left the generation")
	}
}
