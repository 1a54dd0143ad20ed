package org

import (
	"context"

	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/privacy"
)

// Collections are the organisation's collections (for the privacy register).
var Collections = []string{regionsColl, teamsColl, membershipsColl}

// PersonalPlaces: a person's team memberships and team roles.
var PersonalPlaces = []privacy.Place{
	{Collection: membershipsColl, Fields: []string{"userId"}},
}

// Places are PersonalPlaces with the export's point lookups: memory holds
// every membership, "<team>:<user>" (MembershipID), so the memberships
// collection is not read whole.
func (s *Service) Places() []privacy.Place {
	out := make([]privacy.Place, len(PersonalPlaces))
	copy(out, PersonalPlaces)
	for i := range out {
		if out[i].Collection == membershipsColl {
			out[i].IDs = func(_ context.Context, userID string) ([]string, error) {
				teams := s.TeamIDsOf(userID)
				ids := make([]string, len(teams))
				for j, team := range teams {
					ids[j] = MembershipID(team, userID)
				}
				return ids, nil
			}
		}
	}
	return out
}

// LeaveAllTeams removes a departed person from every team (erasure): team
// member lists then no longer show them. Memberships from the identity
// provider's groups go too (RemoveMember refuses those, since the next login
// would add them again; an erased account cannot log in). Each removal is
// in the change log. Idempotent: a membership already gone is skipped.
func (s *Service) LeaveAllTeams(ctx context.Context, userID, _ string) error {
	system := &identity.Actor{UserID: "system:privacy", Name: "Plein (AVG)", Roles: []identity.Role{identity.RoleBeheerder}}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	teams := s.TeamIDsOf(userID)
	if len(teams) == 0 {
		return nil
	}
	for _, team := range teams {
		name := team
		if t, ok := s.current().teams[team]; ok {
			name = t.Name
		}
		if err := s.recordChange(ctx, system, identity.Change{Action: "member.remove", Subject: "team:" + team + " user:" + userID,
			SubjectName: s.personName(userID) + " · " + name}); err != nil {
			return err
		}
		if err := deleteID(ctx, s.st.memberships, MembershipID(team, userID)); err != nil {
			return err
		}
	}
	return s.reloadAfterWrite(ctx)
}
