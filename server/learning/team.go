package learning

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
)

// TeamView is a team's learning page.
type TeamView struct {
	Team          PersonRef     `json:"team"`
	HasTrajectory bool          `json:"hasTrajectory"`
	CohortID      string        `json:"cohortId"`
	CohortName    string        `json:"cohortName"`
	Programme     string        `json:"programme"`
	Version       int           `json:"programmeVersion"`
	Coach         PersonRef     `json:"coach"`
	StartMonth    string        `json:"startMonth"`
	EndMonth      string        `json:"endMonth"`
	Modules       []ModuleView  `json:"modules"`
	Phase         PhaseInfo     `json:"phase"`
	NextSession   *SessionView  `json:"nextSession"`
	Sessions      []SessionView `json:"sessions"` // the last five and the upcoming ones
	Scans         []ScanView    `json:"scans"`    // only for the team and its coach
	ScanStatus    string        `json:"scanStatus"`
	Attendance    *float64      `json:"attendanceRate"` // present / recorded, past sessions (team and coach only)
	CanManage     bool          `json:"canManage"`      // the team's coach
	CanReflect    bool          `json:"canReflect"`     // a team member
	SeesPrivate   bool          `json:"seesPrivate"`    // the team and its coach: reflections, scans, attendance
}

// ModuleView is a module of the trajectory with its content.
type ModuleView struct {
	PlanItem
	Goals         []string   `json:"goals"`
	Materials     []Material `json:"materials"`
	Assignments   []string   `json:"assignments"`
	HasReflection bool       `json:"hasReflection"`
	HasReply      bool       `json:"hasReply"`
}

// PhaseInfo is the team's maturity: the phase now, at the start, and per
// closed scan (the trend).
type PhaseInfo struct {
	Current int          `json:"current"`
	Start   int          `json:"start"`
	Trend   []PhasePoint `json:"trend"`
}

// PhasePoint is one closed scan's outcome.
type PhasePoint struct {
	Date  time.Time `json:"date"`
	Phase int       `json:"phase"`
	Score float64   `json:"score"`
}

func phaseInfo(scans []*Scan) PhaseInfo {
	out := PhaseInfo{Trend: []PhasePoint{}}
	for _, x := range scans {
		sc, ok := scanScore(x)
		if !ok {
			continue
		}
		p := scanPhase(x)
		out.Trend = append(out.Trend, PhasePoint{Date: *x.ClosedAt, Phase: p, Score: sc})
		if out.Start == 0 {
			out.Start = p
		}
		out.Current = p
	}
	return out
}

// TeamPanel is the short learning summary on a team's page (everyone:
// the phase is the team's, not a person's).
type TeamPanel struct {
	Team          PersonRef    `json:"team"`
	HasTrajectory bool         `json:"hasTrajectory"`
	Phase         PhaseInfo    `json:"phase"`
	NextSession   *SessionView `json:"nextSession"`
	ModulesDone   int          `json:"modulesDone"`
	ModulesTotal  int          `json:"modulesTotal"`
}

// Team returns a team's learning page: the team, its coach and designers
// see the trajectory; sessions, reflections and scans follow their own rules.
func (s *Service) Team(a *identity.Actor, team string) (*TeamView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	name, ok := s.org.TeamName(team)
	if !ok {
		return nil, apperr.NotFound("not_found", "team not found")
	}
	v := &TeamView{Team: PersonRef{ID: team, Name: name}, Modules: []ModuleView{}, Sessions: []SessionView{}, Scans: []ScanView{}, Phase: PhaseInfo{Trend: []PhasePoint{}}}
	err := s.read(func(st *state) error {
		if !s.seesTrajectory(st, a, team) {
			return apperr.Forbidden("forbidden", "only the team, its coach and programme designers see the team's trajectory")
		}
		tr := st.trajectoryOf(team)
		if tr == nil {
			return nil
		}
		c := st.cohorts[tr.CohortID]
		v.HasTrajectory, v.CohortID, v.CohortName = true, c.ID, c.Name
		v.Coach, v.StartMonth = s.person(tr.CoachID), tr.StartMonth
		v.EndMonth = (monthOfString(tr.StartMonth) + TrajectoryMonths - 1).String()
		prog := st.programme(tr.ProgrammeID, tr.ProgrammeVersion)
		if prog != nil {
			v.Programme, v.Version = prog.Name, prog.Version
		}
		v.CanManage = st.isCoachOf(a, team)
		v.CanReflect = s.isMember(a, team)
		v.SeesPrivate = v.CanManage || v.CanReflect
		for _, p := range tr.Modules {
			mv := ModuleView{PlanItem: p, Goals: []string{}, Materials: []Material{}, Assignments: []string{}}
			if prog != nil {
				if i := slices.IndexFunc(prog.Modules, func(m Module) bool { return m.Key == p.Key }); i >= 0 {
					m := prog.Modules[i]
					mv.Goals, mv.Materials, mv.Assignments = m.Goals, m.Materials, m.Assignments
				}
			}
			if v.SeesPrivate {
				if r := st.reflections[tr.ID+":"+p.Key]; r != nil {
					mv.HasReflection, mv.HasReply = r.Body != "", r.Reply != ""
				}
			}
			v.Modules = append(v.Modules, mv)
		}
		scans := st.trajScans[tr.ID]
		v.Phase = phaseInfo(scans)
		now := s.now()
		v.ScanStatus = scanDue(tr, scans, now)
		if v.SeesPrivate {
			for _, x := range scans {
				v.Scans = append(v.Scans, s.scanView(st, a, x))
			}
			v.Attendance = attendanceRate(st.teamSess[team], s.org.MemberIDs(team), now)
		}
		sess := st.teamSess[team]
		var past []*Session
		for _, x := range sess {
			if x.End.Before(now) {
				past = append(past, x)
				continue
			}
			sv := s.sessionView(st, a, x, false)
			if v.NextSession == nil {
				v.NextSession = &sv
			}
			v.Sessions = append(v.Sessions, sv)
		}
		if len(past) > 5 {
			past = past[len(past)-5:]
		}
		for i := len(past) - 1; i >= 0; i-- {
			v.Sessions = append(v.Sessions, s.sessionView(st, a, past[i], false))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// Panel returns the team page's learning summary (everyone).
func (s *Service) Panel(a *identity.Actor, team string) (*TeamPanel, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	name, ok := s.org.TeamName(team)
	if !ok {
		return nil, apperr.NotFound("not_found", "team not found")
	}
	out := &TeamPanel{Team: PersonRef{ID: team, Name: name}, Phase: PhaseInfo{Trend: []PhasePoint{}}}
	_ = s.read(func(st *state) error {
		tr := st.trajectoryOf(team)
		if tr == nil {
			return nil
		}
		out.HasTrajectory = true
		out.Phase = phaseInfo(st.trajScans[tr.ID])
		for _, p := range tr.Modules {
			out.ModulesTotal++
			if p.Status == StatusDone {
				out.ModulesDone++
			}
		}
		now := s.now()
		for _, x := range st.teamSess[team] {
			if !x.End.Before(now) {
				sv := s.sessionView(st, a, x, false)
				sv.Link = "" // the online link is for invitees
				if slices.Contains(x.Invitees, a.UserID) || s.seesSession(st, a, x) {
					sv.Link = x.Link
				}
				out.NextSession = &sv
				break
			}
		}
		return nil
	})
	return out, nil
}

// attendanceRate is present / (present + absent) over the team members'
// recorded attendance at past sessions; nil when nothing was recorded.
func attendanceRate(sess []*Session, members []string, now time.Time) *float64 {
	var present, recorded int
	for _, x := range sess {
		if x.End.After(now) {
			continue
		}
		for _, id := range members {
			switch x.Attendance[id].Status {
			case Present:
				present++
				recorded++
			case Absent:
				recorded++
			}
		}
	}
	if recorded == 0 {
		return nil
	}
	r := float64(present*1000/recorded) / 10
	return &r
}

// ---------------------------------------------------------------------------
// Reflections

// ReflectionView is a reflection with its rendered text.
type ReflectionView struct {
	ModuleKey   string     `json:"moduleKey"`
	ModuleTitle string     `json:"moduleTitle"`
	Body        string     `json:"body"`
	BodyHTML    string     `json:"bodyHtml"`
	Author      PersonRef  `json:"author"`
	UpdatedAt   *time.Time `json:"updatedAt"`
	Reply       string     `json:"reply"`
	ReplyHTML   string     `json:"replyHtml"`
	ReplyBy     PersonRef  `json:"replyBy"`
	ReplyAt     *time.Time `json:"replyAt"`
}

func (s *Service) reflectionView(p PlanItem, r *Reflection) ReflectionView {
	v := ReflectionView{ModuleKey: p.Key, ModuleTitle: p.Title}
	if r == nil {
		return v
	}
	v.Body, v.Reply = r.Body, r.Reply
	if r.Body != "" {
		v.BodyHTML, v.Author = s.md.HTML(r.Body), s.person(r.AuthorID)
		t := r.UpdatedAt
		v.UpdatedAt = &t
	}
	if r.Reply != "" {
		v.ReplyHTML, v.ReplyBy, v.ReplyAt = s.md.HTML(r.Reply), s.person(r.ReplyBy), r.ReplyAt
	}
	return v
}

// Reflections lists a team's reflections per module (the team and its coach only).
func (s *Service) Reflections(a *identity.Actor, team string) ([]ReflectionView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	out := []ReflectionView{}
	err := s.read(func(st *state) error {
		if _, ok := s.org.TeamName(team); !ok {
			return apperr.NotFound("not_found", "team not found")
		}
		if !s.seesPrivate(st, a, team) {
			return apperr.Forbidden("forbidden", "only the team and its coach read the team's reflections")
		}
		tr := st.trajectoryOf(team)
		if tr == nil {
			return nil
		}
		for _, p := range tr.Modules {
			out = append(out, s.reflectionView(p, st.reflections[tr.ID+":"+p.Key]))
		}
		return nil
	})
	return out, err
}

// TextInput is a markdown text.
type TextInput struct {
	Body string `json:"body"`
}

// Reflect writes the team's reflection on a module (team members), or the
// coach's answer to it (reply).
func (s *Service) Reflect(ctx context.Context, a *identity.Actor, team, module string, in TextInput, reply bool) (*ReflectionView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	var tr *Trajectory
	var member, coach bool
	var cur *Reflection
	err := s.read(func(st *state) error {
		if _, ok := s.org.TeamName(team); !ok {
			return apperr.NotFound("not_found", "team not found")
		}
		if !s.seesPrivate(st, a, team) {
			return apperr.Forbidden("forbidden", "only the team and its coach write reflections")
		}
		tr = st.trajectoryOf(team)
		if tr == nil {
			return apperr.NotFound("not_found", "the team has no learning trajectory")
		}
		member, coach = s.isMember(a, team), st.isCoachOf(a, team)
		cur = st.reflections[tr.ID+":"+module]
		return nil
	})
	if err != nil {
		return nil, err
	}
	idx := slices.IndexFunc(tr.Modules, func(p PlanItem) bool { return p.Key == module })
	if idx < 0 {
		return nil, apperr.NotFound("not_found", "module not in the trajectory")
	}
	if reply && !coach {
		return nil, apperr.Forbidden("forbidden", "only the team's coach answers a reflection")
	}
	if !reply && !member {
		return nil, apperr.Forbidden("members_only", "only team members write the team's reflection")
	}
	var v apperr.Validator
	in.Body = checkText(&v, "body", in.Body, 1, 20000)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if reply && (cur == nil || cur.Body == "") {
		return nil, apperr.Conflict("conflict", "the team has not written a reflection on this module yet")
	}
	now := s.now().UTC()
	next := Reflection{ID: tr.ID + ":" + module, TrajectoryID: tr.ID, TeamID: team, ModuleKey: module}
	if cur != nil {
		next = *cur
	}
	if reply {
		next.Reply, next.ReplyBy, next.ReplyAt = in.Body, a.UserID, &now
	} else {
		next.Body, next.AuthorID, next.UpdatedAt = in.Body, a.UserID, now
	}
	s.writeMu.Lock()
	err = put(ctx, s.st.reflections, next.ID, &next)
	if err == nil {
		s.commit(ctx, func(st *state) { st.reflections[next.ID] = &next }, ref{C: reflectionsColl, ID: next.ID})
	}
	s.writeMu.Unlock()
	if err != nil {
		return nil, err
	}
	if s.notify != nil {
		if reply {
			s.notify(ctx, s.org.MemberIDs(team), NotifyKind, "Je coach reageerde op jullie reflectie",
				tr.Modules[idx].Title, "/leren/team/"+team, "")
		} else if tr.CoachID != "" {
			name, _ := s.org.TeamName(team)
			s.notify(ctx, []string{tr.CoachID}, NotifyKind, "Nieuwe reflectie van "+name, tr.Modules[idx].Title, "/leren/team/"+team, "")
		}
	}
	v2 := s.reflectionView(tr.Modules[idx], &next)
	return &v2, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
