package teamspace

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/plaintext"
	"github.com/plein/plein/server/richtext/short"
	"github.com/plein/plein/server/search"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/streamlog"
)

// Org is what team spaces read from the organisation (*org.Service).
type Org interface {
	GetTeam(a *identity.Actor, id string) (*org.TeamDetail, error)
	TeamDescription(id string) (string, bool)
	ListTeams(a *identity.Actor, regionID string) ([]org.TeamSummary, error)
	ListRegions(a *identity.Actor) ([]org.RegionSummary, error)
	TeamsOf(userID string) []identity.TeamRef
	TeamIDsOf(userID string) []string
	MemberIDs(teamID string) []string
	TeamName(teamID string) (string, bool)
	IsMember(userID, teamID string) bool
	// Archived reports an archived team and who were its members then.
	Archived(teamID string) (former []string, archived bool)
}

// People is the user directory (*identity.Users).
type People interface {
	Get(id string) (identity.User, bool)
	All() []identity.User
}

// Notifier delivers notifications; the app wires the notification centre in.
// The service calls it only with people who may see what it is about.
type Notifier interface {
	Notify(ctx context.Context, userIDs []string, n Notice)
}

// Notice is one notification to deliver.
type Notice struct {
	Kind      string // post, mention, reply, announcement, document, event
	Title     string
	Text      string
	Link      string // app path, e.g. /ruimtes/den-helder-centrum/berichten/p123
	ActorID   string
	ActorName string
	Place     string // the space's name (Web Push shows it; never content)
	Key       string // when set, each person gets the notice once ever (reminders)
	// PushSubject: what Web Push may name (an event reminder's start
	// time, never its title; push drops it when it looks like client data).
	PushSubject string
}

// Notice kinds.
const (
	NoticePost         = "post"
	NoticeMention      = "mention"
	NoticeReply        = "reply"
	NoticeAnnouncement = "announcement"
	NoticeDocument     = "document"
	NoticeEvent        = "event"
)

// Indexer keeps the global search index in sync (may be nil). It is called
// on every instance for every change, local or another instance's, after
// the change is visible; it must not call back into the Service.
type Indexer interface {
	PutPost(p *PostDoc)
	DeletePost(id string)
	PutDocument(d *DocumentDoc)
	DeleteDocument(id string)
}

// Options tune the service.
type Options struct {
	Logger *slog.Logger
	Now    func() time.Time
	// Freshness bounds how stale a read may be: a read first catches up
	// with other instances' changes when the last catch-up is older (one
	// point lookup when nothing changed). Default 2 s; negative: always.
	Freshness time.Duration
	Notifier  Notifier
	Indexer   Indexer
	// Bus wakes this instance's follower of the change log when another
	// instance appends to it (nil: it polls every streamlog.Poll).
	Bus *streamlog.Bus
}

// Service holds every space's state in memory (see doc.go) and applies the
// rules. It is safe for concurrent use.
type Service struct {
	st       *tsStore
	org      Org
	people   People
	md       *short.Renderer
	html     *htmlCache
	previews previewCache // list previews of descriptions (spaces.go)
	log      *slog.Logger
	now      func() time.Time
	fresh    time.Duration
	tz       *time.Location

	hookMu sync.RWMutex
	notify Notifier
	index  Indexer
	extra  atomic.Pointer[ExtraEvents] // learning sessions in team agendas

	sealMu sync.Mutex
	sealed map[int64]bool // log segments with a sealed copy

	remindMu sync.Mutex
	reminded map[string]bool // reminder keys this process has sent (the store's dedup keys hold across instances)

	writeMu sync.Mutex // serialises this instance's writes
	// changes follows the change log (server/store/streamlog): every
	// instance's entries are applied here in order, once.
	changes   *streamlog.Follower[entry]
	lastCatch atomic.Int64
	mu        sync.RWMutex
	cur       *state
	latest    *latestProfiles
}

// NewService loads every space's state from the store.
func NewService(ctx context.Context, s *store.Store, o Org, people People, opt Options) (*Service, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Freshness == 0 {
		opt.Freshness = 2 * time.Second
	}
	tz, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		tz = time.UTC
	}
	svc := &Service{st: newStore(s, opt.Logger), org: o, people: people, md: short.New(), html: newHTMLCache(4096),
		log: opt.Logger, now: opt.Now, fresh: opt.Freshness, tz: tz, notify: opt.Notifier, index: opt.Indexer, cur: newState(), latest: newLatestProfiles(), reminded: map[string]bool{}}
	svc.cur.latest = svc.latest
	svc.changes = streamlog.Follow(streamlog.NewSegmented(logPrefix, "", func(seq int64) *mongo.Collection {
		return svc.st.segment(segmentOf(seq))
	}), 0, func(_ context.Context, _ int64, e *entry) error {
		svc.applyEntry(e)
		return nil
	}, streamlog.Options{Bus: opt.Bus, Logger: opt.Logger})
	if err := svc.load(ctx); err != nil {
		return nil, err
	}
	return svc, nil
}

// SetNotifier sets (or replaces) the notifier.
func (s *Service) SetNotifier(n Notifier) {
	s.hookMu.Lock()
	s.notify = n
	s.hookMu.Unlock()
}

// SetIndexer sets (or replaces) the search indexer. Rebuild the index from
// AllPosts and AllDocuments after setting it.
func (s *Service) SetIndexer(ix Indexer) {
	s.hookMu.Lock()
	s.index = ix
	s.hookMu.Unlock()
}

func (s *Service) hooks() (Notifier, Indexer) {
	s.hookMu.RLock()
	defer s.hookMu.RUnlock()
	return s.notify, s.index
}

// load builds the state from the whole log and the profile revisions.
func (s *Service) load(ctx context.Context) error {
	entries, sealed, err := s.st.loadLog(ctx, s.log)
	if err != nil {
		return err
	}
	profiles, err := s.st.loadProfiles(ctx)
	if err != nil {
		return err
	}
	st := newState()
	st.latest = s.latest
	for _, e := range entries {
		if e.Seq != st.last+1 {
			// A gap cannot happen (a writer inserts only the number after
			// the last one it has read); if it ever does, stop at it, as
			// catching up would.
			s.log.Error("teamspace log has a gap; later changes ignored", "after", st.last, "next", e.Seq)
			break
		}
		st.apply(e)
	}
	for i := range profiles {
		st.mergeProfile(&profiles[i])
	}
	s.changes.Reset(st.last)
	s.mu.Lock()
	s.cur = st
	s.mu.Unlock()
	s.sealMu.Lock()
	s.sealed = sealed
	s.sealMu.Unlock()
	s.lastCatch.Store(s.now().UnixNano())
	return nil
}

// sealFull seals up to max full segments that are not sealed yet.
func (s *Service) sealFull(ctx context.Context, max int) {
	s.mu.RLock()
	last := s.cur.last
	s.mu.RUnlock()
	s.sealMu.Lock()
	defer s.sealMu.Unlock()
	for k := int64(0); k < segmentOf(last+1) && max > 0; k++ {
		if s.sealed[k] {
			continue
		}
		max--
		es, err := s.st.segmentEntries(ctx, k)
		if err == nil && segmentFull(k, es) {
			err = s.st.seal(ctx, k, es, false)
		}
		if err != nil {
			s.log.WarnContext(ctx, "seal change segment", "segment", k, "err", err)
			return
		}
		s.sealed[k] = true
	}
}

// reseal rewrites the sealed copies of the segments holding seqs, from the
// segments as they are now (after a redaction). A full segment is resealed
// even when this instance has not seen it sealed: another instance may be
// sealing it from a copy read before the redaction.
func (s *Service) reseal(ctx context.Context, seqs []int64) {
	s.mu.RLock()
	last := s.cur.last
	s.mu.RUnlock()
	done := map[int64]bool{}
	s.sealMu.Lock()
	defer s.sealMu.Unlock()
	for _, n := range seqs {
		k := segmentOf(n)
		if done[k] || k >= segmentOf(last+1) {
			continue
		}
		done[k] = true
		es, err := s.st.segmentEntries(ctx, k)
		if err == nil && segmentFull(k, es) {
			err = s.st.seal(ctx, k, es, true)
			s.sealed[k] = err == nil
		}
		if err != nil {
			s.log.WarnContext(ctx, "reseal change segment", "segment", k, "err", err)
		}
	}
}

// Run follows other instances' changes (at once when the Bus signals
// them, else within streamlog.Poll), seals full log segments and sends
// event reminders (RemindEvents, every 30 s), until ctx ends.
func (s *Service) Run(ctx context.Context) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.changes.Run(ctx)
	}()
	defer func() { <-done }()
	t := time.NewTicker(sealEvery)
	defer t.Stop()
	s.RemindEvents(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.sealFull(ctx, 2)
			s.RemindEvents(ctx)
		}
	}
}

// sealEvery is how often Run seals full segments (a look at a map in
// memory when there is nothing to seal).
const sealEvery = 30 * time.Second

// Reload catches up with the log, seals full segments and re-reads the
// profile revisions (a small collection): a repair for a profile whose
// log entry failed (UpdateProfile). Run keeps the state fresh without it.
func (s *Service) Reload(ctx context.Context) error {
	if err := s.catchUp(ctx); err != nil {
		return err
	}
	s.sealFull(ctx, 2)
	profiles, err := s.st.loadProfiles(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	for i := range profiles {
		s.cur.mergeProfile(&profiles[i])
	}
	s.mu.Unlock()
	return nil
}

// catchUp applies every entry written since the last one applied: one
// point lookup when nothing is new.
func (s *Service) catchUp(ctx context.Context) error {
	if err := s.changes.CatchUp(ctx); err != nil {
		return err
	}
	s.lastCatch.Store(s.now().UnixNano())
	return nil
}

// fresh catches up when the last catch-up is older than Options.Freshness.
// A failing store does not fail the read: the state in memory is served.
func (s *Service) freshen(ctx context.Context) {
	if s.fresh > 0 && s.now().UnixNano()-s.lastCatch.Load() < int64(s.fresh) {
		return
	}
	if err := s.catchUp(ctx); err != nil {
		s.log.WarnContext(ctx, "teamspace catch-up failed; serving the state in memory", "err", err)
	}
}

func (s *Service) applyEntry(e *entry) {
	s.mu.Lock()
	ops := s.cur.apply(e)
	s.mu.Unlock()
	if len(ops) == 0 {
		return
	}
	if _, ix := s.hooks(); ix != nil {
		for _, op := range ops {
			op(ix)
		}
	}
}

// buildFunc makes the entry to append from the current state, or refuses.
// seq is the sequence number the entry will get. It runs under the read
// lock and must not block.
type buildFunc func(st *state, seq int64) (*entry, error)

// write appends one entry: catch up, build against the current state,
// insert with the next sequence number; when another instance took that
// number first, catch up and build again. A check made in build therefore
// holds for the state the entry is appended to, across instances.
func (s *Service) write(ctx context.Context, build buildFunc) (*entry, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.writeLocked(ctx, build)
}

func (s *Service) writeLocked(ctx context.Context, build buildFunc) (*entry, error) {
	var made *entry
	var refused error // build's answer, returned as it is
	_, err := s.changes.Append(ctx, func(seq int64, id string) (*entry, error) {
		s.mu.RLock()
		e, err := build(s.cur, seq)
		s.mu.RUnlock()
		if err != nil {
			refused = err
			return nil, err
		}
		if err := s.writable(e); err != nil {
			refused = err
			return nil, err
		}
		e.Seq, e.ID = seq, id
		if e.At.IsZero() {
			e.At = s.now()
		}
		e.At = e.At.UTC().Truncate(time.Millisecond) // as the store keeps it
		made = e
		return e, nil
	})
	if err != nil {
		if errors.Is(err, streamlog.ErrTaken) {
			return nil, fmt.Errorf("%w: too many concurrent changes; try again", apperr.ErrUnavailable)
		}
		if refused != nil {
			return nil, refused
		}
		return nil, apperr.Unavailable("save change", err)
	}
	return made, nil
}

// errArchived refuses a change to an archived team's space.
func errArchived() error {
	return apperr.Conflict("team_archived", "this team is archived: its space is read-only")
}

// writable refuses a change to an archived team's space; the retention
// sweep still removes what is due.
func (s *Service) writable(e *entry) error {
	if e.Space == "" || IsCommunityID(e.Space) || e.By == retentionBy {
		return nil
	}
	if _, archived := s.org.Archived(e.Space); archived {
		return errArchived()
	}
	return nil
}

// read runs f on the current state under the read lock, after catching up.
func (s *Service) read(ctx context.Context, f func(st *state) error) error {
	s.freshen(ctx)
	s.mu.RLock()
	defer s.mu.RUnlock()
	return f(s.cur)
}

// ---------------------------------------------------------------------------
// Access

func requireActor(a *identity.Actor) error {
	if a == nil || a.UserID == "" {
		return apperr.ErrUnauthenticated
	}
	return nil
}

// spaceRef is what the rules need to know about a space.
type spaceRef struct {
	id, kind, name, regionID string
	// archived: a team that stopped; its space is read-only, read by its
	// former members (#14 §7).
	archived bool
	former   []string
}

// spaceOf resolves a space id; ok is false when there is no such space.
func (s *Service) spaceOf(st *state, id string) (spaceRef, bool) {
	if IsCommunityID(id) {
		c := st.communities[id]
		if c == nil {
			return spaceRef{}, false
		}
		return spaceRef{id: id, kind: KindCommunity, name: c.Name}, true
	}
	name, ok := s.org.TeamName(id)
	if !ok {
		return spaceRef{}, false
	}
	former, archived := s.org.Archived(id)
	return spaceRef{id: id, kind: KindTeam, name: name, archived: archived, former: former}, true
}

func (s *Service) mustSpace(st *state, id string) (spaceRef, error) {
	sp, ok := s.spaceOf(st, id)
	if !ok {
		return sp, apperr.NotFound("not_found", "space not found")
	}
	return sp, nil
}

// isMember: team spaces take their members from the organisation,
// communities from who joined.
func (s *Service) isMember(st *state, userID string, sp spaceRef) bool {
	if sp.kind == KindCommunity {
		c := st.communities[sp.id]
		if c == nil {
			return false
		}
		_, ok := c.members[userID]
		return ok
	}
	if sp.archived {
		return slices.Contains(sp.former, userID)
	}
	return s.org.IsMember(userID, sp.id)
}

func (s *Service) memberIDs(st *state, sp spaceRef) []string {
	if sp.kind == KindCommunity {
		c := st.communities[sp.id]
		if c == nil {
			return nil
		}
		return slices.Sorted(maps.Keys(c.members))
	}
	return s.org.MemberIDs(sp.id)
}

// seesVisibility: organisation-wide things are for all staff, team-only
// things for the space's members.
func seesVisibility(member bool, visibility string) bool {
	return visibility == VisibilityOrganisation || member
}

// CanSee reports whether the user may see something of the given visibility
// in the space ("" means the space's documents: members of team spaces,
// everyone for communities). For search filtering.
func (s *Service) CanSee(userID, spaceID, visibility string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.canSee(s.cur, userID, spaceID, visibility)
}

func (s *Service) canSee(st *state, userID, spaceID, visibility string) bool {
	if userID == "" {
		return false
	}
	if u, ok := s.people.Get(userID); !ok || !u.Active {
		return false
	}
	sp, ok := s.spaceOf(st, spaceID)
	if !ok {
		return false
	}
	if visibility == "" {
		return sp.kind == KindCommunity || s.isMember(st, userID, sp)
	}
	return seesVisibility(s.isMember(st, userID, sp), visibility)
}

// CanSeePost reports whether the user may see the post now.
func (s *Service) CanSeePost(userID string, p *PostDoc) bool {
	return p != nil && s.CanSee(userID, p.SpaceID, p.Visibility)
}

// CanSeeDocument reports whether the user may see the document now.
func (s *Service) CanSeeDocument(userID string, d *DocumentDoc) bool {
	return d != nil && s.CanSee(userID, d.SpaceID, "")
}

// SpaceName returns a space's name ("" when unknown).
func (s *Service) SpaceName(id string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sp, _ := s.spaceOf(s.cur, id)
	return sp.name
}

// AllPosts returns a copy of every live post (to rebuild a search index).
func (s *Service) AllPosts() []PostDoc {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]PostDoc, 0, len(s.cur.posts))
	for _, p := range s.cur.posts {
		out = append(out, p.copyDoc())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	return out
}

// AllDocuments returns a copy of every live document.
func (s *Service) AllDocuments() []DocumentDoc {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]DocumentDoc, 0, len(s.cur.docs))
	for _, d := range s.cur.docs {
		out = append(out, d.copyDoc())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ---------------------------------------------------------------------------
// People

func (s *Service) person(id string) PersonRef {
	if u, ok := s.people.Get(id); ok {
		return PersonRef{ID: id, Name: u.Name}
	}
	return PersonRef{ID: id, Name: "Onbekend"}
}

// lookup resolves mentions: active people only.
func (s *Service) lookup(id string) (string, bool) {
	u, ok := s.people.Get(id)
	if !ok || !u.Active {
		return "", false
	}
	return u.Name, true
}

func (s *Service) render(key, src string) string {
	if h, ok := s.html.get(key); ok {
		return h
	}
	h := s.md.Render(src, s.displayName).HTML
	s.html.put(key, h)
	return h
}

func (s *Service) deliver(ctx context.Context, users []string, n Notice) {
	nt, _ := s.hooks()
	if nt == nil || len(users) == 0 {
		return
	}
	nt.Notify(context.WithoutCancel(ctx), users, n)
}

// ---------------------------------------------------------------------------
// Validation helpers

func checkBody(v *apperr.Validator, field, body string, max int) string {
	body = strings.TrimSpace(body)
	n := utf8.RuneCountInString(body)
	switch {
	case n == 0:
		v.Add(field, "required", "is required")
	case n > max:
		v.Add(field, "too_long", fmt.Sprintf("at most %d characters", max), apperr.Params{"max": max})
	case !plaintext.Text(body):
		v.Add(field, "not_allowed", "contains characters that are not allowed")
	}
	return body
}

func checkLine(v *apperr.Validator, field, s string, minLen, maxLen int) string {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n < minLen || n > maxLen || !plaintext.Line(s) {
		if minLen > 0 {
			v.Add(field, "length", fmt.Sprintf("use %d–%d characters on one line", minLen, maxLen), apperr.Params{"min": minLen, "max": maxLen})
		} else {
			v.Add(field, "too_long", fmt.Sprintf("at most %d characters on one line", maxLen), apperr.Params{"max": maxLen})
		}
	}
	return s
}

// snippet makes a one-line preview of a markdown body for notifications,
// with likely client identifiers masked (an acknowledged BSN is not sent on).
func (s *Service) snippet(body string) string {
	body = identifiers.Mask(body)
	body = mentionTokenRE.ReplaceAllStringFunc(body, func(tok string) string {
		if name, ok := s.lookup(tok[2 : len(tok)-1]); ok {
			return "@" + name
		}
		return "@iemand"
	})
	body = search.PlainText(body) // a preview shows words, not **markup** (#14 §7)
	body = strings.Join(strings.FieldsFunc(body, unicode.IsSpace), " ")
	if utf8.RuneCountInString(body) > 140 {
		body = string([]rune(body)[:139]) + "…"
	}
	return body
}

func without(ids []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return slices.Contains(drop, id) })
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
