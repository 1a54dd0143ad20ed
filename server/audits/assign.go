package audits

import (
	"fmt"
	"slices"
	"sort"
)

// The assignment rule, as pure functions (property-tested in assign_test.go).
//
// Peer round: nobody audits a team of their own region (the region they are
// responsible for, or of any team they belong to) nor their own team; the
// same auditor–region pair does not repeat within the last 2 peer rounds
// where the numbers allow; the load is balanced.
// Internal round: a coordinating district nurse audits teams of their own
// region, never a team they belong to; auditor–team pairs do not repeat
// within the last 2 internal rounds where the numbers allow; load balanced.

// Candidate is a person who may audit.
type Candidate struct {
	ID      string
	Region  string   // the region they are responsible for ("" if none)
	Regions []string // every region that is their own (Region and their teams' regions)
	Teams   []string // teams they belong to
}

// Unit is a team to audit.
type Unit struct {
	TeamID, RegionID string
}

// Violation is a broken hard rule: the assignment cannot be saved.
type Violation struct {
	Index   int    `json:"index"`
	TeamID  string `json:"teamId"`
	Rule    string `json:"rule"` // own_region, own_team, other_region, not_auditor, unknown_team, duplicate_team, unassigned
	Message string `json:"message"`
}

// Warning is a soft rule the numbers did not allow (or the planner chose).
type Warning struct {
	TeamID  string `json:"teamId,omitempty"`
	Rule    string `json:"rule"` // repeat, imbalance
	Message string `json:"message"`
}

// pairKey is what must not repeat: auditor–region for peer, auditor–team for internal.
func pairKey(typ, auditorID string, u Unit) string {
	if typ == TypePeer {
		return auditorID + "|r:" + u.RegionID
	}
	return auditorID + "|t:" + u.TeamID
}

// eligible applies the hard rule to one pair.
func eligible(typ string, c *Candidate, u Unit) (bool, string) {
	if slices.Contains(c.Teams, u.TeamID) {
		return false, "own_team"
	}
	if typ == TypePeer {
		if slices.Contains(c.Regions, u.RegionID) || c.Region == u.RegionID {
			return false, "own_region"
		}
		return true, ""
	}
	if c.Region != u.RegionID {
		return false, "other_region"
	}
	return true, ""
}

// RecentPairs collects the pair keys of earlier rounds (the caller passes the
// last 2 rounds of the same type).
func RecentPairs(typ string, rounds [][]Assignment, regionOf map[string]string) map[string]bool {
	out := map[string]bool{}
	for _, r := range rounds {
		for _, a := range r {
			out[pairKey(typ, a.AuditorID, Unit{TeamID: a.TeamID, RegionID: regionOf[a.TeamID]})] = true
		}
	}
	return out
}

// Propose assigns every unit that has an eligible candidate: fewest repeated
// pairs first, then the most even load (a min-cost flow with convex load
// costs). Units nobody may audit are left out (Check reports them).
func Propose(typ string, units []Unit, cands []Candidate, recent map[string]bool) []Assignment {
	const repeatCost = 1_000_000
	nU, nC := len(units), len(cands)
	if nU == 0 || nC == 0 {
		return nil
	}
	// Nodes: 0 source, 1..nU units, nU+1..nU+nC candidates, nU+nC+1 sink.
	src, sink := 0, nU+nC+1
	g := newFlow(nU + nC + 2)
	unitEdge := make([][]int, nU) // edge index per candidate, -1 when ineligible
	degree := make([]int, nC)
	for i, u := range units {
		g.add(src, 1+i, 1, 0)
		unitEdge[i] = make([]int, nC)
		for j := range cands {
			unitEdge[i][j] = -1
			if ok, _ := eligible(typ, &cands[j], u); !ok {
				continue
			}
			cost := int64(0)
			if recent[pairKey(typ, cands[j].ID, u)] {
				cost = repeatCost
			}
			unitEdge[i][j] = g.add(1+i, 1+nU+j, 1, cost)
			degree[j]++
		}
	}
	for j := range cands {
		for k := 1; k <= degree[j]; k++ {
			g.add(1+nU+j, sink, 1, int64(k)) // the k-th audit costs k: loads even out
		}
	}
	g.run(src, sink)
	var out []Assignment
	for i, u := range units {
		for j := range cands {
			if e := unitEdge[i][j]; e >= 0 && g.edges[e].cap == 0 {
				out = append(out, Assignment{TeamID: u.TeamID, AuditorID: cands[j].ID})
				break
			}
		}
	}
	return out
}

// Check re-checks an assignment against the rule: hard violations refuse it,
// warnings (repeats, uneven load) are shown to the planner.
func Check(typ string, units []Unit, cands []Candidate, recent map[string]bool, as []Assignment) ([]Violation, []Warning) {
	unitOf := map[string]Unit{}
	for _, u := range units {
		unitOf[u.TeamID] = u
	}
	candOf := map[string]*Candidate{}
	for i := range cands {
		candOf[cands[i].ID] = &cands[i]
	}
	var vs []Violation
	var ws []Warning
	seen := map[string]bool{}
	load := map[string]int{}
	for i, a := range as {
		u, ok := unitOf[a.TeamID]
		if !ok {
			vs = append(vs, Violation{i, a.TeamID, "unknown_team", "this team is not part of the round"})
			continue
		}
		if seen[a.TeamID] {
			vs = append(vs, Violation{i, a.TeamID, "duplicate_team", "this team is assigned twice"})
			continue
		}
		seen[a.TeamID] = true
		c, ok := candOf[a.AuditorID]
		if !ok {
			who := "a regional manager with a region"
			if typ == TypeInternal {
				who = "a coordinating district nurse with a region"
			}
			vs = append(vs, Violation{i, a.TeamID, "not_auditor", "the auditor must be " + who})
			continue
		}
		if ok, rule := eligible(typ, c, u); !ok {
			msg := map[string]string{
				"own_team":     "nobody audits their own team",
				"own_region":   "nobody audits their own region",
				"other_region": "an internal audit is done by a coordinating district nurse of the team's own region",
			}[rule]
			vs = append(vs, Violation{i, a.TeamID, rule, msg})
			continue
		}
		load[a.AuditorID]++
		if recent[pairKey(typ, a.AuditorID, u)] {
			ws = append(ws, Warning{a.TeamID, "repeat", fmt.Sprintf("%s audited this %s in one of the last 2 rounds", a.AuditorID, map[bool]string{true: "region", false: "team"}[typ == TypePeer])})
		}
	}
	for _, u := range units {
		if !seen[u.TeamID] {
			vs = append(vs, Violation{-1, u.TeamID, "unassigned", "this team has no auditor"})
		}
	}
	if len(load) > 0 {
		lo, hi := -1, 0
		for _, c := range cands {
			// Only candidates who could have taken one of these teams count.
			can := false
			for _, u := range units {
				if ok, _ := eligible(typ, &c, u); ok {
					can = true
					break
				}
			}
			if !can {
				continue
			}
			n := load[c.ID]
			if lo < 0 || n < lo {
				lo = n
			}
			hi = max(hi, n)
		}
		if hi-lo > 1 {
			ws = append(ws, Warning{Rule: "imbalance", Message: fmt.Sprintf("the load is uneven: from %d to %d audits per auditor", lo, hi)})
		}
	}
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].Index < vs[j].Index })
	return vs, ws
}

// A small min-cost flow (successive shortest paths, Bellman–Ford/SPFA).
type flowEdge struct {
	to   int
	cap  int
	cost int64
}

type flow struct {
	edges []flowEdge
	adj   [][]int
}

func newFlow(n int) *flow { return &flow{adj: make([][]int, n)} }

func (f *flow) add(from, to, cap int, cost int64) int {
	f.adj[from] = append(f.adj[from], len(f.edges))
	f.edges = append(f.edges, flowEdge{to, cap, cost})
	f.adj[to] = append(f.adj[to], len(f.edges))
	f.edges = append(f.edges, flowEdge{from, 0, -cost})
	return len(f.edges) - 2
}

func (f *flow) run(s, t int) {
	n := len(f.adj)
	const inf = int64(1) << 62
	dist := make([]int64, n)
	prev := make([]int, n)
	inQ := make([]bool, n)
	for {
		for i := range dist {
			dist[i], prev[i] = inf, -1
		}
		dist[s] = 0
		q := []int{s}
		inQ[s] = true
		for len(q) > 0 {
			v := q[0]
			q = q[1:]
			inQ[v] = false
			for _, ei := range f.adj[v] {
				e := f.edges[ei]
				if e.cap > 0 && dist[v]+e.cost < dist[e.to] {
					dist[e.to] = dist[v] + e.cost
					prev[e.to] = ei
					if !inQ[e.to] {
						inQ[e.to] = true
						q = append(q, e.to)
					}
				}
			}
		}
		if dist[t] == inf {
			return
		}
		for v := t; v != s; {
			ei := prev[v]
			f.edges[ei].cap--
			f.edges[ei^1].cap++
			v = f.edges[ei^1].to
		}
	}
}
