package org

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/plaintext"
	"github.com/plein/plein/server/store"
)

// People is the user directory org reads names and roles from.
type People interface {
	Get(id string) (identity.User, bool)
}

// snapshot is an immutable picture of the organisation. The organisation is
// small and read on nearly every request, so it lives in memory and is
// swapped whole after a write or a periodic refresh.
type snapshot struct {
	regions     map[string]*Region
	teams       map[string]*Team
	byTeam      map[string][]*Membership
	byUser      map[string][]*Membership
	regionOrder []string
	// teamOrder is every team in name order (Collate), sorted once per
	// snapshot: lists walk it instead of sorting all teams per request
	// (at 400 teams that sort was most of a home page's CPU).
	teamOrder []*Team
	gen       uint64 // Generation
}

// Service is the org service.
type Service struct {
	st     *orgStore
	people People
	log    *slog.Logger
	now    func() time.Time

	writeMu  sync.Mutex // serialises writes on this instance
	reloadMu sync.Mutex // serialises reloads: a stale one never replaces a newer snapshot
	onChange func()
	mu       sync.RWMutex
	snap     *snapshot
	profiles TeamProfiles            // guarded by mu
	changes  identity.ChangeRecorder // guarded by mu
}

// NewService loads the organisation.
func NewService(ctx context.Context, s *store.Store, people People, log *slog.Logger) (*Service, error) {
	if log == nil {
		log = slog.Default()
	}
	svc := &Service{st: newStore(s), people: people, log: log, now: time.Now}
	return svc, svc.Reload(ctx)
}

// Reload re-reads the organisation from the store. Other instances' writes
// become visible through it (called after local writes, and when another
// instance logged an organisation change: app_changes).
func (s *Service) Reload(ctx context.Context) error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	regions, err := loadAll[Region](ctx, s.st.regions)
	if err != nil {
		return err
	}
	teams, err := loadAll[Team](ctx, s.st.teams)
	if err != nil {
		return err
	}
	ms, err := loadAll[Membership](ctx, s.st.memberships)
	if err != nil {
		return err
	}
	n := &snapshot{regions: map[string]*Region{}, teams: map[string]*Team{}, byTeam: map[string][]*Membership{}, byUser: map[string][]*Membership{}}
	for i := range regions {
		n.regions[regions[i].ID] = &regions[i]
		n.regionOrder = append(n.regionOrder, regions[i].ID)
	}
	sort.Slice(n.regionOrder, func(i, j int) bool {
		return Collate(n.regions[n.regionOrder[i]].Name) < Collate(n.regions[n.regionOrder[j]].Name)
	})
	keys := make(map[string]string, len(teams))
	for i := range teams {
		n.teams[teams[i].ID] = &teams[i]
		n.teamOrder = append(n.teamOrder, &teams[i])
		keys[teams[i].ID] = Collate(teams[i].Name)
	}
	sort.SliceStable(n.teamOrder, func(i, j int) bool { return keys[n.teamOrder[i].ID] < keys[n.teamOrder[j].ID] })
	for i := range ms {
		m := &ms[i]
		n.byTeam[m.TeamID] = append(n.byTeam[m.TeamID], m)
		n.byUser[m.UserID] = append(n.byUser[m.UserID], m)
	}
	s.mu.Lock()
	if s.snap != nil {
		n.gen = s.snap.gen + 1
	}
	s.snap = n
	s.mu.Unlock()
	return nil
}

// Generation changes with every reload of the organisation (regions, teams,
// memberships; not team profiles, which the team spaces own). Services that
// derive state from ListRegions and ListTeams keep it until it changes,
// instead of building it per request.
func (s *Service) Generation() uint64 { return s.current().gen }

// OnChange registers a function called after every write of this instance
// (the server uses it to tell every instance, through the broker, to reload
// and re-check chat access).
func (s *Service) OnChange(f func()) { s.onChange = f }

func (s *Service) reloadAfterWrite(ctx context.Context) error {
	if err := s.Reload(ctx); err != nil {
		return err
	}
	if s.onChange != nil {
		s.onChange()
	}
	return nil
}

func (s *Service) current() *snapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.snap
}

// RegionSummary is a region in lists.
type RegionSummary struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	TeamCount int    `json:"teamCount"`
}

// TeamSummary is a team in lists.
type TeamSummary struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	RegionID    string   `json:"regionId"`
	WorkingArea []string `json:"workingArea"`
	MemberCount int      `json:"memberCount"`
	// Archived is true for an archived team (listed only when asked for).
	Archived bool `json:"archived,omitempty"`
}

// RegionDetail is one region with its teams.
type RegionDetail struct {
	ID    string        `json:"id"`
	Name  string        `json:"name"`
	Teams []TeamSummary `json:"teams"`
}

// Member is a team member as the team page shows them.
type Member struct {
	UserID    string          `json:"userId"`
	Name      string          `json:"name"`
	Roles     []identity.Role `json:"roles"`
	TeamRoles []string        `json:"teamRoles"`
	// Source is where the membership comes from: "claims" (the identity
	// provider's groups: it adds and removes it), "admin" or "seed".
	Source string `json:"source"`
}

// TeamDetail is one team with its members.
type TeamDetail struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	RegionID    string    `json:"regionId"`
	RegionName  string    `json:"regionName"`
	WorkingArea []string  `json:"workingArea"`
	Description string    `json:"description"`
	Contact     Contact   `json:"contact"`
	Members     []Member  `json:"members"`
	UpdatedAt   time.Time `json:"updatedAt"`
	// ArchivedAt is when the team was archived (absent for a current team).
	ArchivedAt *time.Time `json:"archivedAt,omitempty"`
}

func requireActor(a *identity.Actor) error {
	if a == nil {
		return apperr.ErrUnauthenticated
	}
	return nil
}

// Every logged-in member of staff may see the organisation: regions, teams
// and who is in them (the team page is shown to all staff).

// ListRegions lists regions by name.
func (s *Service) ListRegions(a *identity.Actor) ([]RegionSummary, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	sn := s.current()
	counts := map[string]int{}
	for _, t := range sn.teams {
		if t.ArchivedAt == nil {
			counts[t.RegionID]++
		}
	}
	out := make([]RegionSummary, 0, len(sn.regionOrder))
	for _, id := range sn.regionOrder {
		r := sn.regions[id]
		out = append(out, RegionSummary{ID: r.ID, Name: r.Name, TeamCount: counts[r.ID]})
	}
	return out, nil
}

// GetRegion returns one region with its teams.
func (s *Service) GetRegion(a *identity.Actor, id string) (*RegionDetail, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	sn := s.current()
	r, ok := sn.regions[id]
	if !ok {
		return nil, apperr.NotFound("not_found", "region not found")
	}
	return &RegionDetail{ID: r.ID, Name: r.Name, Teams: s.teamSummaries(sn, r.ID, false)}, nil
}

// ListTeams lists teams by name, optionally of one region.
func (s *Service) ListTeams(a *identity.Actor, regionID string) ([]TeamSummary, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	sn := s.current()
	if regionID != "" {
		if _, ok := sn.regions[regionID]; !ok {
			return nil, apperr.Invalid("region", "unknown", "unknown region")
		}
	}
	return s.teamSummaries(sn, regionID, false), nil
}

// ListTeamsWithArchived lists current and archived teams (administrators:
// Beheer, where an archived team is restored).
func (s *Service) ListTeamsWithArchived(a *identity.Actor, regionID string) ([]TeamSummary, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	if _, err := s.ListTeams(a, regionID); err != nil {
		return nil, err
	}
	return s.teamSummaries(s.current(), regionID, true), nil
}

// teamSummaries lists a region's teams (all regions: ""), archived ones
// only when archived is true.
func (s *Service) teamSummaries(sn *snapshot, regionID string, archived bool) []TeamSummary {
	out := []TeamSummary{}
	for _, t := range sn.teamOrder {
		if (regionID != "" && t.RegionID != regionID) || (t.ArchivedAt != nil && !archived) {
			continue
		}
		out = append(out, TeamSummary{ID: t.ID, Name: t.Name, RegionID: t.RegionID, WorkingArea: s.profileOf(t).WorkingArea,
			MemberCount: len(sn.byTeam[t.ID]), Archived: t.ArchivedAt != nil})
	}
	return out
}

// GetTeam returns one team with its members.
func (s *Service) GetTeam(a *identity.Actor, id string) (*TeamDetail, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	sn := s.current()
	t, ok := sn.teams[id]
	if !ok {
		return nil, apperr.NotFound("not_found", "team not found")
	}
	p := s.profileOf(t)
	d := &TeamDetail{ID: t.ID, Name: t.Name, RegionID: t.RegionID, WorkingArea: p.WorkingArea,
		Description: p.Description, Contact: p.Contact, UpdatedAt: t.UpdatedAt, Members: []Member{}, ArchivedAt: t.ArchivedAt}
	if p.UpdatedAt.After(d.UpdatedAt) {
		d.UpdatedAt = p.UpdatedAt
	}
	if r, ok := sn.regions[t.RegionID]; ok {
		d.RegionName = r.Name
	}
	for _, m := range sn.byTeam[id] {
		mem := Member{UserID: m.UserID, Name: m.UserID, Roles: []identity.Role{}, TeamRoles: nonNil(m.TeamRoles), Source: m.Source}
		if u, ok := s.people.Get(m.UserID); ok {
			if !u.Active {
				continue
			}
			mem.Name = u.Name
			mem.Roles = nonNil(u.Roles())
		}
		d.Members = append(d.Members, mem)
	}
	sort.Slice(d.Members, func(i, j int) bool { return Collate(d.Members[i].Name) < Collate(d.Members[j].Name) })
	return d, nil
}

// TeamsOf lists a user's teams (identity.TeamsOf).
func (s *Service) TeamsOf(userID string) []identity.TeamRef {
	sn := s.current()
	out := []identity.TeamRef{}
	for _, m := range sn.byUser[userID] {
		if t, ok := sn.teams[m.TeamID]; ok {
			out = append(out, identity.TeamRef{ID: t.ID, Name: t.Name, RegionID: t.RegionID, TeamRoles: nonNil(m.TeamRoles)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return Collate(out[i].Name) < Collate(out[j].Name) })
	return out
}

// IsMember reports whether the user belongs to the team.
func (s *Service) IsMember(userID, teamID string) bool {
	_, ok := s.current().teams[teamID]
	return ok && slices.ContainsFunc(s.current().byUser[userID], func(m *Membership) bool { return m.TeamID == teamID })
}

// RegionInput creates or changes a region.
type RegionInput struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CreateRegion adds a region (administrators).
func (s *Service) CreateRegion(ctx context.Context, a *identity.Actor, in RegionInput) (*RegionSummary, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	var v apperr.Validator
	v.Check(ValidSlug(in.ID), "id", "invalid", "use 2–60 lowercase letters, digits and hyphens, e.g. den-helder")
	checkName(&v, "name", in.Name)
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	now := s.now().UTC()
	r := &Region{ID: in.ID, Name: strings.TrimSpace(in.Name), CreatedAt: now, UpdatedAt: now}
	if err := insert(ctx, s.st.regions, r, "region "+in.ID); err != nil {
		return nil, err
	}
	if err := s.reloadAfterWrite(ctx); err != nil {
		return nil, err
	}
	if err := s.recordChange(ctx, a, identity.Change{Action: "region.create", Subject: "region:" + r.ID, SubjectName: r.Name, After: regionFields(r)}); err != nil {
		return nil, err
	}
	return &RegionSummary{ID: r.ID, Name: r.Name}, nil
}

// RegionPatch changes a region's name.
type RegionPatch struct {
	Name *string `json:"name"`
}

// UpdateRegion renames a region (administrators).
func (s *Service) UpdateRegion(ctx context.Context, a *identity.Actor, id string, p RegionPatch) (*RegionDetail, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	old, ok := s.current().regions[id]
	if !ok {
		return nil, apperr.NotFound("not_found", "region not found")
	}
	var v apperr.Validator
	r := *old
	if p.Name != nil {
		checkName(&v, "name", *p.Name)
		r.Name = strings.TrimSpace(*p.Name)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	r.UpdatedAt = s.now().UTC()
	if err := replace(ctx, s.st.regions, id, &r, false); err != nil {
		return nil, err
	}
	if err := s.reloadAfterWrite(ctx); err != nil {
		return nil, err
	}
	if err := s.recordChange(ctx, a, identity.Change{Action: "region.update", Subject: "region:" + id, SubjectName: r.Name, Before: regionFields(old), After: regionFields(&r)}); err != nil {
		return nil, err
	}
	return s.GetRegion(a, id)
}

// TeamInput creates a team.
type TeamInput struct {
	ID          string   `json:"id"`
	RegionID    string   `json:"regionId"`
	Name        string   `json:"name"`
	WorkingArea []string `json:"workingArea"`
	Description string   `json:"description"`
	Contact     Contact  `json:"contact"`
	// AcknowledgeIdentifiers: the writer saw the warning that the
	// description or working area looks like client data and stores it.
	AcknowledgeIdentifiers bool `json:"acknowledgeIdentifiers"`
}

// CreateTeam adds a team (administrators).
func (s *Service) CreateTeam(ctx context.Context, a *identity.Actor, in TeamInput) (*TeamDetail, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var v apperr.Validator
	v.Check(ValidSlug(in.ID), "id", "invalid", "use 2–60 lowercase letters, digits and hyphens, e.g. den-helder-centrum")
	t := &Team{ID: in.ID, RegionID: in.RegionID, Name: strings.TrimSpace(in.Name), WorkingArea: cleanList(in.WorkingArea),
		Description: strings.TrimSpace(in.Description), Contact: in.Contact.Trimmed()}
	s.validateTeam(&v, t, in.WorkingArea)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := profileIdentifiers(in.AcknowledgeIdentifiers, t.Description, t.WorkingArea, TeamProfile{}); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	t.CreatedAt, t.UpdatedAt = now, now
	if err := insert(ctx, s.st.teams, t, "team "+in.ID); err != nil {
		return nil, err
	}
	if err := s.reloadAfterWrite(ctx); err != nil {
		return nil, err
	}
	if err := s.recordChange(ctx, a, identity.Change{Action: "team.create", Subject: "team:" + t.ID, SubjectName: t.Name,
		After: teamFields(t, TeamProfile{Description: t.Description, WorkingArea: t.WorkingArea, Contact: t.Contact})}); err != nil {
		return nil, err
	}
	return s.GetTeam(a, t.ID)
}

// TeamPatch changes some of a team's fields; absent fields stay as they are.
type TeamPatch struct {
	RegionID    *string   `json:"regionId"`
	Name        *string   `json:"name"`
	WorkingArea *[]string `json:"workingArea"`
	Description *string   `json:"description"`
	Contact     *Contact  `json:"contact"`
	// AcknowledgeIdentifiers: the writer saw the warning that the
	// description or working area looks like client data and stores it.
	AcknowledgeIdentifiers bool `json:"acknowledgeIdentifiers"`
}

// UpdateTeam changes a team (administrators).
func (s *Service) UpdateTeam(ctx context.Context, a *identity.Actor, id string, p TeamPatch) (*TeamDetail, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	old, ok := s.current().teams[id]
	if !ok {
		return nil, apperr.NotFound("not_found", "team not found")
	}
	t := *old
	// The profile fields start from the profile in effect (the team's
	// latest revision), not from the copy the team was created with.
	cur := s.profileOf(old)
	t.Description, t.WorkingArea, t.Contact = cur.Description, cur.WorkingArea, cur.Contact
	raw := t.WorkingArea
	if p.RegionID != nil {
		t.RegionID = *p.RegionID
	}
	if p.Name != nil {
		t.Name = strings.TrimSpace(*p.Name)
	}
	if p.WorkingArea != nil {
		raw = *p.WorkingArea
		t.WorkingArea = cleanList(raw)
	}
	if p.Description != nil {
		t.Description = strings.TrimSpace(*p.Description)
	}
	if p.Contact != nil {
		t.Contact = p.Contact.Trimmed()
	}
	var v apperr.Validator
	s.validateTeam(&v, &t, raw)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := profileIdentifiers(p.AcknowledgeIdentifiers, t.Description, t.WorkingArea, cur); err != nil {
		return nil, err
	}
	profileChanged := p.Description != nil || p.WorkingArea != nil || p.Contact != nil
	owner := s.profileOwner()
	if owner != nil {
		// A change is a new revision of the team's profile (with its
		// history); org's copy stays as the team was created. Re-running
		// after a failure half-way is safe: an unchanged profile makes no
		// revision.
		if profileChanged {
			if err := owner.SetTeamProfile(ctx, a, id, TeamProfile{Description: t.Description, WorkingArea: t.WorkingArea, Contact: t.Contact,
				AcknowledgeIdentifiers: p.AcknowledgeIdentifiers}); err != nil {
				return nil, err
			}
		}
	}
	after := teamFields(&t, TeamProfile{Description: t.Description, WorkingArea: t.WorkingArea, Contact: t.Contact})
	if owner != nil {
		t.Description, t.WorkingArea, t.Contact = old.Description, old.WorkingArea, old.Contact
	}
	t.UpdatedAt = s.now().UTC()
	if err := replace(ctx, s.st.teams, id, &t, false); err != nil {
		return nil, err
	}
	if err := s.reloadAfterWrite(ctx); err != nil {
		return nil, err
	}
	if err := s.recordChange(ctx, a, identity.Change{Action: "team.update", Subject: "team:" + id, SubjectName: t.Name, Before: teamFields(old, cur), After: after}); err != nil {
		return nil, err
	}
	return s.GetTeam(a, id)
}

func (s *Service) validateTeam(v *apperr.Validator, t *Team, rawArea []string) {
	if _, ok := s.current().regions[t.RegionID]; !ok {
		v.Add("regionId", "unknown", "unknown region")
	}
	checkName(v, "name", t.Name)
	if len(rawArea) > 50 {
		v.Add("workingArea", "too_many", "at most 50 entries", apperr.Params{"max": 50})
	}
	for i, w := range rawArea {
		CheckAreaEntry(v, i, strings.TrimSpace(w))
	}
	if utf8.RuneCountInString(t.Description) > 4000 || !utf8.ValidString(t.Description) {
		v.Add("description", "too_long", "at most 4000 characters", apperr.Params{"max": 4000})
	}
	t.Contact.Check(v)
}

// MemberInput sets a member's team roles.
type MemberInput struct {
	TeamRoles []string `json:"teamRoles"`
}

// SetMember adds a user to a team or changes their team roles (administrators).
func (s *Service) SetMember(ctx context.Context, a *identity.Actor, teamID, userID string, in MemberInput) (*TeamDetail, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if t, ok := s.current().teams[teamID]; !ok {
		return nil, apperr.NotFound("not_found", "team not found")
	} else if t.ArchivedAt != nil {
		return nil, errArchived()
	}
	var v apperr.Validator
	if _, ok := s.people.Get(userID); !ok {
		v.Add("userId", "unknown", "unknown user")
	}
	roles := []string{}
	if in.TeamRoles == nil {
		v.Add("teamRoles", "required", "is required (an array, may be empty)")
	}
	for i, r := range in.TeamRoles {
		if !ValidTeamRole(r) {
			v.Add(fmt.Sprintf("teamRoles[%d]", i), "unknown", "unknown team role; use one of "+strings.Join(TeamRoles, ", "))
		} else if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var before map[string]any
	source := SourceAdmin
	for _, old := range s.current().byTeam[teamID] {
		if old.UserID == userID {
			before = map[string]any{"teamRoles": nonNil(old.TeamRoles)}
			// Taakrollen are Plein's; the membership stays the identity
			// provider's when it came from its groups (it still removes it).
			source = old.Source
		}
	}
	m := &Membership{ID: MembershipID(teamID, userID), TeamID: teamID, UserID: userID, TeamRoles: roles, Source: source, UpdatedAt: s.now().UTC()}
	if err := replace(ctx, s.st.memberships, m.ID, m, true); err != nil {
		return nil, err
	}
	if err := s.reloadAfterWrite(ctx); err != nil {
		return nil, err
	}
	if err := s.recordChange(ctx, a, identity.Change{Action: "member.set", Subject: "team:" + teamID + " user:" + userID,
		SubjectName: s.personName(userID) + " · " + s.current().teams[teamID].Name, Before: before, After: map[string]any{"teamRoles": roles}}); err != nil {
		return nil, err
	}
	return s.GetTeam(a, teamID)
}

// RemoveMember removes a user from a team (administrators).
func (s *Service) RemoveMember(ctx context.Context, a *identity.Actor, teamID, userID string) error {
	if err := requireAdmin(a); err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if !s.IsMember(userID, teamID) {
		return apperr.NotFound("not_found", "membership not found")
	}
	var before map[string]any
	for _, old := range s.current().byTeam[teamID] {
		if old.UserID == userID {
			if old.Source == SourceClaims {
				// The next login would add it again: it is changed in the
				// identity provider's groups, not here.
				return apperr.Conflict("membership_from_idp", "this membership comes from the identity provider's groups; change it there")
			}
			before = map[string]any{"teamRoles": nonNil(old.TeamRoles)}
		}
	}
	if err := s.recordChange(ctx, a, identity.Change{Action: "member.remove", Subject: "team:" + teamID + " user:" + userID,
		SubjectName: s.personName(userID) + " · " + s.current().teams[teamID].Name, Before: before}); err != nil {
		return err
	}
	if err := deleteID(ctx, s.st.memberships, MembershipID(teamID, userID)); err != nil {
		return err
	}
	return s.reloadAfterWrite(ctx)
}

// SyncClaimedTeams makes the user's claim-sourced memberships match the teams
// their identity provider names (identity.TeamSync). Memberships an
// administrator or the seed made are left alone; unknown team ids are ignored.
func (s *Service) SyncClaimedTeams(ctx context.Context, userID string, teamIDs []string) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	sn := s.current()
	have := map[string]*Membership{}
	for _, m := range sn.byUser[userID] {
		have[m.TeamID] = m
	}
	changed := false
	for _, id := range teamIDs {
		if t, ok := sn.teams[id]; !ok || t.ArchivedAt != nil {
			s.log.WarnContext(ctx, "groups claim names an unknown or archived team", "team", id)
			continue
		}
		if _, ok := have[id]; ok {
			continue
		}
		m := &Membership{ID: MembershipID(id, userID), TeamID: id, UserID: userID, TeamRoles: []string{}, Source: SourceClaims, UpdatedAt: s.now().UTC()}
		if err := insert(ctx, s.st.memberships, m, "membership"); err != nil && !isConflict(err) {
			return err
		}
		changed = true
	}
	for tid, m := range have {
		if m.Source == SourceClaims && !slices.Contains(teamIDs, tid) {
			if err := deleteID(ctx, s.st.memberships, m.ID); err != nil {
				return err
			}
			changed = true
		}
	}
	if !changed {
		return nil
	}
	return s.reloadAfterWrite(ctx)
}

func requireAdmin(a *identity.Actor) error {
	if a == nil {
		return apperr.ErrUnauthenticated
	}
	if !a.Has(identity.RoleBeheerder) {
		return apperr.Forbidden("admin_only", "only administrators change the organisation")
	}
	return nil
}

func checkName(v *apperr.Validator, field, name string) {
	n := utf8.RuneCountInString(strings.TrimSpace(name))
	v.Check(n >= 2 && n <= 80 && plaintext.Line(name), field, "length", "use 2–80 characters", apperr.Params{"min": 2, "max": 80})
}

func cleanList(in []string) []string {
	out := []string{}
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Collate gives a sort key that ignores case and common diacritics.
func Collate(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case 'á', 'à', 'ä', 'â':
			return 'a'
		case 'é', 'è', 'ë', 'ê':
			return 'e'
		case 'í', 'ì', 'ï', 'î':
			return 'i'
		case 'ó', 'ò', 'ö', 'ô':
			return 'o'
		case 'ú', 'ù', 'ü', 'û':
			return 'u'
		case '\'':
			return -1
		}
		return r
	}, strings.ToLower(s))
}

// MemberIDs lists the user ids of a team's members.
func (s *Service) MemberIDs(teamID string) []string {
	sn := s.current()
	out := make([]string, 0, len(sn.byTeam[teamID]))
	for _, m := range sn.byTeam[teamID] {
		out = append(out, m.UserID)
	}
	return out
}

// TeamIDsOf lists the ids of a user's teams.
func (s *Service) TeamIDsOf(userID string) []string {
	sn := s.current()
	out := make([]string, 0, len(sn.byUser[userID]))
	for _, m := range sn.byUser[userID] {
		if _, ok := sn.teams[m.TeamID]; ok {
			out = append(out, m.TeamID)
		}
	}
	return out
}

// TeamRegion returns the region of a team (point lookup in memory).
func (s *Service) TeamRegion(teamID string) (string, bool) {
	t, ok := s.current().teams[teamID]
	if !ok {
		return "", false
	}
	return t.RegionID, true
}

// TeamDescription returns a team's own description, as administrators set
// it on the team (without teamspace's profile revisions, which take
// precedence where a team has one).
func (s *Service) TeamDescription(teamID string) (string, bool) {
	t, ok := s.current().teams[teamID]
	if !ok {
		return "", false
	}
	return t.Description, true
}

// TeamName returns a team's name.
func (s *Service) TeamName(teamID string) (string, bool) {
	t, ok := s.current().teams[teamID]
	if !ok {
		return "", false
	}
	return t.Name, true
}

// profileIdentifiers checks a team's description and working area for likely
// client identifiers where they differ from the profile in effect (cur), so
// an acknowledged text is not asked about again.
func profileIdentifiers(ack bool, description string, area []string, cur TeamProfile) error {
	var fs []identifiers.Field
	if description != cur.Description {
		fs = append(fs, identifiers.F("description", description))
	}
	for _, w := range area {
		if !slices.Contains(cur.WorkingArea, w) {
			fs = append(fs, identifiers.F("workingArea", w))
		}
	}
	return identifiers.Check(ack, fs...)
}
