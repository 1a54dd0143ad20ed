package knowledge

import (
	"slices"
	"strings"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
)

// Audience filters for lists and searches ("voor wie"):
//
//	everyone        articles for the whole organisation
//	mine            articles aimed at one of the reader's own teams, regions or roles
//	team:<id>       articles aimed at that team
//	region:<id>     articles aimed at that region
//	role:<role>     articles aimed at that role
//
// A filter only narrows what the reader may see anyway: a care worker who
// filters on another team's articles finds none she could not read.
type audienceFilter struct{ kind, value string }

const audienceFilterHelp = "use everyone, mine, team:<id>, region:<id> or role:<role>"

// parseAudienceFilter checks a filter; field names the parameter for errors.
func (s *Service) parseAudienceFilter(a *identity.Actor, f, field string, v *apperr.Validator) audienceFilter {
	switch f {
	case "", "everyone", "mine":
		return audienceFilter{kind: f}
	}
	kind, value, ok := strings.Cut(f, ":")
	if !ok || value == "" {
		v.Add(field, "invalid", audienceFilterHelp)
		return audienceFilter{}
	}
	switch kind {
	case "team", "region":
		teams, _ := s.org.ListTeams(a, "")
		known := slices.ContainsFunc(teams, func(t org.TeamSummary) bool {
			return kind == "team" && t.ID == value || kind == "region" && t.RegionID == value
		})
		v.Check(known, field, "unknown", "unknown "+kind)
	case "role":
		v.Check(identity.ValidRole(identity.Role(value)), field, "unknown", "unknown role")
	default:
		v.Add(field, "invalid", audienceFilterHelp)
	}
	return audienceFilter{kind: kind, value: value}
}

// match reports whether an article for aud passes the filter for viewer v.
func (f audienceFilter) match(v *viewer, aud Audience) bool {
	switch f.kind {
	case "":
		return true
	case "everyone":
		return aud.Everyone
	case "mine":
		return !aud.Everyone && v.inAudience(aud)
	case "team":
		return !aud.Everyone && slices.Contains(aud.Teams, f.value)
	case "region":
		return !aud.Everyone && slices.Contains(aud.Regions, f.value)
	case "role":
		return !aud.Everyone && slices.Contains(aud.Roles, f.value)
	}
	return false
}
