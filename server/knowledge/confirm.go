package knowledge

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
)

// ConfirmInput is a reader's "gelezen en begrepen".
type ConfirmInput struct {
	Version string `json:"version"`
}

// Confirm records that the actor read and understood the current version.
// Confirming again is harmless; confirming an outdated version is a conflict.
func (s *Service) Confirm(ctx context.Context, a *identity.Actor, id string, in ConfirmInput) (ConfirmState, error) {
	if err := s.Sync(ctx); err != nil {
		return ConfirmState{}, err
	}
	v := s.viewerOf(a)
	s.mu.RLock()
	h, err := s.lookup(v, id)
	var cur Version
	var required, audience bool
	if err == nil {
		cur = h.Version
		required = h.visiblePublished() && h.Published.RequiresConfirmation
		audience = h.visiblePublished() && v.inAudience(h.Published.Audience)
	}
	s.mu.RUnlock()
	if err != nil {
		return ConfirmState{}, err
	}
	ver, ok := ParseVersion(in.Version)
	if !ok {
		return ConfirmState{}, apperr.Invalid("version", "invalid", "use the version you read, e.g. 2.1")
	}
	if !required {
		return ConfirmState{}, apperr.Invalid("version", "invalid", "this article does not ask for confirmation")
	}
	if !audience {
		return ConfirmState{}, apperr.Forbidden("forbidden", "this article is not addressed to you")
	}
	if ver != cur {
		return ConfirmState{}, apperr.Conflict("newer_version", fmt.Sprintf("a newer version (%s) has been published; read it first", cur))
	}
	c := &Confirmation{ID: fmt.Sprintf("%s:%d:%s", id, cur.Major, a.UserID), Article: id, Major: cur.Major, Version: cur.String(),
		UserID: a.UserID, At: s.now().UTC().Truncate(time.Millisecond)}
	err = insert(ctx, s.st.confirms, c, "already confirmed")
	switch {
	case err == nil:
		s.mu.Lock()
		s.applyConfirmLocked(c)
		s.mu.Unlock()
		if err := s.logChange(ctx, change{Kind: "confirm", Ref: c.ID, Art: id}); err != nil {
			return ConfirmState{}, err
		}
	case strings.Contains(err.Error(), "already confirmed"):
		// Confirmed before (perhaps on another instance): read it back.
		if stored, ferr := findByID[Confirmation](ctx, s.st.confirms, c.ID); ferr == nil && stored != nil {
			s.mu.Lock()
			s.applyConfirmLocked(stored)
			s.mu.Unlock()
		}
	default:
		return ConfirmState{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.confirmState(v, s.heads[id]), nil
}

// Pending lists what the actor must still confirm.
func (s *Service) Pending(a *identity.Actor) []ArticleSummary {
	v := s.viewerOf(a)
	s.mu.RLock()
	defer s.mu.RUnlock()
	var hs []*Head
	for _, h := range s.heads {
		if s.pendingLocked(v, h) {
			hs = append(hs, h)
		}
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].PublishedAt.After(hs[j].PublishedAt) })
	out := make([]ArticleSummary, len(hs))
	for i, h := range hs {
		out[i] = s.summaryLocked(v, h)
	}
	return out
}

func canReportAny(a *identity.Actor) bool {
	return isEditor(a) || a.Has(identity.RoleCoordinerendWV) || a.Has(identity.RoleWijkverpleegkundige)
}

func canReport(a *identity.Actor) bool { return canReportAny(a) }

// reportScope is the teams whose confirmations the actor may see: all for
// editors and coordinating district nurses, their own for district nurses.
func (s *Service) reportScope(a *identity.Actor) (all bool, own map[string]bool, err error) {
	if isEditor(a) || a.Has(identity.RoleCoordinerendWV) {
		return true, nil, nil
	}
	if a.Has(identity.RoleWijkverpleegkundige) {
		own = map[string]bool{}
		for _, t := range s.org.TeamIDsOf(a.UserID) {
			own[t] = true
		}
		return false, own, nil
	}
	return false, nil, apperr.Forbidden("forbidden", "confirmation reports are for support services, coordinating district nurses and district nurses")
}

// TeamConfirmation is one team's confirmations of an article.
type TeamConfirmation struct {
	Team      TeamRef     `json:"team"`
	RegionID  string      `json:"regionId"`
	Members   int         `json:"members"`
	Confirmed int         `json:"confirmed"`
	Rate      float64     `json:"rate"`
	Missing   []PersonRef `json:"missing"`
}

// TeamRef names a team.
type TeamRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Totals sums a report.
type Totals struct {
	Members   int     `json:"members"`
	Confirmed int     `json:"confirmed"`
	Rate      float64 `json:"rate"`
}

// ConfirmationReport is an article's confirmation rates per team.
type ConfirmationReport struct {
	Article struct {
		ID      string `json:"id"`
		Title   string `json:"title"`
		Version string `json:"version"`
	} `json:"article"`
	Teams []TeamConfirmation `json:"teams"`
	Total Totals             `json:"total"`
}

func rate(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// audienceTeams calls f for each team with the members in aud.
func (s *Service) audienceTeams(a *identity.Actor, aud Audience, all bool, own map[string]bool, f func(teamID, teamName, regionID string, members []string)) {
	teams, _ := s.org.ListTeams(a, "")
	for _, t := range teams {
		if !all && !own[t.ID] {
			continue
		}
		whole := aud.Everyone || slices.Contains(aud.Teams, t.ID) || slices.Contains(aud.Regions, t.RegionID)
		var members []string
		for _, u := range s.org.MemberIDs(t.ID) {
			if whole || s.hasAnyRole(u, aud.Roles) {
				members = append(members, u)
			}
		}
		if len(members) > 0 {
			f(t.ID, t.Name, t.RegionID, members)
		}
	}
}

func (s *Service) hasAnyRole(userID string, roles []string) bool {
	if len(roles) == 0 {
		return false
	}
	u, ok := s.people.Get(userID)
	if !ok {
		return false
	}
	for _, r := range u.Roles() {
		if slices.Contains(roles, string(r)) {
			return true
		}
	}
	return false
}

func (s *Service) name(userID string) string {
	if u, ok := s.people.Get(userID); ok {
		return u.Name
	}
	return userID
}

// Report is an article's confirmation report.
func (s *Service) Report(a *identity.Actor, id string) (*ConfirmationReport, error) {
	all, own, err := s.reportScope(a)
	if err != nil {
		return nil, err
	}
	v := s.viewerOf(a)
	s.mu.RLock()
	defer s.mu.RUnlock()
	h, err := s.lookup(v, id)
	if err != nil {
		return nil, err
	}
	if !h.visiblePublished() || !h.Published.RequiresConfirmation {
		return nil, apperr.NotFound("not_found", "this article does not ask for confirmation")
	}
	r := &ConfirmationReport{Teams: []TeamConfirmation{}}
	r.Article.ID, r.Article.Title, r.Article.Version = id, h.Published.Title, h.Version.String()
	conf := s.confirms[id]
	major := h.confirmMajor()
	s.audienceTeams(a, h.Published.Audience, all, own, func(teamID, teamName, regionID string, members []string) {
		tc := TeamConfirmation{Team: TeamRef{teamID, teamName}, RegionID: regionID, Members: len(members), Missing: []PersonRef{}}
		for _, u := range members {
			if c := conf[u]; c != nil && c.Major >= major {
				tc.Confirmed++
			} else {
				tc.Missing = append(tc.Missing, PersonRef{ID: u, Name: s.name(u)})
			}
		}
		sort.Slice(tc.Missing, func(i, j int) bool { return tc.Missing[i].Name < tc.Missing[j].Name })
		tc.Rate = rate(tc.Confirmed, tc.Members)
		r.Teams = append(r.Teams, tc)
		r.Total.Members += tc.Members
		r.Total.Confirmed += tc.Confirmed
	})
	r.Total.Rate = rate(r.Total.Confirmed, r.Total.Members)
	return r, nil
}

// ReportCSV is the report as a spreadsheet (semicolon-separated, Dutch).
func ReportCSV(r *ConfirmationReport) []byte {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	_ = w.Write([]string{"team", "regio", "leden", "bevestigd", "percentage", "ontbreekt"})
	for _, t := range r.Teams {
		names := make([]string, len(t.Missing))
		for i, m := range t.Missing {
			names[i] = m.Name
		}
		_ = w.Write([]string{cell(t.Team.Name), cell(t.RegionID), fmt.Sprint(t.Members), fmt.Sprint(t.Confirmed),
			strings.Replace(fmt.Sprintf("%.1f", 100*t.Rate), ".", ",", 1), cell(strings.Join(names, ", "))})
	}
	w.Flush()
	return buf.Bytes()
}

// cell neutralises spreadsheet formulas (CSV injection).
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// OrgReportItem is one article's confirmations across the organisation.
type OrgReportItem struct {
	Article   ArticleSummary `json:"article"`
	Members   int            `json:"members"`
	Confirmed int            `json:"confirmed"`
	Rate      float64        `json:"rate"`
}

// OrgReport gives every article that asks for confirmation with its rate,
// within the actor's report scope.
func (s *Service) OrgReport(a *identity.Actor) ([]OrgReportItem, error) {
	all, own, err := s.reportScope(a)
	if err != nil {
		return nil, err
	}
	v := s.viewerOf(a)
	s.mu.RLock()
	defer s.mu.RUnlock()
	ix := s.newAudienceIndex(a, all, own)
	var out []OrgReportItem
	for _, h := range s.heads {
		if !h.visiblePublished() || !h.Published.RequiresConfirmation || !v.canRead(h) {
			continue
		}
		m := ix.membership(h.Published.Audience)
		it := OrgReportItem{Article: s.summaryLocked(v, h), Members: m.total}
		it.Confirmed = ix.confirmed(m, s.confirms[h.Article], h.confirmMajor())
		it.Rate = rate(it.Confirmed, it.Members)
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Rate != out[j].Rate {
			return out[i].Rate < out[j].Rate
		}
		return out[i].Article.ID < out[j].Article.ID
	})
	return nonNil(out), nil
}

// Overdue lists published articles past their review date, oldest first.
func (s *Service) Overdue(a *identity.Actor) ([]ArticleSummary, error) {
	if err := requireEditor(a); err != nil {
		return nil, err
	}
	v := s.viewerOf(a)
	today := s.today()
	s.mu.RLock()
	defer s.mu.RUnlock()
	var hs []*Head
	for _, h := range s.heads {
		if h.visiblePublished() && h.Published.ReviewDue != "" && h.Published.ReviewDue < today {
			hs = append(hs, h)
		}
	}
	sort.Slice(hs, func(i, j int) bool {
		if hs[i].Published.ReviewDue != hs[j].Published.ReviewDue {
			return hs[i].Published.ReviewDue < hs[j].Published.ReviewDue
		}
		return hs[i].Article < hs[j].Article
	})
	out := make([]ArticleSummary, len(hs))
	for i, h := range hs {
		out[i] = s.summaryLocked(v, h)
	}
	return out, nil
}

// notifyConfirm tells the audience that a version asks for confirmation.
func (s *Service) notifyConfirm(ctx context.Context, a *identity.Actor, h *Head) {
	if s.notify == nil {
		return
	}
	var users []string
	s.mu.RLock()
	s.audienceTeams(a, h.Published.Audience, true, nil, func(_, _, _ string, members []string) {
		users = append(users, members...)
	})
	s.mu.RUnlock()
	users = slices.DeleteFunc(users, func(u string) bool { return u == a.UserID })
	if len(users) == 0 {
		return
	}
	s.notify(ctx, users, "article_confirm", h.Published.Title,
		fmt.Sprintf("Versie %s vraagt om 'gelezen en begrepen'.", h.Version),
		"/kennisbank/"+h.Article, fmt.Sprintf("article_confirm:%s:%d", h.Article, h.Version.Major))
}
