package demo

import (
	"github.com/plein/plein/server/audits"
	"github.com/plein/plein/server/demo/orgdata"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/learning"
)

// The demo organisation as each domain's seeding entry point takes it; user
// ids are the ones the development identity provider (issuer) gives.

// LearningInput is the demo teams with their coaches, and the designer.
func LearningInput(issuer string) learning.SeedInput {
	coach := orgdata.CoachOf()
	in := learning.SeedInput{Designer: identity.UserID(issuer, orgdata.DesignerSub)}
	for _, t := range orgdata.Teams() {
		in.Teams = append(in.Teams, learning.SeedTeam{ID: t.ID, Name: t.Name, Coach: identity.UserID(issuer, coach[t.ID])})
	}
	return in
}

// AuditsInput is the demo auditors (regional managers and coordinating
// nurses, by region) and the demo story: the regional manager of Hoorn
// (johan.mulder) audits Den Helder-Centrum (anouk.devries, fatima.elamrani).
func AuditsInput(issuer string) audits.SeedInput {
	in := audits.SeedInput{StoryAuditor: identity.UserID(issuer, "johan.mulder"), StoryTeam: "den-helder-centrum"}
	for _, p := range orgdata.People() {
		if rid, ok := orgdata.RegionOf(p); ok {
			in.Auditors = append(in.Auditors, audits.Auditor{UserID: identity.UserID(issuer, p.Sub), RegionID: rid})
		}
	}
	return in
}
