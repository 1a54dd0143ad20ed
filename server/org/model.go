// Package org holds the organisation: regions, teams, memberships and the
// team roles (taakrollen) people hold in their self-directed team.
package org

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/plaintext"
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

// Trimmed is c without the spaces around its fields.
func (c Contact) Trimmed() Contact {
	return Contact{Phone: strings.TrimSpace(c.Phone), Email: strings.TrimSpace(c.Email)}
}

var phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 ()-]{5,24}$`)

// Check adds to v what is wrong with a team's contact (trimmed), whether an
// administrator sets it here or the team on its own page (teamspace).
func (c Contact) Check(v *apperr.Validator) {
	if c.Phone != "" && !phoneRE.MatchString(c.Phone) {
		v.Add("contact.phone", "invalid", "use a phone number such as 0223 555 1234")
	}
	if c.Email != "" {
		if addr, err := mail.ParseAddress(c.Email); err != nil || addr.Address != c.Email || len(c.Email) > 254 {
			v.Add("contact.email", "invalid", "use an e-mail address such as team@example.nl")
		}
	}
}

// CheckAreaEntry adds to v, and reports, when entry i of a team's working
// area (w, trimmed) is not 1 to 60 characters on one line.
func CheckAreaEntry(v *apperr.Validator, i int, w string) bool {
	if n := utf8.RuneCountInString(w); n == 0 || n > 60 || !plaintext.Line(w) {
		v.Add(fmt.Sprintf("workingArea[%d]", i), "length", "each entry 1–60 characters, e.g. 1781 or Julianadorp", apperr.Params{"min": 1, "max": 60})
		return false
	}
	return true
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
