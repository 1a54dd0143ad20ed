package teamspace

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
)

// AnnouncementInput creates an announcement.
type AnnouncementInput struct {
	Title       string   `json:"title"`
	Body        string   `json:"body"`
	Audience    Audience `json:"audience"`
	RequiresAck bool     `json:"requiresAck"`
	// AcknowledgeIdentifiers: the writer saw the warning that the text
	// looks like client data (identifiers.Check) and stores it anyway.
	AcknowledgeIdentifiers bool `json:"acknowledgeIdentifiers"`
}

// Validate checks the input's shape (that regions and teams exist is
// checked by the service).
func (in *AnnouncementInput) Validate() error {
	var v apperr.Validator
	in.Title = checkLine(&v, "title", in.Title, 3, 200)
	in.Body = checkBody(&v, "body", in.Body, MaxAnnouncementRunes)
	au := &in.Audience
	au.Regions, au.Teams = dedupe(au.Regions), dedupe(au.Teams)
	switch {
	case au.Everyone && (len(au.Regions) > 0 || len(au.Teams) > 0):
		v.Add("audience", "choose_one", "choose everyone, or regions and teams, not both")
	case !au.Everyone && len(au.Regions) == 0 && len(au.Teams) == 0:
		v.Add("audience", "choose_one", "choose everyone, or at least one region or team")
	}
	v.Check(len(au.Regions) <= 20, "audience.regions", "too_many", "at most 20 regions", apperr.Params{"max": 20})
	v.Check(len(au.Teams) <= 100, "audience.teams", "too_many", "at most 100 teams", apperr.Params{"max": 100})
	return v.Err()
}

func dedupe(xs []string) []string {
	out := []string{}
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// CanAnnounce: support services, regional managers, coordinating district
// nurses and administrators publish announcements.
func CanAnnounce(a *identity.Actor) bool {
	return a.Has(identity.RoleOndersteunendeDienst) || a.Has(identity.RoleRegiomanager) ||
		a.Has(identity.RoleCoordinerendWV) || a.Has(identity.RoleBeheerder)
}

// targets reports whether an announcement is for the user (everyone, one of
// their teams, or the region of one of their teams).
func targets(an *AnnouncementDoc, teams []identity.TeamRef) bool {
	if an.Audience.Everyone {
		return true
	}
	for _, t := range teams {
		if slices.Contains(an.Audience.Teams, t.ID) || slices.Contains(an.Audience.Regions, t.RegionID) {
			return true
		}
	}
	return false
}

func (s *Service) announcementView(a *identity.Actor, an *announcement) Announcement {
	out := Announcement{ID: an.ID, Title: an.Title, Body: an.Body, BodyHTML: s.render("announcement:"+an.ID, an.Body),
		Author: s.person(an.AuthorID), RequiresAck: an.RequiresAck, CreatedAt: an.CreatedAt,
		Audience: Audience{Everyone: an.Audience.Everyone, Regions: nonNil(slices.Clone(an.Audience.Regions)), Teams: nonNil(slices.Clone(an.Audience.Teams))}}
	if t, ok := an.acks[a.UserID]; ok {
		out.Acknowledged, out.AckedAt = true, &t
	}
	return out
}

// ListAnnouncements lists the announcements for the actor and those they
// wrote, newest first.
func (s *Service) ListAnnouncements(ctx context.Context, a *identity.Actor, limit int) ([]Announcement, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if limit == 0 {
		limit = 20
	}
	if limit < 1 || limit > 100 {
		return nil, apperr.Invalid("limit", "out_of_range", "use a number from 1 to 100", apperr.Params{"min": 1, "max": 100})
	}
	teams := s.org.TeamsOf(a.UserID)
	out := []Announcement{}
	err := s.read(ctx, func(st *state) error {
		for i := len(st.annOrder) - 1; i >= 0 && len(out) < limit; i-- {
			an := st.annOrder[i]
			if an.AuthorID == a.UserID || targets(&an.AnnouncementDoc, teams) {
				out = append(out, s.announcementView(a, an))
			}
		}
		return nil
	})
	return out, err
}

// audienceTeams lists the teams an announcement reaches, by name.
func (s *Service) audienceTeams(a *identity.Actor, au Audience) ([]org.TeamSummary, error) {
	all, err := s.org.ListTeams(a, "")
	if err != nil {
		return nil, err
	}
	var out []org.TeamSummary
	for _, t := range all {
		if au.Everyone || slices.Contains(au.Teams, t.ID) || slices.Contains(au.Regions, t.RegionID) {
			out = append(out, t)
		}
	}
	return out, nil
}

// audienceIDs lists the active people an announcement reaches.
func (s *Service) audienceIDs(a *identity.Actor, au Audience) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(id string) {
		if !seen[id] {
			if u, ok := s.people.Get(id); ok && u.Active {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	if au.Everyone {
		for _, u := range s.people.All() {
			add(u.ID)
		}
		return out, nil
	}
	teams, err := s.audienceTeams(a, au)
	if err != nil {
		return nil, err
	}
	for _, t := range teams {
		for _, id := range s.org.MemberIDs(t.ID) {
			add(id)
		}
	}
	return out, nil
}

// CreateAnnouncement publishes an announcement and notifies its audience.
func (s *Service) CreateAnnouncement(ctx context.Context, a *identity.Actor, in AnnouncementInput) (*Announcement, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if !CanAnnounce(a) {
		return nil, apperr.Forbidden("forbidden", "support services, regional managers, coordinating district nurses and administrators publish announcements")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := identifiers.Check(in.AcknowledgeIdentifiers, identifiers.F("title", in.Title), identifiers.F("body", in.Body)); err != nil {
		return nil, err
	}
	var v apperr.Validator
	if len(in.Audience.Regions) > 0 {
		regions, err := s.org.ListRegions(a)
		if err != nil {
			return nil, err
		}
		for i, r := range in.Audience.Regions {
			v.Check(slices.ContainsFunc(regions, func(x org.RegionSummary) bool { return x.ID == r }), fmt.Sprintf("audience.regions[%d]", i), "unknown", "unknown region")
		}
	}
	for i, t := range in.Audience.Teams {
		_, ok := s.org.TeamName(t)
		v.Check(ok, fmt.Sprintf("audience.teams[%d]", i), "unknown", "unknown team")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	e, err := s.write(ctx, func(*state, int64) (*entry, error) {
		return &entry{Kind: kAnnounce, By: a.UserID, Text: in.Body, Announce: &entryAnnouncement{Title: in.Title, Audience: in.Audience, RequiresAck: in.RequiresAck}}, nil
	})
	if err != nil {
		return nil, err
	}
	id := refID('a', e.Seq)
	if to, err := s.audienceIDs(a, in.Audience); err != nil {
		s.log.WarnContext(ctx, "announcement saved; audience not notified", "id", id, "err", err)
	} else {
		title := "Mededeling: " + in.Title
		if in.RequiresAck {
			title = "Mededeling (graag bevestigen): " + in.Title
		}
		s.deliver(ctx, without(to, a.UserID), Notice{Kind: NoticeAnnouncement, Title: title, Text: s.snippet(in.Body),
			Link: "/mededelingen/" + id, ActorID: a.UserID, ActorName: a.Name})
	}
	return s.announcementAfterWrite(a, id)
}

func (s *Service) announcementAfterWrite(a *identity.Actor, id string) (*Announcement, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	an := s.cur.announcements[id]
	if an == nil {
		return nil, apperr.NotFound("not_found", "announcement not found")
	}
	v := s.announcementView(a, an)
	return &v, nil
}

// visibleAnnouncement: its author and its audience see it; 404 for others.
func (s *Service) visibleAnnouncement(st *state, a *identity.Actor, id string, teams []identity.TeamRef) (*announcement, bool, error) {
	an := st.announcements[id]
	if an == nil {
		return nil, false, apperr.NotFound("not_found", "announcement not found")
	}
	target := targets(&an.AnnouncementDoc, teams)
	if !target && an.AuthorID != a.UserID && !a.Has(identity.RoleBeheerder) {
		return nil, false, apperr.NotFound("not_found", "announcement not found")
	}
	return an, target, nil
}

// Acknowledge records that the actor read and understood an announcement
// that asks for it (its audience only).
func (s *Service) Acknowledge(ctx context.Context, a *identity.Actor, id string) (*Announcement, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	teams := s.org.TeamsOf(a.UserID)
	_, err := s.write(ctx, func(st *state, _ int64) (*entry, error) {
		an, target, err := s.visibleAnnouncement(st, a, id, teams)
		if err != nil {
			return nil, err
		}
		if !target {
			return nil, apperr.Forbidden("members_only", "only the announcement's audience acknowledges it")
		}
		if !an.RequiresAck {
			return nil, apperr.Conflict("conflict", "this announcement does not ask for acknowledgement")
		}
		if _, ok := an.acks[a.UserID]; ok {
			return nil, errNoop
		}
		return &entry{Kind: kAck, By: a.UserID, Ref: id}, nil
	})
	if err != nil && err != errNoop {
		return nil, err
	}
	return s.announcementAfterWrite(a, id)
}

// AckReport says, per team of the audience, who acknowledged the
// announcement (its author and administrators).
func (s *Service) AckReport(ctx context.Context, a *identity.Actor, id string) (*AckReport, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	teams := s.org.TeamsOf(a.UserID)
	var doc AnnouncementDoc
	acks := map[string]bool{}
	err := s.read(ctx, func(st *state) error {
		an, _, err := s.visibleAnnouncement(st, a, id, teams)
		if err != nil {
			return err
		}
		if an.AuthorID != a.UserID && !a.Has(identity.RoleBeheerder) {
			return apperr.Forbidden("not_author", "only the author and administrators see who acknowledged")
		}
		doc = an.AnnouncementDoc
		for u := range an.acks {
			acks[u] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &AckReport{Teams: []AckTeam{}}
	out.Announcement.ID, out.Announcement.Title = doc.ID, doc.Title
	audience, err := s.audienceTeams(a, doc.Audience)
	if err != nil {
		return nil, err
	}
	counted := map[string]bool{}
	inTeam := map[string]bool{}
	line := func(team IDName, ids []string) {
		row := AckTeam{Team: team, Missing: []PersonRef{}}
		for _, uid := range ids {
			u, ok := s.people.Get(uid)
			if !ok || !u.Active {
				continue
			}
			row.Members++
			if acks[uid] {
				row.Acked++
			} else {
				row.Missing = append(row.Missing, PersonRef{ID: uid, Name: u.Name})
			}
			if !counted[uid] {
				counted[uid] = true
				out.Total.Members++
				if acks[uid] {
					out.Total.Acked++
				}
			}
		}
		sort.Slice(row.Missing, func(i, j int) bool { return org.Collate(row.Missing[i].Name) < org.Collate(row.Missing[j].Name) })
		row.Rate = rate(row.Acked, row.Members)
		out.Teams = append(out.Teams, row)
	}
	for _, t := range audience {
		ids := s.org.MemberIDs(t.ID)
		for _, id := range ids {
			inTeam[id] = true
		}
		line(IDName{ID: t.ID, Name: t.Name}, ids)
	}
	if doc.Audience.Everyone {
		// Staff outside the teams (support services, coaches, managers).
		var rest []string
		for _, u := range s.people.All() {
			if !inTeam[u.ID] {
				rest = append(rest, u.ID)
			}
		}
		if len(rest) > 0 {
			line(IDName{ID: "", Name: "Zonder team"}, rest)
		}
	}
	out.Total.Rate = rate(out.Total.Acked, out.Total.Members)
	return out, nil
}

func rate(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return math.Round(float64(n)/float64(of)*1000) / 1000
}
