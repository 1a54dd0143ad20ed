package learning

import (
	"encoding/csv"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
)

// Yield levels.
const (
	LevelOrganisation = "organisation"
	LevelRegion       = "region"
	LevelCohort       = "cohort"
	LevelTeam         = "team"
)

// YieldNote is printed with every yield view and report.
const YieldNote = "Deze cijfers tonen samenhang, geen bewijs: teams die in fase groeien laten vaak ook betere cijfers zien, " +
	"maar veel andere dingen beïnvloeden de cijfers ook. Het teamniveau is de gemiddelde score van de teamscans (1 = beginnend, 4 = zelfsturend); " +
	"de cijfers zijn het gemiddelde van de eerste drie en de laatste drie maanden van het traject."

// Movement is a value at the start and at the end and the change.
type Movement struct {
	Start    *float64 `json:"start"`
	End      *float64 `json:"end"`
	Change   *float64 `json:"change"`
	Teams    int      `json:"teams"`    // teams in the figure
	Withheld int      `json:"withheld"` // teams left out by the dashboard's small-team rule
}

// YieldRow is the yield of one team or group of teams.
type YieldRow struct {
	ID         string              `json:"id"`
	Name       string              `json:"name"`
	Kind       string              `json:"kind"` // team, region, cohort, organisation
	Teams      int                 `json:"teams"`
	StartMonth string              `json:"startMonth,omitempty"`
	EndMonth   string              `json:"endMonth,omitempty"`
	PhaseStart int                 `json:"phaseStart,omitempty"` // teams only
	PhaseEnd   int                 `json:"phaseEnd,omitempty"`
	Maturity   Movement            `json:"maturity"`
	Figures    map[string]Movement `json:"figures"`
}

// YieldMonth is one month of a team's yield series.
type YieldMonth struct {
	Month    string              `json:"month"`
	Maturity *float64            `json:"maturity"` // the latest closed scan's score by then
	Figures  map[string]*float64 `json:"figures"`
}

// Yield is a yield view.
type Yield struct {
	Level   string       `json:"level"`
	ID      string       `json:"id"`
	Name    string       `json:"name"`
	Figures []string     `json:"figures"`
	Total   YieldRow     `json:"total"`
	Rows    []YieldRow   `json:"rows"`
	Series  []YieldMonth `json:"series,omitempty"` // team level
	Note    string       `json:"note"`
}

type teamYield struct {
	row    YieldRow
	mat    [2]float64
	hasMat bool
	figs   map[string][2]float64
	figOK  map[string]bool
	withh  map[string]bool
	region string
	cohort string
}

// YieldQuery selects the view.
type YieldQuery struct {
	Level string
	ID    string
}

// Yield returns the programme's yield at a level. Everyone may read it, like
// the dashboard: it holds team phases and figures, never a person's data,
// and the figures follow the dashboard's small-team rule for the reader.
func (s *Service) Yield(a *identity.Actor, q YieldQuery) (*Yield, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if q.Level == "" {
		q.Level = LevelOrganisation
	}
	var v apperr.Validator
	v.Check(slices.Contains([]string{LevelOrganisation, LevelRegion, LevelCohort, LevelTeam}, q.Level), "level", "invalid_choice", "use organisation, region, cohort or team")
	v.Check(q.Level == LevelOrganisation || q.ID != "", "id", "required", "is required for this level")
	v.Check(len(q.ID) <= 200, "id", "invalid", "too long")
	if err := v.Err(); err != nil {
		return nil, err
	}
	regions, _ := s.org.ListRegions(systemActor)
	regionOf := s.regionsByTeam()
	out := &Yield{Level: q.Level, ID: q.ID, Figures: YieldFigures, Rows: []YieldRow{}, Note: YieldNote}
	items, cohortNames, err := s.yieldItems(q, regions, regionOf, out)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		out.Total = YieldRow{ID: q.ID, Name: out.Name, Kind: q.Level, Figures: map[string]Movement{}}
		return out, nil
	}
	now := MonthOf(s.now())
	first := now
	teams := make([]string, len(items))
	for i, it := range items {
		teams[i] = it.tr.TeamID
		if m := monthOfString(it.tr.StartMonth); m < first {
			first = m
		}
	}
	last := now - 1
	figs := s.series(a, teams, first, last)
	var tys []*teamYield
	for _, it := range items {
		ty := s.teamYield(it.tr, it.scans, it.name, figs[it.tr.TeamID], first, last)
		ty.region, ty.cohort = regionOf[it.tr.TeamID][0], it.tr.CohortID
		tys = append(tys, ty)
	}
	sort.Slice(tys, func(i, j int) bool { return tys[i].row.Name < tys[j].row.Name })
	switch q.Level {
	case LevelOrganisation:
		out.Rows = append(out.Rows, organisationYieldRows(tys, regions, cohortNames)...)
	case LevelTeam:
		ty := tys[0]
		out.Series = s.teamSeries(ty, items[0].scans, figs[ty.row.ID], first, last)
		out.Rows = append(out.Rows, ty.row)
	default:
		for _, ty := range tys {
			out.Rows = append(out.Rows, ty.row)
		}
	}
	out.Total = aggregate(q.ID, out.Name, q.Level, tys)
	if q.Level == LevelTeam {
		out.Total = tys[0].row
	}
	return out, nil
}

// yieldItem is one team's trajectory in a yield report, read under the lock.
type yieldItem struct {
	tr    *Trajectory
	scans []*Scan
	name  string
}

// yieldItems names the report (out.Name) and collects the trajectories at
// the query's level, with the cohorts' names.
func (s *Service) yieldItems(q YieldQuery, regions []org.RegionSummary, regionOf map[string][2]string, out *Yield) ([]yieldItem, map[string]string, error) {
	regionName := map[string]string{}
	for _, r := range regions {
		regionName[r.ID] = r.Name
	}
	var items []yieldItem
	cohortNames := map[string]string{}
	err := s.read(func(st *state) error {
		name, err := s.yieldName(st, q, regionName)
		if err != nil {
			return err
		}
		out.Name = name
		for id, c := range st.cohorts {
			cohortNames[id] = c.Name
		}
		for team, tr := range st.teamTraj {
			if st.cohorts[tr.CohortID] == nil {
				continue
			}
			switch {
			case q.Level == LevelRegion && regionOf[team][0] != q.ID,
				q.Level == LevelCohort && tr.CohortID != q.ID,
				q.Level == LevelTeam && team != q.ID:
				continue
			}
			name, _ := s.org.TeamName(team)
			items = append(items, yieldItem{tr: tr, scans: slices.Clone(st.trajScans[tr.ID]), name: name})
		}
		return nil
	})
	return items, cohortNames, err
}

// yieldName is the name of the region, cohort or team a report is about.
func (s *Service) yieldName(st *state, q YieldQuery, regionName map[string]string) (string, error) {
	switch q.Level {
	case LevelRegion:
		if name, ok := regionName[q.ID]; ok {
			return name, nil
		}
		return "", apperr.NotFound("not_found", "region not found")
	case LevelCohort:
		if c := st.cohorts[q.ID]; c != nil {
			return c.Name, nil
		}
		return "", apperr.NotFound("not_found", "cohort not found")
	case LevelTeam:
		if name, ok := s.org.TeamName(q.ID); ok {
			return name, nil
		}
		return "", apperr.NotFound("not_found", "team not found")
	}
	return "Organisatie", nil
}

// organisationYieldRows are the organisation report's rows: one per region,
// then one per cohort.
func organisationYieldRows(tys []*teamYield, regions []org.RegionSummary, cohortNames map[string]string) []YieldRow {
	var rows []YieldRow
	groups := map[string][]*teamYield{}
	for _, ty := range tys {
		groups[ty.region] = append(groups[ty.region], ty)
	}
	for _, r := range regions {
		if g := groups[r.ID]; len(g) > 0 {
			rows = append(rows, aggregate(r.ID, r.Name, LevelRegion, g))
		}
	}
	byCohort := map[string][]*teamYield{}
	for _, ty := range tys {
		byCohort[ty.cohort] = append(byCohort[ty.cohort], ty)
	}
	for _, id := range sortedKeys(byCohort) {
		rows = append(rows, aggregate(id, cohortNames[id], LevelCohort, byCohort[id]))
	}
	return rows
}

func mean3(fm []FigureMonth, from, to int, key string) (float64, bool, bool) {
	var sum float64
	var n int
	withheld := false
	for i := max(from, 0); i <= to && i < len(fm); i++ {
		if fm[i].Withheld[key] {
			withheld = true
		}
		if v := fm[i].Values[key]; v != nil {
			sum += *v
			n++
		}
	}
	if n == 0 {
		return 0, false, withheld
	}
	return sum / float64(n), true, withheld
}

func (s *Service) teamYield(tr *Trajectory, scans []*Scan, name string, fm []FigureMonth, first, last Month) *teamYield {
	start := monthOfString(tr.StartMonth)
	end := min(start+TrajectoryMonths-1, last)
	ty := &teamYield{figs: map[string][2]float64{}, figOK: map[string]bool{}, withh: map[string]bool{}}
	ty.row = YieldRow{ID: tr.TeamID, Name: name, Kind: LevelTeam, Teams: 1, StartMonth: start.String(), EndMonth: end.String(), Figures: map[string]Movement{}}
	var scores []float64
	var phases []int
	for _, x := range scans {
		if sc, ok := scanScore(x); ok {
			scores = append(scores, sc)
			phases = append(phases, scanPhase(x))
		}
	}
	if len(scores) > 0 {
		ty.row.PhaseStart, ty.row.PhaseEnd = phases[0], phases[len(phases)-1]
	}
	if len(scores) >= 2 {
		ty.mat, ty.hasMat = [2]float64{scores[0], scores[len(scores)-1]}, true
		ty.row.Maturity = movement(scores[0], scores[len(scores)-1], 1, 0)
	} else {
		ty.row.Maturity = Movement{}
	}
	si, ei := int(start-first), int(end-first)
	for _, key := range YieldFigures {
		a, okA, wA := mean3(fm, si, min(si+2, ei), key)
		b, okB, wB := mean3(fm, max(ei-2, si), ei, key)
		if wA || wB {
			ty.withh[key] = true
			ty.row.Figures[key] = Movement{Withheld: 1}
			continue
		}
		if okA && okB && ei-si >= 3 {
			ty.figs[key], ty.figOK[key] = [2]float64{a, b}, true
			ty.row.Figures[key] = movement(a, b, 1, 0)
		} else {
			ty.row.Figures[key] = Movement{}
		}
	}
	return ty
}

func round1(v float64) float64 { return math.Round(v*100) / 100 }

func movement(a, b float64, teams, withheld int) Movement {
	a, b = round1(a), round1(b)
	c := round1(b - a)
	return Movement{Start: &a, End: &b, Change: &c, Teams: teams, Withheld: withheld}
}

// aggregate averages the teams that have both ends; teams whose figure is
// withheld (small team) are left out and counted.
func aggregate(id, name, kind string, tys []*teamYield) YieldRow {
	r := YieldRow{ID: id, Name: name, Kind: kind, Teams: len(tys), Figures: map[string]Movement{}}
	var a, b float64
	var n int
	for _, ty := range tys {
		if ty.hasMat {
			a += ty.mat[0]
			b += ty.mat[1]
			n++
		}
	}
	if n > 0 {
		r.Maturity = movement(a/float64(n), b/float64(n), n, 0)
	}
	for _, key := range YieldFigures {
		var a, b float64
		var n, w int
		for _, ty := range tys {
			if ty.withh[key] {
				w++
				continue
			}
			if ty.figOK[key] {
				a += ty.figs[key][0]
				b += ty.figs[key][1]
				n++
			}
		}
		if n > 0 {
			r.Figures[key] = movement(a/float64(n), b/float64(n), n, w)
		} else {
			r.Figures[key] = Movement{Withheld: w}
		}
	}
	return r
}

// teamSeries is the month-by-month picture of one team.
func (s *Service) teamSeries(ty *teamYield, scans []*Scan, fm []FigureMonth, first, last Month) []YieldMonth {
	start := monthOfString(ty.row.StartMonth)
	end := monthOfString(ty.row.EndMonth)
	out := []YieldMonth{}
	for m := start; m <= end; m++ {
		ym := YieldMonth{Month: m.String(), Figures: map[string]*float64{}}
		for _, x := range scans {
			if sc, ok := scanScore(x); ok && MonthOf(*x.ClosedAt) <= m {
				v := sc
				ym.Maturity = &v
			}
		}
		if i := int(m - first); i >= 0 && i < len(fm) {
			for _, key := range YieldFigures {
				ym.Figures[key] = fm[i].Values[key]
			}
		}
		out = append(out, ym)
	}
	return out
}

var figureNames = map[string]string{
	FigClientSatisfied: "Cliënten tevreden (%)",
	FigEmployeeGrade:   "Cijfer medewerkers",
	FigAbsence:         "Ziekteverzuim (%)",
	FigProductivity:    "Productiviteit (%)",
	FigBusinessResult:  "Bedrijfsresultaat per maand (EUR)",
}

// YieldCSV writes the yield view as CSV (semicolons, decimal commas, for
// Dutch spreadsheets), the note in the first line.
func YieldCSV(y *Yield) []byte {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Comma = ';'
	_ = w.Write([]string{"# " + YieldNote})
	head := []string{"soort", "id", "naam", "teams", "teamniveau begin", "teamniveau eind", "teamniveau verschil"}
	for _, k := range YieldFigures {
		head = append(head, figureNames[k]+" begin", figureNames[k]+" eind", figureNames[k]+" verschil", figureNames[k]+" weggelaten teams")
	}
	_ = w.Write(head)
	num := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strings.Replace(strconv.FormatFloat(*p, 'f', -1, 64), ".", ",", 1)
	}
	rows := append(slices.Clone(y.Rows), y.Total)
	for _, r := range rows {
		line := []string{r.Kind, textCell(r.ID), textCell(r.Name), strconv.Itoa(r.Teams), num(r.Maturity.Start), num(r.Maturity.End), num(r.Maturity.Change)}
		for _, k := range YieldFigures {
			m := r.Figures[k]
			line = append(line, num(m.Start), num(m.End), num(m.Change), fmt.Sprint(m.Withheld))
		}
		_ = w.Write(line)
	}
	w.Flush()
	return []byte(b.String())
}

// textCell keeps a spreadsheet from reading a name as a formula (as
// dashboard.NeutraliseCell does for the dashboard export).
func textCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r\n", rune(s[0])) {
		return "'" + s
	}
	return s
}
