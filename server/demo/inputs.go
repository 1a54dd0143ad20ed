package demo

import (
	"github.com/plein/plein/server/audits"
	"github.com/plein/plein/server/demo/orgdata"
	"github.com/plein/plein/server/identity"
)

// The demo organisation as each domain's seeding entry point takes it; user
// ids are the ones the development identity provider (issuer) gives.

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
