package learning

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
)

var keyRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,59}$`)

// ProgrammeInput creates a programme or its next version.
type ProgrammeInput struct {
	ID          string   `json:"id"` // create only; a slug
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Modules     []Module `json:"modules"`
	// BaseVersion (update only) is the version the edit started from; an
	// edit made meanwhile by someone else is a conflict.
	BaseVersion int `json:"baseVersion"`
}

func (in *ProgrammeInput) validate(create bool) error {
	var v apperr.Validator
	if create {
		v.Check(keyRE.MatchString(in.ID), "id", "invalid", "use lower-case letters, digits and dashes (at most 60)")
	}
	in.Name = checkLine(&v, "name", in.Name, 1, 120)
	in.Description = checkText(&v, "description", in.Description, 0, 2000)
	if len(in.Modules) == 0 || len(in.Modules) > 24 {
		v.Add("modules", "count", "give 1 to 24 modules", apperr.Params{"min": 1, "max": 24})
	}
	keys := map[string]bool{}
	for i := range in.Modules {
		m := &in.Modules[i]
		f := "modules[" + strconv.Itoa(i) + "]"
		v.Check(keyRE.MatchString(m.Key), f+".key", "invalid", "use lower-case letters, digits and dashes (at most 60)")
		v.Check(!keys[m.Key], f+".key", "duplicate", "is used twice")
		keys[m.Key] = true
		m.Title = checkLine(&v, f+".title", m.Title, 1, 120)
		v.Check(len(m.Goals) <= 20, f+".goals", "too_many", "at most 20", apperr.Params{"max": 20})
		for j := range m.Goals {
			m.Goals[j] = checkLine(&v, f+".goals["+strconv.Itoa(j)+"]", m.Goals[j], 1, 300)
		}
		v.Check(len(m.Assignments) <= 20, f+".assignments", "too_many", "at most 20", apperr.Params{"max": 20})
		for j := range m.Assignments {
			m.Assignments[j] = checkText(&v, f+".assignments["+strconv.Itoa(j)+"]", m.Assignments[j], 1, 2000)
		}
		v.Check(len(m.Materials) <= 30, f+".materials", "too_many", "at most 30", apperr.Params{"max": 30})
		for j := range m.Materials {
			mf := f + ".materials[" + strconv.Itoa(j) + "]"
			mat := &m.Materials[j]
			mat.Title = checkLine(&v, mf+".title", mat.Title, 1, 200)
			if mat.URL != "" {
				u, err := url.Parse(mat.URL)
				v.Check(err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(mat.URL) <= 2000, mf+".url", "invalid", "use an http(s) address")
			}
			v.Check(mat.ArticleID == "" || keyRE.MatchString(mat.ArticleID), mf+".articleId", "invalid", "not an article id")
			v.Check(mat.URL != "" || mat.ArticleID != "", mf, "invalid", "give an articleId or a url")
		}
		if m.Goals == nil {
			m.Goals = []string{}
		}
		if m.Materials == nil {
			m.Materials = []Material{}
		}
		if m.Assignments == nil {
			m.Assignments = []string{}
		}
	}
	return v.Err()
}

// ProgrammeSummary is a programme in lists.
type ProgrammeSummary struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Version     int    `json:"version"`
	ModuleCount int    `json:"moduleCount"`
}

// Programmes lists every programme's latest version (everyone).
func (s *Service) Programmes(a *identity.Actor) ([]ProgrammeSummary, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	out := []ProgrammeSummary{}
	_ = s.read(func(st *state) error {
		for id := range st.programmes {
			p := st.programme(id, 0)
			out = append(out, ProgrammeSummary{ID: p.ID, Name: p.Name, Version: p.Version, ModuleCount: len(p.Modules)})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Programme returns one version (0: the latest).
func (s *Service) Programme(a *identity.Actor, id string, version int) (*Programme, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	var out *Programme
	_ = s.read(func(st *state) error { out = st.programme(id, version); return nil })
	if out == nil {
		return nil, apperr.NotFound("not_found", "programme not found")
	}
	// A deep copy: the caller may change it (an edit form does) without
	// changing the stored version in memory.
	cp := *out
	cp.Modules = make([]Module, len(out.Modules))
	for i, m := range out.Modules {
		m.Goals, m.Materials, m.Assignments = slices.Clone(m.Goals), slices.Clone(m.Materials), slices.Clone(m.Assignments)
		cp.Modules[i] = m
	}
	return &cp, nil
}

func (s *Service) requireDesigner(a *identity.Actor) error {
	if err := requireActor(a); err != nil {
		return err
	}
	var ok bool
	_ = s.read(func(st *state) error { ok = st.isDesigner(a); return nil })
	if !ok {
		return apperr.Forbidden("forbidden", "only programme designers (support services with the learning role, administrators) manage programmes and cohorts")
	}
	return nil
}

// CreateProgramme adds a programme (version 1).
func (s *Service) CreateProgramme(ctx context.Context, a *identity.Actor, in ProgrammeInput) (*Programme, error) {
	if err := s.requireDesigner(a); err != nil {
		return nil, err
	}
	if err := in.validate(true); err != nil {
		return nil, err
	}
	return s.saveVersion(ctx, a, in.ID, 1, in)
}

// UpdateProgramme stores the next version. Running trajectories keep theirs.
func (s *Service) UpdateProgramme(ctx context.Context, a *identity.Actor, id string, in ProgrammeInput) (*Programme, error) {
	if err := s.requireDesigner(a); err != nil {
		return nil, err
	}
	var latest *Programme
	_ = s.read(func(st *state) error { latest = st.programme(id, 0); return nil })
	if latest == nil {
		return nil, apperr.NotFound("not_found", "programme not found")
	}
	in.ID = id
	if err := in.validate(false); err != nil {
		return nil, err
	}
	if in.BaseVersion != latest.Version {
		return nil, apperr.Conflict("stale_version", "the programme was changed meanwhile; reload and edit version "+strconv.Itoa(latest.Version))
	}
	return s.saveVersion(ctx, a, id, latest.Version+1, in)
}

func (s *Service) saveVersion(ctx context.Context, a *identity.Actor, id string, version int, in ProgrammeInput) (*Programme, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	p := &Programme{DocID: ProgrammeDocID(id, version), ID: id, Version: version, Name: in.Name, Description: in.Description,
		Modules: in.Modules, CreatedAt: s.now().UTC(), CreatedBy: a.UserID}
	dup, err := insert(ctx, s.st.programmes, p)
	if err != nil {
		return nil, err
	}
	if dup {
		return nil, apperr.Conflict("already_exists", "this programme version already exists")
	}
	s.commit(ctx, func(st *state) { st.addProgramme(p) }, ref{C: programmesColl, ID: p.DocID})
	return p, nil
}

// CohortTeam is a team joining a cohort with its coach.
type CohortTeam struct {
	TeamID  string `json:"teamId"`
	CoachID string `json:"coachId"`
}

// CohortInput creates a cohort.
type CohortInput struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	ProgrammeID string       `json:"programmeId"`
	StartMonth  string       `json:"startMonth"`
	Teams       []CohortTeam `json:"teams"`
}

// CohortView is a cohort with its teams.
type CohortView struct {
	Cohort
	ProgrammeName string         `json:"programmeName"`
	Teams         []CohortMember `json:"teams"`
}

// CohortMember is one team in a cohort.
type CohortMember struct {
	TeamID   string    `json:"teamId"`
	TeamName string    `json:"teamName"`
	Coach    PersonRef `json:"coach"`
}

// Cohorts lists the cohorts (everyone: which teams learn together is not personal).
func (s *Service) Cohorts(a *identity.Actor) ([]CohortView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	out := []CohortView{}
	_ = s.read(func(st *state) error {
		for _, c := range st.cohorts {
			out = append(out, s.cohortView(st, c))
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].StartMonth+out[i].ID < out[j].StartMonth+out[j].ID })
	return out, nil
}

// CohortByID returns one cohort.
func (s *Service) CohortByID(a *identity.Actor, id string) (*CohortView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	var out *CohortView
	_ = s.read(func(st *state) error {
		if c := st.cohorts[id]; c != nil {
			v := s.cohortView(st, c)
			out = &v
		}
		return nil
	})
	if out == nil {
		return nil, apperr.NotFound("not_found", "cohort not found")
	}
	return out, nil
}

func (s *Service) cohortView(st *state, c *Cohort) CohortView {
	v := CohortView{Cohort: *c, Teams: []CohortMember{}}
	if p := st.programme(c.ProgrammeID, c.ProgrammeVersion); p != nil {
		v.ProgrammeName = p.Name
	}
	for _, tm := range c.TeamIDs {
		name, _ := s.org.TeamName(tm)
		m := CohortMember{TeamID: tm, TeamName: name}
		if t := st.trajs[TrajectoryID(c.ID, tm)]; t != nil {
			m.Coach = s.person(t.CoachID)
		}
		v.Teams = append(v.Teams, m)
	}
	return v
}

// PlanModules spreads a programme's modules over the 24 months.
func PlanModules(p *Programme, start Month) []PlanItem {
	out := make([]PlanItem, len(p.Modules))
	n := len(p.Modules)
	for i, m := range p.Modules {
		// Module i starts at month i*24/n (the first three months of each slot).
		out[i] = PlanItem{Key: m.Key, Title: m.Title, PlannedMonth: (start + Month(i*TrajectoryMonths/n)).String(), Status: StatusPlanned}
	}
	return out
}

// CreateCohort starts a cohort: a trajectory per team, with its coach and
// the modules spread over 24 months. Safe to re-run after a failure: the
// trajectories are upserted by their fixed ids before the cohort itself.
func (s *Service) CreateCohort(ctx context.Context, a *identity.Actor, in CohortInput) (*CohortView, error) {
	if err := s.requireDesigner(a); err != nil {
		return nil, err
	}
	var v apperr.Validator
	v.Check(keyRE.MatchString(in.ID), "id", "invalid", "use lower-case letters, digits and dashes (at most 60)")
	in.Name = checkLine(&v, "name", in.Name, 1, 120)
	start, ok := ParseMonth(in.StartMonth)
	v.Check(ok, "startMonth", "invalid_date", "use yyyy-mm, e.g. 2026-10")
	var prog *Programme
	_ = s.read(func(st *state) error {
		prog = st.programme(in.ProgrammeID, 0)
		if st.cohorts[in.ID] != nil {
			v.Add("id", "duplicate", "a cohort with this id exists")
		}
		return nil
	})
	v.Check(prog != nil, "programmeId", "unknown", "unknown programme")
	if len(in.Teams) == 0 || len(in.Teams) > 500 {
		v.Add("teams", "count", "give 1 to 500 teams", apperr.Params{"min": 1, "max": 500})
	}
	seen := map[string]bool{}
	for i, t := range in.Teams {
		f := "teams[" + strconv.Itoa(i) + "]"
		_, known := s.org.TeamName(t.TeamID)
		v.Check(known, f+".teamId", "unknown", "unknown team")
		v.Check(!seen[t.TeamID], f+".teamId", "duplicate", "listed twice")
		seen[t.TeamID] = true
		v.Check(s.isCoachUser(t.CoachID), f+".coachId", "not_allowed", "not a team coach")
		if known {
			_ = s.read(func(st *state) error {
				if cur := st.trajectoryOf(t.TeamID); cur != nil {
					if cs, ok := ParseMonth(cur.StartMonth); ok && start < cs+TrajectoryMonths {
						v.Add(f+".teamId", "invalid", "the team is still in cohort "+cur.CohortID)
					}
				}
				return nil
			})
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	now := s.now().UTC()
	c := &Cohort{ID: in.ID, Name: in.Name, ProgrammeID: prog.ID, ProgrammeVersion: prog.Version, StartMonth: start.String(), CreatedAt: now, CreatedBy: a.UserID}
	var trajs []*Trajectory
	for _, t := range in.Teams {
		tr := &Trajectory{ID: TrajectoryID(c.ID, t.TeamID), CohortID: c.ID, TeamID: t.TeamID, CoachID: t.CoachID,
			ProgrammeID: prog.ID, ProgrammeVersion: prog.Version, StartMonth: c.StartMonth, Modules: PlanModules(prog, start), UpdatedAt: now}
		if err := put(ctx, s.st.trajectories, tr.ID, tr); err != nil {
			return nil, err
		}
		trajs = append(trajs, tr)
		c.TeamIDs = append(c.TeamIDs, t.TeamID)
	}
	if err := put(ctx, s.st.cohorts, c.ID, c); err != nil {
		return nil, err
	}
	var out CohortView
	s.commit(ctx, func(st *state) {
		st.cohorts[c.ID] = c
		for _, tr := range trajs {
			st.addTrajectory(tr)
		}
		out = s.cohortView(st, c)
	}, cohortRefs(c, trajs)...)
	return &out, nil
}

// ---------------------------------------------------------------------------
// Trajectory changes

// CoachInput hands a team to another coach.
type CoachInput struct {
	CoachID string `json:"coachId"`
}

// SetCoach changes a team's coach (designers).
func (s *Service) SetCoach(ctx context.Context, a *identity.Actor, team string, in CoachInput) (*TeamView, error) {
	if err := s.requireDesigner(a); err != nil {
		return nil, err
	}
	var tr *Trajectory
	_ = s.read(func(st *state) error { tr = st.trajectoryOf(team); return nil })
	if tr == nil {
		return nil, apperr.NotFound("not_found", "the team has no learning trajectory")
	}
	var v apperr.Validator
	v.Check(s.isCoachUser(in.CoachID), "coachId", "not_allowed", "not a team coach")
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	next := *tr
	next.CoachID, next.UpdatedAt = in.CoachID, s.now().UTC()
	err := put(ctx, s.st.trajectories, next.ID, &next)
	if err == nil {
		s.commit(ctx, func(st *state) { st.addTrajectory(&next) }, ref{C: trajectoriesColl, ID: next.ID})
	}
	s.writeMu.Unlock()
	if err != nil {
		return nil, err
	}
	return s.Team(a, team)
}

// ModuleInput changes one module's plan or progress.
type ModuleInput struct {
	Status       string `json:"status"`
	PlannedMonth string `json:"plannedMonth"`
	Reason       string `json:"reason"`
}

// UpdateModule records progress on a module (the team's coach).
func (s *Service) UpdateModule(ctx context.Context, a *identity.Actor, team, module string, in ModuleInput) (*TeamView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	var tr *Trajectory
	var coach bool
	_ = s.read(func(st *state) error {
		tr = st.trajectoryOf(team)
		coach = st.isCoachOf(a, team)
		return nil
	})
	if tr == nil {
		return nil, apperr.NotFound("not_found", "the team has no learning trajectory")
	}
	if !coach {
		return nil, apperr.Forbidden("forbidden", "only the team's coach records module progress")
	}
	idx := slices.IndexFunc(tr.Modules, func(p PlanItem) bool { return p.Key == module })
	if idx < 0 {
		return nil, apperr.NotFound("not_found", "module not in the trajectory")
	}
	var v apperr.Validator
	v.Check(in.Status == StatusPlanned || in.Status == StatusDone || in.Status == StatusSkipped, "status", "invalid_choice", "use planned, done or skipped")
	in.Reason = checkText(&v, "reason", in.Reason, 0, 500)
	if in.Status == StatusSkipped && in.Reason == "" {
		v.Add("reason", "required", "give a reason for skipping a module")
	}
	if in.PlannedMonth != "" {
		_, ok := ParseMonth(in.PlannedMonth)
		v.Check(ok, "plannedMonth", "invalid_date", "use yyyy-mm, e.g. 2026-10")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	next := *tr
	next.Modules = slices.Clone(tr.Modules)
	it := &next.Modules[idx]
	it.Status = in.Status
	it.Reason = ""
	if in.Status == StatusSkipped {
		it.Reason = in.Reason
	}
	if in.PlannedMonth != "" {
		it.PlannedMonth = in.PlannedMonth
	}
	it.DoneAt = nil
	if in.Status == StatusDone {
		t := s.now().UTC()
		it.DoneAt = &t
	}
	next.UpdatedAt = s.now().UTC()
	err := put(ctx, s.st.trajectories, next.ID, &next)
	if err == nil {
		s.commit(ctx, func(st *state) { st.addTrajectory(&next) }, ref{C: trajectoriesColl, ID: next.ID})
	}
	s.writeMu.Unlock()
	if err != nil {
		return nil, err
	}
	return s.Team(a, team)
}

func monthOfString(s string) Month {
	m, _ := ParseMonth(s)
	return m
}
