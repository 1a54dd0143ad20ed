package notify

import (
	"context"
	"hash/maphash"
	"log/slog"
	"slices"
	"sync"
	"time"
	"unique"

	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/streamlog"
)

// Pusher delivers a notification, with the user's unread count, to every
// live connection of the user, on every instance (the app wires it to the
// chat hub, which sends it as a `notification` frame: docs/protocol.md).
// It must not block for long.
type Pusher interface {
	PushNotification(ctx context.Context, userID string, item Notification, unread int)
}

// PusherFunc adapts a function to Pusher.
type PusherFunc func(ctx context.Context, userID string, item Notification, unread int)

// PushNotification calls f.
func (f PusherFunc) PushNotification(ctx context.Context, userID string, item Notification, unread int) {
	f(ctx, userID, item, unread)
}

// Forwarder is told of every notification delivered to a person (after it
// is stored; ephemeral notices are not stored): the app wires Web Push
// (server/push) to it. It applies its own rules (devices, quiet hours) and
// must not block: queue and return.
type Forwarder interface {
	Forward(ctx context.Context, userID string, n Notification)
}

// Options tune the service; zero values take the defaults.
type Options struct {
	Logger   *slog.Logger
	Pusher   Pusher
	Now      func() time.Time
	Instance string // this instance's name (owner of its fan-out jobs)
	// Recent is how many of a user's newest notifications are kept in memory (100).
	Recent int
	// AsyncOver: a notice to more users than this is stored as a job and
	// fanned out in the background (50).
	AsyncOver int
	// Batch is the number of documents per InsertMany (500).
	Batch int
	// StaleJob: a job whose owner showed no progress for this long is
	// taken over by another instance (2 min).
	StaleJob time.Duration
	// InlineFor bounds how long Notify delivers a small fan-out itself (the
	// caller's request waits for it) before it hands the users not reached
	// yet to the background worker as a job (2 s).
	InlineFor time.Duration
	// Bus carries change-log signals between instances (follow.go).
	Bus *streamlog.Bus
	// Applied, for tests: called when a change-log entry was applied.
	Applied func(seq int64)

	hold     chan struct{} // tests: the worker takes one value before each job
	gapCheck time.Duration // tests: streamlog.Options.GapCheck
}

// Horizon: notifications older than a user's newest Horizon count as read
// (it bounds the unread count and the set of individually read ones).
const Horizon = 1000

// refreshUpTo: a delivery to at most this many users first reads their
// state documents (preferences and read marks changed on other instances);
// larger ones rely on memory (other instances' changes arrive through the
// change log within a second).
const refreshUpTo = 50

// idleWindow: a user's cached notifications are dropped when they have not
// listed them on this instance for this long (memory stays bounded by the
// active users).
const idleWindow = time.Hour

// progressEvery: how often a running job records its progress (rewriting
// the job document, which holds every recipient, costs tens of ms for
// 5,000). A take-over redoes the batches since, carefully.
const progressEvery = 10 * time.Second

// retryRounds bounds the write attempts of one delivery before its users
// are handed to the background worker.
const retryRounds = 6

// entry is one cached notification of a user.
type entry struct {
	seq int64
	c   unique.Handle[content]
}

// userState is what this instance knows of a user. head is the highest
// sequence known to be stored (sequences are dense from 1); win holds the
// newest known notifications as one contiguous run of sequences.
type userState struct {
	head   int64
	readTo int64   // everything up to here is read
	read   []int64 // sorted: read individually, each > readTo
	off    []string
	quiet  bool
	ver    int64 // version of the state document this reflects
	win    []entry
	seen   time.Time // last List here; the window is kept while recent
}

// Service is the notification centre. See the package documentation.
type Service struct {
	st       *nStore
	log      *slog.Logger
	now      func() time.Time
	opts     Options
	instance string

	pushMu sync.RWMutex
	pusher Pusher
	fwd    Forwarder

	changes *streamlog.Follower[stateChange] // notify_changes (follow.go)

	mu    sync.Mutex
	users map[string]*userState
	gone  map[string]time.Time // forgotten users (AVG), as announced in the heads document
	dirty bool                 // heads advanced since they were last saved
	// headsSeen: the last change-log entry with heads applied here; the
	// reload tick saves the heads document when it is past the document's.
	headsSeen int64

	fanMu sync.Mutex         // one delivery writes notifications at a time on this instance
	wmu   [64]sync.Mutex     // state-document writers, by user
	seed  maphash.Seed       // for wmu
	idMu  sync.Mutex         // job ids
	lastN int64              // last job id time (ns), strictly increasing
	bg    context.Context    // the worker's context, cancelled by Close
	bgEnd context.CancelFunc //

	qmu     sync.Mutex
	queue   []*jobDoc
	active  map[string]bool // jobs queued or running here
	busy    int             // jobs queued or running
	drained chan struct{}   // closed when busy drops to 0
	wake    chan struct{}
	closing bool
	done    chan struct{}
}

// NewService loads every user's state and the heads (the heads document
// and the change-log entries after it), starts the fan-out worker and
// resumes abandoned jobs. Close it.
func NewService(ctx context.Context, s *store.Store, o Options) (*Service, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Instance == "" {
		o.Instance = randomHex(6)
	}
	if o.Recent <= 0 {
		o.Recent = 100
	}
	if o.AsyncOver <= 0 {
		o.AsyncOver = 50
	}
	if o.Batch <= 0 {
		o.Batch = 500
	}
	if o.StaleJob <= 0 {
		o.StaleJob = 2 * time.Minute
	}
	if o.InlineFor <= 0 {
		o.InlineFor = 2 * time.Second
	}
	bg, end := context.WithCancel(context.Background())
	svc := &Service{st: newStore(s), log: o.Logger, now: o.Now, opts: o, instance: o.Instance, pusher: o.Pusher,
		users: map[string]*userState{}, gone: map[string]time.Time{}, seed: maphash.MakeSeed(),
		bg: bg, bgEnd: end, active: map[string]bool{}, drained: make(chan struct{}), wake: make(chan struct{}, 1),
		done: make(chan struct{})}
	close(svc.drained)
	l := streamlog.NewPrunable(s.DB.Collection(changesColl), "")
	last, err := l.Last(ctx, 0) // before the load: nothing appended meanwhile is missed
	if err != nil {
		end()
		return nil, unavailable("read "+changesColl, err)
	}
	svc.follow(l, last)
	if err := svc.loadAll(ctx, last); err != nil {
		end()
		return nil, err
	}
	if err := svc.Reload(ctx); err != nil {
		end()
		return nil, err
	}
	go svc.worker()
	go svc.changes.Run(bg) // ends with Close
	return svc, nil
}

// SetPusher sets (or replaces) where live frames go.
func (s *Service) SetPusher(p Pusher) {
	s.pushMu.Lock()
	s.pusher = p
	s.pushMu.Unlock()
}

func (s *Service) getPusher() Pusher {
	s.pushMu.RLock()
	defer s.pushMu.RUnlock()
	return s.pusher
}

// SetForwarder sets (or replaces) where delivered notifications are
// forwarded (Web Push); nil: nowhere.
func (s *Service) SetForwarder(f Forwarder) {
	s.pushMu.Lock()
	s.fwd = f
	s.pushMu.Unlock()
}

func (s *Service) getForwarder() Forwarder {
	s.pushMu.RLock()
	defer s.pushMu.RUnlock()
	return s.fwd
}

// ---------------------------------------------------------------------------
// In-memory state (callers hold s.mu)

func (s *Service) stateLocked(user string) *userState {
	st := s.users[user]
	if st == nil {
		st = &userState{}
		s.users[user] = st
	}
	return st
}

func (st *userState) apply(d *stateDoc) {
	if d.V <= st.ver {
		st.head = max(st.head, d.Head)
		return
	}
	st.ver, st.readTo, st.read, st.off, st.quiet = d.V, d.ReadTo, slices.Clone(d.Read), slices.Clone(d.Off), d.Quiet
	st.head = max(st.head, d.Head)
}

// floor: everything up to it counts as read.
func (st *userState) floor() int64 { return max(st.readTo, st.head-Horizon) }

func (st *userState) isRead(seq int64) bool {
	if seq <= st.floor() {
		return true
	}
	_, ok := slices.BinarySearch(st.read, seq)
	return ok
}

func (st *userState) unread() int {
	f := st.floor()
	n := st.head - f
	for _, r := range st.read {
		if r > f && r <= st.head {
			n--
		}
	}
	return int(max(n, 0))
}

func (st *userState) wants(kind string) bool { return !slices.Contains(st.off, kind) }

// compact folds individually read sequences that follow the marker into it.
func (st *userState) compact() {
	st.readTo = st.floor()
	slices.Sort(st.read)
	st.read = slices.Compact(st.read)
	st.read = slices.DeleteFunc(st.read, func(r int64) bool { return r <= st.readTo })
	for len(st.read) > 0 && st.read[0] == st.readTo+1 {
		st.readTo++
		st.read = st.read[1:]
	}
	st.read = slices.Clip(st.read)
}

// remember adds entries to the window: it keeps the contiguous run that
// holds the newest sequence, at most recent long.
func (st *userState) remember(add []entry, recent int) {
	if len(add) == 0 {
		return
	}
	all := make([]entry, 0, len(st.win)+len(add))
	all = append(append(all, st.win...), add...)
	slices.SortFunc(all, func(a, b entry) int { return int(a.seq - b.seq) })
	all = slices.CompactFunc(all, func(a, b entry) bool { return a.seq == b.seq })
	i := len(all) - 1
	for i > 0 && all[i-1].seq == all[i].seq-1 && len(all)-i < recent {
		i--
	}
	st.win = slices.Clone(all[i:])
}

func (st *userState) cached(seq int64) (unique.Handle[content], bool) {
	if len(st.win) == 0 || seq < st.win[0].seq || seq > st.win[len(st.win)-1].seq {
		return unique.Handle[content]{}, false
	}
	e := st.win[seq-st.win[0].seq]
	return e.c, e.seq == seq
}
