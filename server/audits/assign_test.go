package audits

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomOrg builds a random organisation: regions with teams, candidates
// responsible for a region (some without one), some belonging to teams.
func randomOrg(rng *rand.Rand, typ string) ([]Unit, []Candidate) {
	nRegions := 1 + rng.IntN(7)
	var units []Unit
	for r := 0; r < nRegions; r++ {
		for t := 0; t < 1+rng.IntN(10); t++ {
			units = append(units, Unit{TeamID: fmt.Sprintf("t%d-%d", r, t), RegionID: fmt.Sprintf("r%d", r)})
		}
	}
	var cands []Candidate
	for i := 0; i < rng.IntN(2*nRegions+2); i++ {
		c := Candidate{ID: fmt.Sprintf("p%d", i)}
		if rng.IntN(6) > 0 {
			c.Region = fmt.Sprintf("r%d", rng.IntN(nRegions))
			c.Regions = []string{c.Region}
		}
		if rng.IntN(4) == 0 {
			u := units[rng.IntN(len(units))]
			c.Teams = append(c.Teams, u.TeamID)
			if !slices.Contains(c.Regions, u.RegionID) {
				c.Regions = append(c.Regions, u.RegionID)
			}
		}
		cands = append(cands, c)
	}
	return units, cands
}

func randomHistory(rng *rand.Rand, typ string, units []Unit, cands []Candidate) [][]Assignment {
	var rounds [][]Assignment
	for r := 0; r < 2; r++ {
		var as []Assignment
		for _, u := range units {
			var ok []string
			for i := range cands {
				if e, _ := eligible(typ, &cands[i], u); e {
					ok = append(ok, cands[i].ID)
				}
			}
			if len(ok) > 0 && rng.IntN(5) > 0 {
				as = append(as, Assignment{TeamID: u.TeamID, AuditorID: ok[rng.IntN(len(ok))]})
			}
		}
		rounds = append(rounds, as)
	}
	return rounds
}

// TestProposalNeverBreaksTheRule: random organisations and round histories;
// every proposal assigns every team somebody may audit, breaks no hard rule,
// repeats a pair only when that team has no other eligible auditor, and no
// single move of a team to a less loaded auditor would improve the balance
// without creating a repeat.
func TestProposalNeverBreaksTheRule(t *testing.T) {
	for seed := uint64(0); seed < 600; seed++ {
		rng := rand.New(rand.NewPCG(seed, 12))
		typ := TypePeer
		if seed%2 == 1 {
			typ = TypeInternal
		}
		units, cands := randomOrg(rng, typ)
		regionOf := map[string]string{}
		for _, u := range units {
			regionOf[u.TeamID] = u.RegionID
		}
		recent := RecentPairs(typ, randomHistory(rng, typ, units, cands), regionOf)
		as := Propose(typ, units, cands, recent)
		vs, _ := Check(typ, units, cands, recent, as)

		byID := map[string]*Candidate{}
		for i := range cands {
			byID[cands[i].ID] = &cands[i]
		}
		load := map[string]int{}
		assigned := map[string]string{}
		for _, a := range as {
			load[a.AuditorID]++
			assigned[a.TeamID] = a.AuditorID
		}
		for _, v := range vs {
			if v.Rule != "unassigned" {
				t.Fatalf("seed %d: proposal breaks the rule: %+v", seed, v)
			}
		}
		for _, u := range units {
			var anyOK, fresh bool
			for i := range cands {
				if e, _ := eligible(typ, &cands[i], u); e {
					anyOK = true
					if !recent[pairKey(typ, cands[i].ID, u)] {
						fresh = true
					}
				}
			}
			who, ok := assigned[u.TeamID]
			if anyOK != ok {
				t.Fatalf("seed %d: team %s assigned=%v but eligible auditors exist=%v", seed, u.TeamID, ok, anyOK)
			}
			if !ok {
				continue
			}
			if typ == TypePeer && slices.Contains(byID[who].Regions, u.RegionID) {
				t.Fatalf("seed %d: %s audits own region %s", seed, who, u.RegionID)
			}
			if slices.Contains(byID[who].Teams, u.TeamID) {
				t.Fatalf("seed %d: %s audits own team", seed, who)
			}
			if typ == TypeInternal && byID[who].Region != u.RegionID {
				t.Fatalf("seed %d: internal audit from outside the region", seed)
			}
			rep := recent[pairKey(typ, who, u)]
			if rep && fresh {
				t.Fatalf("seed %d: team %s repeats a pair although another auditor was possible", seed, u.TeamID)
			}
			for i := range cands {
				c := &cands[i]
				if e, _ := eligible(typ, c, u); !e || c.ID == who {
					continue
				}
				if load[c.ID]+2 <= load[who] && (rep || !recent[pairKey(typ, c.ID, u)]) {
					t.Fatalf("seed %d: unbalanced: %s has %d, %s has %d and could take %s", seed, who, load[who], c.ID, load[c.ID], u.TeamID)
				}
			}
		}
	}
}

func TestCheckRefusesOwnRegionAndTeam(t *testing.T) {
	units := []Unit{{"a1", "a"}, {"b1", "b"}}
	cands := []Candidate{{ID: "m", Region: "a", Regions: []string{"a"}}, {ID: "n", Region: "b", Regions: []string{"b"}, Teams: []string{"b1"}}}
	vs, _ := Check(TypePeer, units, cands, nil, []Assignment{{"a1", "m"}, {"b1", "m"}})
	if len(vs) != 1 || vs[0].Rule != "own_region" || vs[0].Index != 0 {
		t.Fatalf("got %+v", vs)
	}
	vs, _ = Check(TypeInternal, units, cands, nil, []Assignment{{"a1", "m"}, {"b1", "n"}})
	if len(vs) != 1 || vs[0].Rule != "own_team" {
		t.Fatalf("got %+v", vs)
	}
	vs, ws := Check(TypePeer, units, cands, map[string]bool{"n|r:a": true}, []Assignment{{"a1", "n"}, {"b1", "m"}})
	if len(vs) != 0 || len(ws) != 1 || ws[0].Rule != "repeat" {
		t.Fatalf("got %+v %+v", vs, ws)
	}
}

func TestQuarters(t *testing.T) {
	if AddQuarters("2027-Q1", -1) != "2026-Q4" || AddQuarters("2026-Q4", 1) != "2027-Q1" || QuarterLabel("2027-Q2") != "Q2 2027" {
		t.Fatal("quarter arithmetic")
	}
	if RoundID(TypePeer, "2027-Q1") != "peer-2027-q1" {
		t.Fatal(RoundID(TypePeer, "2027-Q1"))
	}
}
