package org

import (
	"context"
	"slices"
	"time"

	"github.com/plein/plein/server/identity"
)

// TeamProfile is what a team says about itself: its description
// ("couleur locale"), working area and contact.
type TeamProfile struct {
	Description string
	WorkingArea []string
	Contact     Contact
	UpdatedAt   time.Time
	// AcknowledgeIdentifiers (SetTeamProfile only): the writer saw the
	// warning about likely client identifiers and stores the text anyway.
	AcknowledgeIdentifiers bool
}

// TeamProfiles owns a team's profile once the team has edited it: the team
// space's profile with its revisions and history (server/teamspace). The
// team document in org keeps the profile the team was created with, which is
// in effect until the first revision. There is one truth: every read of a
// team (GET /teams, GET /teams/:id, GET /spaces/:id) shows the profile in
// effect, and an administrator's PATCH /teams/:id of these fields becomes a
// new revision.
type TeamProfiles interface {
	// TeamProfile returns the team's latest revision, if it has one. It
	// must not call back into org nor wait on a lock held while calling org.
	TeamProfile(teamID string) (TeamProfile, bool)
	// SetTeamProfile saves p as the team's next revision.
	SetTeamProfile(ctx context.Context, a *identity.Actor, teamID string, p TeamProfile) error
}

// SetProfiles names the owner of team profiles (the app wires the team
// spaces in; without it org's own fields are the profile).
func (s *Service) SetProfiles(p TeamProfiles) {
	s.mu.Lock()
	s.profiles = p
	s.mu.Unlock()
}

func (s *Service) profileOwner() TeamProfiles {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.profiles
}

// profileOf is a team's profile in effect.
func (s *Service) profileOf(t *Team) TeamProfile {
	if p := s.profileOwner(); p != nil {
		if tp, ok := p.TeamProfile(t.ID); ok {
			tp.WorkingArea = nonNil(slices.Clone(tp.WorkingArea))
			return tp
		}
	}
	return TeamProfile{Description: t.Description, WorkingArea: nonNil(slices.Clone(t.WorkingArea)), Contact: t.Contact, UpdatedAt: t.UpdatedAt}
}
