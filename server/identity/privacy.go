package identity

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
)

// Collections are the collections identity keeps (for the privacy
// register: users and sessions are personal data; login attempts are
// anonymous and single-use; the provider-session map and the logout-token
// ids of back-channel logout are technical and end with the sessions).
var Collections = []string{usersColl, sessionsColl, sessionsColl + store.PersonIndexSuffix, loginsColl, idpSessionsColl, logoutJTIColl}

// SessionIndex names each person's sessions by id, per month of login
// (store.PersonIndex), so the export reads them by point lookups instead
// of the whole sessions collection. Every login adds its session first;
// the purge drops the months whose sessions have all expired.
func SessionIndex(db *mongo.Database) *store.PersonIndex {
	return store.NewPersonIndex(db, sessionsColl)
}

// BackfillSessions puts the sessions stored before the index existed into
// it (a migration; re-runnable). now is the sessions' clock (Config.Now).
func BackfillSessions(ctx context.Context, st *store.Store, now func() time.Time) error {
	x := SessionIndex(st.DB)
	x.SetClock(now)
	return x.Rebuild(ctx, func(ctx context.Context, add func(id string, people ...string)) error {
		cur, err := st.DB.Collection(sessionsColl).Find(ctx, bson.D{})
		if err != nil {
			return err
		}
		var all []Session
		if err := cur.All(ctx, &all); err != nil {
			return err
		}
		for _, x := range all {
			add(x.ID, x.UserID)
		}
		return nil
	})
}

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
// are found in the session index and read by point lookups (by a filter
// on userId, which reads the whole collection, only until the index's
// backfill has run).
func (s *Service) PersonalData(ctx context.Context, userID string) (any, error) {
	u, ok := s.users.Get(userID)
	if !ok {
		return nil, apperr.NotFound("not_found", "user not found")
	}
	out := ProfileData{ID: u.ID, Name: u.Name, Email: u.Email, Issuer: u.Issuer, Subject: u.Subject, Roles: u.Roles(),
		ClaimRoles: u.ClaimRoles, AssignedRoles: u.AssignedRoles, DeniedRoles: u.DeniedRoles, Active: u.Active,
		CreatedAt: u.CreatedAt, LastLoginAt: u.LastLoginAt, Sessions: []SessionData{}}
	list, err := s.sessions.of(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, x := range list {
		out.Sessions = append(out.Sessions, SessionData{CreatedAt: x.CreatedAt, LastSeenAt: x.LastSeenAt, ExpiresAt: x.ExpiresAt})
	}
	return out, nil
}

// of returns the person's stored sessions.
func (s *sessions) of(ctx context.Context, userID string) ([]Session, error) {
	ids, err := s.people.IDs(ctx, userID)
	if errors.Is(err, store.ErrIndexIncomplete) {
		cur, err := s.coll.Find(ctx, bson.D{{Key: "userId", Value: userID}})
		if err != nil {
			return nil, err
		}
		var list []Session
		return list, cur.All(ctx, &list)
	}
	if err != nil {
		return nil, err
	}
	var list []Session
	for _, id := range ids {
		var x Session
		err := s.coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&x)
		if store.IsNotFound(err) {
			continue // ended or purged
		}
		if err != nil {
			return nil, err
		}
		if x.UserID == userID {
			list = append(list, x)
		}
	}
	return list, nil
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
