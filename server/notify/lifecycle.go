package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Reload, Forget, Close

// Reload is the housekeeping the app runs every 30 s: it reads the shared
// heads (one document), saves them merged with this instance's when this
// instance holds heads the document does not (its own deliveries, or
// change-log entries past the document's), drops idle caches and takes
// over abandoned jobs. It reads no person's state document: other
// instances' writes of those, and their deliveries' heads, arrive through
// the change log (follow.go).
func (s *Service) Reload(ctx context.Context) error {
	heads, err := s.st.loadHeads(ctx)
	if err != nil {
		return err
	}
	last := s.changes.Last() // read before memory: it holds every entry up to here
	s.mergeHeads(heads)
	s.mu.Lock()
	for _, st := range s.users {
		if st.win != nil && s.now().Sub(st.seen) > idleWindow {
			st.win = nil
		}
	}
	save := s.dirty || s.headsSeen > heads.log
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
		if err := s.st.saveHeads(ctx, merged, gone, max(heads.log, last), s.now().UTC()); err != nil {
			s.mu.Lock()
			s.dirty = true
			s.mu.Unlock()
			return err
		}
	}
	return s.recoverJobs(ctx)
}

// mergeHeads merges the heads document into memory: forgotten users are
// dropped, heads only move up.
func (s *Service) mergeHeads(heads *headsState) {
	s.mu.Lock()
	defer s.mu.Unlock()
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
	last := s.changes.Last()
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
	return s.st.saveHeads(ctx, merged, gone, max(heads.log, last), s.now().UTC())
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
