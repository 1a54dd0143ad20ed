package chat

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/apperr"
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

// ChannelKind is a channel's kind (false: no such channel).
func (s *Service) ChannelKind(chID string) (Kind, bool) {
	if team, ok := strings.CutPrefix(chID, "t-"); ok {
		_, ok := s.dir.Team(team)
		return KindTeam, ok
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.channels[chID]
	if !ok {
		return "", false
	}
	return c.Kind, true
}

// Excerpt is a message as one line for a system notification: at most 140
// characters, mentions as "@Name", likely client identifiers masked.
func (s *Service) Excerpt(e *Entry) string {
	return previewText(e.Body, s.dir.Person, 140)
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

// Observe records an entry stored (here or on another instance, which
// announced it on the broker) in the channel's window. It reports whether
// the entry was new to this instance.
func (s *Service) Observe(e *Entry) bool {
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
