package teamspace

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/plaintext"
)

// profileNow is a space's profile in effect: the latest revision, or at
// revision 0 what the organisation holds for the team.
type profileNow struct {
	rev         int
	description string
	workingArea []string
	contact     Contact
	at          time.Time
	by          string
}

func (s *Service) currentProfile(st *state, a *identity.Actor, sp spaceRef, td *org.TeamDetail) profileNow {
	if r := st.peek(sp.id).profile(); r != nil {
		return profileNow{rev: r.Revision, description: r.Description, workingArea: nonNil(slices.Clone(r.WorkingArea)), contact: r.Contact, at: r.At, by: r.By}
	}
	if sp.kind == KindCommunity {
		c := st.communities[sp.id]
		return profileNow{description: c.Description, workingArea: []string{}, at: c.CreatedAt, by: c.CreatedBy}
	}
	if td == nil {
		td, _ = s.org.GetTeam(a, sp.id)
	}
	if td == nil {
		return profileNow{workingArea: []string{}}
	}
	return profileNow{description: td.Description, workingArea: nonNil(slices.Clone(td.WorkingArea)),
		contact: td.Contact, at: td.UpdatedAt}
}

// canEditProfile: team members and administrators; for communities their
// creator and administrators.
func (s *Service) canEditProfile(st *state, a *identity.Actor, sp spaceRef) bool {
	if a.Has(identity.RoleBeheerder) {
		return true
	}
	if sp.kind == KindCommunity {
		return st.communities[sp.id].CreatedBy == a.UserID
	}
	return s.isMember(st, a.UserID, sp)
}

// summaryText is the short description shown in lists. /spaces shows every
// team's (417 at organisation scale), so previews are kept per description
// text (previews): a new version of a description is a new key, and the
// preview of an unchanged one is not made again per request.
func (s *Service) summaryText(desc string) string {
	if mentionTokenRE.MatchString(desc) {
		return s.snippet(desc) // shows the people's names as they are now: not kept
	}
	return s.previews.get(desc, s.snippet)
}

// maxPreviews bounds the preview cache; past it, the cache starts again.
const maxPreviews = 4096

// previewCache maps a description's text to its preview. The preview is a
// function of the text alone (for texts without mentions), so the text is
// the key and nothing needs invalidating.
type previewCache struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *previewCache) get(text string, build func(string) string) string {
	c.mu.Lock()
	v, ok := c.m[text]
	c.mu.Unlock()
	if ok {
		return v
	}
	v = build(text)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxPreviews {
		c.m = map[string]string{}
	}
	c.m[text] = v
	c.mu.Unlock()
	return v
}

// ListSpaces lists the teams (the actor's first, then all others by name)
// and the communities (joined first).
func (s *Service) ListSpaces(ctx context.Context, a *identity.Actor) (*SpaceList, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	teams, err := s.org.ListTeams(a, "")
	if err != nil {
		return nil, err
	}
	out := &SpaceList{Teams: []SpaceSummary{}, Communities: []SpaceSummary{}}
	err = s.read(ctx, func(st *state) error {
		mine := map[string]bool{}
		for _, id := range s.org.TeamIDsOf(a.UserID) {
			mine[id] = true
		}
		for _, t := range teams {
			desc := ""
			if r := st.peek(t.ID).profile(); r != nil {
				desc = r.Description
			} else if d, ok := s.org.TeamDescription(t.ID); ok {
				desc = d // not GetTeam: that builds the member list, for each of hundreds of teams
			}
			out.Teams = append(out.Teams, SpaceSummary{ID: t.ID, Kind: KindTeam, Name: t.Name, Description: s.summaryText(desc),
				RegionID: t.RegionID, MemberCount: t.MemberCount, Member: mine[t.ID]})
		}
		for _, c := range st.communities {
			_, member := c.members[a.UserID]
			desc := c.Description
			if r := st.peek(c.ID).profile(); r != nil {
				desc = r.Description
			}
			out.Communities = append(out.Communities, SpaceSummary{ID: c.ID, Kind: KindCommunity, Name: c.Name,
				Description: s.summaryText(desc), MemberCount: len(c.members), Member: member})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	order := func(xs []SpaceSummary) {
		keys := make([]string, len(xs)) // collation keys made once, not per comparison
		for i := range xs {
			keys[i] = org.Collate(xs[i].Name)
		}
		idx := make([]int, len(xs))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(i, j int) bool {
			a, b := idx[i], idx[j]
			if xs[a].Member != xs[b].Member {
				return xs[a].Member
			}
			return keys[a] < keys[b]
		})
		sorted := make([]SpaceSummary, len(xs))
		for i, k := range idx {
			sorted[i] = xs[k]
		}
		copy(xs, sorted)
	}
	order(out.Teams)
	order(out.Communities)
	return out, nil
}

// GetSpace returns a space's page. Every member of staff may see it; it
// lists the members (the HTTP layer records that read in the access log).
func (s *Service) GetSpace(ctx context.Context, a *identity.Actor, id string) (*Space, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	s.freshen(ctx)
	return s.getSpace(a, id)
}

func (s *Service) getSpace(a *identity.Actor, id string) (*Space, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := s.cur
	sp, err := s.mustSpace(st, id)
	if err != nil {
		return nil, err
	}
	member := s.isMember(st, a.UserID, sp)
	out := &Space{SpaceSummary: SpaceSummary{ID: sp.id, Kind: sp.kind, Name: sp.name, Member: member}, Members: []SpaceMember{}}
	var td *org.TeamDetail
	if sp.kind == KindTeam {
		td, err = s.org.GetTeam(a, sp.id)
		if err != nil {
			return nil, err
		}
		out.RegionID = td.RegionID
		for _, m := range td.Members {
			out.Members = append(out.Members, SpaceMember{ID: m.UserID, Name: m.Name, TeamRoles: nonNil(slices.Clone(m.TeamRoles))})
		}
	} else {
		for _, uid := range s.memberIDs(st, sp) {
			if u, ok := s.people.Get(uid); ok && u.Active {
				out.Members = append(out.Members, SpaceMember{ID: uid, Name: u.Name, TeamRoles: []string{}})
			}
		}
		sort.Slice(out.Members, func(i, j int) bool { return org.Collate(out.Members[i].Name) < org.Collate(out.Members[j].Name) })
	}
	out.MemberCount = len(out.Members)
	p := s.currentProfile(st, a, sp, td)
	out.Description = p.description
	// At revision 0 the text comes from the organisation and may change
	// there: the key includes a hash of the text.
	h := fnv.New64a()
	_, _ = h.Write([]byte(p.description))
	out.DescriptionHTML = s.render(fmt.Sprintf("profile:%s:%d:%x", sp.id, p.rev, h.Sum64()), p.description)
	if p.description == "" {
		out.DescriptionHTML = ""
	}
	out.WorkingArea, out.Contact, out.Revision, out.UpdatedAt = p.workingArea, p.contact, p.rev, p.at
	if p.by != "" {
		by := s.person(p.by)
		out.UpdatedBy = &by
	}
	out.CanEdit = s.canEditProfile(st, a, sp) && !sp.archived
	out.CanPost = member && !sp.archived
	out.Archived = sp.archived
	out.CanJoin = sp.kind == KindCommunity && !member
	out.CanLeave = sp.kind == KindCommunity && member
	return out, nil
}

// ProfileInput changes a space's profile. Revision is the revision the
// editor started from: a stale one is a conflict.
type ProfileInput struct {
	Description string   `json:"description"`
	WorkingArea []string `json:"workingArea"`
	Contact     Contact  `json:"contact"`
	Revision    *int     `json:"revision"`
	// AcknowledgeIdentifiers: the writer saw the warning that the text
	// looks like client data (identifiers.Check) and stores it anyway.
	AcknowledgeIdentifiers bool `json:"acknowledgeIdentifiers"`
}

// Validate checks the input's shape (the HTTP layer calls it).
func (in *ProfileInput) Validate() error {
	var v apperr.Validator
	in.Description = strings.TrimSpace(in.Description)
	if utf8.RuneCountInString(in.Description) > MaxDescriptionRunes || !plaintext.Text(in.Description) {
		v.Add("description", "too_long", fmt.Sprintf("at most %d characters", MaxDescriptionRunes), apperr.Params{"max": MaxDescriptionRunes})
	}
	if in.WorkingArea == nil {
		v.Add("workingArea", "required", "is required (an array, may be empty)")
	}
	if len(in.WorkingArea) > 50 {
		v.Add("workingArea", "too_many", "at most 50 entries", apperr.Params{"max": 50})
	}
	area := []string{}
	for i, w := range in.WorkingArea {
		w = strings.TrimSpace(w)
		if org.CheckAreaEntry(&v, i, w) && !slices.Contains(area, w) {
			area = append(area, w)
		}
	}
	in.WorkingArea = area
	in.Contact = in.Contact.Trimmed()
	in.Contact.Check(&v)
	if in.Revision == nil {
		v.Add("revision", "required", "is required: the revision you started from")
	} else if *in.Revision < 0 {
		v.Add("revision", "too_small", "must be 0 or more", apperr.Params{"min": 0})
	}
	return v.Err()
}

// UpdateProfile saves a new profile revision (team members and
// administrators; for communities their creator and administrators).
func (s *Service) UpdateProfile(ctx context.Context, a *identity.Actor, id string, in ProfileInput) (*Space, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.catchUp(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	st := s.cur
	sp, err := s.mustSpace(st, id)
	var cur profileNow
	if err == nil {
		if !s.canEditProfile(st, a, sp) {
			err = apperr.Forbidden("members_only", "only the team's members (for a community: its creator) and administrators change this profile")
		} else {
			cur = s.currentProfile(st, a, sp, nil)
			if *in.Revision != cur.rev {
				err = apperr.Conflict("stale_version", fmt.Sprintf("the profile changed meanwhile (revision %d, you edited %d); reload and try again", cur.rev, *in.Revision))
			}
		}
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	var fields []string
	if in.Description != cur.description {
		fields = append(fields, "description")
	}
	if !slices.Equal(in.WorkingArea, cur.workingArea) {
		fields = append(fields, "workingArea")
	}
	if in.Contact != cur.contact {
		fields = append(fields, "contact")
	}
	if len(fields) == 0 {
		return s.getSpace(a, id)
	}
	if err := profileIdentifiers(in, cur); err != nil {
		return nil, err
	}
	rev := &ProfileRevisionDoc{ID: ProfileRevisionID(sp.id, cur.rev+1), SpaceID: sp.id, Revision: cur.rev + 1,
		At: s.now().UTC().Truncate(time.Millisecond), By: a.UserID, Fields: fields, Description: in.Description,
		WorkingArea: in.WorkingArea, Contact: in.Contact}
	if err := s.st.insertProfile(ctx, rev); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.cur.mergeProfile(rev)
	s.mu.Unlock()
	// Tell the other instances through the log. The revision is saved
	// already; should this fail, they still see it at their next Reload.
	if _, err := s.writeLocked(ctx, func(*state, int64) (*entry, error) {
		return &entry{Kind: kProfile, By: a.UserID, Space: sp.id, At: rev.At, Profile: rev}, nil
	}); err != nil {
		s.log.WarnContext(ctx, "profile saved, change log entry failed", "space", sp.id, "err", err)
	}
	return s.getSpace(a, id)
}

// profileIdentifiers checks the texts an edit changes (the description and
// new working-area entries) for likely client identifiers: a text stored
// with the acknowledgement is not asked about again when only the contact
// changes.
func profileIdentifiers(in ProfileInput, cur profileNow) error {
	var fs []identifiers.Field
	if in.Description != cur.description {
		fs = append(fs, identifiers.F("description", in.Description))
	}
	for _, w := range in.WorkingArea {
		if !slices.Contains(cur.workingArea, w) {
			fs = append(fs, identifiers.F("workingArea", w))
		}
	}
	return identifiers.Check(in.AcknowledgeIdentifiers, fs...)
}

// ProfileHistory lists a space's profile revisions, newest first.
func (s *Service) ProfileHistory(ctx context.Context, a *identity.Actor, id string) ([]ProfileRevision, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	var revs []ProfileRevisionDoc
	err := s.read(ctx, func(st *state) error {
		if _, err := s.mustSpace(st, id); err != nil {
			return err
		}
		if sd := st.peek(id); sd != nil {
			for _, r := range sd.profiles {
				revs = append(revs, *r)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]ProfileRevision, 0, len(revs))
	for i := len(revs) - 1; i >= 0; i-- {
		r := revs[i]
		out = append(out, ProfileRevision{Revision: r.Revision, At: r.At, By: s.person(r.By), Fields: nonNil(r.Fields),
			Description: r.Description, WorkingArea: nonNil(r.WorkingArea), Contact: r.Contact})
	}
	return out, nil
}

// ---------------------------------------------------------------------------
// Communities

// CommunityInput creates a community.
type CommunityInput struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Validate checks the input.
func (in *CommunityInput) Validate() error {
	var v apperr.Validator
	in.Name = checkLine(&v, "name", in.Name, 2, 80)
	in.Description = strings.TrimSpace(in.Description)
	if utf8.RuneCountInString(in.Description) > MaxDescriptionRunes || !plaintext.Text(in.Description) {
		v.Add("description", "too_long", fmt.Sprintf("at most %d characters", MaxDescriptionRunes), apperr.Params{"max": MaxDescriptionRunes})
	}
	return v.Err()
}

// CreateCommunity opens a community (any member of staff); its creator joins it.
func (s *Service) CreateCommunity(ctx context.Context, a *identity.Actor, in CommunityInput) (*Space, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	slug := slugify(in.Name)
	if slug == "" {
		return nil, apperr.Invalid("name", "invalid", "use at least one letter or digit")
	}
	e, err := s.write(ctx, func(st *state, _ int64) (*entry, error) {
		for _, c := range st.communities {
			if org.Collate(c.Name) == org.Collate(in.Name) {
				return nil, apperr.Conflict("already_exists", "a community with this name exists")
			}
		}
		id := CommunityPrefix + slug
		for i := 2; st.communities[id] != nil; i++ {
			id = fmt.Sprintf("%s%s-%d", CommunityPrefix, slug, i)
		}
		return &entry{Kind: kCommunity, By: a.UserID, Space: id, Community: &entryCommunity{Name: in.Name, Description: in.Description}}, nil
	})
	if err != nil {
		return nil, err
	}
	return s.getSpace(a, e.Space)
}

// Join makes the actor a member of a community.
func (s *Service) Join(ctx context.Context, a *identity.Actor, id string) (*Space, error) {
	return s.joinLeave(ctx, a, id, true)
}

// Leave ends the actor's membership of a community.
func (s *Service) Leave(ctx context.Context, a *identity.Actor, id string) (*Space, error) {
	return s.joinLeave(ctx, a, id, false)
}

var errNoop = fmt.Errorf("nothing to change")

func (s *Service) joinLeave(ctx context.Context, a *identity.Actor, id string, join bool) (*Space, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	_, err := s.write(ctx, func(st *state, _ int64) (*entry, error) {
		sp, err := s.mustSpace(st, id)
		if err != nil {
			return nil, err
		}
		if sp.kind != KindCommunity {
			return nil, apperr.Forbidden("forbidden", "team membership comes from the organisation; only communities are joined and left here")
		}
		if s.isMember(st, a.UserID, sp) == join {
			return nil, errNoop
		}
		k := kLeave
		if join {
			k = kJoin
		}
		return &entry{Kind: k, By: a.UserID, Space: id}, nil
	})
	if err != nil && err != errNoop {
		return nil, err
	}
	return s.getSpace(a, id)
}

// slugify turns a name into id characters: "Wondzorg-netwerk" → "wondzorg-netwerk".
func slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range org.Collate(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if len(out) > 50 {
		out = strings.TrimRight(out[:50], "-")
	}
	return out
}
