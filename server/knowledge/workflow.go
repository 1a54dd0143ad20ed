package knowledge

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/plaintext"
	"github.com/plein/plein/server/search"
)

// ArticleInput is what an editor writes (create and draft save).
type ArticleInput struct {
	Title                string   `json:"title"`
	Summary              string   `json:"summary"`
	Category             string   `json:"category"`
	Type                 string   `json:"type"`
	Tags                 []string `json:"tags"`
	Owner                string   `json:"owner"`
	Audience             Audience `json:"audience"`
	Body                 string   `json:"body"`
	RequiresConfirmation bool     `json:"requiresConfirmation"`
	ReviewDue            string   `json:"reviewDue"`
	Related              []string `json:"related"`
	ExternalURL          string   `json:"externalUrl"`
	// AcknowledgeIdentifiers: the writer saw the warning that the title,
	// summary or body looks like client data and stores it anyway.
	AcknowledgeIdentifiers bool `json:"acknowledgeIdentifiers"`
}

// DraftInput saves the working copy; Revision is the revision it was based on.
type DraftInput struct {
	ArticleInput
	Revision   int    `json:"revision"`
	ChangeNote string `json:"changeNote"`
	Major      bool   `json:"major"`
}

// SubmitInput offers the working copy for review.
type SubmitInput struct {
	ChangeNote string `json:"changeNote"`
	Major      bool   `json:"major"`
}

// ReviewInput approves or rejects.
type ReviewInput struct {
	Comment string `json:"comment"`
}

var tagRE = regexp.MustCompile(`^[\p{Ll}\p{N}][\p{Ll}\p{N} -]*$`)

func requireEditor(a *identity.Actor) error {
	if !isEditor(a) {
		return apperr.Forbidden("forbidden", "only support services and administrators edit the knowledge base")
	}
	return nil
}

// validate checks input and returns the cleaned content.
func (s *Service) validate(a *identity.Actor, in ArticleInput, self string) (Content, error) {
	var v apperr.Validator
	c := Content{
		Title: strings.TrimSpace(in.Title), Summary: strings.TrimSpace(in.Summary), Category: in.Category, Type: in.Type,
		Owner: in.Owner, Body: strings.ReplaceAll(in.Body, "\r\n", "\n"), RequiresConfirmation: in.RequiresConfirmation,
		ReviewDue: in.ReviewDue, ExternalURL: strings.TrimSpace(in.ExternalURL),
	}
	n := len([]rune(c.Title))
	v.Check(n >= 3 && n <= maxTitle && plaintext.Line(c.Title), "title", "length", fmt.Sprintf("use 3 to %d characters on one line", maxTitle), apperr.Params{"min": 3, "max": maxTitle})
	v.Check(len([]rune(c.Summary)) <= maxSummary && plaintext.Text(c.Summary), "summary", "too_long", fmt.Sprintf("use at most %d characters", maxSummary), apperr.Params{"max": maxSummary})
	v.Check(slices.Contains(Categories, c.Category), "category", "invalid_choice", "choose one of: "+strings.Join(Categories, ", "))
	v.Check(slices.Contains(Types, c.Type), "type", "invalid_choice", "choose one of: "+strings.Join(Types, ", "))
	v.Check(slices.Contains(Owners, c.Owner), "owner", "invalid_choice", "choose one of: "+strings.Join(Owners, ", "))
	v.Check(len([]rune(c.Body)) <= maxBody && plaintext.Text(c.Body), "body", "too_long", fmt.Sprintf("use at most %d characters", maxBody), apperr.Params{"max": maxBody})
	if _, err := time.Parse("2006-01-02", c.ReviewDue); err != nil {
		v.Add("reviewDue", "invalid_date", "use a date as yyyy-mm-dd")
	}
	seen := map[string]bool{}
	for i, t := range in.Tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" || seen[t] {
			continue
		}
		if len([]rune(t)) > maxTag || !tagRE.MatchString(t) {
			v.Add(fmt.Sprintf("tags[%d]", i), "invalid", "use lower-case letters, digits, spaces and hyphens")
			continue
		}
		seen[t] = true
		c.Tags = append(c.Tags, t)
	}
	v.Check(len(c.Tags) <= maxTags, "tags", "too_many", fmt.Sprintf("use at most %d tags", maxTags), apperr.Params{"max": maxTags})
	if c.ExternalURL != "" {
		u, err := url.Parse(c.ExternalURL)
		v.Check(err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(c.ExternalURL) <= 500, "externalUrl", "invalid", "use a full http(s) address")
	}
	c.Audience = Audience{Everyone: in.Audience.Everyone}
	if !c.Audience.Everyone {
		teams, _ := s.org.ListTeams(a, "")
		known, regions := map[string]bool{}, map[string]bool{}
		for _, t := range teams {
			known[t.ID], regions[t.RegionID] = true, true
		}
		for i, r := range in.Audience.Regions {
			if v.Check(regions[r], fmt.Sprintf("audience.regions[%d]", i), "unknown", "unknown region"); regions[r] && !slices.Contains(c.Audience.Regions, r) {
				c.Audience.Regions = append(c.Audience.Regions, r)
			}
		}
		for i, t := range in.Audience.Teams {
			if v.Check(known[t], fmt.Sprintf("audience.teams[%d]", i), "unknown", "unknown team"); known[t] && !slices.Contains(c.Audience.Teams, t) {
				c.Audience.Teams = append(c.Audience.Teams, t)
			}
		}
		for i, r := range in.Audience.Roles {
			ok := identity.ValidRole(identity.Role(r))
			if v.Check(ok, fmt.Sprintf("audience.roles[%d]", i), "unknown", "unknown role"); ok && !slices.Contains(c.Audience.Roles, r) {
				c.Audience.Roles = append(c.Audience.Roles, r)
			}
		}
		v.Check(len(c.Audience.Regions)+len(c.Audience.Teams)+len(c.Audience.Roles) > 0, "audience", "choose_one", "choose everyone, or at least one region, team or role")
	}
	s.mu.RLock()
	for i, r := range in.Related {
		if r == self || slices.Contains(c.Related, r) {
			continue
		}
		ok := s.heads[r] != nil
		if v.Check(ok, fmt.Sprintf("related[%d]", i), "unknown", "unknown article"); ok {
			c.Related = append(c.Related, r)
		}
	}
	s.mu.RUnlock()
	v.Check(len(c.Related) <= maxRelated, "related", "too_many", fmt.Sprintf("use at most %d related articles", maxRelated), apperr.Params{"max": maxRelated})
	return c, v.Err()
}

var slugClean = regexp.MustCompile(`[^a-z0-9]+`)

// newArticleID derives a readable id from the title plus a random suffix.
func newArticleID(title string) string {
	base := slugClean.ReplaceAllString(search.Fold(title), "-")
	base = strings.Trim(base, "-")
	if len(base) > 48 {
		base = strings.Trim(base[:48], "-")
	}
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	suffix := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	if base == "" {
		return "a-" + suffix
	}
	return base + "-" + suffix
}

// Create starts a new article as a concept.
func (s *Service) Create(ctx context.Context, a *identity.Actor, in ArticleInput) (*Article, error) {
	if err := requireEditor(a); err != nil {
		return nil, err
	}
	c, err := s.validate(a, in, "")
	if err != nil {
		return nil, err
	}
	if err := contentIdentifiers(in.AcknowledgeIdentifiers, c, Content{}); err != nil {
		return nil, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	h := &Head{Article: newArticleID(c.Title), Op: "create", By: person(a), CreatedAt: now, CreatedBy: person(a),
		Status: StatusConcept, Draft: c, UpdatedAt: now, Editors: []PersonRef{person(a)}}
	return s.commitGet(ctx, a, nil, h)
}

// current returns the newest head of id after following other instances.
func (s *Service) current(ctx context.Context, id string) (*Head, error) {
	if err := s.Sync(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	h := s.heads[id]
	if h == nil {
		return nil, apperr.NotFound("not_found", "article not found")
	}
	cp := *h
	return &cp, nil
}

// editorHead returns the newest head of id for a change by an editor.
func (s *Service) editorHead(ctx context.Context, a *identity.Actor, id string) (*Head, error) {
	if err := requireEditor(a); err != nil {
		return nil, err
	}
	return s.current(ctx, id)
}

// commitGet stores n over prev and returns the article as a now sees it.
func (s *Service) commitGet(ctx context.Context, a *identity.Actor, prev, n *Head) (*Article, error) {
	if err := s.commitHead(ctx, prev, n); err != nil {
		return nil, err
	}
	return s.Get(a, n.Article)
}

// draftChange starts the next head of a change to the working copy (its
// content or its files): refused while the copy waits for review; the
// article goes back to concept with a among its editors.
func (s *Service) draftChange(prev *Head, a *identity.Actor, op string) (*Head, error) {
	if prev.Status == StatusReview {
		return nil, apperr.Conflict("under_review", "the article is waiting for review; withdraw it first to change it")
	}
	n := s.next(prev, a, op)
	n.Status, n.UpdatedAt = StatusConcept, s.now().UTC().Truncate(time.Millisecond)
	addEditor(n, a)
	return n, nil
}

func (s *Service) next(prev *Head, a *identity.Actor, op string) *Head {
	n := *prev
	n.Op, n.By = op, person(a)
	n.Editors = slices.Clone(prev.Editors)
	n.Versions = slices.Clone(prev.Versions)
	return &n
}

func addEditor(h *Head, a *identity.Actor) {
	if !h.isEditor(a.UserID) {
		h.Editors = append(h.Editors, person(a))
	}
}

// SaveDraft stores the working copy. A published or archived article gets a
// new concept; readers keep seeing the published version.
func (s *Service) SaveDraft(ctx context.Context, a *identity.Actor, id string, in DraftInput) (*Article, error) {
	prev, err := s.editorHead(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if in.Revision != prev.Rev {
		return nil, apperr.Conflict("stale_version", "the article was changed by someone else in the meantime; reload it")
	}
	n, err := s.draftChange(prev, a, "save")
	if err != nil {
		return nil, err
	}
	c, err := s.validate(a, in.ArticleInput, id)
	if err != nil {
		return nil, err
	}
	if v := checkNote(in.ChangeNote, "changeNote"); v != nil {
		return nil, v
	}
	if err := contentIdentifiers(in.AcknowledgeIdentifiers, c, prev.Draft); err != nil {
		return nil, err
	}
	c.Attachments = prev.Draft.Attachments
	n.Draft, n.ChangeNote, n.MajorChange = c, strings.TrimSpace(in.ChangeNote), in.Major
	return s.commitGet(ctx, a, prev, n)
}

// contentIdentifiers checks the title, summary and body that differ from
// the working copy before (prev) for likely client identifiers: a text
// stored with the acknowledgement is not asked about again.
func contentIdentifiers(ack bool, c, prev Content) error {
	var fs []identifiers.Field
	for _, f := range []struct{ name, now, before string }{
		{"title", c.Title, prev.Title}, {"summary", c.Summary, prev.Summary}, {"body", c.Body, prev.Body},
	} {
		if f.now != f.before {
			fs = append(fs, identifiers.F(f.name, f.now))
		}
	}
	return identifiers.Check(ack, fs...)
}

func checkNote(note, field string) error {
	if len([]rune(note)) > maxChangeNote || !plaintext.Text(note) {
		return apperr.Invalid(field, "too_long", fmt.Sprintf("use at most %d characters", maxChangeNote), apperr.Params{"max": maxChangeNote})
	}
	return nil
}

// Submit offers the working copy for review.
func (s *Service) Submit(ctx context.Context, a *identity.Actor, id string, in SubmitInput) (*Article, error) {
	prev, err := s.editorHead(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if prev.Status != StatusConcept {
		return nil, apperr.Conflict("conflict", "only a concept can be offered for review")
	}
	note := strings.TrimSpace(in.ChangeNote)
	if err := checkNote(note, "changeNote"); err != nil {
		return nil, err
	}
	if prev.Published != nil && note == "" {
		return nil, apperr.Invalid("changeNote", "required", "say what changed")
	}
	n := s.next(prev, a, "submit")
	n.Status, n.ChangeNote, n.MajorChange, n.ReviewComment = StatusReview, note, in.Major, ""
	return s.commitGet(ctx, a, prev, n)
}

// Withdraw takes a review request back to concept.
func (s *Service) Withdraw(ctx context.Context, a *identity.Actor, id string) (*Article, error) {
	prev, err := s.editorHead(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if prev.Status != StatusReview {
		return nil, apperr.Conflict("not_under_review", "the article is not waiting for review")
	}
	n := s.next(prev, a, "withdraw")
	n.Status = StatusConcept
	return s.commitGet(ctx, a, prev, n)
}

func (s *Service) reviewable(ctx context.Context, a *identity.Actor, id string) (*Head, error) {
	prev, err := s.editorHead(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if prev.Status != StatusReview {
		return nil, apperr.Conflict("not_under_review", "the article is not waiting for review")
	}
	if prev.isEditor(a.UserID) {
		return nil, apperr.Forbidden("self_approval", "you cannot approve or reject your own change: another editor reviews it")
	}
	return prev, nil
}

// Approve publishes the working copy as a new version.
func (s *Service) Approve(ctx context.Context, a *identity.Actor, id string, in ReviewInput) (*Article, error) {
	prev, err := s.reviewable(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if len([]rune(in.Comment)) > maxComment {
		return nil, apperr.Invalid("comment", "too_long", fmt.Sprintf("use at most %d characters", maxComment), apperr.Params{"max": maxComment})
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	major := prev.MajorChange || prev.Published == nil
	ver := prev.Version.Next(major)
	author := prev.By
	if len(prev.Editors) > 0 {
		author = prev.Editors[len(prev.Editors)-1]
	}
	info := VersionInfo{Version: ver, Major: major, PublishedAt: now, Author: author, Reviewer: person(a), ChangeNote: prev.ChangeNote}
	if info.ChangeNote == "" && prev.Published == nil {
		info.ChangeNote = "Eerste versie"
	}
	content := prev.Draft
	if err := s.storeVersion(ctx, storedVersion{ID: id + ":" + ver.key(), Article: id, FromRev: prev.Rev, Info: info, Content: content}); err != nil {
		return nil, err
	}
	if err := s.fault("approve.version"); err != nil {
		return nil, err
	}
	n := s.next(prev, a, "approve")
	n.Status, n.Published, n.Version, n.PublishedAt = StatusPublished, &content, ver, now
	n.Versions = append(n.Versions, info)
	n.Editors, n.ChangeNote, n.MajorChange, n.ReviewComment = nil, "", false, ""
	if err := s.commitHead(ctx, prev, n); err != nil {
		return nil, err
	}
	if content.RequiresConfirmation && major {
		s.notifyConfirm(ctx, a, n)
	}
	return s.Get(a, id)
}

// storeVersion stores a published version. The version is taken from the
// review it publishes (FromRev): when that review stored it already (an
// earlier run that failed before its head, or another reviewer at the same
// moment), the stored one stands and the approval goes on.
func (s *Service) storeVersion(ctx context.Context, v storedVersion) error {
	err := insert(ctx, s.st.versions, v, "this version was published by someone else in the meantime; reload it")
	if err == nil || !errors.Is(err, apperr.ErrConflict) {
		return err
	}
	stored, rerr := findByID[storedVersion](ctx, s.st.versions, v.ID)
	if rerr != nil || stored == nil || stored.FromRev != v.FromRev {
		return errors.Join(err, rerr)
	}
	return nil
}

// Reject sends the working copy back to concept with a comment.
func (s *Service) Reject(ctx context.Context, a *identity.Actor, id string, in ReviewInput) (*Article, error) {
	prev, err := s.reviewable(ctx, a, id)
	if err != nil {
		return nil, err
	}
	c := strings.TrimSpace(in.Comment)
	if c == "" || len([]rune(c)) > maxComment || !plaintext.Text(c) {
		return nil, apperr.Invalid("comment", "too_long", "say what must change (at most 2000 characters)", apperr.Params{"max": 2000})
	}
	n := s.next(prev, a, "reject")
	n.Status, n.ReviewComment = StatusConcept, c
	return s.commitGet(ctx, a, prev, n)
}

// Archive withdraws an article from readers.
func (s *Service) Archive(ctx context.Context, a *identity.Actor, id string) (*Article, error) {
	prev, err := s.editorHead(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if prev.Status == StatusArchived {
		return nil, apperr.Conflict("conflict", "the article is already archived")
	}
	n := s.next(prev, a, "archive")
	n.Status = StatusArchived
	return s.commitGet(ctx, a, prev, n)
}

// Restore brings an archived article back (published if it ever was).
func (s *Service) Restore(ctx context.Context, a *identity.Actor, id string) (*Article, error) {
	prev, err := s.editorHead(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if prev.Status != StatusArchived {
		return nil, apperr.Conflict("conflict", "the article is not archived")
	}
	n := s.next(prev, a, "restore")
	n.Status = StatusConcept
	if prev.Published != nil && len(prev.Editors) == 0 {
		n.Status = StatusPublished
	}
	return s.commitGet(ctx, a, prev, n)
}

// ReviewQueue lists articles waiting for review.
func (s *Service) ReviewQueue(a *identity.Actor) ([]ReviewItem, error) {
	if err := requireEditor(a); err != nil {
		return nil, err
	}
	v := s.viewerOf(a)
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []ReviewItem
	for _, h := range s.heads {
		if h.Status != StatusReview {
			continue
		}
		it := ReviewItem{ArticleSummary: s.summaryOf(v, h, true), Author: h.By, CanReview: !h.isEditor(a.UserID)}
		if len(h.Editors) > 0 {
			it.Author = h.Editors[len(h.Editors)-1]
		}
		out = append(out, it)
	}
	slices.SortFunc(out, func(x, y ReviewItem) int { return x.UpdatedAt.Compare(y.UpdatedAt) })
	return nonNil(out), nil
}

// ReviewItem is an article waiting for review.
type ReviewItem struct {
	ArticleSummary
	Author    PersonRef `json:"author"`
	CanReview bool      `json:"canReview"`
}
