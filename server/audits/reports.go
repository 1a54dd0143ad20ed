package audits

import (
	"bytes"
	"encoding/csv"
	"math"
	"sort"
	"strings"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
)

// Home is an auditor's and owner's own work.
type Home struct {
	Audits    []AuditView  `json:"audits"`             // assigned to me and not finished
	Actions   []ActionView `json:"actions"`            // mine to work on
	ToConfirm []ActionView `json:"toConfirm"`          // closed, waiting for me as auditor
	RegionID  string       `json:"regionId,omitempty"` // the region I am responsible for
	Planner   bool         `json:"planner"`            // I plan rounds and see everything
}

// Mine returns the actor's assigned audits and actions.
func (s *Service) Mine(a *identity.Actor) (*Home, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	d := s.dir()
	h := &Home{Audits: []AuditView{}, Actions: []ActionView{}, ToConfirm: []ActionView{}, RegionID: s.regionOf(a), Planner: canPlan(a)}
	s.mu.RLock()
	byAudit := s.actionsByAudit()
	for _, au := range s.audits {
		if au.AuditorID == a.UserID && au.Status != AuditFinished {
			h.Audits = append(h.Audits, s.auditView(au, d, byAudit))
		}
	}
	s.mu.RUnlock()
	sortAudits(h.Audits)
	acts, err := s.Actions(a, ActionQuery{Mine: true})
	if err != nil {
		return nil, err
	}
	for _, v := range acts {
		switch {
		case v.CanConfirm && v.AuditorID == a.UserID:
			h.ToConfirm = append(h.ToConfirm, v)
		case v.CanWork:
			h.Actions = append(h.Actions, v)
		}
	}
	return h, nil
}

// TeamView is what the team page shows: open findings and actions.
type TeamView struct {
	TeamID       string       `json:"teamId"`
	TeamName     string       `json:"teamName"`
	Audits       []AuditView  `json:"audits"`
	OpenFindings []Finding    `json:"openFindings"`
	Actions      []ActionView `json:"actions"` // not yet confirmed
}

// Team returns a team's audits, open findings and open actions.
func (s *Service) Team(a *identity.Actor, teamID string) (*TeamView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	d := s.dir()
	t, ok := d.teams[teamID]
	if !ok {
		return nil, apperr.NotFound("not_found", "no such team")
	}
	vw := s.viewerOf(a)
	if !vw.seesTeam(teamID, t.RegionID) {
		return nil, apperr.Forbidden("forbidden", "only the team, its region and quality & safety see the team's audits")
	}
	v := &TeamView{TeamID: teamID, TeamName: t.Name, Audits: []AuditView{}, OpenFindings: []Finding{}, Actions: []ActionView{}}
	s.mu.RLock()
	byAudit := s.actionsByAudit()
	for _, au := range s.audits {
		if au.TeamID != teamID {
			continue
		}
		v.Audits = append(v.Audits, s.auditView(au, d, byAudit))
		for _, f := range s.findingsOf(au, d, byAudit) {
			if f.Open {
				v.OpenFindings = append(v.OpenFindings, f)
			}
		}
	}
	s.mu.RUnlock()
	sortAudits(v.Audits)
	sort.Slice(v.OpenFindings, func(i, j int) bool { return v.OpenFindings[i].ID > v.OpenFindings[j].ID })
	acts, err := s.Actions(a, ActionQuery{TeamID: teamID})
	if err != nil {
		return nil, err
	}
	for _, x := range acts {
		if !x.Done() {
			v.Actions = append(v.Actions, x)
		}
	}
	return v, nil
}

// ThemeRef names a theme (columns of the heat map).
type ThemeRef struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// HeatRow is one team's theme scores in a round (0–100; null when not scored).
type HeatRow struct {
	TeamID     string              `json:"teamId"`
	TeamName   string              `json:"teamName"`
	RegionID   string              `json:"regionId"`
	RegionName string              `json:"regionName"`
	AuditID    string              `json:"auditId"`
	Status     string              `json:"status"`
	Scores     map[string]*float64 `json:"scores"`
	Total      *float64            `json:"total"`
	Findings   int                 `json:"findings"`
}

// Heatmap is teams × themes for one round.
type Heatmap struct {
	Round  Round      `json:"round"`
	Themes []ThemeRef `json:"themes"`
	Rows   []HeatRow  `json:"rows"`
}

// themeScores of an audit (cached once finished); caller holds s.mu (read).
func (s *Service) themeScores(au *Audit, tpl *Template, d *directory) (map[string]*float64, *float64) {
	if au.Status == AuditFinished {
		dv := s.derivedOf(au, d)
		return dv.scores, dv.total
	}
	return s.computeScores(au, tpl)
}

// computeScores averages the effective answers per theme; caller holds s.mu.
func (s *Service) computeScores(au *Audit, tpl *Template) (map[string]*float64, *float64) {
	ans, _ := s.effectiveAnswers(au)
	out := map[string]*float64{}
	var sum float64
	var n int
	for _, th := range tpl.Themes {
		var ts float64
		var tn int
		for _, c := range th.Criteria {
			if x, ok := ans[c.Key].Score.value(); ok {
				ts += x
				tn++
			}
		}
		if tn > 0 {
			v := math.Round(ts / float64(tn) * 100)
			out[th.Key] = &v
			sum += v
			n++
		} else {
			out[th.Key] = nil
		}
	}
	if n == 0 {
		return out, nil
	}
	t := math.Round(sum / float64(n))
	return out, &t
}

func themesOf(tpl *Template) []ThemeRef {
	out := make([]ThemeRef, 0, len(tpl.Themes))
	for _, th := range tpl.Themes {
		out = append(out, ThemeRef{th.Key, th.Name})
	}
	return out
}

// latestRound is the newest round with a finished audit (or the newest).
func (s *Service) latestRound() *Round {
	var best *Round
	for _, r := range s.rounds {
		if r.Status != RoundPlanning && (best == nil || r.Quarter > best.Quarter || (r.Quarter == best.Quarter && r.Type < best.Type)) {
			best = r
		}
	}
	return best
}

// HeatmapFor returns teams × themes of a round (the latest when roundID is
// empty), limited to the teams the actor may see.
func (s *Service) HeatmapFor(a *identity.Actor, roundID, regionID string) (*Heatmap, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	vw, d := s.viewerOf(a), s.dir()
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.rounds[roundID]
	if roundID == "" {
		r = s.latestRound()
	}
	if r == nil {
		return nil, apperr.NotFound("not_found", "no such round")
	}
	tpl := s.tpl[r.TemplateID]
	h := &Heatmap{Round: *r, Themes: themesOf(tpl), Rows: []HeatRow{}}
	h.Round.Assignments = nil
	for _, as := range r.Assignments {
		au := s.audits[AuditID(r.ID, as.TeamID)]
		if au == nil || !vw.seesAudit(au) || (regionID != "" && au.RegionID != regionID) {
			continue
		}
		row := HeatRow{TeamID: au.TeamID, TeamName: d.teams[au.TeamID].Name, RegionID: au.RegionID, RegionName: d.regions[au.RegionID],
			AuditID: au.ID, Status: au.Status}
		if au.Status == AuditFinished {
			row.Scores, row.Total = s.themeScores(au, s.tpl[au.TemplateID], d)
			row.Findings = s.findingCount(au, d)
		} else {
			row.Scores = map[string]*float64{}
		}
		h.Rows = append(h.Rows, row)
	}
	sort.Slice(h.Rows, func(i, j int) bool {
		if h.Rows[i].RegionName != h.Rows[j].RegionName {
			return h.Rows[i].RegionName < h.Rows[j].RegionName
		}
		return h.Rows[i].TeamName < h.Rows[j].TeamName
	})
	return h, nil
}

// RoundSummary is one round in the by-round report.
type RoundSummary struct {
	Round       Round               `json:"round"`
	Audits      int                 `json:"audits"`
	Finished    int                 `json:"finished"`
	Findings    int                 `json:"findings"`
	OpenActions int                 `json:"openActions"`
	Themes      map[string]*float64 `json:"themes"` // average of the teams' theme scores
}

// RoundsReport summarises every round over the audits the actor may see
// (optionally one region).
func (s *Service) RoundsReport(a *identity.Actor, regionID string) ([]RoundSummary, []ThemeRef, error) {
	if err := requireActor(a); err != nil {
		return nil, nil, err
	}
	vw, d := s.viewerOf(a), s.dir()
	s.mu.RLock()
	defer s.mu.RUnlock()
	byAudit := s.actionsByAudit()
	out := []RoundSummary{}
	var themes []ThemeRef
	for _, r := range s.rounds {
		if r.Status == RoundPlanning {
			continue
		}
		tpl := s.tpl[r.TemplateID]
		if themes == nil && tpl != nil {
			themes = themesOf(tpl)
		}
		rs := RoundSummary{Round: *r, Themes: map[string]*float64{}}
		rs.Round.Assignments = nil
		sums, ns := map[string]float64{}, map[string]int{}
		for _, as := range r.Assignments {
			au := s.audits[AuditID(r.ID, as.TeamID)]
			if au == nil || !vw.seesAudit(au) || (regionID != "" && au.RegionID != regionID) {
				continue
			}
			rs.Audits++
			for _, act := range byAudit[au.ID] {
				if !act.Done() {
					rs.OpenActions++
				}
			}
			if au.Status != AuditFinished {
				continue
			}
			rs.Finished++
			rs.Findings += s.findingCount(au, d)
			sc, _ := s.themeScores(au, s.tpl[au.TemplateID], d)
			for k, v := range sc {
				if v != nil {
					sums[k] += *v
					ns[k]++
				}
			}
		}
		if rs.Audits == 0 {
			continue
		}
		for k, n := range ns {
			v := math.Round(sums[k] / float64(n))
			rs.Themes[k] = &v
		}
		out = append(out, rs)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Round.Quarter != out[j].Round.Quarter {
			return out[i].Round.Quarter < out[j].Round.Quarter
		}
		return out[i].Round.Type < out[j].Round.Type
	})
	if themes == nil {
		themes = themesOf(ptr(DefaultTemplate()))
	}
	return out, themes, nil
}

func ptr[T any](v T) *T { return &v }

// CriterionPoint counts one criterion's scores in one round.
type CriterionPoint struct {
	RoundID string        `json:"roundId"`
	Label   string        `json:"label"`
	Type    string        `json:"type"`
	Counts  map[Score]int `json:"counts"`
}

// CriterionReport follows one criterion over time.
type CriterionReport struct {
	Criterion Criterion        `json:"criterion"`
	ThemeKey  string           `json:"themeKey"`
	Points    []CriterionPoint `json:"points"`
}

// CriterionOverTime counts a criterion's scores per round.
func (s *Service) CriterionOverTime(a *identity.Actor, key, regionID string) (*CriterionReport, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	vw := s.viewerOf(a)
	s.mu.RLock()
	defer s.mu.RUnlock()
	rep := &CriterionReport{Points: []CriterionPoint{}}
	found := false
	for _, t := range s.tpl {
		if c, th, ok := t.criterion(key); ok {
			rep.Criterion, rep.ThemeKey, found = c, th, true
			break
		}
	}
	if !found {
		return nil, apperr.NotFound("not_found", "no such criterion")
	}
	for _, r := range s.rounds {
		if r.Status == RoundPlanning {
			continue
		}
		p := CriterionPoint{RoundID: r.ID, Label: r.Label, Type: r.Type, Counts: map[Score]int{}}
		for _, as := range r.Assignments {
			au := s.audits[AuditID(r.ID, as.TeamID)]
			if au == nil || au.Status != AuditFinished || !vw.seesAudit(au) || (regionID != "" && au.RegionID != regionID) {
				continue
			}
			ans, _ := s.effectiveAnswers(au)
			if x, ok := ans[key]; ok {
				p.Counts[x.Score]++
			}
		}
		rep.Points = append(rep.Points, p)
	}
	sort.Slice(rep.Points, func(i, j int) bool { return rep.Points[i].RoundID < rep.Points[j].RoundID })
	sort.SliceStable(rep.Points, func(i, j int) bool { return quarterOfID(rep.Points[i].RoundID) < quarterOfID(rep.Points[j].RoundID) })
	return rep, nil
}

func quarterOfID(id string) string {
	if i := strings.Index(id, "-"); i >= 0 {
		return id[i+1:]
	}
	return id
}

// RegionTeam is one team in the region overview.
type RegionTeam struct {
	TeamID         string   `json:"teamId"`
	TeamName       string   `json:"teamName"`
	OpenActions    int      `json:"openActions"`
	OverdueActions int      `json:"overdueActions"`
	OpenFindings   int      `json:"openFindings"`
	LastScore      *float64 `json:"lastScore"`
	LastRound      string   `json:"lastRound"`
}

// RegionOverview: overdue actions and every team's state in a region.
type RegionOverview struct {
	RegionID   string         `json:"regionId"`
	RegionName string         `json:"regionName"`
	Teams      []RegionTeam   `json:"teams"`
	Overdue    []ActionView   `json:"overdue"`
	Rounds     []RoundSummary `json:"rounds"`
	Themes     []ThemeRef     `json:"themes"`
}

// Region returns the region overview (the region's manager and coordinating
// district nurse, quality & safety and administrators).
func (s *Service) Region(a *identity.Actor, regionID string) (*RegionOverview, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	d := s.dir()
	name, ok := d.regions[regionID]
	if !ok {
		return nil, apperr.NotFound("not_found", "no such region")
	}
	vw := s.viewerOf(a)
	if !vw.seesRegion(regionID) {
		return nil, apperr.Forbidden("forbidden", "only the region's manager, quality & safety and administrators see the region overview")
	}
	ov := &RegionOverview{RegionID: regionID, RegionName: name, Teams: []RegionTeam{}, Overdue: []ActionView{}}
	idx := map[string]int{}
	for _, t := range d.teamList {
		if t.RegionID == regionID {
			idx[t.ID] = len(ov.Teams)
			ov.Teams = append(ov.Teams, RegionTeam{TeamID: t.ID, TeamName: t.Name})
		}
	}
	var overdue []*Action
	s.mu.RLock()
	byAudit := s.actionsByAudit()
	lastQ := map[string]string{}
	for _, au := range s.audits {
		i, ok := idx[au.TeamID]
		if !ok || au.Status != AuditFinished {
			continue
		}
		for _, f := range s.findingsOf(au, d, byAudit) {
			if f.Open {
				ov.Teams[i].OpenFindings++
			}
		}
		if au.Quarter > lastQ[au.TeamID] || (au.Quarter == lastQ[au.TeamID] && au.Type == TypePeer) {
			lastQ[au.TeamID] = au.Quarter
			_, total := s.themeScores(au, s.tpl[au.TemplateID], d)
			ov.Teams[i].LastScore, ov.Teams[i].LastRound = total, QuarterLabel(au.Quarter)
		}
	}
	for _, act := range s.actions {
		i, ok := idx[act.TeamID]
		if !ok || act.Done() {
			continue
		}
		ov.Teams[i].OpenActions++
		if s.overdue(act) {
			ov.Teams[i].OverdueActions++
			overdue = append(overdue, act)
		}
	}
	s.mu.RUnlock()
	for _, act := range overdue {
		s.mu.RLock()
		au := s.audits[act.AuditID]
		s.mu.RUnlock()
		ov.Overdue = append(ov.Overdue, s.actionView(a, act, au, d))
	}
	sortActions(ov.Overdue)
	rounds, themes, err := s.RoundsReport(a, regionID)
	if err != nil {
		return nil, err
	}
	ov.Rounds, ov.Themes = rounds, themes
	return ov, nil
}

// ExportCSV writes every answer of the audits the actor may see (one round
// or all), for the management meeting. Semicolons: Dutch spreadsheets.
func (s *Service) ExportCSV(a *identity.Actor, roundID string) ([]byte, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	vw, d := s.viewerOf(a), s.dir()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if roundID != "" {
		if _, ok := s.rounds[roundID]; !ok {
			return nil, apperr.NotFound("not_found", "no such round")
		}
	}
	var audits []*Audit
	for _, au := range s.audits {
		if au.Status == AuditFinished && vw.seesAudit(au) && (roundID == "" || au.RoundID == roundID) {
			audits = append(audits, au)
		}
	}
	sort.Slice(audits, func(i, j int) bool {
		if audits[i].Quarter != audits[j].Quarter {
			return audits[i].Quarter < audits[j].Quarter
		}
		return audits[i].ID < audits[j].ID
	})
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.Comma = ';'
	_ = w.Write([]string{"ronde", "soort", "regio", "team", "auditor", "thema", "criterium", "score", "toelichting", "gecorrigeerd"})
	for _, au := range audits {
		tpl := s.tpl[au.TemplateID]
		ans, corrected := s.effectiveAnswers(au)
		for _, th := range tpl.Themes {
			for _, c := range th.Criteria {
				x := ans[c.Key]
				_ = w.Write([]string{QuarterLabel(au.Quarter), au.Type, d.regions[au.RegionID], d.teams[au.TeamID].Name, s.name(au.AuditorID),
					th.Name, c.Text, string(x.Score), csvSafe(x.Note), map[bool]string{true: "ja", false: "nee"}[corrected[c.Key]]})
			}
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// csvSafe defuses formulas in spreadsheet programs.
func csvSafe(s string) string {
	if s != "" && strings.ContainsAny(s[:1], "=+-@\t\r") {
		return "'" + s
	}
	return s
}
