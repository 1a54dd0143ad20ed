package org

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/plein/plein/server/apperr"
)

// An archive that failed half-way (the team document written, a
// membership not yet removed) is finished by sending it again; a team whose
// member has no other team is refused and nothing changes.
func TestArchiveRerunAndRule(t *testing.T) {
	ctx := context.Background()
	people := fakePeople{"u1": {ID: "u1", Name: "Daan Visser", Active: true}, "u2": {ID: "u2", Name: "Sanne Bakker", Active: true}}
	svc, log := newTestService(t, people)
	admin := testAdmin
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := svc.CreateRegion(ctx, admin, RegionInput{ID: "schagen", Name: "Schagen"})
	must(err)
	for _, id := range []string{"oud", "nieuw"} {
		_, err = svc.CreateTeam(ctx, admin, TeamInput{ID: id, RegionID: "schagen", Name: "Team " + id})
		must(err)
	}
	for _, u := range []string{"u1", "u2"} {
		_, err = svc.SetMember(ctx, admin, "oud", u, MemberInput{TeamRoles: []string{}})
		must(err)
	}
	_, err = svc.SetMember(ctx, admin, "nieuw", "u1", MemberInput{TeamRoles: []string{}})
	must(err)

	yes := true
	n := len(*log)
	if _, err := svc.SetArchived(ctx, admin, "oud", ArchiveInput{Archived: &yes}); !errors.Is(err, apperr.ErrConflict) || apperr.CodeOf(err, "") != "team_has_members" {
		t.Fatalf("u2 has no other team: %v", err)
	}
	if _, archived := svc.Archived("oud"); archived || len(*log) != n || !svc.IsMember("u2", "oud") {
		t.Fatal("a refused archive changed something")
	}
	_, err = svc.SetMember(ctx, admin, "nieuw", "u2", MemberInput{TeamRoles: []string{}})
	must(err)

	// Half-way: the team document says archived, the memberships are still there.
	tm := *svc.current().teams["oud"]
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	tm.ArchivedAt, tm.FormerMembers = &at, []string{"u1"}
	must(replace(ctx, svc.st.teams, "oud", &tm, false))
	must(svc.Reload(ctx))
	d, err := svc.SetArchived(ctx, admin, "oud", ArchiveInput{Archived: &yes})
	must(err)
	former, archived := svc.Archived("oud")
	slices.Sort(former)
	if !archived || len(d.Members) != 0 || svc.IsMember("u1", "oud") || svc.IsMember("u2", "oud") || !slices.Equal(former, []string{"u1", "u2"}) ||
		!d.ArchivedAt.Equal(at) {
		t.Fatalf("after the re-run: archived %v, members %v, former %v, at %v", archived, d.Members, former, d.ArchivedAt)
	}
	if list, _ := svc.ListTeams(admin, ""); slices.ContainsFunc(list, func(s TeamSummary) bool { return s.ID == "oud" }) {
		t.Fatal("archived team listed")
	}
	if (*log)[len(*log)-1].Action != "team.archive" {
		t.Fatalf("recorded %+v", (*log)[len(*log)-1])
	}
}
