package notify

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strconv"
	"unique"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
)

// Reading

// Reads are served from memory: this instance's own writes are there at
// once, other instances' (state documents, deliveries' heads) arrive
// through the change log within a second (follow.go).

// catchUpHead is the rare path of a mark-read naming a sequence above the
// head this instance knows: a notification another instance stored in the
// last second. It searches the user's newest in the store.
func (s *Service) catchUpHead(ctx context.Context, user string, seq int64) (int64, error) {
	s.mu.Lock()
	known := s.stateLocked(user).head
	s.mu.Unlock()
	if seq <= known {
		return known, nil
	}
	h, err := s.st.lastSeq(ctx, user, known)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stateLocked(user)
	st.head = max(st.head, h)
	return st.head, nil
}

// Unread is the user's unread count as this instance knows it: exact for
// this instance's own writes, at most a second behind other instances'.
func (s *Service) Unread(userID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.users[userID]; st != nil {
		return st.unread()
	}
	return 0
}

// Wants reports whether the user has the kind switched on, as this
// instance's memory knows it (what a large fan-out consults; other
// instances' changes arrive within a second through the change log).
func (s *Service) Wants(userID, kind string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.users[userID]
	return st == nil || st.wants(kind)
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
	head, err := s.catchUpHead(ctx, userID, slices.Max(seqs))
	if err != nil {
		return 0, err
	}
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
	s.mu.Lock()
	head := s.stateLocked(userID).head
	s.mu.Unlock()
	return s.update(ctx, userID, func(st *userState) {
		st.readTo = max(st.readTo, head)
		st.read = nil
	})
}

// Prefs returns the user's preferences, from memory (another instance's
// change arrives within a second).
func (s *Service) Prefs(_ context.Context, userID string) (*Prefs, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.users[userID]; st != nil {
		return prefsOf(st), nil
	}
	return prefsOf(&userState{}), nil
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
	// Applied to what this instance knows; a change another instance
	// wrote meanwhile makes the versioned write conflict, and update reads
	// the stored document and applies the change again.
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
		s.stateWritten(ctx, user)
		return n, nil
	}
	return 0, apperr.Conflict("stale_version", "your notification settings changed at the same time elsewhere; try again")
}
