package chat

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/plaintext"
	"github.com/plein/plein/server/richtext/short"
)

// Directory is what chat needs to know about people and teams. The server
// adapts the org service and the identity user directory to it.
type Directory interface {
	// TeamsOf lists the ids of the teams the user belongs to.
	TeamsOf(userID string) []string
	// TeamMembers lists the user ids of a team's members.
	TeamMembers(teamID string) []string
	// Team returns a team's name.
	Team(teamID string) (name string, ok bool)
	// Person returns an active person's display name.
	Person(userID string) (name string, ok bool)
	// People lists active people whose name contains q (case-insensitive,
	// diacritics folded), at most limit, with their team and region ids.
	People(q string, limit int) []Person
	// RegionsOf lists the ids of the regions of the user's teams.
	RegionsOf(userID string) []string
}

// Person is a directory entry.
type Person struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Teams     []string `json:"teams"`
	TeamIDs   []string `json:"-"`
	RegionIDs []string `json:"-"`
}

const (
	windowSize  = 200
	maxBody     = 8000
	maxGroup    = 8
	maxName     = 80
	historyMax  = 100
	syncMax     = 200
	dedupeCache = 4096
)

// chanState is one channel's state on this instance: the last sequence
// known, and a contiguous window of its most recent entries.
type chanState struct {
	mu     sync.Mutex // serialises appends on this instance
	last   int64      // -1: unknown, probe the store
	window map[int64]*Entry
	lo     int64 // window holds lo..last
	// preview is the chat-list preview made at previewAt (= last then):
	// made once per new entry, not once per summary.
	preview   *Preview
	previewAt int64
}

// Service holds chat's rules.
type Service struct {
	st  *Store
	dir Directory
	md  *short.Renderer
	log *slog.Logger
	now func() time.Time

	mu       sync.RWMutex
	channels map[string]*Channel        // stored channels (not team channels)
	byMember map[string]map[string]bool // user → stored channel ids
	states   map[string]*chanState

	readsMu sync.Mutex
	reads   map[string]map[string]int64 // user → channel → seq (cache)

	dedupeMu sync.Mutex
	dedupe   map[string]int64 // "<user>:<clientId>" → seq, recent sends
	dedupeQ  []string

	onEntry atomic.Pointer[func(*Entry)]
	authors atomic.Pointer[AuthorIndex] // set by SetAuthorIndex (privacy.go)

	// Group commit of sends (commit.go); set before the first Append.
	GroupWindow time.Duration // wait this long after a batch's first send for more
	GroupMax    int           // at most this many sends a batch
	sendQ       chan *pendingSend
	commitOnce  sync.Once

	prefs    prefsCache
	notifier atomic.Pointer[Notifier]
	searcher atomic.Pointer[Searcher] // conversation search (conversation.go)

	att *attachmentStore // nil until EnableAttachments (attachments.go)
}

// OnEntry registers f, called for every entry this instance observes: its
// own sends and, through the broker, every other instance's (at least once;
// the global search index uses it). f must not block.
func (s *Service) OnEntry(f func(*Entry)) { s.onEntry.Store(&f) }

// EachStoredEntry calls f for every stored entry, in no particular order
// (a scan: for building an index at start).
func (s *Service) EachStoredEntry(ctx context.Context, f func(*Entry)) error {
	cur, err := s.st.entries.Find(ctx, bson.D{})
	if err != nil {
		return err
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var e Entry
		if err := cur.Decode(&e); err != nil {
			return err
		}
		f(&e)
	}
	return cur.Err()
}

// NewService loads the stored channels.
func NewService(ctx context.Context, st *Store, dir Directory, log *slog.Logger) (*Service, error) {
	if log == nil {
		log = slog.Default()
	}
	s := &Service{st: st, dir: dir, md: short.New(), log: log, now: time.Now,
		channels: map[string]*Channel{}, byMember: map[string]map[string]bool{}, states: map[string]*chanState{},
		reads: map[string]map[string]int64{}, dedupe: map[string]int64{}, prefs: prefsCache{m: map[string]UserPrefs{}},
		GroupWindow: defaultGroupWindow, GroupMax: defaultGroupMax, sendQ: make(chan *pendingSend, 4*defaultGroupMax)}
	if _, err := s.ReloadChannels(ctx); err != nil {
		return s, err
	}
	return s, s.ReloadPrefs(ctx)
}

// ReloadChannels re-reads the stored channels (after another instance
// changed one, after a broker outage, and periodically). A channel that
// memory holds in a newer version than the snapshot keeps it, and channels
// created here after the snapshot was read stay. It returns the ids of the
// channels whose members changed.
func (s *Service) ReloadChannels(ctx context.Context) ([]string, error) {
	cs, err := s.st.loadChannels(ctx)
	if err != nil {
		return nil, err
	}
	// Each channel's newest member list: from the version memory has, so
	// usually one point lookup a channel ("is there a next version?").
	s.mu.RLock()
	known := make(map[string]int64, len(s.channels))
	for id, c := range s.channels {
		known[id] = c.V
	}
	s.mu.RUnlock()
	for i := range cs {
		c := &cs[i]
		from := *c
		from.V = known[c.ID]
		if from.V > 0 {
			// Start from the version memory has, not the stored v0 list.
			mv, err := s.st.memberVersion(ctx, c.ID, from.V)
			if err != nil {
				return nil, err
			}
			if mv != nil {
				from.Members = mv.Members
			} else {
				from.V = 0
			}
		}
		latest, err := s.st.latestMembers(ctx, &from)
		if err != nil {
			return nil, err
		}
		cs[i] = *latest
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string]*Channel, len(cs))
	var changed []string
	for i := range cs {
		c := &cs[i]
		old, ok := s.channels[c.ID]
		switch {
		case ok && old.V > c.V:
			c = old
		case !ok || !slices.Equal(old.Members, c.Members):
			changed = append(changed, c.ID)
		}
		m[c.ID] = c
	}
	for id, c := range s.channels {
		if _, ok := m[id]; !ok {
			m[id] = c // created after the snapshot was read
		}
	}
	idx := map[string]map[string]bool{}
	for _, c := range m {
		indexMembers(idx, c)
	}
	s.channels, s.byMember = m, idx
	return changed, nil
}

// channel resolves a channel id (team channels come from the directory).
func (s *Service) channel(id string) (*Channel, bool) {
	if team, ok := strings.CutPrefix(id, "t-"); ok {
		name, ok := s.dir.Team(team)
		if !ok {
			return nil, false
		}
		return &Channel{ID: id, Kind: KindTeam, Name: name, TeamID: team}, true
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.channels[id]
	if !ok {
		return nil, false
	}
	cp := *c
	cp.Members = slices.Clone(c.Members)
	return &cp, true
}

// IsMember reports whether the user may read and write the channel. It is
// the one access rule: asked at every read, write and delivery.
func (s *Service) IsMember(userID, chID string) bool {
	if team, ok := strings.CutPrefix(chID, "t-"); ok {
		if _, ok := s.dir.Team(team); !ok {
			return false
		}
		return slices.Contains(s.dir.TeamsOf(userID), team)
	}
	// The member index, not channel(): that copies the member list, and
	// delivery asks once per recipient (O(members²) per message).
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.byMember[userID][chID]
}

func (s *Service) isMember(userID string, c *Channel) bool {
	if c.Kind == KindTeam {
		return slices.Contains(s.dir.TeamsOf(userID), c.TeamID)
	}
	return slices.Contains(c.Members, userID)
}

// ChannelsOf lists the ids of the user's channels.
func (s *Service) ChannelsOf(userID string) []string {
	var out []string
	for _, t := range s.dir.TeamsOf(userID) {
		out = append(out, TeamChannelID(t))
	}
	s.mu.RLock()
	for id := range s.byMember[userID] {
		out = append(out, id)
	}
	s.mu.RUnlock()
	sort.Strings(out)
	return out
}

// Members lists a channel's member ids.
func (s *Service) Members(chID string) []string {
	c, ok := s.channel(chID)
	if !ok {
		return nil
	}
	if c.Kind == KindTeam {
		return s.dir.TeamMembers(c.TeamID)
	}
	return c.Members
}

// Summary is a channel as a member sees it.
type Summary struct {
	ID       string   `json:"id"`
	Kind     Kind     `json:"kind"`
	Name     string   `json:"name"`
	Topic    string   `json:"topic,omitempty"`
	TeamID   string   `json:"teamId,omitempty"`
	LastSeq  int64    `json:"lastSeq"`
	ReadSeq  int64    `json:"readSeq"`
	Unread   int      `json:"unread"`
	Mentions int      `json:"mentions"`
	Members  []Person `json:"members,omitempty"`
	// Last is the newest message as a one-line preview (nil: none, or older
	// than this instance's window).
	Last   *Preview `json:"last,omitempty"`
	Muted  bool     `json:"muted,omitempty"`
	Pinned bool     `json:"pinned,omitempty"`
	// PinnedAt orders pinned conversations (unix ms; 0: not pinned).
	PinnedAt int64 `json:"-"`
}

// Summaries lists the user's channels with unread counts.
func (s *Service) Summaries(ctx context.Context, userID string) ([]Summary, error) {
	ids := s.ChannelsOf(userID)
	out := make([]Summary, 0, len(ids))
	for _, id := range ids {
		sum, err := s.Summary(ctx, userID, id)
		if err != nil {
			if errors.Is(err, apperr.ErrNotFound) {
				continue
			}
			return nil, err
		}
		out = append(out, *sum)
	}
	sortSummaries(out)
	return out, nil
}

// Summary describes one channel for a member.
func (s *Service) Summary(ctx context.Context, userID, chID string) (*Summary, error) {
	c, ok := s.channel(chID)
	if !ok || !s.isMember(userID, c) {
		return nil, apperr.NotFound("not_found", "channel not found")
	}
	st := s.state(chID)
	if err := s.ensureWindow(ctx, chID, st); err != nil {
		return nil, err
	}
	read, err := s.readSeq(ctx, userID, chID)
	if err != nil {
		return nil, err
	}
	sum := &Summary{ID: c.ID, Kind: c.Kind, Name: c.Name, Topic: c.Topic, TeamID: c.TeamID, ReadSeq: read}
	up := s.prefs.get(userID)
	sum.Muted, sum.PinnedAt = up.Muted[c.ID], up.Pinned[c.ID]
	sum.Pinned = sum.PinnedAt != 0
	st.mu.Lock()
	sum.LastSeq = st.last
	sum.Last = s.previewLocked(st)
	for seq := max(read+1, st.lo); seq <= st.last; seq++ {
		e := st.window[seq]
		if e == nil || e.Kind != EntryMsg || e.By == userID {
			continue
		}
		sum.Unread++
		if e.MentionsTeam || slices.Contains(e.Mentions, userID) {
			sum.Mentions++
		}
	}
	if read+1 < st.lo { // older than the window: count the rest as unread
		sum.Unread += int(st.lo - read - 1)
	}
	st.mu.Unlock()
	if c.Kind == KindDM || c.Kind == KindGroup {
		var names []string
		for _, m := range c.Members {
			n, _ := s.dir.Person(m)
			sum.Members = append(sum.Members, Person{ID: m, Name: n})
			if m != userID {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		sum.Name = strings.Join(names, ", ")
	}
	return sum, nil
}

func (s *Service) state(chID string) *chanState {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.states[chID]
	if !ok {
		st = &chanState{last: -1, window: map[int64]*Entry{}}
		s.states[chID] = st
	}
	return st
}

// ensureWindow loads the channel's last sequence and recent entries on first use.
func (s *Service) ensureWindow(ctx context.Context, chID string, st *chanState) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.last >= 0 {
		return nil
	}
	return s.loadWindowLocked(ctx, chID, st, 0)
}

func (s *Service) loadWindowLocked(ctx context.Context, chID string, st *chanState, known int64) error {
	last, err := s.st.lastSeq(ctx, chID, known)
	if err != nil {
		return err
	}
	if st.last >= 0 && last > st.last && last-st.last <= windowSize {
		// The window is loaded: read only what this instance has not seen,
		// rather than the whole window again while appends wait.
		es, err := s.st.entriesRange(ctx, chID, st.last+1, last)
		if err != nil {
			return err
		}
		for _, e := range es {
			st.observeLocked(e)
		}
		return nil
	}
	lo := max(1, last-windowSize+1)
	es, err := s.st.entriesRange(ctx, chID, lo, last)
	if err != nil {
		return err
	}
	st.window = make(map[int64]*Entry, len(es))
	for _, e := range es {
		st.window[e.Seq] = e
	}
	st.last, st.lo = last, lo
	if last == 0 {
		st.lo = 1
	}
	return nil
}

// observe records an entry stored (here or on another instance) in the
// channel's window. It reports whether the entry was new to this instance.
func (s *Service) observe(e *Entry) bool {
	if f := s.onEntry.Load(); f != nil {
		(*f)(e)
	}
	st := s.state(e.Ch)
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.observeLocked(e)
}

func (st *chanState) observeLocked(e *Entry) bool {
	if e.Kind == EntryDelete {
		if t := st.window[e.Target]; t != nil && !t.Deleted {
			st.window[e.Target] = t.redacted()
		}
	}
	switch {
	case st.last < 0:
		return true // window not loaded yet; it will be read from the store
	case e.Seq <= st.last:
		if e.Seq >= st.lo && st.window[e.Seq] == nil {
			st.window[e.Seq] = e
			return true
		}
		return false
	case e.Seq == st.last+1:
		st.window[e.Seq] = e
		st.last = e.Seq
	default: // a gap: restart the window at this entry
		st.window = map[int64]*Entry{e.Seq: e}
		st.last, st.lo = e.Seq, e.Seq
	}
	for st.last-st.lo+1 > windowSize {
		delete(st.window, st.lo)
		st.lo++
	}
	return true
}

// Input is a write from a member.
type Input struct {
	Ch       string
	ClientID string
	Kind     string
	Body     string
	Reply    int64
	Target   int64
	Emoji    string
	// Attachments are ids of files the sender uploaded to the channel
	// (send only; attachments.go).
	Attachments []string
	// AcknowledgeIdentifiers lets a body with likely client identifiers
	// through (the writer was warned); without it Append refuses such a
	// body with *identifiers.SuspectedError.
	AcknowledgeIdentifiers bool
}

// AppendResult tells the writer what was stored.
type AppendResult struct {
	Entry     *Entry
	Duplicate bool
}

// Append validates and stores a write as the channel's next entry. A retry
// with the same client id returns the stored entry's sequence (Duplicate).
func (s *Service) Append(ctx context.Context, userID string, in Input) (*AppendResult, error) {
	c, ok := s.channel(in.Ch)
	if !ok || !s.isMember(userID, c) {
		return nil, apperr.NotFound("not_found", "channel not found")
	}
	if in.ClientID == "" || len(in.ClientID) > 64 || !plaintext.Line(in.ClientID) {
		return nil, apperr.Invalid("clientId", "length", "1–64 printable characters", apperr.Params{"min": 1, "max": 64})
	}
	key := userID + ":" + in.ClientID
	if seq, ok := s.recentSend(key); ok {
		return &AppendResult{Entry: &Entry{Ch: in.Ch, Seq: seq}, Duplicate: true}, nil
	}
	// A retry from another instance or after a restart is recognised by the
	// claim below (its insert fails on the existing key): no read here, since
	// a lookup that misses costs a scan on the embedded store.
	name, _ := s.dir.Person(userID)
	e := &Entry{Ch: in.Ch, Kind: in.Kind, By: userID, ByName: name, ClientID: in.ClientID, At: s.now().UTC()}
	st := s.state(in.Ch)
	if err := s.ensureWindow(ctx, in.Ch, st); err != nil {
		return nil, err
	}
	var deletedFiles []Attachment
	switch in.Kind {
	case EntryMsg:
		ats, err := s.resolveAttachments(ctx, userID, in.Ch, in.ClientID, in.Attachments)
		if err != nil {
			return nil, err
		}
		e.Attachments = ats
		if len(ats) == 0 || strings.TrimSpace(in.Body) != "" { // a file may go without text
			if err := s.setBody(e, in.Body); err != nil {
				return nil, err
			}
		}
		if err := identifiers.Check(in.AcknowledgeIdentifiers, identifiers.F("body", e.Body)); err != nil {
			return nil, err
		}
		if in.Reply != 0 {
			root, err := s.entryAt(ctx, st, in.Ch, in.Reply)
			if err != nil {
				return nil, err
			}
			if root == nil || root.Kind != EntryMsg {
				return nil, apperr.Invalid("reply", "unknown", "no such message")
			}
			if root.Reply != 0 {
				in.Reply = root.Reply // a reply to a reply joins the same thread
			}
			e.Reply = in.Reply
		}
	case EntryEdit, EntryDelete, EntryReact, EntryUnreact:
		target, err := s.entryAt(ctx, st, in.Ch, in.Target)
		if err != nil {
			return nil, err
		}
		if target == nil || target.Kind != EntryMsg {
			return nil, apperr.Invalid("target", "unknown", "no such message")
		}
		e.Target = in.Target
		if in.Kind == EntryDelete {
			deletedFiles = target.Attachments
		}
		switch in.Kind {
		case EntryEdit, EntryDelete:
			if target.By != userID {
				return nil, apperr.Forbidden("not_author", "only the author can change a message")
			}
			if in.Kind == EntryEdit {
				if err := s.setBody(e, in.Body); err != nil {
					return nil, err
				}
				if err := identifiers.Check(in.AcknowledgeIdentifiers, identifiers.F("body", e.Body)); err != nil {
					return nil, err
				}
			}
		default:
			if !slices.Contains(Emojis, in.Emoji) {
				return nil, apperr.Invalid("emoji", "invalid_choice", "use one of "+strings.Join(Emojis, " "))
			}
			e.Emoji = in.Emoji
		}
	default:
		return nil, apperr.Invalid("type", "unknown", "unknown entry kind")
	}
	if in.Kind == EntryDelete {
		// Remove the files and text first: if this fails nothing is stored,
		// and a retry redoes it (files before text: the text names them).
		if err := s.dropAttachments(ctx, deletedFiles); err != nil {
			return nil, err
		}
		if err := s.st.redact(ctx, in.Ch, in.Target); err != nil {
			return nil, err
		}
	}
	// The committer claims the clientId, then stores the entry, with the
	// sends that arrive meanwhile (commit.go): an attempt still under way (a
	// retry on another instance after a disconnect, a slow first try) must
	// not let a second attempt store the message again.
	at := s.now().UTC().Truncate(time.Millisecond) // as the store keeps it
	return s.commit(ctx, &pendingSend{e: e, key: key, at: at})
}

// staleClaim is how old a claim on a clientId must be before another
// attempt takes it over: longer than an append can take (its context ends
// after 15 s), with room for clock differences between instances.
const staleClaim = 30 * time.Second

// claimTaken decides what happens to a send whose clientId was claimed
// already. It returns the duplicate when an earlier attempt stored it,
// ErrUnavailable (the client retries with the same clientId) while one is
// under way, and nil, nil when it took over a stale claim for this attempt.
func (s *Service) claimTaken(ctx context.Context, p *pendingSend) (*AppendResult, error) {
	rec, err := s.st.sentBefore(ctx, p.e.By, p.e.ClientID)
	if err == nil && rec == nil {
		err = unavailable("read send record", errors.New("vanished"))
	}
	if err != nil {
		return nil, err
	}
	if rec.Seq == 0 {
		// Claimed by another attempt: did it store the entry (then fail
		// or die before it answered)?
		e, err := s.findSend(ctx, rec, p.e.By, p.e.ClientID)
		if err != nil {
			return nil, err
		}
		switch {
		case e != nil:
			rec.Ch, rec.Seq = e.Ch, e.Seq
		case p.at.Sub(rec.At) < staleClaim:
			return nil, fmt.Errorf("%w: this message is being stored; retry", apperr.ErrUnavailable)
		default:
			ok, err := s.st.takeOverSend(ctx, rec, p.from, p.at)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, fmt.Errorf("%w: this message is being stored; retry", apperr.ErrUnavailable)
			}
			return nil, nil
		}
	}
	return &AppendResult{Entry: &Entry{Ch: rec.Ch, Seq: rec.Seq}, Duplicate: true}, nil
}

// findSend looks for the entry of a claimed send in its channel's log: if
// it was stored, it is above the claim's From.
func (s *Service) findSend(ctx context.Context, rec *sendRecord, userID, clientID string) (*Entry, error) {
	st := s.state(rec.Ch)
	if err := s.ensureWindow(ctx, rec.Ch, st); err != nil {
		return nil, err
	}
	st.mu.Lock()
	known := st.last
	st.mu.Unlock()
	last, err := s.st.lastSeq(ctx, rec.Ch, max(known, rec.From))
	if err != nil {
		return nil, err
	}
	for seq := rec.From + 1; seq <= last; seq++ {
		e, err := s.entryAt(ctx, st, rec.Ch, seq)
		if err != nil {
			return nil, err
		}
		if e != nil && e.By == userID && e.ClientID == clientID {
			return e, nil
		}
	}
	return nil, nil
}

func (s *Service) entryAt(ctx context.Context, st *chanState, ch string, seq int64) (*Entry, error) {
	if seq <= 0 {
		return nil, nil
	}
	st.mu.Lock()
	e := st.window[seq]
	st.mu.Unlock()
	if e != nil {
		return e, nil
	}
	return s.st.entry(ctx, ch, seq)
}

func (s *Service) setBody(e *Entry, body string) error {
	body = strings.TrimSpace(strings.ToValidUTF8(body, "\uFFFD"))
	if body == "" {
		return apperr.Invalid("body", "required", "a message cannot be empty")
	}
	if utf8.RuneCountInString(body) > maxBody {
		return apperr.Invalid("body", "too_long", fmt.Sprintf("at most %d characters", maxBody), apperr.Params{"max": maxBody})
	}
	r := s.md.Render(body, s.dir.Person)
	e.Body, e.HTML, e.Mentions, e.MentionsTeam = body, r.HTML, r.Mentions, r.MentionsTeam
	e.Preview = previewText(body, s.dir.Person, previewRunes)
	return nil
}

// Sync returns entries after `after`, re-probing the store for entries this
// instance has not heard of (the broker may have dropped them).
func (s *Service) Sync(ctx context.Context, userID, chID string, after int64, limit int) ([]*Entry, bool, error) {
	if !s.IsMember(userID, chID) {
		return nil, false, apperr.NotFound("not_found", "channel not found")
	}
	if limit <= 0 || limit > syncMax {
		limit = 100
	}
	st := s.state(chID)
	last, err := s.refresh(ctx, chID, st)
	if err != nil {
		return nil, false, err
	}
	if after < 0 {
		after = 0
	}
	to := min(last, after+int64(limit))
	es, err := s.rangeEntries(ctx, st, chID, after+1, to)
	return es, to < last, err
}

// History returns up to limit entries before `before` (0: the newest).
func (s *Service) History(ctx context.Context, userID, chID string, before int64, limit int) ([]*Entry, bool, error) {
	if !s.IsMember(userID, chID) {
		return nil, false, apperr.NotFound("not_found", "channel not found")
	}
	if limit <= 0 || limit > historyMax {
		limit = 50
	}
	st := s.state(chID)
	if err := s.ensureWindow(ctx, chID, st); err != nil {
		return nil, false, err
	}
	st.mu.Lock()
	last := st.last
	st.mu.Unlock()
	if before <= 0 || before > last {
		// The newest page (clients ask with 0 or lastSeq+1): make sure no
		// entry stored by another instance is missing.
		var err error
		if last, err = s.refresh(ctx, chID, st); err != nil {
			return nil, false, err
		}
	}
	if before <= 0 || before > last+1 {
		before = last + 1
	}
	from := max(1, before-int64(limit))
	es, err := s.rangeEntries(ctx, st, chID, from, before-1)
	return es, from > 1, err
}

// refresh returns the channel's last sequence as the store knows it: entries
// this instance never heard of (the broker may drop them) are found by
// probing forward from the known last, one point lookup when up to date.
func (s *Service) refresh(ctx context.Context, chID string, st *chanState) (int64, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.last < 0 {
		if err := s.loadWindowLocked(ctx, chID, st, 0); err != nil {
			return 0, err
		}
		return st.last, nil
	}
	last, err := s.st.lastSeq(ctx, chID, st.last)
	if err != nil {
		return 0, err
	}
	if last > st.last {
		if err := s.loadWindowLocked(ctx, chID, st, last); err != nil {
			return 0, err
		}
	}
	return st.last, nil
}

func (s *Service) rangeEntries(ctx context.Context, st *chanState, ch string, from, to int64) ([]*Entry, error) {
	if to < from {
		return []*Entry{}, nil
	}
	st.mu.Lock()
	if from >= st.lo && to <= st.last {
		out := make([]*Entry, 0, to-from+1)
		complete := true
		for seq := from; seq <= to; seq++ {
			e := st.window[seq]
			if e == nil {
				complete = false
				break
			}
			out = append(out, e)
		}
		st.mu.Unlock()
		if complete {
			return out, nil
		}
	} else {
		st.mu.Unlock()
	}
	return s.st.entriesRange(ctx, ch, from, to)
}

// MarkRead moves the user's read marker forward; it never moves back.
func (s *Service) MarkRead(ctx context.Context, userID, chID string, seq int64) (bool, error) {
	if !s.IsMember(userID, chID) {
		return false, apperr.NotFound("not_found", "channel not found")
	}
	// A marker past the channel's last message would make unread counts
	// negative: clamp it (asking the store only when memory knows less).
	st := s.state(chID)
	st.mu.Lock()
	known := st.last
	st.mu.Unlock()
	if seq > known {
		last, err := s.refresh(ctx, chID, st)
		if err != nil {
			return false, err
		}
		seq = min(seq, last)
	}
	reads, err := s.readsOf(ctx, userID)
	if err != nil {
		return false, err
	}
	s.readsMu.Lock()
	if seq <= reads[chID] {
		s.readsMu.Unlock()
		return false, nil
	}
	reads[chID] = seq
	cp := make(map[string]int64, len(reads))
	for k, v := range reads {
		cp[k] = v
	}
	s.readsMu.Unlock()
	return true, s.st.saveReads(ctx, userID, cp)
}

// ObserveRead applies a read marker moved on another instance.
func (s *Service) ObserveRead(userID, chID string, seq int64) {
	s.readsMu.Lock()
	defer s.readsMu.Unlock()
	if r, ok := s.reads[userID]; ok && seq > r[chID] {
		r[chID] = seq
	}
}

// readSeq is the user's read marker in a channel.
func (s *Service) readSeq(ctx context.Context, userID, chID string) (int64, error) {
	r, err := s.readsOf(ctx, userID)
	if err != nil {
		return 0, err
	}
	s.readsMu.Lock()
	defer s.readsMu.Unlock()
	return r[chID], nil
}

// readsOf returns the user's cached marker map; read and write it only
// while holding readsMu.
func (s *Service) readsOf(ctx context.Context, userID string) (map[string]int64, error) {
	s.readsMu.Lock()
	r, ok := s.reads[userID]
	s.readsMu.Unlock()
	if ok {
		return r, nil
	}
	loaded, err := s.st.readsOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	s.readsMu.Lock()
	defer s.readsMu.Unlock()
	if r, ok := s.reads[userID]; ok {
		return r, nil
	}
	s.reads[userID] = loaded
	return loaded, nil
}

// ForgetReads drops a user's cached markers (their last connection here closed).
func (s *Service) ForgetReads(userID string) {
	s.readsMu.Lock()
	delete(s.reads, userID)
	s.readsMu.Unlock()
}

func (s *Service) recentSend(key string) (int64, bool) {
	s.dedupeMu.Lock()
	defer s.dedupeMu.Unlock()
	seq, ok := s.dedupe[key]
	return seq, ok
}

func (s *Service) rememberSend(key string, seq int64) {
	s.dedupeMu.Lock()
	defer s.dedupeMu.Unlock()
	if _, ok := s.dedupe[key]; ok {
		return
	}
	s.dedupe[key] = seq
	s.dedupeQ = append(s.dedupeQ, key)
	if len(s.dedupeQ) > dedupeCache {
		delete(s.dedupe, s.dedupeQ[0])
		s.dedupeQ = s.dedupeQ[1:]
	}
}

// CreateChannel creates an open or closed channel with the creator as member.
func (s *Service) CreateChannel(ctx context.Context, userID string, kind Kind, name, topic string) (*Channel, error) {
	var v apperr.Validator
	name, topic = strings.TrimSpace(name), strings.TrimSpace(topic)
	v.Check(kind == KindOpen || kind == KindClosed, "kind", "invalid_choice", "open or closed")
	n := utf8.RuneCountInString(name)
	v.Check(n >= 2 && n <= maxName && plaintext.Line(name), "name", "length", "2–80 characters", apperr.Params{"min": 2, "max": 80})
	v.Check(utf8.RuneCountInString(topic) <= 300 && plaintext.Line(topic), "topic", "too_long", "at most 300 characters", apperr.Params{"max": 300})
	if err := v.Err(); err != nil {
		return nil, err
	}
	c := &Channel{ID: "c-" + randomID(), Kind: kind, Name: name, Topic: topic, Members: []string{userID}, CreatedBy: userID, CreatedAt: s.now().UTC()}
	if err := s.st.insertChannel(ctx, c); err != nil {
		return nil, err
	}
	s.putChannel(c)
	return c, nil
}

// Browse lists open channels.
func (s *Service) Browse(userID string) []BrowseItem {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []BrowseItem{}
	for _, c := range s.channels {
		if c.Kind == KindOpen {
			out = append(out, BrowseItem{ID: c.ID, Name: c.Name, Topic: c.Topic, MemberCount: len(c.Members), Joined: slices.Contains(c.Members, userID)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out
}

// BrowseItem is an open channel in the list to join.
type BrowseItem struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Topic       string `json:"topic,omitempty"`
	MemberCount int    `json:"memberCount"`
	Joined      bool   `json:"joined"`
}

// Join adds the user to an open channel.
func (s *Service) Join(ctx context.Context, userID, chID string) (*Channel, error) {
	c, ok := s.channel(chID)
	if !ok || (c.Kind != KindOpen && !s.isMember(userID, c)) {
		return nil, apperr.NotFound("not_found", "channel not found")
	}
	if c.Kind == KindTeam || slices.Contains(c.Members, userID) {
		return c, nil
	}
	return s.changeMembers(ctx, userID, c, func(m []string) ([]string, error) {
		if slices.Contains(m, userID) {
			return m, nil
		}
		return append(m, userID), nil
	})
}

// Leave removes the user from a channel (not a team channel: leave the team).
func (s *Service) Leave(ctx context.Context, userID, chID string) (*Channel, error) {
	c, ok := s.channel(chID)
	if !ok || !s.isMember(userID, c) {
		return nil, apperr.NotFound("not_found", "channel not found")
	}
	if c.Kind == KindTeam || c.Kind == KindDM {
		return nil, apperr.Invalid("channel", "not_allowed", "team channels and direct messages cannot be left")
	}
	return s.changeMembers(ctx, userID, c, func(m []string) ([]string, error) {
		return slices.DeleteFunc(m, func(x string) bool { return x == userID }), nil
	})
}

// Invite adds another person to a closed channel or group conversation.
func (s *Service) Invite(ctx context.Context, userID, chID, other string) (*Channel, error) {
	c, ok := s.channel(chID)
	if !ok || !s.isMember(userID, c) {
		return nil, apperr.NotFound("not_found", "channel not found")
	}
	if c.Kind != KindClosed && c.Kind != KindGroup && c.Kind != KindOpen {
		return nil, apperr.Invalid("channel", "not_allowed", "only closed, open and group channels take invitations")
	}
	if _, ok := s.dir.Person(other); !ok {
		return nil, apperr.Invalid("userId", "unknown", "unknown person")
	}
	if slices.Contains(c.Members, other) {
		return c, nil
	}
	if c.Kind == KindGroup && len(c.Members) >= maxGroup+1 {
		return nil, apperr.Invalid("userId", "too_many", fmt.Sprintf("a group conversation has at most %d people", maxGroup+1), apperr.Params{"max": maxGroup + 1})
	}
	return s.changeMembers(ctx, userID, c, func(m []string) ([]string, error) {
		if slices.Contains(m, other) {
			return m, nil
		}
		if c.Kind == KindGroup && len(m) >= maxGroup+1 {
			return nil, apperr.Invalid("userId", "too_many", fmt.Sprintf("a group conversation has at most %d people", maxGroup+1), apperr.Params{"max": maxGroup + 1})
		}
		return append(m, other), nil
	})
}

// OpenDM finds or creates the conversation between the user and others: a
// direct message for one other person, a group conversation for 2–8.
func (s *Service) OpenDM(ctx context.Context, userID string, others []string) (*Channel, error) {
	var v apperr.Validator
	set := []string{userID}
	for i, o := range others {
		if _, ok := s.dir.Person(o); !ok {
			v.Add(fmt.Sprintf("userIds[%d]", i), "unknown", "unknown person")
			continue
		}
		if !slices.Contains(set, o) {
			set = append(set, o)
		}
	}
	if len(set) < 2 {
		v.Add("userIds", "required", "name at least one other person")
	}
	if len(set) > maxGroup+1 {
		v.Add("userIds", "too_many", fmt.Sprintf("at most %d other people", maxGroup), apperr.Params{"max": maxGroup})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	kind := KindDM
	if len(set) > 2 {
		kind = KindGroup
	}
	sorted := slices.Clone(set)
	sort.Strings(sorted)
	h := sha256.Sum256([]byte(strings.Join(sorted, ",")))
	id := "d-" + hex.EncodeToString(h[:10])
	if kind == KindGroup {
		id = "g-" + randomID()
	} else if c, ok := s.channel(id); ok {
		return c, nil
	}
	c := &Channel{ID: id, Kind: kind, Members: set, CreatedBy: userID, CreatedAt: s.now().UTC()}
	if err := s.st.insertChannel(ctx, c); err != nil {
		if errors.Is(err, apperr.ErrConflict) { // created concurrently elsewhere
			if _, err := s.ReloadChannels(ctx); err != nil {
				return nil, err
			}
			if c, ok := s.channel(id); ok {
				return c, nil
			}
		}
		return nil, err
	}
	s.putChannel(c)
	return c, nil
}

// changeMembers commits change(the newest member list) as the channel's
// next version. When another instance committed that version first, it
// reads the newer list and applies change to it again, so simultaneous
// changes on any number of instances all land, in some order.
func (s *Service) changeMembers(ctx context.Context, by string, c *Channel, change func([]string) ([]string, error)) (*Channel, error) {
	for range 50 {
		latest, err := s.st.latestMembers(ctx, c)
		if err != nil {
			return nil, err
		}
		next, err := change(slices.Clone(latest.Members))
		if err != nil {
			return nil, err
		}
		if slices.Equal(next, latest.Members) {
			s.putChannel(latest)
			return latest, nil
		}
		mv := &memberVersion{Ch: c.ID, V: latest.V + 1, Members: next, By: by, At: s.now().UTC()}
		switch err := s.st.insertVersion(ctx, mv); {
		case err == nil:
			out := *latest
			out.Members, out.V = next, mv.V
			s.putChannel(&out)
			return &out, nil
		case errors.Is(err, errTaken):
			c = latest // someone else changed it: read theirs and try again
		default:
			return nil, err
		}
	}
	return nil, fmt.Errorf("%w: channel %s: too many simultaneous membership changes", apperr.ErrUnavailable, c.ID)
}

// putChannel puts a channel in memory unless memory already holds a newer
// version of it (a reload's snapshot can be older than a change made since).
func (s *Service) putChannel(c *Channel) {
	cp := *c
	cp.Members = slices.Clone(c.Members)
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.channels[c.ID]; ok {
		if old.V > c.V {
			return
		}
		for _, m := range old.Members {
			delete(s.byMember[m], c.ID)
		}
	}
	s.channels[c.ID] = &cp
	indexMembers(s.byMember, &cp)
}

func indexMembers(idx map[string]map[string]bool, c *Channel) {
	for _, m := range c.Members {
		if idx[m] == nil {
			idx[m] = map[string]bool{}
		}
		idx[m][c.ID] = true
	}
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
