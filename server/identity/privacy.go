package identity

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/apperr"
)

// Collections are the collections identity keeps (for the privacy
// register: users and sessions are personal data; login attempts are
// anonymous and single-use; the provider-session map and the logout-token
// ids of back-channel logout are technical and end with the sessions).
var Collections = []string{usersColl, sessionsColl, loginsColl, idpSessionsColl, logoutJTIColl}

// ProfileData is a person's account as the personal-data export shows it.
type ProfileData struct {
	ID            string        `json:"id"`
	Name          string        `json:"name"`
	Email         string        `json:"email"`
	Issuer        string        `json:"issuer"`
	Subject       string        `json:"subject"`
	Roles         []Role        `json:"roles"`
	ClaimRoles    []Role        `json:"claimRoles"`
	AssignedRoles []Role        `json:"assignedRoles"`
	DeniedRoles   []Role        `json:"deniedRoles"`
	Active        bool          `json:"active"`
	CreatedAt     time.Time     `json:"createdAt"`
	LastLoginAt   time.Time     `json:"lastLoginAt,omitzero"`
	Sessions      []SessionData `json:"sessions"`
}

// SessionData is one login session (without its secrets).
type SessionData struct {
	CreatedAt  time.Time `json:"createdAt"`
	LastSeenAt time.Time `json:"lastSeenAt"`
	ExpiresAt  time.Time `json:"expiresAt"`
}

// PersonalData is the person's account, roles and open sessions. Sessions
// are found by a filter on userId: a read of the (small, purged) sessions
// collection, made only for an export.
func (s *Service) PersonalData(ctx context.Context, userID string) (any, error) {
	u, ok := s.users.Get(userID)
	if !ok {
		return nil, apperr.NotFound("not_found", "user not found")
	}
	out := ProfileData{ID: u.ID, Name: u.Name, Email: u.Email, Issuer: u.Issuer, Subject: u.Subject, Roles: u.Roles(),
		ClaimRoles: u.ClaimRoles, AssignedRoles: u.AssignedRoles, DeniedRoles: u.DeniedRoles, Active: u.Active,
		CreatedAt: u.CreatedAt, LastLoginAt: u.LastLoginAt, Sessions: []SessionData{}}
	cur, err := s.sessions.coll.Find(ctx, bson.D{{Key: "userId", Value: userID}})
	if err != nil {
		return nil, err
	}
	var list []Session
	if err := cur.All(ctx, &list); err != nil {
		return nil, err
	}
	for _, x := range list {
		out.Sessions = append(out.Sessions, SessionData{CreatedAt: x.CreatedAt, LastSeenAt: x.LastSeenAt, ExpiresAt: x.ExpiresAt})
	}
	return out, nil
}

// Deactivate ends a person's sessions and refuses their later logins
// (erasure's first step). Idempotent.
func (s *Service) Deactivate(ctx context.Context, actor *Actor, userID string) error {
	_, err := s.SetActive(ctx, actor, userID, false)
	return err
}

// Anonymise replaces a person's name by the pseudonym and clears their
// e-mail address; roles are dropped. The id (derived from issuer and
// subject) stays, so the deactivated account keeps refusing that login.
// Idempotent; every instance re-reads the person at once.
func (s *Service) Anonymise(ctx context.Context, userID, pseudonym string) error {
	u, ok := s.users.Get(userID)
	if !ok {
		return apperr.NotFound("not_found", "user not found")
	}
	u.Name, u.Email = pseudonym, ""
	u.ClaimRoles, u.AssignedRoles, u.DeniedRoles = nil, nil, nil
	u.Active = false
	if err := s.users.Upsert(ctx, &u); err != nil {
		return err
	}
	s.userChanged(ctx, userID, true)
	return nil
}

// SweepLoginAttempts deletes login attempts started before before (they
// are single-use and expire after ten minutes; the sweep is the backstop).
func (s *Service) SweepLoginAttempts(ctx context.Context, before time.Time) (int, error) {
	res, err := s.sessions.logins.DeleteMany(ctx, bson.D{{Key: "createdAt", Value: bson.D{{Key: "$lt", Value: before}}}})
	if err != nil {
		return 0, fmt.Errorf("%w: sweep login attempts: %v", apperr.ErrUnavailable, err)
	}
	return int(res.DeletedCount), nil
}
