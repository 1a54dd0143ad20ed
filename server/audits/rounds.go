package audits

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
)

// ---------------------------------------------------------------------------
// Templates

// Templates lists every template version, newest first per key.
func (s *Service) Templates(a *identity.Actor) ([]Template, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	s.mu.RLock()
	out := make([]Template, 0, len(s.tpl))
	for _, t := range s.tpl {
		out = append(out, *t)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Key != out[j].Key {
			return out[i].Key < out[j].Key
		}
		return out[i].Version > out[j].Version
	})
	return out, nil
}

// Template returns one version.
func (s *Service) Template(a *identity.Actor, id string) (*Template, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, ok := s.tpl[id]
	if !ok {
		return nil, apperr.NotFound("not_found", "no such template")
	}
	c := *t
	return &c, nil
}

func (s *Service) latestTemplate(key string) *Template {
	var best *Template
	for _, t := range s.tpl {
		if t.Key == key && (best == nil || t.Version > best.Version) {
			best = t
		}
	}
	return best
}

// CreateTemplateVersion stores the next version of a template (planners).
func (s *Service) CreateTemplateVersion(ctx context.Context, a *identity.Actor, in TemplateInput) (*Template, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if !canPlan(a) {
		return nil, apperr.Forbidden("forbidden", "only quality & safety (support services) and administrators change templates")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.RLock()
	v := 1
	if t := s.latestTemplate(in.Key); t != nil {
		v = t.Version + 1
	}
	s.mu.RUnlock()
	t := &Template{ID: fmt.Sprintf("%s:v%d", in.Key, v), Key: in.Key, Version: v, Name: strings.TrimSpace(in.Name),
		CreatedAt: s.now().UTC(), CreatedBy: a.UserID}
	for _, th := range in.Themes {
		x := Theme{Key: th.Key, Name: strings.TrimSpace(th.Name)}
		for _, c := range th.Criteria {
			x.Criteria = append(x.Criteria, Criterion{Key: c.Key, Text: strings.TrimSpace(c.Text), Guidance: strings.TrimSpace(c.Guidance)})
		}
		t.Themes = append(t.Themes, x)
	}
	ok, err := insertNew(ctx, s.st.templates, t)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apperr.Conflict("stale_version", "another version was saved at the same time; try again")
	}
	s.mu.Lock()
	s.tpl[t.ID] = t
	s.mu.Unlock()
	s.changed(ctx, ref{C: templatesColl, ID: t.ID})
	return t, nil
}

// ---------------------------------------------------------------------------
// Auditors: who is responsible for which region

// AuditorView is a regional manager or coordinating district nurse.
type AuditorView struct {
	UserID   string          `json:"userId"`
	Name     string          `json:"name"`
	Roles    []identity.Role `json:"roles"`
	RegionID string          `json:"regionId"`
}

// Auditors lists everyone who can audit (planners only).
func (s *Service) Auditors(a *identity.Actor) ([]AuditorView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if !canPlan(a) {
		return nil, apperr.Forbidden("forbidden", "only planners see the auditors")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []AuditorView
	for _, u := range s.people.All() {
		var roles []identity.Role
		for _, r := range u.Roles() {
			if r == identity.RoleRegiomanager || r == identity.RoleCoordinerendWV {
				roles = append(roles, r)
			}
		}
		if len(roles) == 0 || !u.Active {
			continue
		}
		out = append(out, AuditorView{UserID: u.ID, Name: u.Name, Roles: roles, RegionID: s.auditors[u.ID]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// AuditorInput sets a person's region.
type AuditorInput struct {
	RegionID string `json:"regionId"`
}

// SetAuditorRegion records the region a manager or coordinating nurse is
// responsible for ("" removes it).
func (s *Service) SetAuditorRegion(ctx context.Context, a *identity.Actor, userID string, in AuditorInput) (*AuditorView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if !canPlan(a) {
		return nil, apperr.Forbidden("forbidden", "only planners set auditors' regions")
	}
	u, ok := s.people.Get(userID)
	if !ok {
		return nil, apperr.NotFound("not_found", "no such person")
	}
	var v apperr.Validator
	if in.RegionID != "" {
		_, known := s.dir().regions[in.RegionID]
		v.Check(known, "regionId", "unknown", "unknown region")
	}
	roles := u.Roles()
	v.Check(containsRole(roles, identity.RoleRegiomanager) || containsRole(roles, identity.RoleCoordinerendWV), "userId", "not_allowed", "only regional managers and coordinating district nurses audit")
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if in.RegionID == "" {
		if _, err := s.st.auditors.DeleteOne(ctx, idFilter(userID)); err != nil {
			return nil, unavailable("delete auditor", err)
		}
	} else if err := put(ctx, s.st.auditors, userID, &Auditor{UserID: userID, RegionID: in.RegionID}); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if in.RegionID == "" {
		delete(s.auditors, userID)
	} else {
		s.auditors[userID] = in.RegionID
	}
	s.mu.Unlock()
	s.changed(ctx, ref{C: auditorsColl, ID: userID})
	return &AuditorView{UserID: u.ID, Name: u.Name, Roles: roles, RegionID: in.RegionID}, nil
}

func containsRole(rs []identity.Role, r identity.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// Rounds

// RoundInput starts a round.
type RoundInput struct {
	Type       string   `json:"type"`
	Quarter    string   `json:"quarter"`
	TemplateID string   `json:"templateId"`
	TeamIDs    []string `json:"teamIds"` // empty: peer → 2 teams per region, internal → every team
}

// Validate checks the fields that need no state.
func (in *RoundInput) Validate() error {
	var v apperr.Validator
	v.Check(in.Type == TypePeer || in.Type == TypeInternal, "type", "invalid_choice", "use peer or internal")
	_, _, ok := ParseQuarter(in.Quarter)
	v.Check(ok, "quarter", "invalid_date", "use yyyy-Qn, e.g. 2027-Q1")
	v.Check(len(in.TeamIDs) <= 1000, "teamIds", "too_many", "at most 1000 teams", apperr.Params{"max": 1000})
	return v.Err()
}

// RoundView is a round with its assignment checked against the rule.
type RoundView struct {
	Round
	Assignments []AssignmentView `json:"assignments"`
	Violations  []Violation      `json:"violations"`
	Warnings    []Warning        `json:"warnings"`
	Auditors    []AuditorLoad    `json:"auditors"`
	Progress    RoundProgress    `json:"progress"`
}

// AssignmentView names the team and the auditor.
type AssignmentView struct {
	TeamID      string `json:"teamId"`
	TeamName    string `json:"teamName"`
	RegionID    string `json:"regionId"`
	RegionName  string `json:"regionName"`
	AuditorID   string `json:"auditorId"`
	AuditorName string `json:"auditorName"`
	AuditID     string `json:"auditId,omitempty"`
	Status      string `json:"status,omitempty"`
}

// AuditorLoad is a candidate with their number of audits in the round.
type AuditorLoad struct {
	UserID   string `json:"userId"`
	Name     string `json:"name"`
	RegionID string `json:"regionId"`
	Load     int    `json:"load"`
}

// RoundProgress counts the round's audits.
type RoundProgress struct {
	Audits   int `json:"audits"`
	Finished int `json:"finished"`
}

// Rounds lists rounds, newest first (planners see all; others the rounds
// they have a visible audit in).
func (s *Service) Rounds(a *identity.Actor) ([]Round, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	s.mu.RLock()
	rs := make([]*Round, 0, len(s.rounds))
	for _, r := range s.rounds {
		rs = append(rs, r)
	}
	var as []*Audit
	if !seesAll(a) {
		for _, au := range s.audits {
			as = append(as, au)
		}
	}
	s.mu.RUnlock()
	visible := map[string]bool{}
	vw := s.viewerOf(a)
	for _, au := range as {
		if !visible[au.RoundID] && vw.seesAudit(au) {
			visible[au.RoundID] = true
		}
	}
	out := []Round{}
	for _, r := range rs {
		if seesAll(a) || visible[r.ID] {
			c := *r
			c.Assignments = nil
			if !canPlan(a) {
				c.CreatedBy = ""
			}
			out = append(out, c)
		}
	}
	sortRounds(out)
	return out, nil
}

func sortRounds(rs []Round) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Quarter != rs[j].Quarter {
			return rs[i].Quarter > rs[j].Quarter
		}
		return rs[i].Type < rs[j].Type
	})
}

// units are the round's teams.
func unitsOf(r *Round, d *directory) []Unit {
	var out []Unit
	for _, as := range r.Assignments {
		out = append(out, Unit{TeamID: as.TeamID, RegionID: d.teams[as.TeamID].RegionID})
	}
	return out
}

// recentFor returns the pairs of the 2 rounds of the same type before r.
func (s *Service) recentFor(r *Round, d *directory) map[string]bool {
	s.mu.RLock()
	var prev []*Round
	for _, x := range s.rounds {
		if x.Type == r.Type && x.Quarter < r.Quarter {
			prev = append(prev, x)
		}
	}
	s.mu.RUnlock()
	sort.Slice(prev, func(i, j int) bool { return prev[i].Quarter > prev[j].Quarter })
	if len(prev) > 2 {
		prev = prev[:2]
	}
	regionOf := map[string]string{}
	for id, t := range d.teams {
		regionOf[id] = t.RegionID
	}
	var hist [][]Assignment
	for _, p := range prev {
		hist = append(hist, p.Assignments)
	}
	return RecentPairs(r.Type, hist, regionOf)
}

// CreateRound makes a round in planning with a proposed assignment. Its id
// follows from type and quarter, so a retried create finds it (409).
func (s *Service) CreateRound(ctx context.Context, a *identity.Actor, in RoundInput) (*RoundView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if !canPlan(a) {
		return nil, apperr.Forbidden("forbidden", "only quality & safety (support services) and administrators plan rounds")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	d := s.dir()
	var v apperr.Validator
	s.mu.RLock()
	tplID := in.TemplateID
	if tplID == "" {
		if t := s.latestTemplate(DefaultTemplateKey); t != nil {
			tplID = t.ID
		}
	}
	_, tplOK := s.tpl[tplID]
	s.mu.RUnlock()
	v.Check(tplOK, "templateId", "unknown", "unknown template")
	seen := map[string]bool{}
	for i, id := range in.TeamIDs {
		_, ok := d.teams[id]
		v.Check(ok && !seen[id], fmt.Sprintf("teamIds[%d]", i), "unknown", "unknown or repeated team")
		seen[id] = true
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	r := &Round{ID: RoundID(in.Type, in.Quarter), Type: in.Type, Quarter: in.Quarter, Label: QuarterLabel(in.Quarter),
		TemplateID: tplID, Status: RoundPlanning, CreatedAt: s.now().UTC(), CreatedBy: a.UserID}
	teams := in.TeamIDs
	if len(teams) == 0 {
		teams = s.defaultTeams(in.Type, d)
	}
	for _, t := range teams {
		r.Assignments = append(r.Assignments, Assignment{TeamID: t})
	}
	units := unitsOf(r, d)
	proposal := Propose(r.Type, units, s.candidates(r.Type, d), s.recentFor(r, d))
	byTeam := map[string]string{}
	for _, p := range proposal {
		byTeam[p.TeamID] = p.AuditorID
	}
	for i := range r.Assignments {
		r.Assignments[i].AuditorID = byTeam[r.Assignments[i].TeamID]
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	ok, err := insertNew(ctx, s.st.rounds, r)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apperr.Conflict("already_exists", "a "+r.Type+" round for "+r.Label+" exists already")
	}
	s.mu.Lock()
	s.rounds[r.ID] = r
	s.mu.Unlock()
	s.changed(ctx, ref{C: roundsColl, ID: r.ID})
	return s.roundView(r, d), nil
}

// defaultTeams: every team for an internal round; for a peer round two teams
// per region, those peer-audited longest ago (then by name).
func (s *Service) defaultTeams(typ string, d *directory) []string {
	if typ == TypeInternal {
		out := make([]string, 0, len(d.teamList))
		for _, t := range d.teamList {
			out = append(out, t.ID)
		}
		return out
	}
	last := map[string]string{}
	s.mu.RLock()
	for _, r := range s.rounds {
		if r.Type != TypePeer {
			continue
		}
		for _, as := range r.Assignments {
			if r.Quarter > last[as.TeamID] {
				last[as.TeamID] = r.Quarter
			}
		}
	}
	s.mu.RUnlock()
	byRegion := map[string][]string{}
	for _, t := range d.teamList {
		byRegion[t.RegionID] = append(byRegion[t.RegionID], t.ID)
	}
	var out []string
	for _, reg := range d.regionList {
		ts := byRegion[reg.ID]
		sort.SliceStable(ts, func(i, j int) bool { return last[ts[i]] < last[ts[j]] })
		out = append(out, ts[:min(2, len(ts))]...)
	}
	return out
}

func (s *Service) roundView(r *Round, d *directory) *RoundView {
	cands := s.candidates(r.Type, d)
	vs, ws := Check(r.Type, unitsOf(r, d), cands, s.recentFor(r, d), r.Assignments)
	v := &RoundView{Round: *r, Violations: vs, Warnings: ws}
	if v.Violations == nil {
		v.Violations = []Violation{}
	}
	if v.Warnings == nil {
		v.Warnings = []Warning{}
	}
	load := map[string]int{}
	s.mu.RLock()
	for _, as := range r.Assignments {
		load[as.AuditorID]++
		t := d.teams[as.TeamID]
		av := AssignmentView{TeamID: as.TeamID, TeamName: t.Name, RegionID: t.RegionID, RegionName: d.regions[t.RegionID],
			AuditorID: as.AuditorID, AuditorName: s.name(as.AuditorID)}
		if au, ok := s.audits[AuditID(r.ID, as.TeamID)]; ok {
			av.AuditID, av.Status = au.ID, au.Status
			v.Progress.Audits++
			if au.Status == AuditFinished {
				v.Progress.Finished++
			}
		}
		v.Assignments = append(v.Assignments, av)
	}
	s.mu.RUnlock()
	for _, c := range cands {
		v.Auditors = append(v.Auditors, AuditorLoad{UserID: c.ID, Name: s.name(c.ID), RegionID: c.Region, Load: load[c.ID]})
	}
	if v.Auditors == nil {
		v.Auditors = []AuditorLoad{}
	}
	v.Round.Assignments = nil
	return v
}

// GetRound returns a round with its checked assignment (planners).
func (s *Service) GetRound(a *identity.Actor, id string) (*RoundView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	s.mu.RLock()
	r, ok := s.rounds[id]
	s.mu.RUnlock()
	if !ok {
		return nil, apperr.NotFound("not_found", "no such round")
	}
	if !canPlan(a) {
		return nil, apperr.Forbidden("forbidden", "only planners see a round's assignment")
	}
	return s.roundView(r, s.dir()), nil
}

// AssignmentsInput replaces a round's assignment.
type AssignmentsInput struct {
	Assignments []Assignment `json:"assignments"`
}

// Validate checks the shape.
func (in *AssignmentsInput) Validate() error {
	var v apperr.Validator
	v.Check(len(in.Assignments) >= 1 && len(in.Assignments) <= 1000, "assignments", "count", "1 to 1000 assignments", apperr.Params{"min": 1, "max": 1000})
	for i, as := range in.Assignments {
		v.Check(as.TeamID != "", fmt.Sprintf("assignments[%d].teamId", i), "required", "required")
		v.Check(as.AuditorID != "", fmt.Sprintf("assignments[%d].auditorId", i), "required", "required")
	}
	return v.Err()
}

// SetAssignments lets a planner adjust the proposal. The rule is re-checked:
// a broken hard rule refuses the change (422, nothing stored); repeats and
// uneven load come back as warnings.
func (s *Service) SetAssignments(ctx context.Context, a *identity.Actor, id string, in AssignmentsInput) (*RoundView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if !canPlan(a) {
		return nil, apperr.Forbidden("forbidden", "only planners adjust an assignment")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.RLock()
	r, ok := s.rounds[id]
	s.mu.RUnlock()
	if !ok {
		return nil, apperr.NotFound("not_found", "no such round")
	}
	if r.Status != RoundPlanning {
		return nil, apperr.Conflict("conflict", "the round is open; its assignment is fixed")
	}
	d := s.dir()
	next := *r
	next.Assignments = in.Assignments
	// The planner may change the round's teams as well (any known team).
	vs, _ := Check(r.Type, unitsOfTeams(in.Assignments, d), s.candidates(r.Type, d), s.recentFor(r, d), in.Assignments)
	var v apperr.Validator
	for _, x := range vs {
		field := "assignments"
		if x.Index >= 0 {
			field = fmt.Sprintf("assignments[%d].auditorId", x.Index)
			if x.Rule == "unknown_team" || x.Rule == "duplicate_team" {
				field = fmt.Sprintf("assignments[%d].teamId", x.Index)
			}
		}
		v.Add(field, "assignment_rule", x.Rule+": "+x.Message, apperr.Params{"rule": x.Rule})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := put(ctx, s.st.rounds, next.ID, &next); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.rounds[next.ID] = &next
	s.mu.Unlock()
	s.changed(ctx, ref{C: roundsColl, ID: next.ID})
	return s.roundView(&next, d), nil
}

// unitsOfTeams: every known team in the list (unknown ones fail the check).
func unitsOfTeams(as []Assignment, d *directory) []Unit {
	var out []Unit
	seen := map[string]bool{}
	for _, x := range as {
		if t, ok := d.teams[x.TeamID]; ok && !seen[x.TeamID] {
			seen[x.TeamID] = true
			out = append(out, Unit{TeamID: x.TeamID, RegionID: t.RegionID})
		}
	}
	return out
}

// OpenRound creates the round's audits and tells the auditors. Safe to
// re-run after a failure half-way: audit ids are deterministic and existing
// audits are kept as they are.
func (s *Service) OpenRound(ctx context.Context, a *identity.Actor, id string) (*RoundView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if !canPlan(a) {
		return nil, apperr.Forbidden("forbidden", "only planners open a round")
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.RLock()
	r, ok := s.rounds[id]
	s.mu.RUnlock()
	if !ok {
		return nil, apperr.NotFound("not_found", "no such round")
	}
	d := s.dir()
	if r.Status == RoundPlanning {
		vs, _ := Check(r.Type, unitsOf(r, d), s.candidates(r.Type, d), s.recentFor(r, d), r.Assignments)
		if len(vs) > 0 {
			return nil, apperr.Conflict("conflict", "the assignment breaks the rule ("+vs[0].TeamID+": "+vs[0].Message+"); adjust it first")
		}
	}
	created, err := s.createAudits(ctx, r, d)
	if err != nil {
		return nil, err
	}
	next := *r
	next.Status = RoundOpen
	if r.Status != RoundPlanning {
		next.Status = r.Status
	}
	if err := put(ctx, s.st.rounds, next.ID, &next); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.rounds[next.ID] = &next
	s.mu.Unlock()
	s.changed(ctx, auditRefs(&next)...)
	if s.notify != nil {
		for _, au := range created {
			s.notify(ctx, []string{au.AuditorID}, NotifyKind, "Audit "+d.teams[au.TeamID].Name,
				"Je bent auditor van team "+d.teams[au.TeamID].Name+" in ronde "+next.Label+".", "/audits/"+au.ID, "audit_assigned:"+au.ID)
		}
	}
	return s.roundView(&next, d), nil
}

func (s *Service) createAudits(ctx context.Context, r *Round, d *directory) ([]*Audit, error) {
	var created []*Audit
	for _, as := range r.Assignments {
		au := &Audit{ID: AuditID(r.ID, as.TeamID), RoundID: r.ID, Type: r.Type, Quarter: r.Quarter, TemplateID: r.TemplateID,
			TeamID: as.TeamID, RegionID: d.teams[as.TeamID].RegionID, AuditorID: as.AuditorID, Status: AuditAssigned,
			Answers: map[string]Answer{}, ClientIDs: []string{}, Photos: []Photo{}, CreatedAt: s.now().UTC()}
		s.mu.RLock()
		_, exists := s.audits[au.ID]
		s.mu.RUnlock()
		if exists {
			continue
		}
		ok, err := insertNew(ctx, s.st.audits, au)
		if err != nil {
			return created, err
		}
		if !ok { // stored by an earlier, interrupted run or another instance
			var stored Audit
			if err := s.st.audits.FindOne(ctx, idFilter(au.ID)).Decode(&stored); err != nil {
				return created, unavailable("read audit", err)
			}
			if stored.Answers == nil {
				stored.Answers = map[string]Answer{}
			}
			s.mu.Lock()
			s.audits[au.ID] = &stored
			s.mu.Unlock()
			continue
		}
		s.mu.Lock()
		s.audits[au.ID] = au
		s.mu.Unlock()
		created = append(created, au)
	}
	return created, nil
}
