// Package identity logs people in through OpenID Connect, keeps server-side
// sessions, provisions users and their roles, and tells every other package
// who is asking (the Actor in the request context).
package identity

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"
)

// Role is an organisation-wide role (see docs/architecture.md, roles).
type Role string

const (
	RoleZorgmedewerker       Role = "zorgmedewerker"
	RoleWijkverpleegkundige  Role = "wijkverpleegkundige"
	RoleCoordinerendWV       Role = "coordinerend_wijkverpleegkundige"
	RoleTeamcoach            Role = "teamcoach"
	RoleOndersteunendeDienst Role = "ondersteunende_dienst"
	RoleRegiomanager         Role = "regiomanager"
	RoleBeheerder            Role = "beheerder"
)

// AllRoles lists every role in display order.
var AllRoles = []Role{RoleZorgmedewerker, RoleWijkverpleegkundige, RoleCoordinerendWV, RoleTeamcoach, RoleOndersteunendeDienst, RoleRegiomanager, RoleBeheerder}

// ValidRole reports whether r is a known role.
func ValidRole(r Role) bool { return slices.Contains(AllRoles, r) }

// User is a person known to Plein. Accounts are keyed by (issuer, subject),
// never by e-mail; the ID is derived from that pair.
type User struct {
	ID            string `bson:"_id"`
	Issuer        string `bson:"iss"`
	Subject       string `bson:"sub"`
	Name          string `bson:"name"`
	Email         string `bson:"email"`
	ClaimRoles    []Role `bson:"claimRoles"`    // from the identity provider's groups, refreshed at each login
	AssignedRoles []Role `bson:"assignedRoles"` // set by an administrator
	// DeniedRoles are claimed roles an administrator took away: they stay
	// away whatever the identity provider claims, until given back.
	DeniedRoles []Role `bson:"deniedRoles,omitempty"`
	Active      bool   `bson:"active"`
	// SessionsFrom ends every session created before it (all of a person's
	// sessions end with one write, on every instance).
	SessionsFrom time.Time `bson:"sessionsFrom,omitempty"`
	CreatedAt    time.Time `bson:"createdAt"`
	LastLoginAt  time.Time `bson:"lastLoginAt,omitempty"`
}

// Roles is the union of claimed and assigned roles less the denied ones, in
// AllRoles order.
func (u *User) Roles() []Role {
	var out []Role
	for _, r := range AllRoles {
		if (slices.Contains(u.ClaimRoles, r) || slices.Contains(u.AssignedRoles, r)) && !slices.Contains(u.DeniedRoles, r) {
			out = append(out, r)
		}
	}
	return out
}

// UserID derives the stable user id from issuer and subject.
func UserID(issuer, subject string) string {
	h := sha256.Sum256([]byte(issuer + "\x00" + subject))
	return "u" + hex.EncodeToString(h[:12])
}

// Session is a server-side login session. The cookie holds a random token;
// the store holds only its SHA-256, so a stolen database does not yield
// usable cookies.
type Session struct {
	ID          string    `bson:"_id"` // hex(sha256(token))
	UserID      string    `bson:"userId"`
	CSRF        string    `bson:"csrf"`
	CreatedAt   time.Time `bson:"createdAt"`
	LastSeenAt  time.Time `bson:"lastSeenAt"`
	ExpiresAt   time.Time `bson:"expiresAt"` // absolute
	IDTokenHint string    `bson:"idTokenHint,omitempty"`
}

// loginAttempt binds one authorization request to one browser. Single use.
type loginAttempt struct {
	State     string    `bson:"_id"`
	Browser   string    `bson:"browser"` // sha256 of the login cookie
	Nonce     string    `bson:"nonce"`
	Verifier  string    `bson:"verifier"`
	ReturnTo  string    `bson:"returnTo"`
	CreatedAt time.Time `bson:"createdAt"`
}

// Actor is the authenticated person behind a request.
type Actor struct {
	UserID    string
	Name      string
	Roles     []Role
	SessionID string
	CSRF      string
}

// Has reports whether the actor holds role r.
func (a *Actor) Has(r Role) bool { return a != nil && slices.Contains(a.Roles, r) }

type actorKey struct{}

// WithActor stores the actor in ctx.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or nil.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}
