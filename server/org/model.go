// Package org holds the organisation: regions, teams, memberships and the
// team roles (taakrollen) people hold in their self-directed team.
package org

import (
	"regexp"
	"slices"
	"time"
)

// Region groups teams under one regional manager.
type Region struct {
	ID        string    `bson:"_id"`
	Name      string    `bson:"name"`
	CreatedAt time.Time `bson:"createdAt"`
	UpdatedAt time.Time `bson:"updatedAt"`
}

// Contact is how others reach a team.
type Contact struct {
	Phone string `bson:"phone" json:"phone"`
	Email string `bson:"email" json:"email"`
}

// Team is a self-directed district team.
type Team struct {
	ID          string    `bson:"_id"`
	RegionID    string    `bson:"regionId"`
	Name        string    `bson:"name"`
	WorkingArea []string  `bson:"workingArea"`
	Description string    `bson:"description"`
	Contact     Contact   `bson:"contact"`
	CreatedAt   time.Time `bson:"createdAt"`
	UpdatedAt   time.Time `bson:"updatedAt"`
	// ArchivedAt is set while the team is archived (it stopped: merged or
	// ended): it leaves lists, pickers and search; its history stays.
	ArchivedAt *time.Time `bson:"archivedAt,omitempty"`
	// FormerMembers are the people who were members when it was archived:
	// they still read its space (read-only).
	FormerMembers []string `bson:"formerMembers,omitempty"`
}

// Membership says a user belongs to a team, with the team roles they hold.
// Its id is "<team>:<user>" so a membership is a point lookup.
type Membership struct {
	ID        string    `bson:"_id"`
	TeamID    string    `bson:"teamId"`
	UserID    string    `bson:"userId"`
	TeamRoles []string  `bson:"teamRoles"`
	Source    string    `bson:"source"` // claims, admin or seed
	UpdatedAt time.Time `bson:"updatedAt"`
}

// Sources of a membership.
const (
	SourceClaims = "claims"
	SourceAdmin  = "admin"
	SourceSeed   = "seed"
)

// MembershipID is the id of a user's membership of a team.
func MembershipID(teamID, userID string) string { return teamID + ":" + userID }

// TeamRoles are the taakrollen a team member can hold.
var TeamRoles = []string{"planning", "scholing", "kwaliteit", "financien", "personeel", "ict"}

// ValidTeamRole reports whether r is a known team role.
func ValidTeamRole(r string) bool { return slices.Contains(TeamRoles, r) }

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidSlug reports whether s can be a region or team id.
func ValidSlug(s string) bool { return len(s) >= 2 && len(s) <= 60 && slugRE.MatchString(s) }
