package org

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/plein/plein/server/apperr"
)

// TestClaimedMembershipStaysTheProviders: a membership from the identity
// provider's groups keeps that source when an administrator sets its
// taakrollen (so the provider still removes it), and removing it in Plein is
// refused (the next login would add it again), recording nothing.
func TestClaimedMembershipStaysTheProviders(t *testing.T) {
	ctx := context.Background()
	people := fakePeople{"u1": {ID: "u1", Name: "Daan Visser", Active: true}}
	svc, log := newTestService(t, people)
	admin := testAdmin
	if _, err := svc.CreateRegion(ctx, admin, RegionInput{ID: "schagen", Name: "Schagen"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateTeam(ctx, admin, TeamInput{ID: "groote-keeten", RegionID: "schagen", Name: "Groote Keeten"}); err != nil {
		t.Fatal(err)
	}
	if err := svc.SyncClaimedTeams(ctx, "u1", []string{"groote-keeten"}); err != nil {
		t.Fatal(err)
	}
	d, err := svc.SetMember(ctx, admin, "groote-keeten", "u1", MemberInput{TeamRoles: []string{"planning"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Members) != 1 || d.Members[0].Source != SourceClaims || !slices.Equal(d.Members[0].TeamRoles, []string{"planning"}) {
		t.Fatalf("members %+v, want u1 from claims with planning", d.Members)
	}
	n := len(*log)
	err = svc.RemoveMember(ctx, admin, "groote-keeten", "u1")
	if !errors.Is(err, apperr.ErrConflict) || apperr.CodeOf(err, "") != "membership_from_idp" {
		t.Fatalf("remove: %v, want conflict membership_from_idp", err)
	}
	if !svc.IsMember("u1", "groote-keeten") || len(*log) != n {
		t.Fatal("a refused removal changed or recorded something")
	}
	// The provider drops the group: the membership goes, taakrollen and all.
	if err := svc.SyncClaimedTeams(ctx, "u1", nil); err != nil {
		t.Fatal(err)
	}
	if svc.IsMember("u1", "groote-keeten") {
		t.Fatal("still a member after the provider dropped the group")
	}
	// An administrator's own membership is removed as before.
	if _, err := svc.SetMember(ctx, admin, "groote-keeten", "u1", MemberInput{TeamRoles: []string{}}); err != nil {
		t.Fatal(err)
	}
	if err := svc.RemoveMember(ctx, admin, "groote-keeten", "u1"); err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, c := range *log {
		actions = append(actions, c.Action)
	}
	want := []string{"region.create", "team.create", "member.set", "member.set", "member.remove"}
	if !slices.Equal(actions, want) {
		t.Fatalf("recorded %v, want %v", actions, want)
	}
}
