package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/plein/plein/server/demo/orgdata"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/store"
)

const orgMarker = "demo-organisation-v1"

// SeedOrganisation loads the demo organisation once. People get the user ids
// they will have when they log in through the development identity provider
// with the given issuer.
func SeedOrganisation(ctx context.Context, s *store.Store, svc *org.Service, users *identity.Users, issuer string) (bool, error) {
	if ok, err := done(ctx, s, orgMarker); ok || err != nil {
		return false, err
	}
	now := time.Now().UTC()
	var regions []*org.Region
	for _, r := range orgdata.Regions() {
		regions = append(regions, &org.Region{ID: r.ID, Name: r.Name, CreatedAt: now, UpdatedAt: now})
	}
	var teams []*org.Team
	for _, t := range orgdata.Teams() {
		teams = append(teams, &org.Team{ID: t.ID, RegionID: t.RegionID, Name: t.Name, WorkingArea: t.WorkingArea, Description: t.Description,
			Contact: org.Contact{Phone: t.Phone, Email: t.Email}, CreatedAt: now, UpdatedAt: now})
	}
	var us []*identity.User
	var members []*org.Membership
	for _, p := range orgdata.People() {
		u := &identity.User{ID: identity.UserID(issuer, p.Sub), Issuer: issuer, Subject: p.Sub, Name: p.Name, Email: p.Email, Active: true, CreatedAt: now}
		for _, r := range p.Roles {
			u.ClaimRoles = append(u.ClaimRoles, identity.Role(r))
		}
		us = append(us, u)
		for _, m := range p.Teams {
			roles := m.TeamRoles
			if roles == nil {
				roles = []string{}
			}
			members = append(members, &org.Membership{ID: org.MembershipID(m.TeamID, u.ID), TeamID: m.TeamID, UserID: u.ID,
				TeamRoles: roles, Source: org.SourceSeed, UpdatedAt: now})
		}
	}
	if _, err := users.InsertMissing(ctx, us); err != nil {
		return false, fmt.Errorf("seed users: %w", err)
	}
	if err := svc.InsertMissing(ctx, regions, teams, members); err != nil {
		return false, err
	}
	return true, mark(ctx, s, orgMarker, now)
}
