package chat

import (
	"github.com/plein/plein/server/search"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// peopleCandidates bounds how many matches the directory hands over for
// ranking (an organisation of 5,000 people typing two letters).
const peopleCandidates = 2000

// Closeness tiers for mention suggestions, closest first.
const (
	tierTeam    = iota // shares a team with the asker
	tierContact        // a direct or group conversation partner
	tierRegion         // in a team of the same region
	tierOthers         // everyone else
)

// RankPeople answers the @-mention and people search: active people whose
// name matches q, closest first (own team, then conversation partners, then
// the region, then everyone), and within a tier those whose first name
// starts with q before those with another word starting with it, before
// the rest; then by name.
func (s *Service) RankPeople(userID, q string, limit int) []Person {
	cands := s.dir.People(q, peopleCandidates)
	myTeams := s.dir.TeamsOf(userID)
	myRegions := s.dir.RegionsOf(userID)
	contacts := s.contactsOf(userID)
	fq := search.Fold(strings.TrimSpace(q))
	type ranked struct {
		p           Person
		tier, match int
		key         string
	}
	rs := make([]ranked, 0, len(cands))
	for _, p := range cands {
		if p.ID == userID {
			continue
		}
		r := ranked{p: p, tier: tierOthers, key: search.Fold(p.Name)}
		switch {
		case slices.ContainsFunc(p.TeamIDs, func(t string) bool { return slices.Contains(myTeams, t) }):
			r.tier = tierTeam
		case contacts[p.ID]:
			r.tier = tierContact
		case slices.ContainsFunc(p.RegionIDs, func(g string) bool { return slices.Contains(myRegions, g) }):
			r.tier = tierRegion
		}
		r.match = matchQuality(r.key, fq)
		rs = append(rs, r)
	}
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.tier != b.tier {
			return a.tier < b.tier
		}
		if a.match != b.match {
			return a.match < b.match
		}
		return a.key < b.key
	})
	out := make([]Person, 0, min(limit, len(rs)))
	for _, r := range rs[:min(limit, len(rs))] {
		out = append(out, r.p)
	}
	return out
}

// matchQuality: 0 the first name starts with q, 1 another word does, 2 it
// is somewhere inside. name and q are folded.
func matchQuality(name, q string) int {
	words := strings.FieldsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || r == '-' })
	for i, w := range words {
		if strings.HasPrefix(w, q) {
			return min(i, 1)
		}
	}
	return 2
}

// contactsOf lists the user's direct and group conversation partners.
func (s *Service) contactsOf(userID string) map[string]bool {
	out := map[string]bool{}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for id := range s.byMember[userID] {
		c := s.channels[id]
		if c == nil || (c.Kind != KindDM && c.Kind != KindGroup) {
			continue
		}
		for _, m := range c.Members {
			out[m] = true
		}
	}
	return out
}
