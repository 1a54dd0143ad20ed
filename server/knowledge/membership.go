package knowledge

import (
	"slices"
	"strconv"

	"github.com/plein/plein/server/identity"
)

// audienceIndex answers "whom does this audience cover" for one report
// call. The teams in the actor's report scope and their members are read
// once, and each distinct audience is resolved once, however many articles
// share it. It gives the same numbers as audienceTeams and lives only for
// the call (under s.mu.RLock): nothing is kept between calls.
type audienceIndex struct {
	s       *Service
	teams   []scopedTeam
	ids     []string               // dense user index → user id
	user    map[string]int32       // user id → dense user index
	roles   [][]identity.Role      // dense user index → roles, read on first use
	known   []bool                 // dense user index → roles were read
	byKey   map[string]*membership // audience key → whom it covers
	key     []byte                 // scratch for audience keys
	scratch []int32                // scratch counts by dense user index, zero between builds
	hits    []confirmHit           // scratch for confirmed
}

// scopedTeam is a team in the report scope with its members.
type scopedTeam struct {
	id, regionID string
	members      []int32 // dense user indexes, in MemberIDs order
}

// membership is whom one audience covers within the report scope. A user
// listed by two covered teams counts twice, as in the per-team report.
type membership struct {
	total  int     // covered team memberships (the report's Members)
	users  []int32 // distinct covered users (dense indexes)
	counts []int32 // parallel to users: covered team memberships of each
	weight []int32 // dense user index → count; built on first use
}

// newAudienceIndex reads the teams within the scope (all, or own) once.
func (s *Service) newAudienceIndex(a *identity.Actor, all bool, own map[string]bool) *audienceIndex {
	ix := &audienceIndex{s: s, user: map[string]int32{}, byKey: map[string]*membership{}}
	teams, _ := s.org.ListTeams(a, "")
	for _, t := range teams {
		if !all && !own[t.ID] {
			continue
		}
		ids := s.org.MemberIDs(t.ID)
		st := scopedTeam{id: t.ID, regionID: t.RegionID, members: make([]int32, len(ids))}
		for i, u := range ids {
			st.members[i] = ix.intern(u)
		}
		ix.teams = append(ix.teams, st)
	}
	ix.roles = make([][]identity.Role, len(ix.ids))
	ix.known = make([]bool, len(ix.ids))
	ix.scratch = make([]int32, len(ix.ids))
	ix.hits = make([]confirmHit, 0, len(ix.ids))
	return ix
}

// intern gives a user id its dense index.
func (ix *audienceIndex) intern(userID string) int32 {
	if i, ok := ix.user[userID]; ok {
		return i
	}
	i := int32(len(ix.ids))
	ix.ids = append(ix.ids, userID)
	ix.user[userID] = i
	return i
}

// membership resolves aud, once per distinct audience.
func (ix *audienceIndex) membership(aud Audience) *membership {
	ix.key = audienceKey(ix.key[:0], aud)
	if m, ok := ix.byKey[string(ix.key)]; ok {
		return m
	}
	m := ix.build(aud)
	ix.byKey[string(ix.key)] = m
	return m
}

// audienceKey appends an unambiguous key for aud to b: everyone, or the
// regions, teams and roles as length-prefixed lists.
func audienceKey(b []byte, aud Audience) []byte {
	if aud.Everyone {
		return append(b, '*')
	}
	for _, list := range [...][]string{aud.Regions, aud.Teams, aud.Roles} {
		b = strconv.AppendInt(b, int64(len(list)), 10)
		for _, x := range list {
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(len(x)), 10)
			b = append(b, ':')
			b = append(b, x...)
		}
		b = append(b, ';')
	}
	return b
}

// build applies audienceTeams' rule: a team is covered whole when the
// audience is everyone or names the team or its region; otherwise its
// members with one of the audience's roles are.
func (ix *audienceIndex) build(aud Audience) *membership {
	m := &membership{}
	for _, t := range ix.teams {
		whole := aud.Everyone || slices.Contains(aud.Teams, t.id) || slices.Contains(aud.Regions, t.regionID)
		for _, u := range t.members {
			if !whole && !ix.hasAnyRole(u, aud.Roles) {
				continue
			}
			m.total++
			if ix.scratch[u] == 0 {
				m.users = append(m.users, u)
			}
			ix.scratch[u]++
		}
	}
	m.counts = make([]int32, len(m.users))
	for i, u := range m.users {
		m.counts[i] = ix.scratch[u]
		ix.scratch[u] = 0
	}
	return m
}

// hasAnyRole is Service.hasAnyRole with each user's roles read once.
func (ix *audienceIndex) hasAnyRole(u int32, roles []string) bool {
	if len(roles) == 0 {
		return false
	}
	if !ix.known[u] {
		if p, ok := ix.s.people.Get(ix.ids[u]); ok {
			ix.roles[u] = p.Roles()
		}
		ix.known[u] = true
	}
	for _, r := range ix.roles[u] {
		if slices.Contains(roles, string(r)) {
			return true
		}
	}
	return false
}

// confirmed counts m's team memberships whose user confirmed major or
// later. It first collects the covered confirmations, walking the smaller
// side, and only then reads them, so that those reads overlap.
func (ix *audienceIndex) confirmed(m *membership, conf map[string]*Confirmation, major int) int {
	if len(m.users) <= len(conf) {
		ix.hits = ix.hitsByUser(ix.hits[:0], m, conf)
	} else {
		ix.hits = ix.hitsByConfirmer(ix.hits[:0], m, conf)
	}
	return countConfirmed(ix.hits, major)
}

// confirmHit is a covered user's confirmation with the user's count.
type confirmHit struct {
	c      *Confirmation
	weight int32
}

// hitsByUser looks each covered user up in conf.
func (ix *audienceIndex) hitsByUser(hits []confirmHit, m *membership, conf map[string]*Confirmation) []confirmHit {
	for i, u := range m.users {
		if c := conf[ix.ids[u]]; c != nil {
			hits = append(hits, confirmHit{c, m.counts[i]})
		}
	}
	return hits
}

// hitsByConfirmer looks each confirming user up in the index.
func (ix *audienceIndex) hitsByConfirmer(hits []confirmHit, m *membership, conf map[string]*Confirmation) []confirmHit {
	w := ix.weights(m)
	for userID, c := range conf {
		if u, ok := ix.user[userID]; ok && w[u] > 0 && c != nil {
			hits = append(hits, confirmHit{c, w[u]})
		}
	}
	return hits
}

// countConfirmed sums the counts of the hits for major or later.
func countConfirmed(hits []confirmHit, major int) int {
	n := 0
	for _, h := range hits {
		if h.c.Major >= major {
			n += int(h.weight)
		}
	}
	return n
}

// weights is m's counts by dense user index (0 for users not covered).
func (ix *audienceIndex) weights(m *membership) []int32 {
	if m.weight == nil {
		m.weight = make([]int32, len(ix.ids))
		for i, u := range m.users {
			m.weight[u] = m.counts[i]
		}
	}
	return m.weight
}
