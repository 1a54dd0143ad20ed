package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"
	"unique"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
)

// Pusher delivers a frame to every live connection of a user, on every
// instance (the app wires it to the chat hub). It must not block for long.
type Pusher interface {
	PushToUser(ctx context.Context, userID string, frame []byte)
}

// PusherFunc adapts a function to Pusher.
type PusherFunc func(ctx context.Context, userID string, frame []byte)

// PushToUser calls f.
func (f PusherFunc) PushToUser(ctx context.Context, userID string, frame []byte) {
	f(ctx, userID, frame)
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

	hold chan struct{} // tests: the worker takes one value before each job
}

// Horizon: notifications older than a user's newest Horizon count as read
// (it bounds the unread count and the set of individually read ones).
const Horizon = 1000

// refreshUpTo: a delivery to at most this many users first reads their
// state documents (preferences and read marks changed on other instances);
// larger ones rely on the reload tick.
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

	mu    sync.Mutex
	users map[string]*userState
	gone  map[string]time.Time // forgotten users (AVG), as announced in the heads document
	dirty bool                 // heads advanced since they were last saved

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

// NewService loads every user's state and the heads, starts the fan-out
// worker and resumes abandoned jobs. Close it.
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
	if err := svc.Reload(ctx); err != nil {
		end()
		return nil, err
	}
	go svc.worker()
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

// ---------------------------------------------------------------------------
// Reading

// refresh brings one user up to date with the store: their state document
// (read marks and preferences written by any instance) and their newest
// sequence (one point lookup when nothing new, more when there is).
func (s *Service) refresh(ctx context.Context, user string) error {
	d, err := s.st.loadState(ctx, user)
	if err != nil {
		return err
	}
	s.mu.Lock()
	st := s.stateLocked(user)
	if d != nil {
		st.apply(d)
	}
	known := st.head
	s.mu.Unlock()
	h, err := s.st.lastSeq(ctx, user, known)
	if err != nil {
		return err
	}
	s.mu.Lock()
	st.head = max(st.head, h)
	s.mu.Unlock()
	return nil
}

// Unread is the user's unread count as this instance knows it (exact after
// any request of the user here; otherwise at most one reload tick old).
func (s *Service) Unread(userID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.users[userID]; st != nil {
		return st.unread()
	}
	return 0
}

// List returns a page of the user's notifications, newest first, older than
// the cursor before ("" for the newest). limit 0 means DefaultPage.
func (s *Service) List(ctx context.Context, userID, before string, limit int) (*Page, error) {
	var v apperr.Validator
	if limit == 0 {
		limit = DefaultPage
	}
	v.Check(limit >= 1 && limit <= MaxLimit, "limit", "out_of_range", fmt.Sprintf("use a number from 1 to %d", MaxLimit), apperr.Params{"min": 1, "max": MaxLimit})
	var cursor int64
	if before != "" {
		n, err := strconv.ParseInt(before, 10, 64)
		v.Check(err == nil && n >= 1, "before", "invalid", "use the next value of the previous page")
		cursor = n
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !validUserID(userID) {
		return nil, apperr.ErrUnauthenticated
	}
	if err := s.refresh(ctx, userID); err != nil {
		return nil, err
	}
	s.mu.Lock()
	st := s.stateLocked(userID)
	hi := st.head
	if cursor > 0 {
		hi = min(hi, cursor-1)
	}
	lo := max(1, hi-int64(limit)+1)
	have := make(map[int64]unique.Handle[content], max(hi-lo+1, 0))
	var missLo, missHi int64
	for seq := lo; seq <= hi; seq++ {
		if c, ok := st.cached(seq); ok {
			have[seq] = c
		} else {
			if missLo == 0 {
				missLo = seq
			}
			missHi = seq
		}
	}
	s.mu.Unlock()
	var fetched []entry
	if missLo > 0 {
		docs, err := s.st.itemsRange(ctx, userID, missLo, missHi)
		if err != nil {
			return nil, err
		}
		fetched = make([]entry, len(docs))
		for i, d := range docs {
			fetched[i] = entry{d.Seq, unique.Make(d.content())}
			have[d.Seq] = fetched[i].c
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st.remember(fetched, s.opts.Recent)
	st.seen = s.now()
	page := &Page{Items: []Notification{}, Unread: st.unread()}
	for seq := hi; seq >= lo; seq-- {
		if c, ok := have[seq]; ok { // else a gap: the store lost or never had it
			page.Items = append(page.Items, c.Value().notification(userID, seq, st.isRead(seq)))
		}
	}
	if lo > 1 && hi >= 1 {
		page.Next = strconv.FormatInt(lo, 10)
	}
	return page, nil
}

// ---------------------------------------------------------------------------
// Read marks and preferences

// MarkRead marks the given notifications (public ids) read and returns the
// unread count. Ids that are not the user's, or do not exist, are not found:
// nothing is changed then.
func (s *Service) MarkRead(ctx context.Context, userID string, ids []string) (int, error) {
	if err := ValidateIDs(ids); err != nil {
		return 0, err
	}
	seqs := make([]int64, len(ids))
	for i, id := range ids {
		u, seq, _ := ParseID(id)
		if u != userID {
			return 0, apperr.NotFound("not_found", "notification "+id+" not found")
		}
		seqs[i] = seq
	}
	if err := s.refresh(ctx, userID); err != nil {
		return 0, err
	}
	s.mu.Lock()
	head := s.stateLocked(userID).head
	s.mu.Unlock()
	for i, seq := range seqs {
		if seq > head {
			return 0, apperr.NotFound("not_found", "notification "+ids[i]+" not found")
		}
	}
	return s.update(ctx, userID, func(st *userState) { st.read = append(st.read, seqs...) })
}

// ValidateIDs checks a mark-read list: 1 to MaxReadIDs well-formed ids.
func ValidateIDs(ids []string) error {
	var v apperr.Validator
	v.Check(len(ids) >= 1, "ids", "required", "give at least one id, or all: true")
	v.Check(len(ids) <= MaxReadIDs, "ids", "too_many", fmt.Sprintf("at most %d ids at once", MaxReadIDs), apperr.Params{"max": MaxReadIDs})
	if len(ids) <= MaxReadIDs {
		bad := 0
		for i, id := range ids {
			if _, _, ok := ParseID(id); !ok && bad < 10 {
				v.Add(fmt.Sprintf("ids[%d]", i), "unknown", "not a notification id")
				bad++
			}
		}
	}
	return v.Err()
}

// MarkAllRead marks everything the user has read and returns the unread count.
func (s *Service) MarkAllRead(ctx context.Context, userID string) (int, error) {
	if err := s.refresh(ctx, userID); err != nil {
		return 0, err
	}
	s.mu.Lock()
	head := s.stateLocked(userID).head
	s.mu.Unlock()
	return s.update(ctx, userID, func(st *userState) {
		st.readTo = max(st.readTo, head)
		st.read = nil
	})
}

// Prefs returns the user's preferences.
func (s *Service) Prefs(ctx context.Context, userID string) (*Prefs, error) {
	d, err := s.st.loadState(ctx, userID)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stateLocked(userID)
	if d != nil {
		st.apply(d)
	}
	return prefsOf(st), nil
}

func prefsOf(st *userState) *Prefs {
	p := &Prefs{Kinds: make(map[string]bool, len(Kinds)), Live: !st.quiet}
	for _, k := range Kinds {
		p.Kinds[k] = st.wants(k)
	}
	return p
}

// Validate checks that every kind is known.
func (in *PrefsInput) Validate() error {
	var v apperr.Validator
	names := make([]string, 0, len(in.Kinds))
	for k := range in.Kinds {
		names = append(names, k)
	}
	slices.Sort(names)
	for i, k := range names {
		if i >= 10 {
			break
		}
		if !ValidKind(k) {
			if len(k) > 40 {
				k = k[:40]
			}
			v.Add("kinds."+k, "unknown", "unknown kind")
		}
	}
	return v.Err()
}

// SetPrefs changes the user's preferences and returns them.
func (s *Service) SetPrefs(ctx context.Context, userID string, in PrefsInput) (*Prefs, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if _, err := s.Prefs(ctx, userID); err != nil { // read the latest first
		return nil, err
	}
	if _, err := s.update(ctx, userID, func(st *userState) {
		for k, on := range in.Kinds {
			st.off = slices.DeleteFunc(st.off, func(x string) bool { return x == k })
			if !on {
				st.off = append(st.off, k)
			}
		}
		slices.Sort(st.off)
		if in.Live != nil {
			st.quiet = !*in.Live
		}
	}); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return prefsOf(s.stateLocked(userID)), nil
}

// update applies change to a copy of the user's state and writes it,
// conditional on the version it started from; on a conflict (another
// instance wrote meanwhile) it re-reads and applies change again.
func (s *Service) update(ctx context.Context, user string, change func(*userState)) (int, error) {
	m := &s.wmu[maphash.String(s.seed, user)%uint64(len(s.wmu))]
	m.Lock()
	defer m.Unlock()
	for range 5 {
		s.mu.Lock()
		st := s.stateLocked(user)
		cp := userState{head: st.head, readTo: st.readTo, read: slices.Clone(st.read), off: slices.Clone(st.off),
			quiet: st.quiet, ver: st.ver}
		s.mu.Unlock()
		change(&cp)
		cp.compact()
		d := &stateDoc{ID: user, V: cp.ver + 1, ReadTo: cp.readTo, Read: cp.read, Off: cp.off, Quiet: cp.quiet,
			Head: cp.head, At: s.now().UTC()}
		err := s.st.saveState(ctx, d)
		if errors.Is(err, store.ErrStale) {
			cur, err := s.st.loadState(ctx, user)
			if err != nil {
				return 0, err
			}
			s.mu.Lock()
			if cur != nil {
				st.apply(cur)
			}
			s.mu.Unlock()
			continue
		}
		if err != nil {
			return 0, err
		}
		s.mu.Lock()
		st.apply(d)
		n := st.unread()
		s.mu.Unlock()
		return n, nil
	}
	return 0, apperr.Conflict("stale_version", "your notification settings changed at the same time elsewhere; try again")
}

// ---------------------------------------------------------------------------
// Delivery

// Notify stores a notice for each user (once per user; never for its own
// actor; not for users who switched its kind off; with Key, at most once per
// user ever) and pushes it live. Small fan-outs are stored before it
// returns; larger ones are first stored as one job document and fanned out
// in the background: once Notify returns, the notice survives a restart.
// Problems are logged (the caller's own write has succeeded already).
func (s *Service) Notify(ctx context.Context, userIDs []string, n Notice) {
	n, ok := n.normalise()
	if !ok {
		s.log.ErrorContext(ctx, "notify: notice refused (unknown kind, no title or bad key)", "kind", n.Kind)
		return
	}
	seen := make(map[string]bool, len(userIDs))
	users := make([]string, 0, len(userIDs))
	for _, u := range userIDs {
		if validUserID(u) && u != n.ActorID && !seen[u] {
			seen[u] = true
			users = append(users, u)
		}
	}
	if len(users) == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx)
	now := s.now().UTC().Truncate(time.Millisecond)
	if n.Ephemeral {
		s.forwardOnly(ctx, users, n, now)
		return
	}
	job := &jobDoc{ID: s.jobID(now), Users: users, At: now, Owner: s.instance, ClaimedAt: now,
		Notice: noticeDoc{Kind: n.Kind, Title: n.Title, Text: n.Text, Link: n.Link, ActorID: n.ActorID, ActorName: n.ActorName, Place: n.Place, Key: n.Key}}
	// Each step has its own deadline: a slow delivery must not use up the
	// time the fallback needs to record the job (issue 16, M4: one shared
	// 30 s deadline lost 10 jobs when the store was slow).
	inline := s.opts.InlineFor
	if len(users) > s.opts.AsyncOver {
		if s.storeJob(ctx, job) {
			s.enqueue(job)
			return
		}
		s.log.WarnContext(ctx, "notify: job not stored; delivering now", "job", job.ID, "users", len(users))
		inline = 30 * time.Second
	}
	dctx, cancel := context.WithTimeout(ctx, inline)
	defer cancel()
	if len(users) <= refreshUpTo {
		s.refreshStates(dctx, users) // preferences and read marks written by other instances
	}
	var failed []string
	for start := 0; start < len(users); start += s.opts.Batch {
		failed = append(failed, s.deliver(dctx, job, users[start:min(start+s.opts.Batch, len(users))], false, retryRounds)...)
	}
	if len(failed) == 0 {
		return
	}
	// Not reached in time (or the store refused): the worker goes on in the
	// background, carefully (some writes may have landed after all).
	job.Users, job.Careful = failed, true
	if !s.storeJob(ctx, job) {
		s.log.ErrorContext(ctx, "notify: notifications lost", "job", job.ID, "kind", n.Kind, "users", len(failed))
		return
	}
	s.enqueue(job)
}

// forwardOnly hands an ephemeral notice to the forwarder for the users who
// want its kind, without storing it (its id is empty).
func (s *Service) forwardOnly(ctx context.Context, users []string, n Notice, at time.Time) {
	f := s.getForwarder()
	if f == nil {
		return
	}
	if len(users) <= refreshUpTo {
		rctx, cancel := context.WithTimeout(ctx, s.opts.InlineFor)
		s.refreshStates(rctx, users)
		cancel()
	}
	c := content{Kind: n.Kind, Title: n.Title, Text: n.Text, Link: n.Link, ActorID: n.ActorID, ActorName: n.ActorName,
		Place: n.Place, At: at.UnixMilli()}
	for _, u := range users {
		s.mu.Lock()
		st := s.users[u]
		want := st == nil || st.wants(n.Kind)
		s.mu.Unlock()
		if want {
			nt := c.notification(u, 0, false)
			nt.ID = ""
			f.Forward(ctx, u, nt)
		}
	}
}

// storeJob records a fan-out job, with its own deadline and a few attempts.
func (s *Service) storeJob(ctx context.Context, job *jobDoc) bool {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for round := 0; ; round++ {
		err := s.st.insertJob(ctx, job)
		if err == nil || errors.Is(err, errJobExists) { // a retry of a write that landed
			return true
		}
		s.log.WarnContext(ctx, "notify: job not stored", "job", job.ID, "attempt", round+1, "err", err)
		if round == 2 || !s.pause(ctx, round+1) {
			return false
		}
	}
}

func (s *Service) jobID(now time.Time) string {
	s.idMu.Lock()
	n := max(now.UnixNano(), s.lastN+1)
	s.lastN = n
	s.idMu.Unlock()
	return fmt.Sprintf("%019d-%s-%s", n, s.instance, randomHex(3))
}

// refreshStates reads the state documents of a few users.
func (s *Service) refreshStates(ctx context.Context, users []string) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for _, u := range users {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			d, err := s.st.loadState(ctx, u)
			if err != nil || d == nil {
				return
			}
			s.mu.Lock()
			s.stateLocked(u).apply(d)
			s.mu.Unlock()
		}()
	}
	wg.Wait()
}

// deliver stores job's notice for users (at most one batch) and pushes it.
// careful: some of them may have it already (a retry or a taken-over job):
// check before writing. It returns the users it could not deliver to.
func (s *Service) deliver(ctx context.Context, job *jobDoc, users []string, careful bool, rounds int) []string {
	n := job.Notice
	c := unique.Make(content{Kind: n.Kind, Title: n.Title, Text: n.Text, Link: n.Link, ActorID: n.ActorID, ActorName: n.ActorName, Place: n.Place,
		At: job.At.UnixMilli()})
	s.mu.Lock()
	recips := make([]string, 0, len(users))
	for _, u := range users {
		if st := s.users[u]; st == nil || st.wants(n.Kind) {
			recips = append(recips, u)
		}
	}
	s.mu.Unlock()
	var lost []string
	if n.Key != "" {
		recips, lost = s.claimKeys(ctx, job, recips, careful)
	}
	if len(recips) == 0 {
		return lost
	}

	type sent struct {
		user   string
		seq    int64
		unread int
		live   bool
	}
	var done []sent
	remaining := recips
	retry := false // the last round had failures (not only collisions)
	for round := 0; round < rounds && len(remaining) > 0; round++ {
		if retry && !s.pause(ctx, round) {
			break
		}
		if careful {
			remaining = s.notYet(ctx, job, remaining)
		}
		s.fanMu.Lock() // sequences are taken from memory: one writer at a time here
		docs := make([]any, len(remaining))
		seqs := make([]int64, len(remaining))
		s.mu.Lock()
		for i, u := range remaining {
			seqs[i] = s.stateLocked(u).head + 1
			docs[i] = &itemDoc{ID: itemID(u, seqs[i]), User: u, Seq: seqs[i], Kind: n.Kind, Title: n.Title, Text: n.Text,
				Link: n.Link, ActorID: n.ActorID, ActorName: n.ActorName, Place: n.Place, At: job.At, Job: job.ID}
		}
		s.mu.Unlock()
		outs := insertAll(ctx, s.st.items, docs, s.opts.Batch)
		var again, taken []string
		var takenAt []int64
		s.mu.Lock()
		for i, u := range remaining {
			switch outs[i] {
			case inserted:
				st := s.stateLocked(u)
				st.head = max(st.head, seqs[i])
				if len(st.win) > 0 { // cache for users who list here; others load on demand
					st.remember([]entry{{seqs[i], c}}, s.opts.Recent)
				}
				done = append(done, sent{u, seqs[i], st.unread(), !st.quiet})
				s.dirty = true
			case duplicate: // another instance wrote for this user: find their newest
				taken, takenAt = append(taken, u), append(takenAt, seqs[i])
			default:
				again = append(again, u)
			}
		}
		s.mu.Unlock()
		s.fanMu.Unlock()
		retry = len(again) > 0
		if retry {
			careful = true // the outcome of those writes is unknown
		}
		for i, u := range taken {
			if h, err := s.st.lastSeq(ctx, u, takenAt[i]); err == nil {
				s.mu.Lock()
				st := s.stateLocked(u)
				st.head = max(st.head, h)
				s.mu.Unlock()
			} else {
				retry = true
			}
			again = append(again, u)
		}
		remaining = again
	}
	lost = append(lost, remaining...)

	if f := s.getForwarder(); f != nil {
		for _, d := range done {
			f.Forward(ctx, d.user, c.Value().notification(d.user, d.seq, false))
		}
	}
	if p := s.getPusher(); p != nil {
		for _, d := range done {
			if !d.live {
				continue
			}
			frame, err := json.Marshal(struct {
				Type   string       `json:"type"`
				Item   Notification `json:"item"`
				Unread int          `json:"unread"`
			}{"notification", c.Value().notification(d.user, d.seq, false), d.unread})
			if err == nil {
				p.PushToUser(ctx, d.user, frame)
			}
		}
	}
	return lost
}

// pause waits before another attempt; false when the context ends first.
func (s *Service) pause(ctx context.Context, round int) bool {
	t := time.NewTimer(time.Duration(min(1<<round, 30)) * 50 * time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// claimKeys claims the job's dedup key for each user; those who had it
// already are dropped. careful: a claim of this same job is no duplicate.
func (s *Service) claimKeys(ctx context.Context, job *jobDoc, users []string, careful bool) (keep, lost []string) {
	docs := make([]any, len(users))
	for i, u := range users {
		docs[i] = &keyDoc{ID: keyID(u, job.Notice.Key), User: u, Job: job.ID, At: job.At}
	}
	outs := insertAll(ctx, s.st.keys, docs, s.opts.Batch)
	for i, u := range users {
		switch outs[i] {
		case inserted:
			keep = append(keep, u)
		case duplicate:
			if careful {
				d, err := s.st.keyClaim(ctx, keyID(u, job.Notice.Key))
				if err != nil {
					lost = append(lost, u)
				} else if d != nil && d.Job == job.ID {
					keep = append(keep, u)
				}
			}
		default:
			lost = append(lost, u)
		}
	}
	return keep, lost
}

// notYet finds each user's newest sequence in the store and drops the users
// whose recent notifications already hold this job's.
func (s *Service) notYet(ctx context.Context, job *jobDoc, users []string) []string {
	keep := make([]bool, len(users))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, u := range users {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			s.mu.Lock()
			known := s.stateLocked(u).head
			s.mu.Unlock()
			h, err := s.st.lastSeq(ctx, u, known)
			if err != nil {
				keep[i] = true // the insert will fail or collide and be retried
				return
			}
			s.mu.Lock()
			st := s.stateLocked(u)
			st.head = max(st.head, h)
			s.mu.Unlock()
			for seq := h; seq >= 1 && seq > h-20; seq-- {
				d, err := s.st.item(ctx, u, seq)
				if err != nil || d == nil {
					break
				}
				if d.Job == job.ID {
					return // delivered before
				}
				if d.At.Before(job.At) {
					break
				}
			}
			keep[i] = true
		}()
	}
	wg.Wait()
	var out []string
	for i, u := range users {
		if keep[i] {
			out = append(out, u)
		}
	}
	return out
}

// ---------------------------------------------------------------------------
// Background fan-out

func (s *Service) enqueue(j *jobDoc) bool {
	s.qmu.Lock()
	defer s.qmu.Unlock()
	if s.closing || s.active[j.ID] {
		return false
	}
	s.active[j.ID] = true
	s.queue = append(s.queue, j)
	if s.busy == 0 {
		s.drained = make(chan struct{})
	}
	s.busy++
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return true
}

func (s *Service) worker() {
	defer close(s.done)
	for {
		if s.bg.Err() != nil {
			return
		}
		s.qmu.Lock()
		var j *jobDoc
		if len(s.queue) > 0 {
			j = s.queue[0]
			s.queue = s.queue[1:]
		}
		s.qmu.Unlock()
		if j == nil {
			select {
			case <-s.bg.Done():
				return
			case <-s.wake:
				continue
			}
		}
		if s.opts.hold != nil {
			select {
			case <-s.opts.hold:
			case <-s.bg.Done():
				// Back in the queue, for Close to release with the rest.
				s.qmu.Lock()
				s.queue = append([]*jobDoc{j}, s.queue...)
				s.qmu.Unlock()
				return
			}
		}
		if !s.run(j) {
			s.release(j)
		}
		s.qmu.Lock()
		delete(s.active, j.ID)
		s.busy--
		if s.busy == 0 {
			close(s.drained)
		}
		s.qmu.Unlock()
	}
}

// run fans a job out batch by batch, recording progress after each, and
// deletes it when done. A batch is retried until it succeeds or the
// service closes (the job then stays for whoever takes it over): false.
func (s *Service) run(j *jobDoc) bool {
	ctx := s.bg
	careful := j.Careful
	recorded := time.Now()
	for j.Done < len(j.Users) {
		end := min(j.Done+s.opts.Batch, len(j.Users))
		users := j.Users[j.Done:end]
		for attempt := 0; len(users) > 0; attempt++ {
			if attempt > 0 {
				s.log.Warn("notify: retrying fan-out", "job", j.ID, "users", len(users), "attempt", attempt)
				if !s.pause(ctx, min(attempt+2, 8)) {
					return false
				}
				careful = true
			}
			users = s.deliver(ctx, j, users, careful, 3)
		}
		j.Done = end
		if j.Done < len(j.Users) && time.Since(recorded) >= progressEvery {
			recorded = time.Now()
			ok, err := s.st.progressJob(ctx, j.ID, s.instance, j.Done, s.now().UTC())
			if err == nil && !ok {
				s.log.Warn("notify: job taken over by another instance", "job", j.ID)
				return true
			}
		}
	}
	if err := s.st.deleteJob(ctx, j.ID); err != nil {
		s.log.Warn("notify: finished job not deleted", "job", j.ID, "err", err)
	}
	return true
}

// release hands an unfinished job back: any instance may take it at once.
func (s *Service) release(j *jobDoc) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := s.st.progressJob(ctx, j.ID, s.instance, j.Done, time.Time{}); err != nil {
		s.log.Warn("notify: unfinished job not released", "job", j.ID, "err", err)
	}
}

// Flush waits until every background fan-out queued here has finished.
func (s *Service) Flush(ctx context.Context) error {
	s.qmu.Lock()
	ch := s.drained
	s.qmu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// recoverJobs takes over jobs whose owner stopped making progress.
func (s *Service) recoverJobs(ctx context.Context) error {
	jobs, err := s.st.loadJobs(ctx)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	for i := range jobs {
		j := &jobs[i]
		s.qmu.Lock()
		mine := s.active[j.ID] || s.closing
		s.qmu.Unlock()
		if mine || now.Sub(j.ClaimedAt) < s.opts.StaleJob {
			continue
		}
		ok, err := s.st.claimJob(ctx, j, s.instance, now)
		if err != nil {
			return err
		}
		if ok {
			j.Owner, j.ClaimedAt, j.Careful = s.instance, now, true
			s.log.Info("notify: resuming fan-out", "job", j.ID, "done", j.Done, "users", len(j.Users))
			s.enqueue(j)
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Reload, Forget, Close

// Reload re-reads every user's state document and the shared heads, saves
// this instance's heads when they advanced, and takes over abandoned jobs.
// The app calls it every 30 s.
func (s *Service) Reload(ctx context.Context) error {
	states, err := s.st.loadStates(ctx)
	if err != nil {
		return err
	}
	heads, err := s.st.loadHeads(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	for i := range states {
		s.stateLocked(states[i].ID).apply(&states[i])
	}
	for u, at := range heads.gone {
		if _, ok := s.gone[u]; !ok {
			s.gone[u] = at
			delete(s.users, u)
		}
	}
	for u, n := range heads.heads {
		if _, ok := s.gone[u]; !ok {
			st := s.stateLocked(u)
			st.head = max(st.head, n)
		}
	}
	for _, st := range s.users {
		if st.win != nil && s.now().Sub(st.seen) > idleWindow {
			st.win = nil
		}
	}
	save := s.dirty
	var merged map[string]int64
	if save {
		merged = heads.heads
		for u, st := range s.users {
			if st.head > merged[u] {
				merged[u] = st.head
			}
		}
		s.dirty = false
	}
	gone := s.goneLocked()
	s.mu.Unlock()
	if save {
		if err := s.st.saveHeads(ctx, merged, gone, s.now().UTC()); err != nil {
			s.mu.Lock()
			s.dirty = true
			s.mu.Unlock()
			return err
		}
	}
	return s.recoverJobs(ctx)
}

// goneLocked lists forgotten users announced in the last day.
func (s *Service) goneLocked() map[string]time.Time {
	out := make(map[string]time.Time, len(s.gone))
	for u, at := range s.gone {
		if s.now().Sub(at) < 24*time.Hour {
			out[u] = at
		} else {
			delete(s.gone, u)
		}
	}
	return out
}

// Forget deletes everything stored about the user's notifications (AVG):
// notifications, dedup keys, read state and preferences. Other instances
// drop what they hold in memory at their next reload.
func (s *Service) Forget(ctx context.Context, userID string) error {
	if !validUserID(userID) {
		return nil
	}
	s.fanMu.Lock() // no delivery to them half-way
	defer s.fanMu.Unlock()
	if err := s.st.forget(ctx, userID); err != nil {
		return err
	}
	heads, err := s.st.loadHeads(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.users, userID)
	s.gone[userID] = s.now().UTC()
	for u, at := range heads.gone {
		if _, ok := s.gone[u]; !ok {
			s.gone[u] = at
		}
	}
	merged := heads.heads
	for u, st := range s.users {
		merged[u] = max(merged[u], st.head)
	}
	gone := s.goneLocked()
	s.mu.Unlock()
	return s.st.saveHeads(ctx, merged, gone, s.now().UTC())
}

// Close stops taking background work, lets queued fan-outs finish until
// ctx ends (unfinished ones stay stored and are resumed by any instance),
// and saves the heads.
func (s *Service) Close(ctx context.Context) {
	s.qmu.Lock()
	if s.closing {
		s.qmu.Unlock()
		return
	}
	s.closing = true
	ch := s.drained
	s.qmu.Unlock()
	select {
	case <-ch:
	case <-ctx.Done():
	case <-s.done:
	}
	s.bgEnd()
	<-s.done
	s.qmu.Lock()
	left := s.queue
	s.queue = nil
	s.qmu.Unlock()
	for _, j := range left { // let another instance (or the next start) take them at once
		s.release(j)
	}
	s.mu.Lock()
	save := s.dirty
	s.mu.Unlock()
	if save {
		if err := s.Reload(context.WithoutCancel(ctx)); err != nil {
			s.log.Warn("notify: heads not saved", "err", err)
		}
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
