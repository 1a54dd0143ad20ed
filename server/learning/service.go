package learning

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/richtext"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/streamlog"
)

// Org is what learning reads from the organisation (org.Service).
type Org interface {
	ListRegions(a *identity.Actor) ([]org.RegionSummary, error)
	ListTeams(a *identity.Actor, regionID string) ([]org.TeamSummary, error)
	IsMember(userID, teamID string) bool
	MemberIDs(teamID string) []string
	TeamName(teamID string) (string, bool)
	TeamIDsOf(userID string) []string
}

// People resolves user ids (identity.Users).
type People interface {
	Get(id string) (identity.User, bool)
}

// Notifier delivers a notification; key deduplicates it across instances.
type Notifier func(ctx context.Context, userIDs []string, kind, title, text, link, key string)

// FigureMonth is one team-month of dashboard figures as the reader may see
// them: a nil value is absent or withheld; Withheld names the figures held
// back by the dashboard's small-team rule.
type FigureMonth struct {
	Values   map[string]*float64
	Withheld map[string]bool
}

// Figures reads the monthly team figures (the app wires the dashboard).
type Figures interface {
	// Series returns per team the months from..to (inclusive), index k
	// being month from+k, as the actor may see them.
	Series(a *identity.Actor, teamIDs []string, from, to Month) map[string][]FigureMonth
}

// Options tune the service.
type Options struct {
	Logger  *slog.Logger
	Now     func() time.Time
	Notify  Notifier
	Figures Figures
	Bus     *streamlog.Bus  // carries change-log signals between instances
	Applied func(seq int64) // tests: called when a change-log entry was applied
}

// Service keeps the whole learning state in memory (it is small: one
// trajectory per team, a few hundred sessions a year) and applies the
// access rules. Writes go to the store by _id, then to memory, then to the
// change log that other instances follow (follow.go).
type Service struct {
	st      *lstore
	org     Org
	people  People
	figures Figures
	notify  Notifier
	log     *slog.Logger
	now     func() time.Time
	tz      *time.Location
	md      *richtext.Renderer

	opt     Options
	changes *streamlog.RefLog // learning_changes (follow.go)

	writeMu  sync.Mutex // a write holds it from its store write to its memory update
	mu       sync.RWMutex
	cur      *state
	reminded map[string]bool
}

type state struct {
	programmes  map[string][]*Programme // id → versions, ascending
	cohorts     map[string]*Cohort
	trajs       map[string]*Trajectory
	teamTraj    map[string]*Trajectory // team → its trajectory in the latest cohort
	sessions    map[string]*Session
	teamSess    map[string][]*Session // by start
	reflections map[string]*Reflection
	scans       map[string]*Scan
	trajScans   map[string][]*Scan // by seq
	settings    Settings
}

// NewService loads the state.
func NewService(ctx context.Context, s *store.Store, o Org, people People, opt Options) (*Service, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	tz, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		tz = time.UTC
	}
	svc := &Service{st: newStore(s), org: o, people: people, figures: opt.Figures, notify: opt.Notify, log: opt.Logger,
		now: opt.Now, tz: tz, md: richtext.New(), reminded: map[string]bool{}, opt: opt}
	l := streamlog.NewPrunable(s.DB.Collection(changesColl), "")
	last, err := l.Last(ctx, 0) // before the load: nothing appended meanwhile is missed
	if err != nil {
		return nil, unavailable("read "+changesColl, err)
	}
	svc.follow(l, last, opt)
	return svc, svc.Reload(ctx)
}

// SetFigures wires the dashboard figures (the app does this).
func (s *Service) SetFigures(f Figures) { s.figures = f }

// Reload reads the whole state from the store (at start, after a seed,
// and when the change log was pruned past this instance).
func (s *Service) Reload(ctx context.Context) error {
	// No local write may land between reading the store and swapping the
	// state in, or memory would miss it.
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	next, err := s.load(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.cur = next
	s.mu.Unlock()
	return nil
}

func (s *Service) load(ctx context.Context) (*state, error) {
	st := newState()
	progs, err := loadAll[Programme](ctx, s.st.programmes)
	if err != nil {
		return nil, err
	}
	for i := range progs {
		st.addProgramme(&progs[i])
	}
	cohorts, err := loadAll[Cohort](ctx, s.st.cohorts)
	if err != nil {
		return nil, err
	}
	for i := range cohorts {
		st.cohorts[cohorts[i].ID] = &cohorts[i]
	}
	trajs, err := loadAll[Trajectory](ctx, s.st.trajectories)
	if err != nil {
		return nil, err
	}
	for i := range trajs {
		st.addTrajectory(&trajs[i])
	}
	sess, err := loadAll[Session](ctx, s.st.sessions)
	if err != nil {
		return nil, err
	}
	for i := range sess {
		st.addSession(&sess[i])
	}
	refl, err := loadAll[Reflection](ctx, s.st.reflections)
	if err != nil {
		return nil, err
	}
	for i := range refl {
		st.reflections[refl[i].ID] = &refl[i]
	}
	scans, err := loadAll[Scan](ctx, s.st.scans)
	if err != nil {
		return nil, err
	}
	for i := range scans {
		st.addScan(&scans[i])
	}
	if st.settings, err = s.st.settings(ctx); err != nil {
		return nil, err
	}
	return st, nil
}

func newState() *state {
	return &state{programmes: map[string][]*Programme{}, cohorts: map[string]*Cohort{}, trajs: map[string]*Trajectory{},
		teamTraj: map[string]*Trajectory{}, sessions: map[string]*Session{}, teamSess: map[string][]*Session{},
		reflections: map[string]*Reflection{}, scans: map[string]*Scan{}, trajScans: map[string][]*Scan{},
		settings: Settings{ID: settingsID, Designers: []string{}}}
}

func (st *state) addProgramme(p *Programme) {
	vs := append(st.programmes[p.ID], p)
	sort.Slice(vs, func(i, j int) bool { return vs[i].Version < vs[j].Version })
	st.programmes[p.ID] = vs
}

// putProgramme adds or replaces a programme version.
func (st *state) putProgramme(p *Programme) {
	if i := slices.IndexFunc(st.programmes[p.ID], func(q *Programme) bool { return q.Version == p.Version }); i >= 0 {
		st.programmes[p.ID][i] = p
		return
	}
	st.addProgramme(p)
}

func (st *state) programme(id string, version int) *Programme {
	vs := st.programmes[id]
	if len(vs) == 0 {
		return nil
	}
	if version == 0 {
		return vs[len(vs)-1]
	}
	for _, p := range vs {
		if p.Version == version {
			return p
		}
	}
	return nil
}

// addTrajectory indexes t. A trajectory whose cohort does not exist (the
// leftover of an interrupted CreateCohort) never becomes a team's current one.
func (st *state) addTrajectory(t *Trajectory) {
	st.trajs[t.ID] = t
	if st.cohorts[t.CohortID] == nil {
		return
	}
	if cur := st.teamTraj[t.TeamID]; cur == nil || cur.ID == t.ID || cur.StartMonth < t.StartMonth {
		st.teamTraj[t.TeamID] = t
	}
}

// trajectoryOf returns the team's trajectory if its cohort exists.
func (st *state) trajectoryOf(team string) *Trajectory {
	t := st.teamTraj[team]
	if t == nil || st.cohorts[t.CohortID] == nil {
		return nil
	}
	return t
}

func (st *state) addSession(x *Session) {
	if old := st.sessions[x.ID]; old != nil {
		for _, tm := range old.TeamIDs {
			st.teamSess[tm] = slices.DeleteFunc(st.teamSess[tm], func(y *Session) bool { return y.ID == x.ID })
		}
	}
	st.sessions[x.ID] = x
	for _, tm := range x.TeamIDs {
		l := append(st.teamSess[tm], x)
		sort.SliceStable(l, func(i, j int) bool { return l[i].Start.Before(l[j].Start) })
		st.teamSess[tm] = l
	}
}

func (st *state) addScan(x *Scan) {
	st.scans[x.ID] = x
	l := slices.DeleteFunc(st.trajScans[x.TrajectoryID], func(y *Scan) bool { return y.ID == x.ID })
	l = append(l, x)
	sort.Slice(l, func(i, j int) bool { return l[i].Seq < l[j].Seq })
	st.trajScans[x.TrajectoryID] = l
}

// read runs f under the read lock.
func (s *Service) read(f func(st *state) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return f(s.cur)
}

// commit applies a change to memory and appends it to the change log,
// naming the documents written (refs), so other instances read them.
// Callers hold writeMu.
func (s *Service) commit(ctx context.Context, apply func(st *state), refs ...ref) {
	s.mu.Lock()
	apply(s.cur)
	s.mu.Unlock()
	s.logChange(ctx, refs)
}

// ---------------------------------------------------------------------------
// Access

func requireActor(a *identity.Actor) error {
	if a == nil || a.UserID == "" {
		return apperr.ErrUnauthenticated
	}
	return nil
}

// IsDesigner: administrators, and support-service staff named in the
// learning settings, design programmes and cohorts.
func (st *state) isDesigner(a *identity.Actor) bool {
	if a.Has(identity.RoleBeheerder) {
		return true
	}
	return a.Has(identity.RoleOndersteunendeDienst) && slices.Contains(st.settings.Designers, a.UserID)
}

func (st *state) isCoachOf(a *identity.Actor, team string) bool {
	t := st.trajectoryOf(team)
	return t != nil && a.Has(identity.RoleTeamcoach) && t.CoachID == a.UserID
}

func (s *Service) isMember(a *identity.Actor, team string) bool {
	return s.org.IsMember(a.UserID, team)
}

// seesTrajectory: the team's members, its coach, designers and administrators.
func (s *Service) seesTrajectory(st *state, a *identity.Actor, team string) bool {
	return s.isMember(a, team) || st.isCoachOf(a, team) || st.isDesigner(a)
}

// seesPrivate: reflections and scans are for the team and its coach only.
func (s *Service) seesPrivate(st *state, a *identity.Actor, team string) bool {
	return s.isMember(a, team) || st.isCoachOf(a, team)
}

var systemActor = &identity.Actor{UserID: "system", Name: "Plein", Roles: []identity.Role{identity.RoleBeheerder}}

func (s *Service) person(id string) PersonRef {
	if id == "" {
		return PersonRef{}
	}
	if u, ok := s.people.Get(id); ok {
		return PersonRef{ID: id, Name: u.Name}
	}
	return PersonRef{ID: id, Name: "Onbekend"}
}

func (s *Service) isCoachUser(id string) bool {
	u, ok := s.people.Get(id)
	return ok && u.Active && slices.Contains(u.Roles(), identity.RoleTeamcoach)
}

// PersonRef names a person.
type PersonRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func newID(prefix string, t time.Time) string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return prefix + t.UTC().Format("20060102150405") + hex.EncodeToString(b)
}

// ---------------------------------------------------------------------------
// Input helpers

func checkText(v *apperr.Validator, field, s string, minLen, maxLen int) string {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		v.Add(field, "not_allowed", "contains invalid characters")
	case n < minLen && minLen == 1:
		v.Add(field, "required", "is required")
	case n < minLen:
		v.Add(field, "too_short", "is too short")
	case n > maxLen:
		v.Add(field, "too_long", "is too long (at most "+strconv.Itoa(maxLen)+" characters)", apperr.Params{"max": maxLen})
	}
	return s
}

func checkLine(v *apperr.Validator, field, s string, minLen, maxLen int) string {
	s = checkText(v, field, s, minLen, maxLen)
	if strings.ContainsAny(s, "\r\n") {
		v.Add(field, "invalid", "must be one line")
	}
	return s
}

// ---------------------------------------------------------------------------
// Settings and "me"

// Me tells the web app what the actor can do here.
type Me struct {
	Designer     bool     `json:"designer"`
	Coach        bool     `json:"coach"`
	CoachedTeams []string `json:"coachedTeams"`
	Teams        []string `json:"teams"` // own teams with a trajectory
}

// Me describes the actor's place in the programme.
func (s *Service) Me(a *identity.Actor) (*Me, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	out := &Me{CoachedTeams: []string{}, Teams: []string{}}
	_ = s.read(func(st *state) error {
		out.Designer = st.isDesigner(a)
		out.Coach = a.Has(identity.RoleTeamcoach)
		for team := range st.teamTraj {
			if st.isCoachOf(a, team) {
				out.CoachedTeams = append(out.CoachedTeams, team)
			}
		}
		for _, team := range s.org.TeamIDsOf(a.UserID) {
			if st.trajectoryOf(team) != nil {
				out.Teams = append(out.Teams, team)
			}
		}
		return nil
	})
	sort.Strings(out.CoachedTeams)
	return out, nil
}

// SettingsInput replaces the settings.
type SettingsInput struct {
	Designers []string `json:"designers"`
}

// Settings returns the settings (administrators).
func (s *Service) Settings(a *identity.Actor) (*Settings, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if !a.Has(identity.RoleBeheerder) {
		return nil, apperr.Forbidden("admin_only", "only administrators manage the learning settings")
	}
	var out Settings
	_ = s.read(func(st *state) error { out = st.settings; return nil })
	return &out, nil
}

// UpdateSettings names the programme designers (administrators).
func (s *Service) UpdateSettings(ctx context.Context, a *identity.Actor, in SettingsInput) (*Settings, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if !a.Has(identity.RoleBeheerder) {
		return nil, apperr.Forbidden("admin_only", "only administrators manage the learning settings")
	}
	var v apperr.Validator
	v.Check(len(in.Designers) <= 100, "designers", "too_many", "at most 100 people", apperr.Params{"max": 100})
	seen := map[string]bool{}
	for i, id := range in.Designers {
		u, ok := s.people.Get(id)
		f := "designers[" + strconv.Itoa(i) + "]"
		if !ok {
			v.Add(f, "unknown", "unknown person")
		} else if !slices.Contains(u.Roles(), identity.RoleOndersteunendeDienst) {
			v.Add(f, "not_allowed", "only support-service staff (ondersteunende dienst) can be designers")
		}
		v.Check(!seen[id], f, "duplicate", "listed twice")
		seen[id] = true
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	set := Settings{ID: settingsID, Designers: slices.Clone(in.Designers), UpdatedAt: s.now().UTC()}
	if err := put(ctx, s.st.meta, settingsID, &set); err != nil {
		return nil, err
	}
	s.commit(ctx, func(st *state) { st.settings = set }, ref{C: metaColl, ID: settingsID})
	return &set, nil
}
