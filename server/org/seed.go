package org

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/store"
)

const seedMarker = "demo-organisation-v1"

// Seed loads the demo organisation once (development only; main never calls
// it in production). People get the user ids they will have when they log in
// through the development identity provider with the given issuer. It is
// idempotent: a marker in the meta collection records that it ran.
func Seed(ctx context.Context, s *store.Store, svc *Service, users *identity.Users, issuer string) (bool, error) {
	meta := s.DB.Collection("meta")
	if err := meta.FindOne(ctx, bson.D{{Key: "_id", Value: seedMarker}}).Err(); err == nil {
		return false, nil
	} else if !store.IsNotFound(err) {
		return false, err
	}
	now := time.Now().UTC()
	for _, r := range SeedRegions() {
		if err := insert(ctx, svc.st.regions, &Region{ID: r.ID, Name: r.Name, CreatedAt: now, UpdatedAt: now}, "region"); err != nil && !isConflict(err) {
			return false, err
		}
	}
	var teams, members []any
	for _, t := range SeedTeams() {
		teams = append(teams, &Team{ID: t.ID, RegionID: t.RegionID, Name: t.Name, WorkingArea: t.WorkingArea, Description: t.Description,
			Contact: Contact{Phone: t.Phone, Email: t.Email}, CreatedAt: now, UpdatedAt: now})
	}
	if err := insertAll(ctx, svc.st.teams, teams); err != nil {
		return false, err
	}
	var us []*identity.User
	for _, p := range SeedPeople() {
		u := &identity.User{ID: identity.UserID(issuer, p.Sub), Issuer: issuer, Subject: p.Sub, Name: p.Name, Email: p.Email, Active: true, CreatedAt: now}
		for _, r := range p.Roles {
			u.ClaimRoles = append(u.ClaimRoles, identity.Role(r))
		}
		us = append(us, u)
		for _, m := range p.Teams {
			members = append(members, &Membership{ID: MembershipID(m.TeamID, u.ID), TeamID: m.TeamID, UserID: u.ID, TeamRoles: nonNil(m.TeamRoles), Source: SourceSeed, UpdatedAt: now})
		}
	}
	if err := insertAll(ctx, svc.st.memberships, members); err != nil {
		return false, err
	}
	if _, err := users.InsertMissing(ctx, us); err != nil {
		return false, fmt.Errorf("seed users: %w", err)
	}
	if _, err := meta.InsertOne(ctx, bson.D{{Key: "_id", Value: seedMarker}, {Key: "at", Value: now}}); err != nil && !store.IsDuplicateKey(err) {
		return false, err
	}
	return true, svc.Reload(ctx)
}

// insertAll inserts in batches, skipping documents that already exist (a
// seed interrupted half-way is completed by the next start).
func insertAll(ctx context.Context, c *mongo.Collection, docs []any) error {
	for len(docs) > 0 {
		n := min(len(docs), 500)
		_, err := c.InsertMany(ctx, docs[:n], options.InsertMany().SetOrdered(false))
		if err != nil && !onlyDuplicates(err) {
			return fmt.Errorf("seed %s: %w", c.Name(), err)
		}
		docs = docs[n:]
	}
	return nil
}

func onlyDuplicates(err error) bool {
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil {
		return false
	}
	for _, we := range bwe.WriteErrors {
		if !mongo.IsDuplicateKeyError(we) {
			return false
		}
	}
	return true
}

func isConflict(err error) bool { return errors.Is(err, apperr.ErrConflict) }

// DemoGroups are the groups claim the development provider gives a seed person.
func DemoGroups(p SeedPerson, rolePrefix, teamPrefix string) []string {
	var g []string
	for _, r := range p.Roles {
		g = append(g, rolePrefix+r)
	}
	for _, m := range p.Teams {
		g = append(g, teamPrefix+m.TeamID)
	}
	return g
}
