package learning

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
)

// NotifyKind is the notification kind of everything the learning programme
// tells people; the dedup keys tell invitations, reminders and make-up
// offers apart.
const NotifyKind = "learning"

// SessionInput plans a session.
type SessionInput struct {
	ModuleKey string   `json:"moduleKey"`
	Title     string   `json:"title"`
	TeamIDs   []string `json:"teamIds"`
	Start     string   `json:"start"` // RFC 3339 with offset
	End       string   `json:"end"`
	Place     string   `json:"place"`
	Link      string   `json:"link"`
	Capacity  int      `json:"capacity"`
	MakeUpFor string   `json:"makeUpFor"` // invites that session's absentees too
}

// SessionView is a session as a reader sees it.
type SessionView struct {
	Session
	Coach      PersonRef    `json:"coach"`
	Teams      []PersonRef  `json:"teams"` // id and name of each team
	Invited    int          `json:"invited"`
	Present    int          `json:"present"`
	Absent     int          `json:"absent"`
	Mine       *Attendance  `json:"mine,omitempty"`      // the reader's own attendance
	Invitee    bool         `json:"invitee"`             // the reader is invited
	CanCheckIn bool         `json:"canCheckIn"`          // self check-in is open for the reader
	CanManage  bool         `json:"canManage"`           // the reader is the session's coach
	Attendees  []AttendLine `json:"attendees,omitempty"` // coach only: everyone invited and their status
	MakeUp     *MakeUpOffer `json:"makeUp,omitempty"`    // for an absent reader: a later session of the module
	Past       bool         `json:"past"`
}

// AttendLine is one invitee's attendance (the session's coach only).
type AttendLine struct {
	Person PersonRef `json:"person"`
	Status string    `json:"status"` // present, absent or "" (not recorded)
	Self   bool      `json:"self"`
}

// MakeUpOffer points an absentee to a later session of the same module.
type MakeUpOffer struct {
	SessionID string    `json:"sessionId"`
	Start     time.Time `json:"start"`
	Place     string    `json:"place"`
}

func (s *Service) sessionView(st *state, a *identity.Actor, x *Session, detail bool) SessionView {
	v := SessionView{Session: *x, Coach: s.person(x.CoachID), Teams: []PersonRef{}, Invited: len(x.Invitees)}
	for _, tm := range x.TeamIDs {
		name, _ := s.org.TeamName(tm)
		v.Teams = append(v.Teams, PersonRef{ID: tm, Name: name})
	}
	for _, at := range x.Attendance {
		switch at.Status {
		case Present:
			v.Present++
		case Absent:
			v.Absent++
		}
	}
	now := s.now()
	v.Past = x.End.Before(now)
	v.Invitee = slices.Contains(x.Invitees, a.UserID)
	v.CanManage = x.CoachID == a.UserID && a.Has(identity.RoleTeamcoach)
	if at, ok := x.Attendance[a.UserID]; ok {
		at := at
		v.Mine = &at
	}
	v.CanCheckIn = v.Invitee && checkInOpen(x, now) && (v.Mine == nil || v.Mine.Status != Present)
	if v.Mine != nil && v.Mine.Status == Absent {
		v.MakeUp = s.makeUpFor(st, x)
	}
	if detail && v.CanManage {
		v.Attendees = []AttendLine{}
		for _, id := range x.Invitees {
			at := x.Attendance[id]
			v.Attendees = append(v.Attendees, AttendLine{Person: s.person(id), Status: at.Status, Self: at.Self})
		}
		sort.Slice(v.Attendees, func(i, j int) bool { return v.Attendees[i].Person.Name < v.Attendees[j].Person.Name })
	}
	return v
}

// checkInOpen: from 30 minutes before the start until 2 hours after the end.
func checkInOpen(x *Session, now time.Time) bool {
	return !now.Before(x.Start.Add(-30*time.Minute)) && now.Before(x.End.Add(2*time.Hour))
}

// makeUpFor finds the next session of the same module with room left.
func (s *Service) makeUpFor(st *state, x *Session) *MakeUpOffer {
	now := s.now()
	var best *Session
	for _, y := range st.sessions {
		if y.ID == x.ID || y.ModuleKey != x.ModuleKey || !y.Start.After(now) || len(y.Invitees) >= y.Capacity {
			continue
		}
		if best == nil || y.Start.Before(best.Start) {
			best = y
		}
	}
	if best == nil {
		return nil
	}
	return &MakeUpOffer{SessionID: best.ID, Start: best.Start, Place: best.Place}
}

// seesSession: invitees, members of its teams, its coach, designers.
func (s *Service) seesSession(st *state, a *identity.Actor, x *Session) bool {
	if x.CoachID == a.UserID || slices.Contains(x.Invitees, a.UserID) || st.isDesigner(a) {
		return true
	}
	for _, tm := range x.TeamIDs {
		if s.isMember(a, tm) {
			return true
		}
	}
	return false
}

// SessionQuery filters the session list.
type SessionQuery struct {
	TeamID string
	From   time.Time
	To     time.Time
}

// Sessions lists the sessions the actor may see between from and to
// (a team's when TeamID is set), by start.
func (s *Service) Sessions(a *identity.Actor, q SessionQuery) ([]SessionView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	out := []SessionView{}
	err := s.read(func(st *state) error {
		var list []*Session
		if q.TeamID != "" {
			if !s.seesTrajectory(st, a, q.TeamID) {
				return apperr.Forbidden("forbidden", "only the team, its coach and programme designers see the team's sessions")
			}
			list = st.teamSess[q.TeamID]
		} else {
			for _, x := range st.sessions {
				list = append(list, x)
			}
		}
		for _, x := range list {
			if x.End.Before(q.From) || x.Start.After(q.To) || !s.seesSession(st, a, x) {
				continue
			}
			out = append(out, s.sessionView(st, a, x, false))
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, err
}

// SessionByID returns a session; its coach also gets the attendance list.
func (s *Service) SessionByID(a *identity.Actor, id string) (*SessionView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	var out *SessionView
	err := s.read(func(st *state) error {
		x := st.sessions[id]
		if x == nil || !s.seesSession(st, a, x) {
			return apperr.NotFound("not_found", "session not found")
		}
		v := s.sessionView(st, a, x, true)
		out = &v
		return nil
	})
	return out, err
}

// CreateSession plans a session for teams the coach coaches, invites their
// members (and a make-up session's absentees) and notifies them.
func (s *Service) CreateSession(ctx context.Context, a *identity.Actor, in SessionInput) (*SessionView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if !a.Has(identity.RoleTeamcoach) {
		return nil, apperr.Forbidden("forbidden", "only team coaches plan sessions")
	}
	var v apperr.Validator
	start, end := checkSessionFields(&v, &in)
	var notCoached bool
	_ = s.read(func(st *state) error {
		for _, tm := range in.TeamIDs {
			notCoached = notCoached || (st.trajectoryOf(tm) != nil && !st.isCoachOf(a, tm))
		}
		return nil
	})
	if notCoached {
		return nil, apperr.Forbidden("forbidden", "you plan sessions only for the teams you coach")
	}
	if len(in.TeamIDs) == 0 || len(in.TeamIDs) > 20 {
		v.Add("teamIds", "count", "invite 1 to 20 teams", apperr.Params{"min": 1, "max": 20})
	}
	moduleTitle, absentees := s.checkSessionTeams(&v, a, in)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if in.Title == "" {
		in.Title = moduleTitle
	}
	now := s.now().UTC()
	x := &Session{ID: newID("s", now), ModuleKey: in.ModuleKey, ModuleTitle: moduleTitle, Title: in.Title, TeamIDs: slices.Clone(in.TeamIDs),
		CoachID: a.UserID, Start: start.UTC(), End: end.UTC(), Place: in.Place, Link: in.Link, Capacity: in.Capacity,
		MakeUpFor: in.MakeUpFor, Attendance: map[string]Attendance{}, CreatedAt: now, Invitees: s.sessionInvitees(in.TeamIDs, absentees)}
	s.writeMu.Lock()
	_, err := insert(ctx, s.st.sessions, x)
	if err == nil {
		s.commit(ctx, func(st *state) { st.addSession(x) }, ref{C: sessionsColl, ID: x.ID})
	}
	s.writeMu.Unlock()
	if err != nil {
		return nil, err
	}
	if s.notify != nil && len(x.Invitees) > 0 {
		s.notify(ctx, x.Invitees, NotifyKind, "Leersessie: "+x.Title,
			fmt.Sprintf("%s, %s. %s", s.dutchTime(x.Start), whereOf(x), "Je bent uitgenodigd voor deze sessie van het leertraject."),
			"/leren/sessies/"+x.ID, "learning_session:"+x.ID)
	}
	var out SessionView
	_ = s.read(func(st *state) error { out = s.sessionView(st, a, x, true); return nil })
	return &out, nil
}

// checkSessionFields checks a planned session's own fields (trimming its
// title and place) and returns its start and end.
func checkSessionFields(v *apperr.Validator, in *SessionInput) (start, end time.Time) {
	in.Title = checkLine(v, "title", in.Title, 0, 200)
	in.Place = checkLine(v, "place", in.Place, 0, 200)
	if in.Link != "" {
		u, err := url.Parse(in.Link)
		v.Check(err == nil && u.Scheme == "https" && u.Host != "" && len(in.Link) <= 2000, "link", "invalid", "use an https address")
	}
	if in.Place == "" && in.Link == "" {
		v.Add("place", "required", "give a place or an online link")
	}
	v.Check(in.Capacity >= 1 && in.Capacity <= 500, "capacity", "out_of_range", "use a number from 1 to 500", apperr.Params{"min": 1, "max": 500})
	var err1, err2 error
	start, err1 = time.Parse(time.RFC3339, in.Start)
	end, err2 = time.Parse(time.RFC3339, in.End)
	v.Check(err1 == nil, "start", "invalid_date", "use a time with offset such as 2026-12-01T09:00:00+01:00")
	v.Check(err2 == nil, "end", "invalid_date", "use a time with offset such as 2026-12-01T12:00:00+01:00")
	if err1 == nil && err2 == nil {
		v.Check(end.After(start) && end.Sub(start) <= 12*time.Hour, "end", "before_start", "must be after the start, at most 12 hours later")
		v.Check(start.Year() >= 2000 && start.Year() <= 2100, "start", "invalid_date", "use a date between 2000 and 2100")
	}
	return start, end
}

// checkSessionTeams checks the invited teams, the module and the session
// made up for, and returns the module's title and the absentees of that
// earlier session.
func (s *Service) checkSessionTeams(v *apperr.Validator, a *identity.Actor, in SessionInput) (moduleTitle string, absentees []string) {
	_ = s.read(func(st *state) error {
		seen := map[string]bool{}
		for i, tm := range in.TeamIDs {
			f := "teamIds[" + strconv.Itoa(i) + "]"
			switch {
			case seen[tm]:
				v.Add(f, "duplicate", "listed twice")
			case st.trajectoryOf(tm) == nil:
				v.Add(f, "invalid", "the team has no learning trajectory")
			default:
				tr := st.trajectoryOf(tm)
				if i := slices.IndexFunc(tr.Modules, func(p PlanItem) bool { return p.Key == in.ModuleKey }); i >= 0 {
					moduleTitle = tr.Modules[i].Title
				}
			}
			seen[tm] = true
		}
		if moduleTitle == "" {
			v.Add("moduleKey", "invalid", "not a module of these teams' trajectories")
		}
		if in.MakeUpFor != "" {
			orig := st.sessions[in.MakeUpFor]
			if orig == nil || orig.CoachID != a.UserID {
				v.Add("makeUpFor", "not_allowed", "not one of your sessions")
			} else {
				for id, at := range orig.Attendance {
					if at.Status == Absent {
						absentees = append(absentees, id)
					}
				}
			}
		}
		return nil
	})
	return moduleTitle, absentees
}

// sessionInvitees are the members of the invited teams, then the absentees
// of the session made up for, each once.
func (s *Service) sessionInvitees(teamIDs, absentees []string) []string {
	invitees := []string{}
	for _, tm := range teamIDs {
		for _, id := range s.org.MemberIDs(tm) {
			if !slices.Contains(invitees, id) {
				invitees = append(invitees, id)
			}
		}
	}
	for _, id := range absentees {
		if !slices.Contains(invitees, id) {
			invitees = append(invitees, id)
		}
	}
	return invitees
}

func whereOf(x *Session) string {
	if x.Place != "" {
		return x.Place
	}
	return "online"
}

var dutchMonthNames = []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
var dutchDays = []string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}

func (s *Service) dutchTime(t time.Time) string {
	t = t.In(s.tz)
	return fmt.Sprintf("%s %d %s om %02d:%02d", dutchDays[t.Weekday()], t.Day(), dutchMonthNames[t.Month()-1], t.Hour(), t.Minute())
}

// AttendanceInput records attendance (the session's coach).
type AttendanceInput struct {
	Entries []AttendanceEntry `json:"entries"`
}

// AttendanceEntry is one person's status.
type AttendanceEntry struct {
	UserID string `json:"userId"`
	Status string `json:"status"`
}

// RecordAttendance stores the coach's attendance list; absentees are
// offered a make-up session.
func (s *Service) RecordAttendance(ctx context.Context, a *identity.Actor, id string, in AttendanceInput) (*SessionView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	var x *Session
	var visible bool
	_ = s.read(func(st *state) error {
		x = st.sessions[id]
		visible = x != nil && s.seesSession(st, a, x)
		return nil
	})
	if !visible {
		return nil, apperr.NotFound("not_found", "session not found")
	}
	if x.CoachID != a.UserID || !a.Has(identity.RoleTeamcoach) {
		return nil, apperr.Forbidden("forbidden", "only the session's coach records attendance")
	}
	var v apperr.Validator
	if len(in.Entries) == 0 || len(in.Entries) > 500 {
		v.Add("entries", "count", "give 1 to 500 entries", apperr.Params{"min": 1, "max": 500})
	}
	seen := map[string]bool{}
	for i, e := range in.Entries {
		f := "entries[" + strconv.Itoa(i) + "]"
		v.Check(slices.Contains(x.Invitees, e.UserID), f+".userId", "not_allowed", "not invited to this session")
		v.Check(!seen[e.UserID], f+".userId", "duplicate", "listed twice")
		seen[e.UserID] = true
		v.Check(e.Status == Present || e.Status == Absent, f+".status", "invalid_choice", "use present or absent")
	}
	if v.Err() == nil && x.Start.After(s.now().Add(30*time.Minute)) {
		v.Add("entries", "too_early", "attendance is recorded from 30 minutes before the start")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	fields := bson.D{}
	var newlyAbsent []string
	for _, e := range in.Entries {
		at := Attendance{Status: e.Status, By: a.UserID, At: now}
		fields = append(fields, bson.E{Key: "attendance." + e.UserID, Value: at})
		if e.Status == Absent && x.Attendance[e.UserID].Status != Absent {
			newlyAbsent = append(newlyAbsent, e.UserID)
		}
	}
	s.writeMu.Lock()
	err := set(ctx, s.st.sessions, id, fields)
	if err == nil {
		s.commit(ctx, func(st *state) {
			next := *st.sessions[id]
			next.Attendance = map[string]Attendance{}
			for k, v := range st.sessions[id].Attendance {
				next.Attendance[k] = v
			}
			for _, e := range in.Entries {
				next.Attendance[e.UserID] = Attendance{Status: e.Status, By: a.UserID, At: now}
			}
			st.addSession(&next)
		}, ref{C: sessionsColl, ID: id})
	}
	s.writeMu.Unlock()
	if err != nil {
		return nil, err
	}
	if s.notify != nil && len(newlyAbsent) > 0 {
		var offer *MakeUpOffer
		_ = s.read(func(st *state) error { offer = s.makeUpFor(st, x); return nil })
		text := "Je was er niet bij. Vraag je coach naar een inhaalsessie."
		link := "/leren/sessies/" + x.ID
		if offer != nil {
			text = "Je was er niet bij. Er is een inhaalsessie op " + s.dutchTime(offer.Start) + "."
			link = "/leren/sessies/" + offer.SessionID
		}
		s.notify(ctx, newlyAbsent, NotifyKind, "Inhalen: "+x.Title, text, link, "learning_makeup:"+x.ID)
	}
	return s.SessionByID(a, id)
}

// CheckIn records the actor's own presence (invitees, around the session).
func (s *Service) CheckIn(ctx context.Context, a *identity.Actor, id string) (*SessionView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	var x *Session
	var visible bool
	_ = s.read(func(st *state) error {
		x = st.sessions[id]
		visible = x != nil && s.seesSession(st, a, x)
		return nil
	})
	if !visible {
		return nil, apperr.NotFound("not_found", "session not found")
	}
	if !slices.Contains(x.Invitees, a.UserID) {
		return nil, apperr.Forbidden("forbidden", "only invitees check in")
	}
	if !checkInOpen(x, s.now()) {
		return nil, apperr.Conflict("conflict", "check-in is open from 30 minutes before the start until 2 hours after the end")
	}
	now := s.now().UTC()
	at := Attendance{Status: Present, Self: true, By: a.UserID, At: now}
	s.writeMu.Lock()
	err := set(ctx, s.st.sessions, id, bson.D{{Key: "attendance." + a.UserID, Value: at}})
	if err == nil {
		s.commit(ctx, func(st *state) {
			next := *st.sessions[id]
			next.Attendance = map[string]Attendance{}
			for k, v := range st.sessions[id].Attendance {
				next.Attendance[k] = v
			}
			next.Attendance[a.UserID] = at
			st.addSession(&next)
		}, ref{C: sessionsColl, ID: id})
	}
	s.writeMu.Unlock()
	if err != nil {
		return nil, err
	}
	return s.SessionByID(a, id)
}

// RemindTomorrow notifies the invitees of sessions that start tomorrow
// (local date). Once per session: once per process here, and once per
// person across instances and restarts through the dedup key.
func (s *Service) RemindTomorrow(ctx context.Context) int {
	if s.notify == nil {
		return 0
	}
	now := s.now().In(s.tz)
	tomorrow := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, s.tz)
	dayAfter := tomorrow.AddDate(0, 0, 1)
	type due struct {
		key, title, text, link string
		users                  []string
	}
	var out []due
	s.mu.RLock()
	for _, x := range s.cur.sessions {
		if x.Start.Before(tomorrow) || !x.Start.Before(dayAfter) || len(x.Invitees) == 0 {
			continue
		}
		key := "learning_reminder:" + x.ID
		if s.reminded[key] {
			continue
		}
		out = append(out, due{key: key, title: "Morgen: " + x.Title,
			text: fmt.Sprintf("%s, %s.", s.dutchTime(x.Start), whereOf(x)), link: "/leren/sessies/" + x.ID, users: slices.Clone(x.Invitees)})
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	for _, d := range out {
		s.notify(ctx, d.users, NotifyKind, d.title, d.text, d.link, d.key)
		s.mu.Lock()
		s.reminded[d.key] = true
		s.mu.Unlock()
	}
	return len(out)
}

// Run follows other instances' changes (the change log, within a second)
// and sends the day-before reminders every remind, until ctx ends.
func (s *Service) Run(ctx context.Context, remind time.Duration) {
	if remind <= 0 {
		remind = 30 * time.Second
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.changes.Run(ctx)
	}()
	defer func() { <-done }()
	t := time.NewTicker(remind)
	defer t.Stop()
	s.RemindTomorrow(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.RemindTomorrow(ctx)
		}
	}
}

// AgendaItem is a session as the team agenda and the iCal feeds show it.
type AgendaItem struct {
	ID, Title, Location, Description, URL string
	Organizer                             string // the coach
	Start, End                            time.Time
	CreatedAt                             time.Time
}

// TeamAgenda returns the team's sessions that touch from..to, for the team
// space's agenda and feeds (teamspace checks membership itself).
func (s *Service) TeamAgenda(teamID string, from, to time.Time) []AgendaItem {
	var out []AgendaItem
	s.mu.RLock()
	for _, x := range s.cur.teamSess[teamID] {
		if !x.End.After(from) || !x.Start.Before(to) {
			continue
		}
		loc := x.Place
		if loc == "" {
			loc = x.Link
		}
		out = append(out, AgendaItem{ID: "learning-" + x.ID, Title: "Leertraject: " + x.Title, Location: loc,
			Description: "Module: " + x.ModuleTitle, URL: "/leren/sessies/" + x.ID, Organizer: s.person(x.CoachID).Name, Start: x.Start, End: x.End, CreatedAt: x.CreatedAt})
	}
	s.mu.RUnlock()
	return out
}
