package dashboard

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
)

// Traffic lights against a target.
const (
	StatusGreen = "green" // on or better than target
	StatusAmber = "amber" // worse, but within 5% of the target
	StatusRed   = "red"
	StatusNone  = "none" // no value or no target
)

// Suppression reasons.
const (
	// SuppressedSmallTeam: the team has fewer people than the minimum group
	// size, so a private figure (sickness absence) could single someone out.
	SuppressedSmallTeam = "small_team"
	// SuppressedComplementary: an aggregate is withheld because, together
	// with the figures shown, it would reveal the figure of a small team.
	SuppressedComplementary = "complementary"
)

// calc answers questions about one state with one settings snapshot.
type calc struct {
	st   *state
	set  Settings
	dir  *directory
	inds []Indicator // visible to the reader
	aggs *aggCache   // shared by every request on the same inputs
}

type monthAgg struct {
	org        map[string]*float64
	orgSupp    map[string]string
	orgTeams   int
	region     map[string]map[string]*float64
	regionSupp map[string]map[string]string
	regionN    map[string]int
}

func (s *Service) calc(a *identity.Actor) (*calc, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	dir, err := s.directory(a)
	if err != nil {
		return nil, err
	}
	st, set, setGen := s.snapshot()
	inds := visibleIndicators(a, set)
	key := aggKey{st: st, setGen: setGen, dir: dir, all: set.BusinessResultVisibility != VisibleManagers || isManager(a)}
	return &calc{st: st, set: set, dir: dir, inds: inds, aggs: s.aggCacheFor(key)}, nil
}

// The region and organisation aggregates of a month depend only on the
// figures (a new *state per committed import or reload), the settings (a
// new generation per change or reload), the organisation (a new directory
// per generation of org: a team moving region, a new team) and which
// indicators the reader sees (all, or all but the restricted ones). They
// are kept per such key, so a team's dashboard computes only its own
// team's figures; a new key drops every month kept for the old ones.
type aggKey struct {
	st     *state
	setGen uint64
	dir    *directory
	all    bool // every indicator visible (else not the restricted ones: visibleIndicators)
}

// maxKeptMonths bounds the months kept per key (any month may be asked
// for; those without figures are cheap, but must not grow memory).
const maxKeptMonths = 600

type aggCache struct {
	mu     sync.Mutex
	months map[Month]*monthAgg // read-only once stored
}

func (s *Service) aggCacheFor(k aggKey) *aggCache {
	s.aggMu.Lock()
	defer s.aggMu.Unlock()
	if c := s.aggs[k]; c != nil {
		return c
	}
	for old := range s.aggs {
		if old.st != k.st || old.setGen != k.setGen || old.dir != k.dir {
			delete(s.aggs, old)
		}
	}
	if s.aggs == nil {
		s.aggs = map[aggKey]*aggCache{}
	}
	c := &aggCache{months: map[Month]*monthAgg{}}
	s.aggs[k] = c
	return c
}

func (c *calc) small(team string, m Month) bool { return c.st.people(team, m) < c.set.MinGroupSize }

// teamValue is a team's figure as the reader may see it.
func (c *calc) teamValue(team string, m Month, ind Indicator) (*float64, string) {
	v := c.st.get(team, m, ind.Key)
	if v == nil {
		return nil, ""
	}
	if ind.Private && c.small(team, m) {
		return nil, SuppressedSmallTeam
	}
	return v, ""
}

// aggregate combines teams' figures: a mean weighted by team size (FTE,
// else headcount, else 1) over the teams that have the figure that month,
// or a sum. For private indicators it also returns the people (and teams)
// whose figures are hidden because their team is small.
func (c *calc) aggregate(teams []*teamInfo, m Month, ind Indicator) (v *float64, n, hiddenPeople, hiddenTeams int) {
	var sw, swv, sum float64
	for _, t := range teams {
		x, ok := c.st.value(t.ID, m, ind.Key)
		if !ok {
			continue
		}
		n++
		if ind.Private && c.small(t.ID, m) {
			hiddenTeams++
			hiddenPeople += c.st.people(t.ID, m)
		}
		w := c.st.weight(t.ID, m)
		sw += w
		swv += w * x
		sum += x
	}
	if n == 0 {
		return nil, 0, hiddenPeople, hiddenTeams
	}
	if ind.Aggregate == AggSum {
		return fp(sum), n, hiddenPeople, hiddenTeams
	}
	return fp(round(swv/sw, 2)), n, hiddenPeople, hiddenTeams
}

// month computes the region and organisation aggregates of one month.
//
// Complementary suppression: an aggregate of a private indicator is
// withheld when the hidden small teams in it hold fewer than the minimum
// group size together (else the aggregate minus the teams shown would
// reveal them). At organisation level the hidden groups are those of the
// regions whose aggregate was withheld.
func (c *calc) month(m Month) *monthAgg {
	c.aggs.mu.Lock()
	ma, ok := c.aggs.months[m]
	c.aggs.mu.Unlock()
	if ok {
		return ma
	}
	ma = c.computeMonth(m)
	c.aggs.mu.Lock()
	defer c.aggs.mu.Unlock()
	if kept, ok := c.aggs.months[m]; ok { // another request computed it meanwhile
		return kept
	}
	if len(c.aggs.months) < maxKeptMonths {
		c.aggs.months[m] = ma
	}
	return ma
}

// computeMonth computes month m's aggregates (see month).
func (c *calc) computeMonth(m Month) *monthAgg {
	ma := &monthAgg{org: map[string]*float64{}, orgSupp: map[string]string{}, region: map[string]map[string]*float64{},
		regionSupp: map[string]map[string]string{}, regionN: map[string]int{}}
	for _, r := range c.dir.regions {
		ma.region[r.ID] = map[string]*float64{}
		ma.regionSupp[r.ID] = map[string]string{}
	}
	for _, ind := range c.inds {
		orgHiddenP, orgHiddenT := 0, 0
		for _, r := range c.dir.regions {
			v, n, hp, ht := c.aggregate(c.dir.byRegion[r.ID], m, ind)
			if ht > 0 && hp < c.set.MinGroupSize {
				v = nil
				ma.regionSupp[r.ID][ind.Key] = SuppressedComplementary
				orgHiddenP += hp
				orgHiddenT += ht
			}
			ma.region[r.ID][ind.Key] = v
			ma.regionN[r.ID] = max(ma.regionN[r.ID], n)
		}
		v, n, _, _ := c.aggregate(c.dir.order, m, ind)
		if orgHiddenT > 0 && orgHiddenP < c.set.MinGroupSize {
			v = nil
			ma.orgSupp[ind.Key] = SuppressedComplementary
		}
		ma.org[ind.Key] = v
		ma.orgTeams = max(ma.orgTeams, n)
	}
	return ma
}

func round(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}

// status compares a value with the indicator's target.
func status(ind Indicator, v *float64) string {
	if v == nil || ind.Target == nil {
		return StatusNone
	}
	d := *v - *ind.Target
	if ind.Direction == LowerIsBetter {
		d = -d
	}
	switch {
	case d >= 0:
		return StatusGreen
	case -d <= 0.05*math.Abs(*ind.Target):
		return StatusAmber
	}
	return StatusRed
}

func change(cur, prev *float64) *float64 {
	if cur == nil || prev == nil {
		return nil
	}
	return fp(round(*cur-*prev, 2))
}

// latestMonth is the newest month with any figure (or ok=false).
func (c *calc) latestMonth(team string) (Month, bool) {
	if team != "" {
		best, ok := Month(0), false
		for m, cell := range c.st.eff[team] {
			if len(cell) > 0 && (!ok || m > best) && c.st.hasFigures(team, m) {
				best, ok = m, true
			}
		}
		return best, ok
	}
	return c.st.maxM, c.st.any
}

// Signal points at something that needs attention.
type Signal struct {
	Team     string `json:"team"`
	TeamName string `json:"teamName"`
	Key      string `json:"key,omitempty"`
	Kind     string `json:"kind"` // off_target (3+ months running), no_figures
	Months   int    `json:"months,omitempty"`
	Message  string `json:"message"`
}

// signals for one team in month m.
func (c *calc) signals(t *teamInfo, m Month) []Signal {
	var out []Signal
	if !c.st.hasFigures(t.ID, m) {
		for back := Month(1); back <= 3; back++ {
			if c.st.hasFigures(t.ID, m-back) {
				out = append(out, Signal{Team: t.ID, TeamName: t.Name, Kind: "no_figures",
					Message: fmt.Sprintf("Team %s heeft geen cijfers over %s.", t.Name, m)})
				break
			}
		}
		return out
	}
	for _, ind := range c.inds {
		if ind.Target == nil {
			continue
		}
		n := 0
		for back := Month(0); back < 24; back++ {
			v, supp := c.teamValue(t.ID, m-back, ind)
			if supp != "" || v == nil || status(ind, v) == StatusGreen {
				break
			}
			n++
		}
		if n >= 3 {
			side := "onder"
			if ind.Direction == LowerIsBetter {
				side = "boven"
			}
			out = append(out, Signal{Team: t.ID, TeamName: t.Name, Key: ind.Key, Kind: "off_target", Months: n,
				Message: fmt.Sprintf("%s: %s %d maanden op rij %s de norm.", t.Name, lowerFirst(ind.Name), n, side)})
		}
	}
	return out
}

// ---------------------------------------------------------------------------
// Team view

// TeamRef names a team.
type TeamRef struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	RegionID   string `json:"regionId"`
	RegionName string `json:"regionName"`
}

// Tile is one indicator of a team in one month, with its context.
type Tile struct {
	Key          string   `json:"key"`
	Value        *float64 `json:"value"`
	Previous     *float64 `json:"previous"`
	Change       *float64 `json:"change"`
	Target       *float64 `json:"target"`
	Status       string   `json:"status"`
	Region       *float64 `json:"region"`
	Organisation *float64 `json:"organisation"`
	Suppressed   string   `json:"suppressed,omitempty"`
	ImportID     string   `json:"importId,omitempty"`
	Source       string   `json:"source,omitempty"`
}

// SeriesPoint is one month of a trend.
type SeriesPoint struct {
	Month        Month               `json:"month"`
	Team         map[string]*float64 `json:"team,omitempty"`
	Region       map[string]*float64 `json:"region"`
	Organisation map[string]*float64 `json:"organisation"`
	Suppressed   map[string]string   `json:"suppressed,omitempty"`
}

// Size is a team's size in a month.
type Size struct {
	Headcount *float64 `json:"headcount"`
	FTE       *float64 `json:"fte"`
}

// TeamView is a team's dashboard.
type TeamView struct {
	Team         TeamRef       `json:"team"`
	Month        *Month        `json:"month"`
	Size         Size          `json:"size"`
	MinGroupSize int           `json:"minGroupSize"`
	Indicators   []Indicator   `json:"indicators"`
	Latest       []Tile        `json:"latest"`
	Series       []SeriesPoint `json:"series"`
	Signals      []Signal      `json:"signals"`
}

func (c *calc) size(team string, m Month) Size {
	fte, hc := c.st.size(team, m)
	var s Size
	if fte > 0 {
		s.FTE = fp(fte)
	}
	if hc > 0 {
		s.Headcount = fp(hc)
	}
	return s
}

// ViewQuery selects the month and the length of a trend.
type ViewQuery struct {
	Month  *Month // nil: the latest month with figures
	Months int    // trend length, 1–60 (default 24)
}

func (q ViewQuery) months() int {
	if q.Months <= 0 {
		return 24
	}
	return min(q.Months, 60)
}

// Team returns a team's dashboard. Every member of staff may read it.
func (s *Service) Team(a *identity.Actor, id string, q ViewQuery) (*TeamView, error) {
	c, err := s.calc(a)
	if err != nil {
		return nil, err
	}
	t, ok := c.dir.teams[id]
	if !ok {
		return nil, apperr.NotFound("not_found", "team not found")
	}
	v := &TeamView{Team: TeamRef{ID: t.ID, Name: t.Name, RegionID: t.RegionID, RegionName: t.RegionName},
		MinGroupSize: c.set.MinGroupSize, Indicators: c.inds, Latest: []Tile{}, Series: []SeriesPoint{}, Signals: []Signal{}}
	m, ok := c.latestMonth(t.ID)
	if q.Month != nil {
		m, ok = *q.Month, true
	}
	if !ok {
		return v, nil
	}
	v.Month = &m
	v.Size = c.size(t.ID, m)
	ma := c.month(m)
	for _, ind := range c.inds {
		val, supp := c.teamValue(t.ID, m, ind)
		pv, _ := c.teamValue(t.ID, m-1, ind)
		tile := Tile{Key: ind.Key, Value: val, Previous: pv, Change: change(val, pv), Target: ind.Target, Status: status(ind, val),
			Region: ma.region[t.RegionID][ind.Key], Organisation: ma.org[ind.Key], Suppressed: supp}
		if supp != "" {
			tile.Previous, tile.Change = nil, nil
		}
		if ind.Aggregate == AggSum {
			// A team's result compares with the mean per team, not the total.
			tile.Region = perTeam(ma.region[t.RegionID][ind.Key], ma.regionN[t.RegionID])
			tile.Organisation = perTeam(ma.org[ind.Key], ma.orgTeams)
		}
		if cell, ok := c.st.eff[t.ID][m][ind.Key]; ok && val != nil {
			tile.ImportID = cell.importID
			if im := c.st.imports[cell.importID]; im != nil {
				tile.Source = im.Source
			}
		}
		v.Latest = append(v.Latest, tile)
	}
	for i := q.months() - 1; i >= 0; i-- {
		mm := m - Month(i)
		ma := c.month(mm)
		p := SeriesPoint{Month: mm, Team: map[string]*float64{}, Region: map[string]*float64{}, Organisation: map[string]*float64{}}
		for _, ind := range c.inds {
			val, supp := c.teamValue(t.ID, mm, ind)
			p.Team[ind.Key] = val
			if supp != "" {
				if p.Suppressed == nil {
					p.Suppressed = map[string]string{}
				}
				p.Suppressed[ind.Key] = supp
			}
			p.Region[ind.Key], p.Organisation[ind.Key] = ma.region[t.RegionID][ind.Key], ma.org[ind.Key]
			if ind.Aggregate == AggSum {
				p.Region[ind.Key] = perTeam(ma.region[t.RegionID][ind.Key], ma.regionN[t.RegionID])
				p.Organisation[ind.Key] = perTeam(ma.org[ind.Key], ma.orgTeams)
			}
		}
		v.Series = append(v.Series, p)
	}
	v.Signals = nonNil(c.signals(t, m))
	return v, nil
}

func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = []rune(strings.ToLower(string(r[0])))[0]
	}
	return string(r)
}

func perTeam(total *float64, n int) *float64 {
	if total == nil || n == 0 {
		return nil
	}
	return fp(round(*total/float64(n), 0))
}

// ---------------------------------------------------------------------------
// Organisation and region views

// AggRow is a region's or the organisation's figures in a month.
type AggRow struct {
	ID         string              `json:"id"`
	Name       string              `json:"name"`
	Teams      int                 `json:"teams"` // teams with figures this month
	Values     map[string]*float64 `json:"values"`
	Changes    map[string]*float64 `json:"changes"`
	Status     map[string]string   `json:"status"`
	Suppressed map[string]string   `json:"suppressed,omitempty"`
}

// TeamRow is a team's figures in a month, for lists.
type TeamRow struct {
	ID         string              `json:"id"`
	Name       string              `json:"name"`
	RegionID   string              `json:"regionId"`
	RegionName string              `json:"regionName"`
	Size       Size                `json:"size"`
	Values     map[string]*float64 `json:"values"`
	Changes    map[string]*float64 `json:"changes"`
	Status     map[string]string   `json:"status"`
	Suppressed map[string]string   `json:"suppressed,omitempty"`
	Signals    []Signal            `json:"signals"`
}

// OrgView is the organisation's dashboard: every team, every region.
type OrgView struct {
	Month        *Month        `json:"month"`
	FirstMonth   *Month        `json:"firstMonth"` // the range of months with figures
	LastMonth    *Month        `json:"lastMonth"`
	MinGroupSize int           `json:"minGroupSize"`
	Indicators   []Indicator   `json:"indicators"`
	Organisation AggRow        `json:"organisation"`
	Regions      []AggRow      `json:"regions"`
	Teams        []TeamRow     `json:"teams"`
	Series       []SeriesPoint `json:"series"`
	Sort         string        `json:"sort"`
	Order        string        `json:"order"`
}

// RegionView is one region's dashboard.
type RegionView struct {
	Region       AggRow        `json:"region"`
	Organisation AggRow        `json:"organisation"`
	Month        *Month        `json:"month"`
	MinGroupSize int           `json:"minGroupSize"`
	Indicators   []Indicator   `json:"indicators"`
	Teams        []TeamRow     `json:"teams"`
	Series       []SeriesPoint `json:"series"`
}

// ListQuery selects the month, the trend length and the order of teams.
type ListQuery struct {
	ViewQuery
	Sort  string // name (default), region, or an indicator key
	Order string // asc (default) or desc
}

func (c *calc) teamRow(t *teamInfo, m Month) TeamRow {
	r := TeamRow{ID: t.ID, Name: t.Name, RegionID: t.RegionID, RegionName: t.RegionName, Size: c.size(t.ID, m),
		Values: map[string]*float64{}, Changes: map[string]*float64{}, Status: map[string]string{}, Signals: nonNil(c.signals(t, m))}
	for _, ind := range c.inds {
		v, supp := c.teamValue(t.ID, m, ind)
		pv, _ := c.teamValue(t.ID, m-1, ind)
		r.Values[ind.Key], r.Changes[ind.Key], r.Status[ind.Key] = v, change(v, pv), status(ind, v)
		if supp != "" {
			if r.Suppressed == nil {
				r.Suppressed = map[string]string{}
			}
			r.Suppressed[ind.Key] = supp
		}
	}
	return r
}

func (c *calc) aggRow(id, name string, m Month, region bool) AggRow {
	ma, prev := c.month(m), c.month(m-1)
	vals, pvals, supp, n := ma.org, prev.org, ma.orgSupp, ma.orgTeams
	if region {
		vals, pvals, supp, n = ma.region[id], prev.region[id], ma.regionSupp[id], ma.regionN[id]
	}
	r := AggRow{ID: id, Name: name, Teams: n, Values: map[string]*float64{}, Changes: map[string]*float64{}, Status: map[string]string{}}
	for _, ind := range c.inds {
		r.Values[ind.Key], r.Changes[ind.Key] = vals[ind.Key], change(vals[ind.Key], pvals[ind.Key])
		r.Status[ind.Key] = StatusNone
		if ind.Aggregate != AggSum {
			r.Status[ind.Key] = status(ind, vals[ind.Key])
		}
		if s := supp[ind.Key]; s != "" {
			if r.Suppressed == nil {
				r.Suppressed = map[string]string{}
			}
			r.Suppressed[ind.Key] = s
		}
	}
	return r
}

func (c *calc) series(m Month, n int, region string) []SeriesPoint {
	out := []SeriesPoint{}
	for i := n - 1; i >= 0; i-- {
		mm := m - Month(i)
		ma := c.month(mm)
		p := SeriesPoint{Month: mm, Organisation: map[string]*float64{}, Region: map[string]*float64{}}
		for _, ind := range c.inds {
			p.Organisation[ind.Key] = ma.org[ind.Key]
			if region != "" {
				p.Region[ind.Key] = ma.region[region][ind.Key]
			}
		}
		if region == "" {
			p.Region = nil
		}
		out = append(out, p)
	}
	return out
}

func (c *calc) pickMonth(q ViewQuery) (Month, bool) {
	if q.Month != nil {
		return *q.Month, true
	}
	return c.latestMonth("")
}

func (c *calc) sortTeams(rows []TeamRow, q ListQuery) (string, string, error) {
	sortKey, order := q.Sort, q.Order
	if sortKey == "" {
		sortKey = "name"
	}
	if order == "" {
		order = "asc"
	}
	var v apperr.Validator
	known := sortKey == "name" || sortKey == "region" || slices.ContainsFunc(c.inds, func(i Indicator) bool { return i.Key == sortKey })
	v.Check(known, "sort", "invalid", "use name, region or an indicator key from GET /api/v1/dashboard/indicators")
	v.Check(order == "asc" || order == "desc", "order", "invalid_choice", "use asc or desc")
	if err := v.Err(); err != nil {
		return "", "", err
	}
	sign := 1
	if order == "desc" {
		sign = -1
	}
	slices.SortStableFunc(rows, func(a, b TeamRow) int {
		switch sortKey {
		case "name":
			return sign * cmp.Compare(normHeader(a.Name), normHeader(b.Name))
		case "region":
			if r := cmp.Compare(normHeader(a.RegionName), normHeader(b.RegionName)); r != 0 {
				return sign * r
			}
			return cmp.Compare(normHeader(a.Name), normHeader(b.Name))
		}
		av, bv := a.Values[sortKey], b.Values[sortKey]
		switch {
		case av == nil && bv == nil:
			return cmp.Compare(normHeader(a.Name), normHeader(b.Name))
		case av == nil: // missing and withheld values last, whatever the order
			return 1
		case bv == nil:
			return -1
		}
		if r := cmp.Compare(*av, *bv); r != 0 {
			return sign * r
		}
		return cmp.Compare(normHeader(a.Name), normHeader(b.Name))
	})
	return sortKey, order, nil
}

// Organisation returns every team's and region's figures for a month.
func (s *Service) Organisation(a *identity.Actor, q ListQuery) (*OrgView, error) {
	c, err := s.calc(a)
	if err != nil {
		return nil, err
	}
	v := &OrgView{MinGroupSize: c.set.MinGroupSize, Indicators: c.inds, Regions: []AggRow{}, Teams: []TeamRow{}, Series: []SeriesPoint{}}
	if c.st.any {
		f, l := c.st.minM, c.st.maxM
		v.FirstMonth, v.LastMonth = &f, &l
	}
	m, ok := c.pickMonth(q.ViewQuery)
	if !ok {
		v.Sort, v.Order, err = c.sortTeams(v.Teams, q)
		return v, err
	}
	v.Month = &m
	v.Organisation = c.aggRow("", "Organisatie", m, false)
	for _, r := range c.dir.regions {
		v.Regions = append(v.Regions, c.aggRow(r.ID, r.Name, m, true))
	}
	for _, t := range c.dir.order {
		v.Teams = append(v.Teams, c.teamRow(t, m))
	}
	if v.Sort, v.Order, err = c.sortTeams(v.Teams, q); err != nil {
		return nil, err
	}
	v.Series = c.series(m, q.months(), "")
	return v, nil
}

// Region returns one region's figures and its teams.
func (s *Service) Region(a *identity.Actor, id string, q ListQuery) (*RegionView, error) {
	c, err := s.calc(a)
	if err != nil {
		return nil, err
	}
	name := ""
	for _, r := range c.dir.regions {
		if r.ID == id {
			name = r.Name
		}
	}
	if name == "" {
		return nil, apperr.NotFound("not_found", "region not found")
	}
	v := &RegionView{MinGroupSize: c.set.MinGroupSize, Indicators: c.inds, Teams: []TeamRow{}, Series: []SeriesPoint{},
		Region: AggRow{ID: id, Name: name}}
	m, ok := c.pickMonth(q.ViewQuery)
	if !ok {
		_, _, err = c.sortTeams(v.Teams, q)
		return v, err
	}
	v.Month = &m
	v.Region = c.aggRow(id, name, m, true)
	v.Organisation = c.aggRow("", "Organisatie", m, false)
	for _, t := range c.dir.byRegion[id] {
		v.Teams = append(v.Teams, c.teamRow(t, m))
	}
	if _, _, err := c.sortTeams(v.Teams, q); err != nil {
		return nil, err
	}
	v.Series = c.series(m, q.months(), id)
	return v, nil
}
