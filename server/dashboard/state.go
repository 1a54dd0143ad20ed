package dashboard

import (
	"math"
	"slices"
	"strings"
)

// val is the figure in effect for one team, month and key, with the import
// it came from. v is nil when the latest import cleared it.
type val struct {
	v        *float64
	importID string
}

// state is an immutable picture of the committed figures: built at load,
// replaced whole after a commit or a reload that found new imports.
type state struct {
	imports map[string]*Import // committed imports by id
	order   []*Import          // committed imports, oldest first
	figures []figureDoc        // figures of committed imports
	eff     map[string]map[Month]map[string]val
	minM    Month // first and last month with any figure (valid when any)
	maxM    Month
	any     bool
	dense   map[string]*teamSeries // the same figures as arrays, for fast aggregation
}

// teamSeries holds a team's figures by month index (m - state.minM): NaN
// where there is no value; sizes carried forward.
type teamSeries struct {
	vals    map[string][]float64
	fte, hc []float64
}

// importLess orders imports by time, then id (ids are time-ordered too).
func importLess(a, b *Import) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// buildState applies the figures of committed imports in import order:
// per team, month and key the latest committed import wins. Figures whose
// import is not committed (orphans of an interrupted commit) are ignored.
func buildState(imports []Import, figures []figureDoc) *state {
	s := &state{imports: map[string]*Import{}, eff: map[string]map[Month]map[string]val{}}
	for i := range imports {
		if imports[i].Committed {
			im := imports[i]
			s.imports[im.ID] = &im
			s.order = append(s.order, &im)
		}
	}
	slices.SortFunc(s.order, importLess)
	rank := map[string]int{}
	for i, im := range s.order {
		rank[im.ID] = i
	}
	for _, f := range figures {
		if _, ok := s.imports[f.ImportID]; ok {
			s.figures = append(s.figures, f)
		}
	}
	slices.SortStableFunc(s.figures, func(a, b figureDoc) int { return rank[a.ImportID] - rank[b.ImportID] })
	for _, f := range s.figures {
		m, ok := ParseMonth(f.Month)
		if !ok {
			continue
		}
		s.apply(f.Team, m, f.ImportID, f.Values)
	}
	s.densify()
	return s
}

func (s *state) densify() {
	s.dense = map[string]*teamSeries{}
	if !s.any {
		return
	}
	n := int(s.maxM-s.minM) + 1
	for team, tm := range s.eff {
		ts := &teamSeries{vals: map[string][]float64{}, fte: make([]float64, n), hc: make([]float64, n)}
		for m, cell := range tm {
			i := int(m - s.minM)
			for k, v := range cell {
				arr := ts.vals[k]
				if arr == nil {
					arr = make([]float64, n)
					for j := range arr {
						arr[j] = math.NaN()
					}
					ts.vals[k] = arr
				}
				if v.v != nil {
					arr[i] = *v.v
				}
			}
		}
		// Sizes: as given that month, else as last given before (within three years).
		for _, sz := range []struct {
			key string
			out []float64
		}{{KeyFTE, ts.fte}, {KeyHeadcount, ts.hc}} {
			arr := ts.vals[sz.key]
			last, at := 0.0, -1000
			for i := 0; i < n; i++ {
				if arr != nil && !math.IsNaN(arr[i]) {
					last, at = arr[i], i
				}
				if i-at < 36 {
					sz.out[i] = last
				}
			}
		}
		s.dense[team] = ts
	}
}

func (s *state) apply(team string, m Month, importID string, values map[string]*float64) {
	tm := s.eff[team]
	if tm == nil {
		tm = map[Month]map[string]val{}
		s.eff[team] = tm
	}
	cell := tm[m]
	if cell == nil {
		cell = map[string]val{}
		tm[m] = cell
	}
	for k, v := range values {
		cell[k] = val{v: v, importID: importID}
	}
	if !s.any || m < s.minM {
		s.minM = m
	}
	if !s.any || m > s.maxM {
		s.maxM = m
	}
	s.any = true
}

// with returns a new state with one more committed import.
func (s *state) with(im *Import, figs []figureDoc) *state {
	imports := make([]Import, 0, len(s.order)+1)
	for _, o := range s.order {
		imports = append(imports, *o)
	}
	imports = append(imports, *im)
	return buildState(imports, append(slices.Clone(s.figures), figs...))
}

// get returns the value of key for team in month m (nil when absent or cleared).
func (s *state) get(team string, m Month, key string) *float64 {
	return s.eff[team][m][key].v
}

// hasFigures reports whether the team has any value in month m.
func (s *state) hasFigures(team string, m Month) bool {
	for k, v := range s.eff[team][m] {
		if v.v != nil && k != KeyHeadcount && k != KeyFTE {
			return true
		}
	}
	return false
}

// size returns the team's size in month m: FTE and headcount as given that
// month, else as last given before it (within three years).
func (s *state) size(team string, m Month) (fte, headcount float64) {
	ts := s.dense[team]
	if ts == nil || m < s.minM {
		return 0, 0
	}
	i := int(m - s.minM)
	if m > s.maxM {
		if m-s.maxM >= 36 {
			return 0, 0
		}
		i = int(s.maxM - s.minM)
	}
	return ts.fte[i], ts.hc[i]
}

// value is get for aggregation: the value and whether there is one.
func (s *state) value(team string, m Month, key string) (float64, bool) {
	if m < s.minM || m > s.maxM {
		return 0, false
	}
	ts := s.dense[team]
	if ts == nil {
		return 0, false
	}
	arr := ts.vals[key]
	if arr == nil {
		return 0, false
	}
	v := arr[int(m-s.minM)]
	return v, !math.IsNaN(v)
}

// weight is the team's weight in averages: FTE, else headcount, else 1.
func (s *state) weight(team string, m Month) float64 {
	fte, hc := s.size(team, m)
	switch {
	case fte > 0:
		return fte
	case hc > 0:
		return hc
	}
	return 1
}

// people is a lower bound on the number of people in the team: the
// headcount, else the whole part of the FTE (nobody works more than 1 FTE),
// else 0 (unknown).
func (s *state) people(team string, m Month) int {
	fte, hc := s.size(team, m)
	if hc > 0 {
		return int(hc)
	}
	return int(fte)
}

// diff compares a batch with the figures in effect.
func (s *state) diff(b *Batch) (ChangeSummary, []Change, bool) {
	var sum ChangeSummary
	var changes []Change
	truncated := false
	record := func(c Change) {
		if len(changes) < maxStoredChanges {
			changes = append(changes, c)
		} else {
			truncated = true
		}
	}
	for _, r := range b.Rows {
		sum.TeamMonths++
		cell := s.eff[r.Team][r.Month]
		if len(cell) == 0 {
			sum.NewTeamMonths++
		}
		keys := make([]string, 0, len(r.Values))
		for k := range r.Values {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			nv := r.Values[k]
			ov := cell[k].v
			switch {
			case ov == nil && nv == nil:
				sum.Unchanged++
			case ov == nil:
				sum.Added++
				record(Change{Team: r.Team, Month: r.Month.String(), Key: k, New: nv})
			case nv == nil:
				sum.Cleared++
				record(Change{Team: r.Team, Month: r.Month.String(), Key: k, Old: ov})
			case *ov == *nv:
				sum.Unchanged++
			default:
				sum.Changed++
				record(Change{Team: r.Team, Month: r.Month.String(), Key: k, Old: ov, New: nv})
			}
		}
	}
	return sum, changes, truncated
}

func (c ChangeSummary) effective() bool { return c.Added+c.Changed+c.Cleared > 0 }
