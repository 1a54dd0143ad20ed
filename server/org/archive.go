package org

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
)

// Archiving a team (#14 §7): a team that stops — merged into another or
// ended — is archived, not deleted. It leaves team lists, pickers, search
// and the current views of dashboards; its history stays (figures, audits,
// the change log, its space's posts and documents, read-only for the
// people who were its members). Unarchiving puts it back in the lists.
//
// The rule a care organisation expects: nobody loses their team by an
// archive. A team whose members include someone without another current
// team is refused (409 team_has_members): move them first (Beheer › Teams ›
// members). The members who also belong to another team are moved out by
// the archive itself and kept as former members.
//
// The writes: the team document (archivedAt, formerMembers: the commit
// point), then each membership's removal, then the change log. Re-running
// an archive that failed half-way finishes the removals (an archived team
// is archived again without error) and records the change again.

// ArchiveInput archives (true) or restores (false) a team.
type ArchiveInput struct {
	Archived *bool `json:"archived"`
}

func errArchived() error {
	return apperr.Conflict("team_archived", "this team is archived: restore it in Beheer first")
}

// SetArchived archives or restores a team (administrators).
func (s *Service) SetArchived(ctx context.Context, a *identity.Actor, id string, in ArchiveInput) (*TeamDetail, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	if in.Archived == nil {
		return nil, apperr.Invalid("archived", "required", "is required: true archives the team, false restores it")
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	sn := s.current()
	old, ok := sn.teams[id]
	if !ok {
		return nil, apperr.NotFound("not_found", "team not found")
	}
	t := *old
	if *in.Archived {
		stuck := s.withoutOtherTeam(sn, id)
		if len(stuck) > 0 {
			return nil, apperr.Conflict("team_has_members",
				fmt.Sprintf("%d members have no other team; add them to another team first", len(stuck)))
		}
		if t.ArchivedAt == nil {
			now := s.now().UTC().Truncate(time.Millisecond)
			t.ArchivedAt = &now
		}
		for _, m := range sn.byTeam[id] {
			if !slices.Contains(t.FormerMembers, m.UserID) {
				t.FormerMembers = append(t.FormerMembers, m.UserID)
			}
		}
	} else {
		t.ArchivedAt, t.FormerMembers = nil, nil
	}
	t.UpdatedAt = s.now().UTC()
	if err := replace(ctx, s.st.teams, id, &t, false); err != nil {
		return nil, err
	}
	if *in.Archived {
		for _, m := range sn.byTeam[id] {
			if err := deleteID(ctx, s.st.memberships, m.ID); err != nil {
				return nil, err
			}
		}
	}
	if err := s.reloadAfterWrite(ctx); err != nil {
		return nil, err
	}
	action := map[bool]string{true: "team.archive", false: "team.unarchive"}[*in.Archived]
	if err := s.recordChange(ctx, a, identity.Change{Action: action, Subject: "team:" + id, SubjectName: t.Name,
		Before: map[string]any{"archived": old.ArchivedAt != nil}, After: map[string]any{"archived": *in.Archived, "formerMembers": len(t.FormerMembers)}}); err != nil {
		return nil, err
	}
	return s.GetTeam(a, id)
}

// withoutOtherTeam lists the team's active members who belong to no other
// current team.
func (s *Service) withoutOtherTeam(sn *snapshot, id string) []string {
	var out []string
	for _, m := range sn.byTeam[id] {
		if u, ok := s.people.Get(m.UserID); ok && !u.Active {
			continue
		}
		other := slices.ContainsFunc(sn.byUser[m.UserID], func(o *Membership) bool {
			t := sn.teams[o.TeamID]
			return o.TeamID != id && t != nil && t.ArchivedAt == nil
		})
		if !other {
			out = append(out, m.UserID)
		}
	}
	return out
}

// Archived reports whether a team is archived, and who were its members
// then (they still read its space).
func (s *Service) Archived(teamID string) (former []string, archived bool) {
	t, ok := s.current().teams[teamID]
	if !ok || t.ArchivedAt == nil {
		return nil, false
	}
	return slices.Clone(t.FormerMembers), true
}
