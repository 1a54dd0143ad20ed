package orgdata

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

var (
	seedSlugRE     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seedSubRE      = regexp.MustCompile(`^[a-z0-9]+\.[a-z0-9]+$`)
	seedPostcodeRE = regexp.MustCompile(`^[1-9][0-9]{3}$`)
	seedPhoneRE    = regexp.MustCompile(`^0[0-9]{3} 555 [0-9]{4}$`)
)

func TestSeedRegions(t *testing.T) {
	want := []string{"den-helder", "texel", "schagen", "hollands-kroon", "hoorn", "west-friesland-oost"}
	regions := Regions()
	if len(regions) != len(want) {
		t.Fatalf("got %d regions, want %d", len(regions), len(want))
	}
	for i, r := range regions {
		if r.ID != want[i] {
			t.Errorf("region %d: id %q, want %q", i, r.ID, want[i])
		}
		if r.Name == "" {
			t.Errorf("region %q has no name", r.ID)
		}
	}
	if OrganisationName != "Thuiszorg Noorderkwartier" {
		t.Errorf("organisation name %q", OrganisationName)
	}
}

func TestSeedTeams(t *testing.T) {
	regions := map[string]bool{}
	for _, r := range Regions() {
		regions[r.ID] = true
	}
	teams := Teams()
	if len(teams) != 54 {
		t.Fatalf("got %d teams, want 54", len(teams))
	}
	ids := map[string]bool{}
	names := map[string]bool{}
	descs := map[string]bool{}
	perRegion := map[string]int{}
	for _, tm := range teams {
		if !seedSlugRE.MatchString(tm.ID) {
			t.Errorf("team id %q is not an ascii slug", tm.ID)
		}
		if ids[tm.ID] {
			t.Errorf("duplicate team id %q", tm.ID)
		}
		ids[tm.ID] = true
		if names[tm.Name] {
			t.Errorf("duplicate team name %q", tm.Name)
		}
		names[tm.Name] = true
		if !regions[tm.RegionID] {
			t.Errorf("team %q has unknown region %q", tm.ID, tm.RegionID)
		}
		perRegion[tm.RegionID]++
		hasPostcode, hasPlace := false, false
		for _, w := range tm.WorkingArea {
			if seedPostcodeRE.MatchString(w) {
				hasPostcode = true
			} else if w != "" {
				hasPlace = true
			}
		}
		if !hasPostcode || !hasPlace {
			t.Errorf("team %q working area %v needs postcodes and place names", tm.ID, tm.WorkingArea)
		}
		if n := strings.Count(tm.Description, ". "); n < 1 || n > 3 || !strings.HasSuffix(tm.Description, ".") {
			t.Errorf("team %q description should have 2-4 sentences: %q", tm.ID, tm.Description)
		}
		if descs[tm.Description] {
			t.Errorf("duplicate description for team %q", tm.ID)
		}
		descs[tm.Description] = true
		if !seedPhoneRE.MatchString(tm.Phone) {
			t.Errorf("team %q phone %q", tm.ID, tm.Phone)
		}
		if tm.Email != tm.ID+"@noorderkwartier.example" {
			t.Errorf("team %q email %q", tm.ID, tm.Email)
		}
	}
	for _, id := range []string{"den-helder-centrum", "julianadorp"} {
		found := false
		for _, tm := range teams {
			if tm.ID == id {
				found = true
				if tm.RegionID != "den-helder" {
					t.Errorf("team %q in region %q, want den-helder", id, tm.RegionID)
				}
			}
		}
		if !found {
			t.Errorf("team %q missing", id)
		}
	}
	for r := range regions {
		if perRegion[r] == 0 {
			t.Errorf("region %q has no teams", r)
		}
	}
}

func TestSeedPeople(t *testing.T) {
	roleOK := map[string]bool{}
	for _, r := range seedRoles {
		roleOK[r] = true
	}
	if len(roleOK) != 7 {
		t.Fatalf("expected 7 roles, got %d", len(roleOK))
	}
	taakOK := map[string]bool{}
	for _, r := range seedTaakrollen {
		taakOK[r] = true
	}
	if len(taakOK) != 6 {
		t.Fatalf("expected 6 taakrollen, got %d", len(taakOK))
	}
	teamOK := map[string]bool{}
	for _, tm := range Teams() {
		teamOK[tm.ID] = true
	}

	people := People()
	if len(people) < 700 || len(people) > 800 {
		t.Errorf("got %d people, want roughly 700-800", len(people))
	}

	subs := map[string]bool{}
	roleCount := map[string]int{}
	demoRole := map[string]bool{}
	type teamStat struct {
		members, nurses int
		taak            map[string]bool
	}
	stats := map[string]*teamStat{}
	for _, p := range people {
		if !seedSubRE.MatchString(p.Sub) {
			t.Errorf("sub %q is not ascii first.last", p.Sub)
		}
		if subs[p.Sub] {
			t.Errorf("duplicate sub %q", p.Sub)
		}
		subs[p.Sub] = true
		if p.Name == "" {
			t.Errorf("person %q has no name", p.Sub)
		}
		if p.Email != p.Sub+"@noorderkwartier.example" {
			t.Errorf("person %q email %q", p.Sub, p.Email)
		}
		if len(p.Roles) == 0 {
			t.Errorf("person %q has no roles", p.Sub)
		}
		for _, r := range p.Roles {
			if !roleOK[r] {
				t.Errorf("person %q has unknown role %q", p.Sub, r)
			}
			roleCount[r]++
			if p.Demo {
				demoRole[r] = true
			}
		}
		if p.Demo && p.DemoDescription == "" {
			t.Errorf("demo person %q has no description", p.Sub)
		}
		for _, m := range p.Teams {
			if !teamOK[m.TeamID] {
				t.Errorf("person %q in unknown team %q", p.Sub, m.TeamID)
			}
			if len(m.TeamRoles) > 2 {
				t.Errorf("person %q has %d taakrollen in %q", p.Sub, len(m.TeamRoles), m.TeamID)
			}
			st := stats[m.TeamID]
			if st == nil {
				st = &teamStat{taak: map[string]bool{}}
				stats[m.TeamID] = st
			}
			st.members++
			if seedContains(p.Roles, "wijkverpleegkundige") {
				st.nurses++
			}
			seen := map[string]bool{}
			for _, tr := range m.TeamRoles {
				if !taakOK[tr] {
					t.Errorf("person %q has unknown taakrol %q", p.Sub, tr)
				}
				if seen[tr] {
					t.Errorf("person %q has taakrol %q twice", p.Sub, tr)
				}
				seen[tr] = true
				st.taak[tr] = true
			}
		}
	}

	for id := range teamOK {
		st := stats[id]
		if st == nil {
			t.Errorf("team %q has no members", id)
			continue
		}
		if st.members < 10 || st.members > 15 {
			t.Errorf("team %q has %d members, want 10-15", id, st.members)
		}
		if st.nurses < 1 || st.nurses > 2 {
			t.Errorf("team %q has %d wijkverpleegkundigen, want 1-2", id, st.nurses)
		}
		for tr := range taakOK {
			if !st.taak[tr] {
				t.Errorf("team %q has nobody with taakrol %q", id, tr)
			}
		}
	}

	for r := range roleOK {
		if !demoRole[r] {
			t.Errorf("role %q has no demo person", r)
		}
	}
	wantCount := map[string]int{
		"coordinerend_wijkverpleegkundige": 6,
		"teamcoach":                        8,
		"ondersteunende_dienst":            12,
		"regiomanager":                     6,
		"beheerder":                        2,
	}
	for r, n := range wantCount {
		if roleCount[r] != n {
			t.Errorf("role %q: %d people, want %d", r, roleCount[r], n)
		}
	}
	for _, p := range people {
		if !seedContains(p.Roles, "zorgmedewerker") && !seedContains(p.Roles, "wijkverpleegkundige") && len(p.Teams) != 0 {
			t.Errorf("staff member %q (%v) should have no team", p.Sub, p.Roles)
		}
	}
}

func TestSeedFixedDemoPeople(t *testing.T) {
	type want struct {
		role string
		team string
		taak []string
		desc string // substring of DemoDescription
	}
	wants := map[string]want{
		"anouk.devries":   {role: "zorgmedewerker", team: "den-helder-centrum", taak: []string{"planning"}},
		"sanne.bakker":    {role: "zorgmedewerker", team: "den-helder-centrum"},
		"daan.visser":     {role: "zorgmedewerker", team: "julianadorp"},
		"fatima.elamrani": {role: "wijkverpleegkundige", team: "den-helder-centrum", taak: []string{"kwaliteit"}},
		"marieke.jansen":  {role: "coordinerend_wijkverpleegkundige", desc: "Den Helder"},
		"peter.smit":      {role: "teamcoach"},
		"ilse.dekker":     {role: "ondersteunende_dienst", desc: "Kwaliteit & Veiligheid"},
		"johan.mulder":    {role: "regiomanager", desc: "Hoorn"},
		"yvonne.kramer":   {role: "beheerder"},
	}
	bySub := map[string]Person{}
	for _, p := range People() {
		bySub[p.Sub] = p
	}
	for sub, w := range wants {
		p, ok := bySub[sub]
		if !ok {
			t.Errorf("demo person %q missing", sub)
			continue
		}
		if !p.Demo {
			t.Errorf("%q is not marked Demo", sub)
		}
		if !reflect.DeepEqual(p.Roles, []string{w.role}) {
			t.Errorf("%q roles %v, want [%s]", sub, p.Roles, w.role)
		}
		if w.team == "" {
			if len(p.Teams) != 0 {
				t.Errorf("%q has teams %v, want none", sub, p.Teams)
			}
		} else {
			if len(p.Teams) != 1 || p.Teams[0].TeamID != w.team {
				t.Errorf("%q teams %v, want %q", sub, p.Teams, w.team)
			} else if len(w.taak) > 0 || len(p.Teams[0].TeamRoles) > 0 {
				if !reflect.DeepEqual(p.Teams[0].TeamRoles, w.taak) {
					t.Errorf("%q taakrollen %v, want %v", sub, p.Teams[0].TeamRoles, w.taak)
				}
			}
		}
		if !strings.Contains(p.DemoDescription, w.desc) {
			t.Errorf("%q description %q should mention %q", sub, p.DemoDescription, w.desc)
		}
	}
	if p := bySub["yvonne.kramer"]; p.Name != "Yvonne Kramer" {
		t.Errorf("yvonne.kramer name %q", p.Name)
	}
}

func TestSeedDeterministic(t *testing.T) {
	if !reflect.DeepEqual(Regions(), Regions()) {
		t.Error("Regions not deterministic")
	}
	if !reflect.DeepEqual(Teams(), Teams()) {
		t.Error("Teams not deterministic")
	}
	a, b := People(), People()
	if !reflect.DeepEqual(a, b) {
		t.Error("People not deterministic")
	}
	// Results must not share mutable state between calls.
	a[0].Roles[0] = "changed"
	a[0].Teams[0].TeamRoles = append(a[0].Teams[0].TeamRoles, "changed")
	if c := People(); !reflect.DeepEqual(b, c) {
		t.Error("modifying a result changed later results")
	}
}

func TestSeedSlugAndSub(t *testing.T) {
	cases := map[string]string{
		"Den Helder-Centrum":            "den-helder-centrum",
		"'t Zand":                       "t-zand",
		"Hoorn-Bangert en Oosterpolder": "hoorn-bangert-en-oosterpolder",
	}
	for in, want := range cases {
		if got := seedSlug(in); got != want {
			t.Errorf("seedSlug(%q) = %q, want %q", in, got, want)
		}
	}
	if got := seedSub("Ayşe", "Yılmaz"); got != "ayse.yilmaz" {
		t.Errorf("seedSub = %q", got)
	}
	if got := seedSub("Małgorzata", "Dąbrowska"); got != "malgorzata.dabrowska" {
		t.Errorf("seedSub = %q", got)
	}
	if got := seedSub("Fatima", "Aït Taleb"); got != "fatima.aittaleb" {
		t.Errorf("seedSub = %q", got)
	}
}
