package audits

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/streamlog"
)

// Org is what audits read from the organisation.
type Org interface {
	ListRegions(a *identity.Actor) ([]org.RegionSummary, error)
	ListTeams(a *identity.Actor, regionID string) ([]org.TeamSummary, error)
	TeamsOf(userID string) []identity.TeamRef
	MemberIDs(teamID string) []string
	// Generation changes whenever regions, teams or memberships change:
	// the directory is kept until it does.
	Generation() uint64
}

// People finds users (names, roles) by id.
type People interface {
	Get(id string) (identity.User, bool)
	All() []identity.User
}

// NotifyKind is the notification kind of everything audits send (the
// notification centre's "audit"); the key tells the events apart
// ("audit_assigned:<audit>", "audit_action_overdue:<action>:<due>", …).
const NotifyKind = "audit"

// Notifier hands a notice to the notification centre; key deduplicates it
// across instances and restarts.
type Notifier func(ctx context.Context, userIDs []string, kind, title, text, link, key string)

// Options tune the service.
type Options struct {
	Logger  *slog.Logger
	Now     func() time.Time
	Notify  Notifier
	Bus     *streamlog.Bus  // carries change-log signals between instances
	Applied func(seq int64) // tests: called when a change-log entry was applied
}

// Service answers every read from memory; writes go to the store by _id and
// then to memory. Stored values in the maps are never changed in place: a
// change replaces the pointer (readers may hold the old one).
type Service struct {
	st     *auditStore
	org    Org
	people People
	log    *slog.Logger
	now    func() time.Time
	notify Notifier

	opt     Options
	changes *streamlog.RefLog // audits_changes (follow.go)

	writeMu  sync.Mutex // serialises writes on this instance, store write to memory
	mu       sync.RWMutex
	tpl      map[string]*Template
	rounds   map[string]*Round
	audits   map[string]*Audit
	actions  map[string]*Action
	corr     map[string][]*Correction // by audit
	auditors map[string]string        // user → region
	reminded map[string]bool

	// Derived, read-only views rebuilt on demand: per finished audit its
	// theme scores and findings (key: the audit's pointer and its number of
	// corrections; a finished audit never changes), and the actions by audit.
	derived *sync.Map
	actIdx  atomic.Pointer[map[string][]*Action]
	// directory of the organisation's generation (dir): read-only.
	dirAt atomic.Pointer[dirCache]
}

// NewService loads the state and makes sure the default template exists.
func NewService(ctx context.Context, s *store.Store, o Org, people People, opt Options) (*Service, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	svc := &Service{st: newStore(s), org: o, people: people, log: opt.Logger, now: opt.Now, notify: opt.Notify, reminded: map[string]bool{},
		opt: opt}
	l := streamlog.NewPrunable(s.DB.Collection(changesColl), "")
	last, err := l.Last(ctx, 0) // before the load: nothing appended meanwhile is missed
	if err != nil {
		return nil, unavailable("read "+changesColl, err)
	}
	svc.follow(l, last)
	def := DefaultTemplate()
	def.CreatedAt = opt.Now().UTC()
	def.CreatedBy = "system"
	if _, err := insertNew(ctx, svc.st.templates, &def); err != nil {
		return nil, err
	}
	return svc, svc.load(ctx)
}

// load reads the whole state (at start, after a seed, and when the change
// log was pruned past this instance). No local write lands between reading
// and swapping.
func (s *Service) load(ctx context.Context) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tpls, err := loadAll[Template](ctx, s.st.templates)
	if err != nil {
		return err
	}
	rounds, err := loadAll[Round](ctx, s.st.rounds)
	if err != nil {
		return err
	}
	audits, err := loadAll[Audit](ctx, s.st.audits)
	if err != nil {
		return err
	}
	actions, err := loadAll[Action](ctx, s.st.actions)
	if err != nil {
		return err
	}
	corr, err := loadAll[Correction](ctx, s.st.corrections)
	if err != nil {
		return err
	}
	auditors, err := loadAll[Auditor](ctx, s.st.auditors)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tpl = map[string]*Template{}
	for i := range tpls {
		s.tpl[tpls[i].ID] = &tpls[i]
	}
	s.rounds = map[string]*Round{}
	for i := range rounds {
		s.rounds[rounds[i].ID] = &rounds[i]
	}
	s.audits = map[string]*Audit{}
	for i := range audits {
		if audits[i].Answers == nil {
			audits[i].Answers = map[string]Answer{}
		}
		s.audits[audits[i].ID] = &audits[i]
	}
	s.actions = map[string]*Action{}
	for i := range actions {
		s.actions[actions[i].ID] = &actions[i]
	}
	s.actIdx.Store(nil)
	s.derived = &sync.Map{}
	s.corr = map[string][]*Correction{}
	for i := range corr {
		c := &corr[i]
		s.corr[c.AuditID] = append(s.corr[c.AuditID], c)
	}
	for _, cs := range s.corr {
		sort.Slice(cs, func(i, j int) bool { return cs[i].At.Before(cs[j].At) })
	}
	s.auditors = map[string]string{}
	for _, a := range auditors {
		s.auditors[a.UserID] = a.RegionID
	}
	return nil
}

// ---------------------------------------------------------------------------
// Access (the only place where it is decided)

var system = &identity.Actor{UserID: "system", Name: "system"}

func requireActor(a *identity.Actor) error {
	if a == nil {
		return apperr.ErrUnauthenticated
	}
	return nil
}

// seesAll: quality & safety (support services) and administrators.
func seesAll(a *identity.Actor) bool {
	return a.Has(identity.RoleOndersteunendeDienst) || a.Has(identity.RoleBeheerder)
}

// canPlan: who makes rounds, adjusts assignments and templates.
func canPlan(a *identity.Actor) bool { return seesAll(a) }

// regionOf is the region a regional manager or coordinating district nurse
// is responsible for ("" for anyone else).
func (s *Service) regionOf(a *identity.Actor) string {
	if !a.Has(identity.RoleRegiomanager) && !a.Has(identity.RoleCoordinerendWV) {
		return ""
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.auditors[a.UserID]
}

func (s *Service) isMember(userID, teamID string) bool {
	for _, t := range s.org.TeamsOf(userID) {
		if t.ID == teamID {
			return true
		}
	}
	return false
}

func (s *Service) holdsTeamRole(userID, teamID, role string) bool {
	for _, t := range s.org.TeamsOf(userID) {
		if t.ID == teamID {
			return slices.Contains(t.TeamRoles, role)
		}
	}
	return false
}

// viewer is what one actor may see, computed once per request so that no
// check takes a lock while another is held.
type viewer struct {
	a      *identity.Actor
	all    bool
	region string
	teams  map[string]bool
}

func (s *Service) viewerOf(a *identity.Actor) *viewer {
	v := &viewer{a: a, all: seesAll(a), region: s.regionOf(a), teams: map[string]bool{}}
	for _, t := range s.org.TeamsOf(a.UserID) {
		v.teams[t.ID] = true
	}
	return v
}

// seesAudit: everything (Q&S, administrators), the auditor, the region's
// manager or coordinating district nurse, and the team itself.
func (v *viewer) seesAudit(au *Audit) bool {
	return v.all || au.AuditorID == v.a.UserID || (v.region != "" && v.region == au.RegionID) || v.teams[au.TeamID]
}

func (v *viewer) seesTeam(teamID, regionID string) bool {
	return v.all || (v.region != "" && v.region == regionID) || v.teams[teamID]
}

func (v *viewer) seesRegion(regionID string) bool {
	return v.all || (regionID != "" && v.region == regionID)
}

func (v *viewer) seesAction(act *Action, au *Audit) bool {
	return act.OwnerUserID == v.a.UserID || (au != nil && v.seesAudit(au))
}

// canWorkOnAction: the owner closes an action (a person, or the holders of
// the owning team role; when nobody holds it, any member of the team).
func (s *Service) canWorkOnAction(a *identity.Actor, act *Action) bool {
	if act.OwnerUserID != "" {
		return act.OwnerUserID == a.UserID
	}
	if s.holdsTeamRole(a.UserID, act.TeamID, act.OwnerTeamRole) {
		return true
	}
	if !s.isMember(a.UserID, act.TeamID) {
		return false
	}
	for _, id := range s.org.MemberIDs(act.TeamID) {
		if s.holdsTeamRole(id, act.TeamID, act.OwnerTeamRole) {
			return false
		}
	}
	return true
}

// canConfirm: the auditor confirms a closed action (Q&S and administrators
// stand in when the auditor has left).
func canConfirm(a *identity.Actor, au *Audit) bool {
	return (au != nil && au.AuditorID == a.UserID) || seesAll(a)
}

// ---------------------------------------------------------------------------
// Directory (from the organisation, in memory there)

type directory struct {
	teams      map[string]org.TeamSummary
	regions    map[string]string // id → name
	regionList []org.RegionSummary
	teamList   []org.TeamSummary
}

type dirCache struct {
	gen uint64
	d   *directory
}

// dir is the organisation's regions and teams, built once per generation of
// the organisation (not per request, as /audits/mine on every home page did).
// Callers must not change it.
func (s *Service) dir() *directory {
	gen := s.org.Generation()
	if c := s.dirAt.Load(); c != nil && c.gen == gen {
		return c.d
	}
	d := s.buildDir()
	s.dirAt.Store(&dirCache{gen: gen, d: d}) // built after reading gen: a change meanwhile only rebuilds it again
	return d
}

func (s *Service) buildDir() *directory {
	d := &directory{teams: map[string]org.TeamSummary{}, regions: map[string]string{}}
	d.regionList, _ = s.org.ListRegions(system)
	d.teamList, _ = s.org.ListTeams(system, "")
	for _, r := range d.regionList {
		d.regions[r.ID] = r.Name
	}
	for _, t := range d.teamList {
		d.teams[t.ID] = t
	}
	return d
}

func (s *Service) name(userID string) string {
	if u, ok := s.people.Get(userID); ok {
		return u.Name
	}
	return ""
}

// candidates are the people who may audit in a round of this type.
func (s *Service) candidates(typ string, d *directory) []Candidate {
	role := identity.RoleRegiomanager
	if typ == TypeInternal {
		role = identity.RoleCoordinerendWV
	}
	s.mu.RLock()
	auditors := maps.Clone(s.auditors)
	s.mu.RUnlock()
	var out []Candidate
	for _, u := range s.people.All() {
		if !u.Active || !slices.Contains(u.Roles(), role) {
			continue
		}
		region := auditors[u.ID]
		if region == "" {
			continue // responsible for no region: cannot be checked, not proposed
		}
		c := Candidate{ID: u.ID, Region: region, Regions: []string{region}}
		for _, t := range s.org.TeamsOf(u.ID) {
			c.Teams = append(c.Teams, t.ID)
			if !slices.Contains(c.Regions, t.RegionID) {
				c.Regions = append(c.Regions, t.RegionID)
			}
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (s *Service) today() string { return s.now().UTC().Format("2006-01-02") }
