package chat

import (
	"context"

	"github.com/plein/plein/server/apperr"
)

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
