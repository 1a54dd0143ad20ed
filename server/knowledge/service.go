package knowledge

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/richtext"
	"github.com/plein/plein/server/search"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/streamlog"
)

// Org is what the knowledge base needs of the organisation.
type Org interface {
	ListTeams(a *identity.Actor, regionID string) ([]org.TeamSummary, error)
	MemberIDs(teamID string) []string
	TeamIDsOf(userID string) []string
	TeamRegion(teamID string) (string, bool)
}

// People resolves users (names and roles).
type People interface {
	Get(id string) (identity.User, bool)
}

// Notifier tells people about something (the notification centre). key
// deduplicates: the same key is not notified twice to one person.
type Notifier func(ctx context.Context, userIDs []string, kind, title, text, link, key string)

// Options tune the service.
type Options struct {
	Logger *slog.Logger
	Now    func() time.Time
	Notify Notifier
	// Bus wakes this instance's follower of the change log when another
	// instance appends to it (nil: it polls, every Poll).
	Bus  *streamlog.Bus
	Poll time.Duration // the follower's fallback poll; 0 means streamlog.Poll (1 s)
}

// Service is the knowledge base: articles, workflow, versions, read
// confirmations, feedback and search. Its state is held in memory and
// follows the store's change log (see doc.go).
type Service struct {
	st     *kbStore
	org    Org
	people People
	log    *slog.Logger
	now    func() time.Time
	notify Notifier
	// reminded holds the review reminders this process has sent (mu).
	reminded map[string]bool
	render   *richtext.Renderer

	mu       sync.RWMutex
	heads    map[string]*Head
	plain    map[string]string                   // article → plain text of the published body (snippets)
	html     map[string]string                   // article → rendered published body
	confirms map[string]map[string]*Confirmation // article → user → highest confirmation
	feedback map[string]*Feedback                // id → feedback
	answers  map[string]*Answer                  // feedback id → answer
	index    *search.Index
	// Attachments' texts (server/doctext), by blob id "<article>:<attachment>",
	// read in the background (LoadAttachmentTexts) and searched with the
	// article; attPending is set when a published version has attachments
	// whose text was not read yet.
	attText    map[string]string
	attPending bool

	// changes follows the change log (kb_changes): every instance's
	// writes are applied here in order (server/store/streamlog).
	changes *streamlog.Follower[change]

	// faultAfter, when set (tests only), is called after each document a
	// multi-document write has stored; an error stops the write there, as a
	// crash or a lost store connection would.
	faultAfter func(step string) error
}

// fault reports the injected failure after step, if any.
func (s *Service) fault(step string) error {
	if s.faultAfter == nil {
		return nil
	}
	return s.faultAfter(step)
}

// NewService loads the knowledge base from the store.
func NewService(ctx context.Context, st *store.Store, o Org, people People, opt Options) (*Service, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	s := &Service{st: newStore(st, opt.Logger), org: o, people: people, log: opt.Logger, now: opt.Now, notify: opt.Notify, reminded: map[string]bool{}, attText: map[string]string{},
		render: richtext.New()}
	s.changes = streamlog.Follow(streamlog.New(s.st.changes, ""), 0, s.applyChange,
		streamlog.Options{Bus: opt.Bus, Poll: opt.Poll, Logger: opt.Logger})
	if err := s.load(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Service) reset() {
	s.heads = map[string]*Head{}
	s.plain = map[string]string{}
	s.html = map[string]string{}
	s.confirms = map[string]map[string]*Confirmation{}
	s.feedback = map[string]*Feedback{}
	s.answers = map[string]*Answer{}
	s.index = search.NewIndex()
}

// load reads everything once. The change-log position is taken before the
// scans, so a write that lands during them is applied again by Sync
// (applying is idempotent).
func (s *Service) load(ctx context.Context) error {
	return s.changes.Locked(func(int64) (int64, error) {
		seq, err := s.changes.Log().Last(ctx, 0)
		if err != nil {
			return 0, err
		}
		return seq, s.loadAll(ctx)
	})
}

func (s *Service) loadAll(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reset()
	latest := map[string]*Head{}
	if err := scanAll(ctx, s.st.heads, func(h *Head) {
		if cur := latest[h.Article]; cur == nil || h.Rev > cur.Rev {
			latest[h.Article] = h
		}
	}); err != nil {
		return err
	}
	for _, h := range latest {
		s.applyHeadLocked(h)
	}
	if err := scanAll(ctx, s.st.confirms, func(c *Confirmation) { s.applyConfirmLocked(c) }); err != nil {
		return err
	}
	if err := scanAll(ctx, s.st.feedback, func(f *Feedback) { s.feedback[f.ID] = f }); err != nil {
		return err
	}
	if err := scanAll(ctx, s.st.answers, func(a *Answer) { s.answers[a.ID] = a }); err != nil {
		return err
	}
	return nil
}

// Run follows other instances' writes (woken at once by the Bus, else
// within Poll), reads attachments' texts for search (LoadAttachmentTexts)
// and sends review reminders (RemindOverdue) until ctx ends.
func (s *Service) Run(ctx context.Context, tick time.Duration) {
	if tick <= 0 {
		tick = time.Second
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.changes.Run(ctx)
	}()
	defer func() { <-done }()
	t := time.NewTicker(tick)
	defer t.Stop()
	// Review reminders: at start, then hourly (a review date passes at
	// midnight; an hour late is on time for it).
	s.RemindOverdue(ctx)
	remind := time.NewTicker(time.Hour)
	defer remind.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.LoadAttachmentTexts(ctx)
		case <-remind.C:
			s.RemindOverdue(ctx)
		}
	}
}

// Sync applies every change-log entry written since the last one seen.
func (s *Service) Sync(ctx context.Context) error { return s.changes.CatchUp(ctx) }

func (s *Service) applyChange(ctx context.Context, _ int64, c *change) error {
	switch c.Kind {
	case "head":
		h, err := findByID[Head](ctx, s.st.heads, c.Ref)
		if err != nil || h == nil {
			return err
		}
		s.mu.Lock()
		s.applyHeadLocked(h)
		s.mu.Unlock()
	case "confirm":
		v, err := findByID[Confirmation](ctx, s.st.confirms, c.Ref)
		if err != nil || v == nil {
			return err
		}
		s.mu.Lock()
		s.applyConfirmLocked(v)
		s.mu.Unlock()
	case "feedback":
		v, err := findByID[Feedback](ctx, s.st.feedback, c.Ref)
		if err != nil || v == nil {
			return err
		}
		s.mu.Lock()
		s.feedback[v.ID] = v
		s.mu.Unlock()
	case "answer":
		v, err := findByID[Answer](ctx, s.st.answers, c.Ref)
		if err != nil || v == nil {
			return err
		}
		s.mu.Lock()
		s.answers[v.ID] = v
		s.mu.Unlock()
	}
	return nil
}

// logChange claims the next change-log entry for a written document (after
// applying every earlier one) and applies it.
func (s *Service) logChange(ctx context.Context, c change) error {
	_, err := s.changes.Append(ctx, func(_ int64, id string) (*change, error) {
		c.ID = id
		return &c, nil
	})
	return err
}

func (s *Service) applyHeadLocked(h *Head) {
	if cur := s.heads[h.Article]; cur != nil && cur.Rev >= h.Rev {
		return
	}
	prev := s.heads[h.Article]
	s.heads[h.Article] = h
	if !h.visiblePublished() {
		s.index.Delete(h.Article)
		delete(s.plain, h.Article)
		delete(s.html, h.Article)
		return
	}
	if prev != nil && prev.visiblePublished() && prev.Version == h.Version && s.plain[h.Article] != "" {
		return // the published version did not change (a draft edit)
	}
	p := h.Published
	s.plain[h.Article] = search.PlainText(p.Body)
	s.html[h.Article] = s.render.HTML(p.Body)
	s.indexLocked(h)
}

// indexLocked (re)indexes h's published version: title, tags, summary,
// body and the text of its attachments read so far.
func (s *Service) indexLocked(h *Head) {
	p := h.Published
	var b strings.Builder
	b.WriteString(p.Summary)
	b.WriteString("\n")
	b.WriteString(s.plain[h.Article])
	for _, a := range p.Attachments {
		text, ok := s.attText[h.Article+":"+a.ID]
		if !ok {
			s.attPending = true
		}
		if text != "" {
			b.WriteString("\n")
			b.WriteString(text)
		}
	}
	// Likely client identifiers are neither searchable nor shown in a
	// snippet (identifiers.Mask), as in every other search.
	s.index.Put(search.Document{
		ID: h.Article, Title: identifiers.Mask(p.Title), Tags: p.Tags, Body: identifiers.Mask(b.String()),
		Facets: map[string]string{"category": p.Category, "type": p.Type, "owner": p.Owner},
		Time:   h.PublishedAt,
	})
}

func (s *Service) applyConfirmLocked(c *Confirmation) {
	m := s.confirms[c.Article]
	if m == nil {
		m = map[string]*Confirmation{}
		s.confirms[c.Article] = m
	}
	if cur := m[c.UserID]; cur == nil || c.Major > cur.Major {
		m[c.UserID] = c
	}
}

// commitHead stores next as the revision after prev (nil for a new article).
func (s *Service) commitHead(ctx context.Context, prev, next *Head) error {
	next.Rev = 1
	if prev != nil {
		next.Rev = prev.Rev + 1
	}
	next.ID = headID(next.Article, next.Rev)
	next.At = s.now().UTC().Truncate(time.Millisecond)
	const stale = "the article was changed by someone else in the meantime; reload it"
	if err := s.st.headPeople.Add(ctx, next.ID, next.people()...); err != nil { // the index first: no revision unindexed
		return err
	}
	if err := insert(ctx, s.st.heads, next, stale); err != nil {
		if !errors.Is(err, apperr.ErrConflict) {
			return err
		}
		// The revision is taken: by another write, or by this same write
		// when an earlier run stored the head and then failed before its
		// change-log entry. Announce the stored head (again: applying is
		// idempotent), so no instance stays behind a head nobody logged.
		stored, rerr := findByID[Head](ctx, s.st.heads, next.ID)
		if rerr != nil || stored == nil {
			return errors.Join(err, rerr)
		}
		if lerr := s.logChange(ctx, change{Kind: "head", Ref: stored.ID, Art: stored.Article, Rev: stored.Rev}); lerr != nil {
			return lerr
		}
		s.mu.Lock()
		s.applyHeadLocked(stored)
		s.mu.Unlock()
		if sameOutcome(stored, next) {
			*next = *stored
			return nil
		}
		return err
	}
	if err := s.fault("head"); err != nil {
		return err
	}
	// Logged before it is applied here: a failure between the two leaves
	// this instance where every other one is, and a re-run repairs the log.
	if err := s.logChange(ctx, change{Kind: "head", Ref: next.ID, Art: next.Article, Rev: next.Rev}); err != nil {
		return err
	}
	s.mu.Lock()
	s.applyHeadLocked(next)
	s.mu.Unlock()
	return nil
}

// sameOutcome reports whether a stored head already is the outcome next
// would write: only a publication is recognised, because approving the same
// review twice (a re-run, or two reviewers at once) publishes the same
// version of the same content. Other operations report the conflict.
func sameOutcome(stored, next *Head) bool {
	return stored.Op == "approve" && next.Op == "approve" && stored.Rev == next.Rev && stored.Version == next.Version
}

// viewer is the actor with what audience rules need, computed once per request.
type viewer struct {
	a       *identity.Actor
	editor  bool
	teams   map[string]bool
	regions map[string]bool
	roles   map[string]bool
}

func isEditor(a *identity.Actor) bool {
	return a.Has(identity.RoleOndersteunendeDienst) || a.Has(identity.RoleBeheerder)
}

func (s *Service) viewerOf(a *identity.Actor) *viewer {
	v := &viewer{a: a, editor: isEditor(a), teams: map[string]bool{}, regions: map[string]bool{}, roles: map[string]bool{}}
	for _, r := range a.Roles {
		v.roles[string(r)] = true
	}
	// Every read builds a viewer: point lookups of the actor's own teams,
	// not a list of the whole organisation's.
	for _, t := range s.org.TeamIDsOf(a.UserID) {
		v.teams[t] = true
		if r, ok := s.org.TeamRegion(t); ok {
			v.regions[r] = true
		}
	}
	return v
}

func (v *viewer) inAudience(aud Audience) bool {
	if aud.Everyone {
		return true
	}
	for _, t := range aud.Teams {
		if v.teams[t] {
			return true
		}
	}
	for _, r := range aud.Regions {
		if v.regions[r] {
			return true
		}
	}
	for _, r := range aud.Roles {
		if v.roles[r] {
			return true
		}
	}
	return false
}

// canRead: readers see published articles in their audience; editors see all.
func (v *viewer) canRead(h *Head) bool {
	if h == nil {
		return false
	}
	if v.editor {
		return true
	}
	return h.visiblePublished() && v.inAudience(h.Published.Audience)
}

// pending reports whether v must still confirm h's current major version.
func (s *Service) pendingLocked(v *viewer, h *Head) bool {
	if !h.visiblePublished() || !h.Published.RequiresConfirmation || !v.inAudience(h.Published.Audience) {
		return false
	}
	c := s.confirms[h.Article][v.a.UserID]
	return c == nil || c.Major < h.confirmMajor()
}

func (s *Service) confirmState(v *viewer, h *Head) ConfirmState {
	st := ConfirmState{Required: h.visiblePublished() && h.Published.RequiresConfirmation}
	if c := s.confirms[h.Article][v.a.UserID]; c != nil && st.Required {
		st.ConfirmedVersion, st.ConfirmedAt = c.Version, &c.At
	}
	st.Pending = s.pendingLocked(v, h)
	return st
}

func (s *Service) lookup(v *viewer, id string) (*Head, error) {
	h := s.heads[id]
	if !v.canRead(h) {
		return nil, apperr.NotFound("not_found", "article not found")
	}
	return h, nil
}

func (s *Service) today() string { return s.now().UTC().Format("2006-01-02") }

func (s *Service) summaryLocked(v *viewer, h *Head) ArticleSummary { return s.summaryOf(v, h, false) }

// summaryOf describes h from its published content, or from its working
// copy when draft is set (editors' lists) or nothing was published yet.
func (s *Service) summaryOf(v *viewer, h *Head, draft bool) ArticleSummary {
	c := h.Published
	if c == nil || (draft && v.editor) {
		c = &h.Draft
	}
	status := h.Status
	if !v.editor {
		status = StatusPublished
	}
	out := ArticleSummary{
		ID: h.Article, Title: c.Title, Summary: c.Summary, Category: c.Category, Type: c.Type, Tags: nonNil(c.Tags),
		Owner: c.Owner, Status: status, Version: h.Version.String(), UpdatedAt: h.UpdatedAt, ReviewDue: c.ReviewDue,
		RequiresConfirmation: c.RequiresConfirmation, ExternalURL: c.ExternalURL,
		Confirmation: s.confirmState(v, h),
	}
	if h.Published != nil {
		out.PublishedAt = &h.PublishedAt
	}
	out.Overdue = h.visiblePublished() && c.ReviewDue != "" && c.ReviewDue < s.today()
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func person(a *identity.Actor) PersonRef { return PersonRef{ID: a.UserID, Name: a.Name} }

// Meta is the knowledge base's overview for the actor.
func (s *Service) Meta(a *identity.Actor) Meta {
	v := s.viewerOf(a)
	s.mu.RLock()
	defer s.mu.RUnlock()
	counts := map[string]int{}
	pending := 0
	for _, h := range s.heads {
		if !h.visiblePublished() || !(v.editor || v.inAudience(h.Published.Audience)) {
			continue
		}
		counts[h.Published.Category]++
		if s.pendingLocked(v, h) {
			pending++
		}
	}
	m := Meta{Owners: Owners, Types: Types, CanEdit: v.editor, PendingConfirmations: pending, CanReport: canReportAny(a)}
	for _, c := range Categories {
		m.Categories = append(m.Categories, CategoryCount{ID: c, Count: counts[c]})
	}
	return m
}

// ListQuery filters the article list.
type ListQuery struct {
	Category, Type, Owner, Tag, Status string
	Audience                           string // see audienceFilter
	Limit, Offset                      int
}

// List returns articles for browsing, newest first.
func (s *Service) List(a *identity.Actor, q ListQuery) ([]ArticleSummary, int, error) {
	v := s.viewerOf(a)
	var verr apperr.Validator
	verr.Check(q.Category == "" || slices.Contains(Categories, q.Category), "category", "unknown", "unknown category")
	verr.Check(q.Type == "" || slices.Contains(Types, q.Type), "type", "unknown", "unknown type")
	verr.Check(q.Owner == "" || slices.Contains(Owners, q.Owner), "owner", "unknown", "unknown owner")
	verr.Check(q.Status == "" || q.Status == "all" || slices.Contains([]Status{StatusConcept, StatusReview, StatusPublished, StatusArchived}, Status(q.Status)), "status", "invalid_choice", "use concept, review, published, archived or all")
	if q.Status != "" && q.Status != string(StatusPublished) && !v.editor {
		verr.Add("status", "not_allowed", "only editors see working copies")
	}
	af := s.parseAudienceFilter(a, q.Audience, "audience", &verr)
	if err := verr.Err(); err != nil {
		return nil, 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var hs []*Head
	for _, h := range s.heads {
		var c *Content
		switch {
		case q.Status == "" || q.Status == string(StatusPublished):
			if !h.visiblePublished() || !(v.editor || v.inAudience(h.Published.Audience)) {
				continue
			}
			c = h.Published
		case q.Status == "all":
			c = &h.Draft
		default:
			if string(h.Status) != q.Status {
				continue
			}
			c = &h.Draft
		}
		if (q.Category != "" && c.Category != q.Category) || (q.Type != "" && c.Type != q.Type) ||
			(q.Owner != "" && c.Owner != q.Owner) || (q.Tag != "" && !slices.Contains(c.Tags, q.Tag)) || !af.match(v, c.Audience) {
			continue
		}
		hs = append(hs, h)
	}
	sort.Slice(hs, func(i, j int) bool {
		ti, tj := hs[i].PublishedAt, hs[j].PublishedAt
		if q.Status != "" && q.Status != string(StatusPublished) {
			ti, tj = hs[i].UpdatedAt, hs[j].UpdatedAt
		}
		if !ti.Equal(tj) {
			return ti.After(tj)
		}
		return hs[i].Article < hs[j].Article
	})
	total := len(hs)
	hs = page(hs, q.Offset, q.Limit)
	out := make([]ArticleSummary, len(hs))
	for i, h := range hs {
		out[i] = s.summaryOf(v, h, q.Status != "" && q.Status != string(StatusPublished))
	}
	return out, total, nil
}

func page[T any](xs []T, offset, limit int) []T {
	if offset >= len(xs) {
		return nil
	}
	xs = xs[offset:]
	if limit > 0 && len(xs) > limit {
		xs = xs[:limit]
	}
	return xs
}

// SearchQuery is a knowledge search.
type SearchQuery struct {
	Text          string
	Category      string
	Audience      string // see audienceFilter
	Prefix        bool
	Limit, Offset int
}

// SearchResult is a page of found articles. Corrected names the words
// searched when the text as typed found nothing (search.Result.Corrected).
type SearchResult struct {
	Hits      []SearchHit
	Total     int
	Corrected string
}

// Search finds published articles the actor may read.
func (s *Service) Search(a *identity.Actor, q SearchQuery) (SearchResult, error) {
	var verr apperr.Validator
	q.Text = strings.TrimSpace(q.Text)
	verr.Check(q.Text != "", "q", "required", "type what you are looking for")
	verr.Check(len([]rune(q.Text)) <= 200, "q", "too_long", "use at most 200 characters", apperr.Params{"max": 200})
	verr.Check(q.Category == "" || slices.Contains(Categories, q.Category), "category", "unknown", "unknown category")
	af := s.parseAudienceFilter(a, q.Audience, "audience", &verr)
	if err := verr.Err(); err != nil {
		return SearchResult{}, err
	}
	v := s.viewerOf(a)
	s.mu.RLock()
	defer s.mu.RUnlock()
	sq := search.Query{Text: q.Text, Prefix: q.Prefix, Limit: q.Limit, Offset: q.Offset,
		Allow: func(id string) bool {
			h := s.heads[id]
			return h != nil && h.visiblePublished() && (v.editor || v.inAudience(h.Published.Audience)) && af.match(v, h.Published.Audience)
		}}
	if q.Category != "" {
		sq.Facets = map[string]string{"category": q.Category}
	}
	res := s.index.Search(sq)
	words := q.Text // what the snippets highlight: the words found
	if res.Corrected != "" {
		words = res.Corrected
	}
	out := make([]SearchHit, 0, len(res.Hits))
	for _, hit := range res.Hits {
		h := s.heads[hit.ID]
		sn := search.MakeSnippet(identifiers.Mask(h.Published.Summary+" — "+s.plain[hit.ID]), words, 180)
		if len(sn.Marks) == 0 { // found in an attachment: show where
			for _, a := range h.Published.Attachments {
				if t := s.attText[hit.ID+":"+a.ID]; t != "" {
					if x := search.MakeSnippet(identifiers.Mask(t), words, 180); len(x.Marks) > 0 {
						sn = x
						break
					}
				}
			}
		}
		sum := s.summaryLocked(v, h)
		sum.Title, sum.Summary = identifiers.Mask(sum.Title), identifiers.Mask(sum.Summary)
		out = append(out, SearchHit{ArticleSummary: sum, Snippet: toUTF16(sn)})
	}
	return SearchResult{Hits: out, Total: res.Total, Corrected: res.Corrected}, nil
}

// Get returns an article for reading (and its working copy for editors).
func (s *Service) Get(a *identity.Actor, id string) (*Article, error) {
	v := s.viewerOf(a)
	s.mu.RLock()
	defer s.mu.RUnlock()
	h, err := s.lookup(v, id)
	if err != nil {
		return nil, err
	}
	out := &Article{ArticleSummary: s.summaryLocked(v, h), Versions: []VersionView{}, Attachments: []Attachment{}, Related: []RelatedRef{}}
	c := h.Published
	if c != nil {
		out.Body, out.BodyHTML, out.Audience = c.Body, s.html[id], normAudience(c.Audience)
		if out.BodyHTML == "" {
			out.BodyHTML = s.render.HTML(c.Body)
		}
		out.Attachments = nonNil(c.Attachments)
		out.Related = s.relatedLocked(v, c.Related)
	} else {
		out.Audience = normAudience(h.Draft.Audience)
	}
	for i := len(h.Versions) - 1; i >= 0; i-- {
		vi := h.Versions[i]
		out.Versions = append(out.Versions, VersionView{Version: vi.Version.String(), Major: vi.Major, PublishedAt: vi.PublishedAt,
			Author: vi.Author, Reviewer: vi.Reviewer, ChangeNote: vi.ChangeNote})
	}
	if v.editor {
		out.Draft = s.draftView(h)
		out.CanEdit = true
		out.CanReview = h.Status == StatusReview && !h.isEditor(a.UserID)
	}
	out.CanReport = canReport(a) && c != nil && c.RequiresConfirmation
	return out, nil
}

func (s *Service) draftView(h *Head) *DraftView {
	d := h.Draft
	author := h.By
	if len(h.Editors) > 0 {
		author = h.Editors[len(h.Editors)-1]
	}
	return &DraftView{
		Revision: h.Rev, Status: h.Status, Title: d.Title, Summary: d.Summary, Category: d.Category, Type: d.Type,
		Tags: nonNil(d.Tags), Owner: d.Owner, Audience: normAudience(d.Audience), Body: d.Body,
		RequiresConfirmation: d.RequiresConfirmation, ReviewDue: d.ReviewDue, Related: nonNil(d.Related),
		ExternalURL: d.ExternalURL, Attachments: nonNil(d.Attachments), Author: author, Editors: nonNil(h.Editors),
		UpdatedAt: h.UpdatedAt, ChangeNote: h.ChangeNote, Major: h.MajorChange, ReviewComment: h.ReviewComment,
	}
}

func normAudience(a Audience) Audience {
	a.Regions, a.Teams, a.Roles = nonNil(a.Regions), nonNil(a.Teams), nonNil(a.Roles)
	return a
}

func (s *Service) relatedLocked(v *viewer, ids []string) []RelatedRef {
	out := []RelatedRef{}
	for _, id := range ids {
		if h := s.heads[id]; h != nil && h.visiblePublished() && (v.editor || v.inAudience(h.Published.Audience)) {
			out = append(out, RelatedRef{ID: id, Title: h.Published.Title})
		}
	}
	return out
}
