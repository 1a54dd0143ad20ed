package dashboard

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
)

// smallOrg: region noord (a, b, d) and zuid (c, e).
func smallOrg() *fakeOrg {
	return &fakeOrg{
		regions: []org.RegionSummary{{ID: "noord", Name: "Noord"}, {ID: "zuid", Name: "Zuid"}},
		teams: []org.TeamSummary{
			{ID: "team-a", Name: "Team A", RegionID: "noord"},
			{ID: "team-b", Name: "Team B", RegionID: "noord"},
			{ID: "team-c", Name: "Team C", RegionID: "zuid"},
			{ID: "team-d", Name: "Team D", RegionID: "noord"},
			{ID: "team-e", Name: "Team E", RegionID: "zuid"},
		},
	}
}

// smallCSV: a has FTE only in January (carried forward); b is big; c has
// no FTE (weight = headcount) and no March; d merged away after March; e
// started in April.
const smallCSV = `team;maand;verzuim;bedrijfsresultaat;fte;medewerkers
team-a;2026-01;4;1000;10;14
team-a;2026-02;5;1000;;
team-a;2026-03;6;1000;;
team-a;2026-04;5;1000;;
team-a;2026-05;4;1000;;
team-a;2026-06;4;1000;;
team-b;2026-01;8;-500;30;40
team-b;2026-02;8;-500;30;40
team-b;2026-03;8;-500;30;40
team-b;2026-04;8;-500;30;40
team-b;2026-05;8;-500;30;40
team-b;2026-06;8;-500;30;40
team-c;2026-01;6;200;;20
team-c;2026-02;6;200;;20
team-c;2026-04;6;200;;20
team-c;2026-05;6;200;;20
team-c;2026-06;6;200;;20
team-d;2026-01;7;0;10;12
team-d;2026-02;7;0;10;12
team-d;2026-03;7;0;10;12
team-e;2026-04;3;50;5;9
team-e;2026-05;3;50;5;9
team-e;2026-06;3;50;5;9
`

func mp(s string) *Month { m, _ := ParseMonth(s); return &m }

func approx(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil || math.Abs(*got-want) > 0.005 {
		t.Errorf("%s = %v, want %v", what, ptrStr(got), want)
	}
}

func ptrStr(p *float64) string {
	if p == nil {
		return "null"
	}
	return strconv.FormatFloat(*p, 'g', -1, 64)
}

func TestAggregation(t *testing.T) {
	svc, _ := newTestService(t, smallOrg())
	mustImport(t, svc, "small.csv", smallCSV)

	// February: a(10 FTE, 5), b(30, 8), c(weight 20 people, 6), d(10, 7).
	v, err := svc.Organisation(carer, ListQuery{ViewQuery: ViewQuery{Month: mp("2026-02")}})
	if err != nil {
		t.Fatal(err)
	}
	approx(t, "org absence Feb", v.Organisation.Values[KeyAbsence], 480.0/70)
	approx(t, "org result Feb", v.Organisation.Values[KeyBusinessResult], 1000-500+200+0)
	if v.Organisation.Teams != 4 {
		t.Errorf("teams with figures in Feb = %d", v.Organisation.Teams)
	}
	regions := map[string]AggRow{}
	for _, r := range v.Regions {
		regions[r.ID] = r
	}
	approx(t, "noord absence Feb", regions["noord"].Values[KeyAbsence], 360.0/50)
	approx(t, "zuid absence Feb", regions["zuid"].Values[KeyAbsence], 6)

	// March: c has no figures; the mean is over the teams that have them.
	v, _ = svc.Organisation(carer, ListQuery{ViewQuery: ViewQuery{Month: mp("2026-03")}})
	approx(t, "org absence Mar", v.Organisation.Values[KeyAbsence], 370.0/50)
	// May: d merged away (no figures after March), e started in April.
	v, _ = svc.Organisation(carer, ListQuery{ViewQuery: ViewQuery{Month: mp("2026-05")}, Sort: KeyAbsence, Order: "desc"})
	approx(t, "org absence May", v.Organisation.Values[KeyAbsence], 415.0/65)
	approx(t, "org absence change May", v.Organisation.Changes[KeyAbsence], round(415.0/65, 2)-round((50+240+120+15)/65.0, 2))
	if v.Teams[0].ID != "team-b" || v.Teams[len(v.Teams)-1].ID != "team-d" {
		t.Errorf("sorted by absence desc, missing last: %s … %s", v.Teams[0].ID, v.Teams[len(v.Teams)-1].ID)
	}
	for _, r := range v.Teams {
		if r.ID == "team-d" {
			if r.Values[KeyAbsence] != nil || len(r.Signals) != 1 || r.Signals[0].Kind != "no_figures" {
				t.Errorf("merged team in May: %+v", r)
			}
		}
		if r.ID == "team-a" && val2(r.Size.FTE) != 10 {
			t.Errorf("team-a size carried forward: %+v", r.Size)
		}
	}

	// Team view: e's series is null before April; comparison values.
	tv, err := svc.Team(carer, "team-e", ViewQuery{Months: 6})
	if err != nil {
		t.Fatal(err)
	}
	if tv.Month.String() != "2026-06" || len(tv.Series) != 6 {
		t.Fatalf("team view month %v, %d points", tv.Month, len(tv.Series))
	}
	if tv.Series[0].Team[KeyAbsence] != nil || val2(tv.Series[3].Team[KeyAbsence]) != 3 {
		t.Errorf("e series: %v / %v", ptrStr(tv.Series[0].Team[KeyAbsence]), ptrStr(tv.Series[3].Team[KeyAbsence]))
	}
	approx(t, "e region (zuid) Jun", tv.Series[5].Region[KeyAbsence], (120.0+15)/25)
	var abs Tile
	for _, tile := range tv.Latest {
		if tile.Key == KeyAbsence {
			abs = tile
		}
	}
	if val2(abs.Value) != 3 || abs.Status != StatusGreen || abs.ImportID == "" || abs.Source != "small.csv" {
		t.Errorf("absence tile: %+v", abs)
	}
	approx(t, "tile region", abs.Region, 5.4)
	// The team view of the merged team ends at its last month.
	tv, _ = svc.Team(carer, "team-d", ViewQuery{})
	if tv.Month.String() != "2026-03" {
		t.Errorf("merged team latest month %v", tv.Month)
	}
	// Region view.
	rv, err := svc.Region(carer, "zuid", ListQuery{ViewQuery: ViewQuery{Month: mp("2026-05"), Months: 3}})
	if err != nil {
		t.Fatal(err)
	}
	approx(t, "zuid May", rv.Region.Values[KeyAbsence], 5.4)
	approx(t, "zuid result May", rv.Region.Values[KeyBusinessResult], 250)
	if len(rv.Teams) != 2 || len(rv.Series) != 3 {
		t.Errorf("region view: %d teams, %d points", len(rv.Teams), len(rv.Series))
	}
	if _, err := svc.Region(carer, "nowhere", ListQuery{}); err == nil {
		t.Error("unknown region")
	}
	if _, err := svc.Organisation(carer, ListQuery{Sort: "nonsense"}); err == nil {
		t.Error("unknown sort key accepted")
	}
}

func TestSignalsOffTarget(t *testing.T) {
	svc, _ := newTestService(t, smallOrg())
	mustImport(t, svc, "small.csv", smallCSV)
	// b has 8% absence all along, target 6: six months running.
	tv, _ := svc.Team(carer, "team-b", ViewQuery{})
	// (and a negative business result against a target of 0).
	if len(tv.Signals) != 2 || tv.Signals[0].Key != KeyAbsence || tv.Signals[0].Months != 6 || tv.Signals[0].Kind != "off_target" ||
		!strings.Contains(tv.Signals[0].Message, "6 maanden op rij boven de norm") {
		t.Fatalf("signals: %+v", tv.Signals)
	}
	// a: 4,5,6,5,4,4 — never above 6, no signal.
	tv, _ = svc.Team(carer, "team-a", ViewQuery{})
	if len(tv.Signals) != 0 {
		t.Errorf("team-a signals: %+v", tv.Signals)
	}
}

func TestSmallTeamSuppression(t *testing.T) {
	svc, _ := newTestService(t, smallOrg())
	mustImport(t, svc, "small.csv", smallCSV)
	ctx := context.Background()
	ten := 10
	if _, err := svc.UpdateSettings(ctx, admin, SettingsInput{MinGroupSize: &ten}); err != nil {
		t.Fatal(err)
	}
	// e has 9 people: its absence is withheld, for everyone.
	tv, _ := svc.Team(support, "team-e", ViewQuery{Months: 3})
	for _, tile := range tv.Latest {
		if tile.Key == KeyAbsence && (tile.Value != nil || tile.Suppressed != SuppressedSmallTeam || tile.Change != nil) {
			t.Errorf("small team absence shown: %+v", tile)
		}
		if tile.Key == KeyBusinessResult && val2(tile.Value) != 50 {
			t.Errorf("other figures stay: %+v", tile)
		}
	}
	for _, p := range tv.Series {
		if p.Team[KeyAbsence] != nil {
			t.Errorf("series shows small team's absence in %s", p.Month)
		}
	}
	// Zuid = c (20 people) + e (9, hidden): zuid's mean would reveal e, so it
	// is withheld; so is the organisation's (only e is hidden there).
	v, _ := svc.Organisation(carer, ListQuery{ViewQuery: ViewQuery{Month: mp("2026-05")}})
	for _, r := range v.Regions {
		if r.ID == "zuid" && (r.Values[KeyAbsence] != nil || r.Suppressed[KeyAbsence] != SuppressedComplementary) {
			t.Errorf("zuid: %+v", r)
		}
		if r.ID == "noord" && r.Values[KeyAbsence] == nil {
			t.Errorf("noord has no small team: %+v", r)
		}
	}
	if v.Organisation.Values[KeyAbsence] != nil {
		t.Errorf("organisation absence reveals team-e")
	}
	// In February e had no figures: nothing to hide.
	v, _ = svc.Organisation(carer, ListQuery{ViewQuery: ViewQuery{Month: mp("2026-02")}})
	if v.Organisation.Values[KeyAbsence] == nil {
		t.Errorf("Feb organisation absence withheld")
	}
	// The export has the cell empty and says why.
	v, _ = svc.Organisation(carer, ListQuery{ViewQuery: ViewQuery{Month: mp("2026-05")}})
	csv := string(ExportCSV(v))
	if !strings.Contains(csv, "Zuid;Team E;team-e;2026-05;9;5;;;;;;50;Ziekteverzuim (klein team)") {
		t.Errorf("export:\n%s", csv)
	}
	// Absence cannot be taken off the private list.
	none := []string{}
	if _, err := svc.UpdateSettings(ctx, admin, SettingsInput{PrivateIndicators: &none}); err == nil {
		t.Error("absence made public")
	}
}

func TestBusinessResultVisibility(t *testing.T) {
	svc, _ := newTestService(t, smallOrg())
	mustImport(t, svc, "small.csv", smallCSV)
	ctx := context.Background()
	managers := VisibleManagers
	if _, err := svc.UpdateSettings(ctx, carer, SettingsInput{BusinessResultVisibility: &managers}); err == nil {
		t.Fatal("a care worker changed the settings")
	}
	if _, err := svc.UpdateSettings(ctx, admin, SettingsInput{BusinessResultVisibility: &managers}); err != nil {
		t.Fatal(err)
	}
	has := func(inds []Indicator) bool {
		for _, i := range inds {
			if i.Key == KeyBusinessResult {
				return true
			}
		}
		return false
	}
	tv, _ := svc.Team(carer, "team-a", ViewQuery{})
	if has(tv.Indicators) {
		t.Error("care worker sees the business result indicator")
	}
	for _, tile := range tv.Latest {
		if tile.Key == KeyBusinessResult {
			t.Error("care worker sees a business result tile")
		}
	}
	for _, p := range tv.Series {
		if _, ok := p.Team[KeyBusinessResult]; ok {
			t.Error("care worker sees business result in the series")
		}
	}
	ov, _ := svc.Organisation(coach, ListQuery{})
	if _, ok := ov.Organisation.Values[KeyBusinessResult]; ok || bytes.Contains(ExportCSV(ov), []byte("Bedrijfsresultaat")) {
		t.Error("coach sees the business result")
	}
	if _, err := svc.Organisation(carer, ListQuery{Sort: KeyBusinessResult}); err == nil {
		t.Error("care worker sorts by the hidden business result")
	}
	ov, _ = svc.Organisation(regionMgr, ListQuery{})
	if _, ok := ov.Organisation.Values[KeyBusinessResult]; !ok {
		t.Error("regional manager does not see the business result")
	}
}

func TestReimportIdempotent(t *testing.T) {
	svc, st := newTestService(t, seedOrg())
	file := "team;maand;verzuim;productiviteit\nden-helder-centrum;2026-09;6,1;63\nden-helder-centrum;2026-10;5,9;64\njulianadorp;2026-10;7,2;61\n"
	first := mustImport(t, svc, "okt.csv", file)
	if first.Import == nil || first.Summary.Added != 6 {
		t.Fatalf("first: %+v", first)
	}
	f1, i1 := storedCounts(t, st)
	// The same content again — also with ',' and decimal points and another order.
	for _, again := range []string{file,
		"team,month,productivityPct,absencePct\njulianadorp,2026-10,61,7.2\nden-helder-centrum,2026-10,64,5.9\nden-helder-centrum,2026-09,63,6.1\n"} {
		res := mustImport(t, svc, "okt-opnieuw.csv", again)
		if res.Import != nil || !res.Unchanged || res.DuplicateOf != first.Import.ID {
			t.Fatalf("re-import: %+v", res)
		}
		p, _ := svc.PreviewImport(support, Upload{FileName: "x.csv", Data: []byte(again)})
		if p.DuplicateOf != first.Import.ID || p.Summary.Unchanged != 6 {
			t.Errorf("preview of a re-import: %+v", p)
		}
	}
	if f, i := storedCounts(t, st); f != f1 || i != i1 {
		t.Fatalf("re-import stored something: %d→%d, %d→%d", f1, f, i1, i)
	}
	// A corrected file supersedes only the team-months it contains.
	corrected := "team;maand;verzuim;productiviteit\nden-helder-centrum;2026-10;5,4;64\n"
	res := mustImport(t, svc, "okt-correctie.csv", corrected)
	if res.Import == nil || res.Summary.Changed != 1 || res.Summary.Unchanged != 1 || len(res.Import.Changes) != 1 {
		t.Fatalf("correction: %+v", res)
	}
	c := res.Import.Changes[0]
	if c.Team != "den-helder-centrum" || c.Month != "2026-10" || val2(c.Old) != 5.9 || val2(c.New) != 5.4 {
		t.Errorf("change: %+v", c)
	}
	cur := svc.current()
	if val2(cur.get("den-helder-centrum", MonthAt(2026, 10), KeyAbsence)) != 5.4 ||
		val2(cur.get("den-helder-centrum", MonthAt(2026, 9), KeyAbsence)) != 6.1 ||
		val2(cur.get("julianadorp", MonthAt(2026, 10), KeyAbsence)) != 7.2 {
		t.Error("correction did not supersede exactly its team-months")
	}
	// Re-importing the original file now is a real change back (not a no-op).
	res = mustImport(t, svc, "okt.csv", file)
	if res.Import == nil || res.Summary.Changed != 1 {
		t.Errorf("original after correction: %+v", res)
	}
	// History, newest first; another instance sees the same after Reload.
	hist, _ := svc.Imports(support, 10)
	if len(hist) != 3 || hist[0].ID != res.Import.ID || hist[2].FileName != "okt.csv" || hist[0].ByName != "Ilse Dekker" {
		t.Fatalf("history: %+v", hist)
	}
	other, err := NewService(context.Background(), st, seedOrg(), Options{Now: svc.now})
	if err != nil {
		t.Fatal(err)
	}
	if val2(other.current().get("den-helder-centrum", MonthAt(2026, 10), KeyAbsence)) != 5.9 {
		t.Error("a fresh instance does not see the latest import win")
	}
	// Empty cell in a column of the file clears the figure.
	res = mustImport(t, svc, "leeg.csv", "team;maand;verzuim;productiviteit\njulianadorp;2026-10;;62\n")
	if res.Summary.Cleared != 1 || svc.current().get("julianadorp", MonthAt(2026, 10), KeyAbsence) != nil {
		t.Errorf("clear: %+v", res.Summary)
	}
}

// TestOrphanFiguresIgnored: figures whose import record never arrived (a
// crash between the two inserts) are not used.
func TestOrphanFiguresIgnored(t *testing.T) {
	svc, st := newTestService(t, seedOrg())
	ctx := context.Background()
	orphan := []figureDoc{{ID: figureID("julianadorp", MonthAt(2026, 10), "crashed"), Team: "julianadorp", Month: "2026-10", ImportID: "crashed",
		Values: map[string]*float64{KeyAbsence: fp(99)}}}
	if err := newStore(st).insertFigures(ctx, orphan); err != nil {
		t.Fatal(err)
	}
	mustImport(t, svc, "a.csv", "team;maand;verzuim\nden-helder-centrum;2026-10;5\n")
	other, err := NewService(ctx, st, seedOrg(), Options{Now: svc.now})
	if err != nil {
		t.Fatal(err)
	}
	if other.current().get("julianadorp", MonthAt(2026, 10), KeyAbsence) != nil || len(other.current().figures) != 1 {
		t.Error("orphan figure used")
	}
}

func TestImportPermissions(t *testing.T) {
	svc, _ := newTestService(t, seedOrg())
	ctx := context.Background()
	up := Upload{FileName: "a.csv", Data: []byte("team;maand;verzuim\nden-helder-centrum;2026-10;5\n")}
	if _, err := svc.ImportFile(ctx, carer, up); err == nil {
		t.Error("care worker imported")
	}
	if _, err := svc.ImportFile(ctx, coach, up); err == nil {
		t.Error("coach imported")
	}
	if _, err := svc.ImportFile(ctx, regionMgr, up); err == nil {
		t.Error("regional manager imported")
	}
	if _, err := svc.PreviewImport(carer, up); err == nil {
		t.Error("care worker previewed")
	}
	if _, err := svc.Push(ctx, carer, PushInput{Source: "x"}); err == nil {
		t.Error("care worker pushed")
	}
	if _, err := svc.ImportFile(ctx, admin, up); err != nil {
		t.Errorf("administrator: %v", err)
	}
}

func TestPush(t *testing.T) {
	svc, st := newTestService(t, seedOrg())
	ctx := context.Background()
	_, err := svc.Push(ctx, support, PushInput{Source: "afas-hr", Rows: []PushRow{
		{Team: "den-helder-centrum", Month: "2026-10", AbsencePct: []byte("5.2")},
		{Team: "julianadorp", Month: "2026-10", AbsencePct: []byte("101")},
		{Team: "atlantis", Month: "2027-01", ClientGrade: []byte(`"8"`)},
		{Team: "den-helder-centrum", Month: "2026-10", AbsencePct: []byte("5.3")},
	}})
	if err == nil {
		t.Fatal("invalid push accepted")
	}
	msg := err.Error()
	for _, f := range []string{"rows[1].absencePct", "rows[2].team", "rows[2].month", "rows[2].clientGrade", "rows[3]"} {
		if !strings.Contains(msg, f+":") {
			t.Errorf("missing %s in %s", f, msg)
		}
	}
	if f, i := storedCounts(t, st); f != 0 || i != 0 {
		t.Fatal("partial push stored")
	}
	res, err := svc.Push(ctx, support, PushInput{Source: "afas-hr", Rows: []PushRow{
		{Team: "den-helder-centrum", Month: "2026-10", AbsencePct: []byte("5.2"), Headcount: []byte("12")},
		{Team: "julianadorp", Month: "2026-10", AbsencePct: []byte("null")},
	}})
	if err != nil || res.Import == nil || res.Import.Kind != KindAPI || res.Import.Source != "afas-hr" {
		t.Fatalf("push: %v %+v", err, res)
	}
	// Same push again: no change.
	res, err = svc.Push(ctx, support, PushInput{Source: "afas-hr", Rows: []PushRow{
		{Team: "den-helder-centrum", Month: "2026-10", AbsencePct: []byte("5.2"), Headcount: []byte("12")},
		{Team: "julianadorp", Month: "2026-10", AbsencePct: []byte("null")},
	}})
	if err != nil || !res.Unchanged {
		t.Fatalf("push again: %v %+v", err, res)
	}
}

func TestExportNeutralisesFormulas(t *testing.T) {
	o := smallOrg()
	o.teams[0].Name = "=HYPERLINK(\"http://evil.example\";\"klik\")"
	o.teams[1].Name = "+31 team"
	o.teams[2].Name = "@SUM(A1)"
	o.teams[3].Name = "-2+3"
	o.teams[4].Name = "\tTab"
	svc, _ := newTestService(t, o)
	mustImport(t, svc, "small.csv", smallCSV)
	v, _ := svc.Organisation(support, ListQuery{ViewQuery: ViewQuery{Month: mp("2026-05")}})
	out := string(ExportCSV(v))
	if !strings.HasPrefix(out, "\ufeffRegio;Team;") {
		t.Errorf("header: %.40q", out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\r\n")[1:] {
		cells := strings.Split(line, ";")
		name := strings.Trim(cells[1], `"`)
		if name != "" && strings.ContainsRune("=+-@\t\r", rune(name[0])) {
			t.Errorf("formula not neutralised: %q", line)
		}
	}
	for _, want := range []string{`"'=HYPERLINK(""http://evil.example"";""klik"")"`, "'+31 team", "'@SUM(A1)", "'-2+3", "'\tTab", ";-500;"} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
}

// TestTargetsInRange: a target outside its indicator's range is refused
// with a field error and nothing is stored; one inside is kept.
func TestTargetsInRange(t *testing.T) {
	svc, _ := newTestService(t, smallOrg())
	ctx := context.Background()
	before := svc.currentSettings().Targets[KeyProductivity]
	for key, val := range map[string]float64{
		KeyProductivity: 500, KeyAbsence: -3, KeyClientGrade: 11, KeyBusinessResult: 1e308,
	} {
		_, err := svc.UpdateSettings(ctx, admin, SettingsInput{Targets: map[string]*float64{key: &val}})
		var ve *apperr.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != "targets."+key {
			t.Errorf("target %s = %g: %v", key, val, err)
		}
	}
	if got := svc.currentSettings().Targets[KeyProductivity]; (got == nil) != (before == nil) || (got != nil && *got != *before) {
		t.Errorf("a refused change was stored: %v", got)
	}
	ok := 66.5
	if _, err := svc.UpdateSettings(ctx, admin, SettingsInput{Targets: map[string]*float64{KeyProductivity: &ok}}); err != nil {
		t.Fatal(err)
	}
	if got := svc.currentSettings().Targets[KeyProductivity]; got == nil || *got != 66.5 {
		t.Errorf("target kept: %v", got)
	}
	// An extra indicator's target stays inside its own range.
	lo, hi, tgt := 0.0, 10.0, 12.0
	_, err := svc.UpdateSettings(ctx, admin, SettingsInput{Indicators: &[]IndicatorInput{{Key: "wondzorg-audit", Name: "Wondzorg audit",
		Unit: UnitNumber, Direction: HigherIsBetter, Min: &lo, Max: &hi, Target: &tgt}}})
	var ve *apperr.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "indicators[0].target" {
		t.Errorf("extra indicator with its target out of range: %v", err)
	}
}

// The team directory is built once per generation of the organisation: a
// renamed team shows under its new name once the organisation changed.
func TestDirectoryFollowsTheOrganisation(t *testing.T) {
	o := seedOrg()
	svc, _ := newTestService(t, o)
	id := o.teams[0].ID
	tv, err := svc.Team(support, id, ViewQuery{})
	if err != nil {
		t.Fatal(err)
	}
	old := tv.Team.Name
	o.teams[0].Name = "Hernoemd team"
	if tv, _ := svc.Team(support, id, ViewQuery{}); tv.Team.Name != old {
		t.Fatalf("the directory was built again without a change of generation: %q", tv.Team.Name)
	}
	o.gen++ // as org.Service does on every reload
	tv, err = svc.Team(support, id, ViewQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if tv.Team.Name != "Hernoemd team" {
		t.Fatalf("after the organisation changed: %q", tv.Team.Name)
	}
	if _, err := svc.Team(nil, id, ViewQuery{}); err == nil {
		t.Fatal("no actor: answered from the cached directory")
	}
}

// TestAggregatesKeptUntilTheirInputsChange: a month's region and
// organisation aggregates are computed once and kept; a new import, a
// settings change and a team moving region each make every view compute
// them again (a stale figure fails here), and both kinds of reader keep
// seeing their own indicators.
func TestAggregatesKeptUntilTheirInputsChange(t *testing.T) {
	o := smallOrg()
	svc, _ := newTestService(t, o)
	ctx := context.Background()
	mustImport(t, svc, "small.csv", smallCSV)
	may := ViewQuery{Month: mp("2026-05"), Months: 3}
	tile := func(team string) Tile {
		t.Helper()
		tv, err := svc.Team(carer, team, may)
		if err != nil {
			t.Fatal(err)
		}
		for _, tl := range tv.Latest {
			if tl.Key == KeyAbsence {
				return tl
			}
		}
		t.Fatalf("%s: no absence tile", team)
		return Tile{}
	}
	orgAbsence := func() *float64 {
		t.Helper()
		v, err := svc.Organisation(carer, ListQuery{ViewQuery: may})
		if err != nil {
			t.Fatal(err)
		}
		return v.Organisation.Values[KeyAbsence]
	}
	// Zuid in May: c (20 people, 6) and e (5 FTE, 3).
	approx(t, "zuid before", tile("team-e").Region, (120.0+15)/25)
	approx(t, "org before", orgAbsence(), 415.0/65)
	svc.aggMu.Lock()
	kept := len(svc.aggs)
	svc.aggMu.Unlock()
	if kept != 1 {
		t.Fatalf("%d kept aggregate sets, want 1 (one reader kind, one state)", kept)
	}

	// A new import: c's May absence 6 → 11.
	mustImport(t, svc, "c-mei.csv", "team;maand;verzuim\nteam-c;2026-05;11\n")
	approx(t, "zuid after the import", tile("team-e").Region, (220.0+15)/25)
	approx(t, "org after the import", orgAbsence(), 515.0/65)
	approx(t, "tile previous month untouched", tile("team-e").Previous, 3)

	// A settings change: e (9 people) is now a small team, so zuid's mean
	// (which would reveal e) is withheld.
	ten := 10
	if _, err := svc.UpdateSettings(ctx, admin, SettingsInput{MinGroupSize: &ten}); err != nil {
		t.Fatal(err)
	}
	if tl := tile("team-c"); tl.Region != nil {
		t.Fatalf("zuid after the minimum group size rose: %v, want withheld", *tl.Region)
	}

	// A team moving region: e goes to noord, so zuid is c alone again
	// (nothing hidden in it) and noord holds the small team now.
	o.teams[4].RegionID = "noord"
	o.gen++
	approx(t, "zuid after e moved", tile("team-c").Region, 11)
	rv, err := svc.Region(carer, "noord", ListQuery{ViewQuery: may})
	if err != nil {
		t.Fatal(err)
	}
	// Noord: a (10 FTE, 4), b (30, 8) and e (5, 3, hidden): 9 hidden people
	// alone would be revealed, so noord's absence is withheld.
	if rv.Region.Values[KeyAbsence] != nil || rv.Region.Suppressed[KeyAbsence] != SuppressedComplementary {
		t.Fatalf("noord after e moved: %+v", rv.Region)
	}

	// Restricted indicators: readers who may not see them and readers who
	// may each get their own kept aggregates.
	managers := VisibleManagers
	if _, err := svc.UpdateSettings(ctx, admin, SettingsInput{BusinessResultVisibility: &managers}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who  *identity.Actor
		sees bool
	}{{carer, false}, {regionMgr, true}, {carer, false}} {
		v, err := svc.Organisation(c.who, ListQuery{ViewQuery: may})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := v.Organisation.Values[KeyBusinessResult]; ok != c.sees {
			t.Fatalf("%s sees the business result: %v, want %v", c.who.Name, ok, c.sees)
		}
	}
	svc.aggMu.Lock()
	kept = len(svc.aggs)
	svc.aggMu.Unlock()
	if kept != 2 {
		t.Fatalf("%d kept aggregate sets, want 2 (both reader kinds, the current inputs only)", kept)
	}
}
