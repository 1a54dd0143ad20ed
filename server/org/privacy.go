package org

import (
	"context"
	"errors"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/privacy"
)

// Collections are the organisation's collections (for the privacy register).
var Collections = []string{regionsColl, teamsColl, membershipsColl}

// PersonalPlaces: a person's team memberships and team roles.
var PersonalPlaces = []privacy.Place{
	{Collection: membershipsColl, Fields: []string{"userId"}},
}

// LeaveAllTeams removes a departed person from every team (erasure): team
// member lists then no longer show them. Idempotent: a membership already
// gone is skipped.
func (s *Service) LeaveAllTeams(ctx context.Context, userID, _ string) error {
	system := &identity.Actor{UserID: "system:privacy", Roles: []identity.Role{identity.RoleBeheerder}}
	for _, team := range s.TeamIDsOf(userID) {
		if err := s.RemoveMember(ctx, system, team, userID); err != nil && !errors.Is(err, apperr.ErrNotFound) {
			return err
		}
	}
	return nil
}
