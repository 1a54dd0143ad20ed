package chat

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/plein/plein/server/apperr"
)

// Group commit (issue 10 §3). Sends are stored by one goroutine per
// instance, the committer, in batches: every send that is waiting when a
// batch starts (and those that arrive within GroupWindow after its first,
// up to GroupMax) is stored with one InsertMany of claims (chat_sends) and
// one of entries (chat_entries). On the embedded store that is two SQLite
// transactions, so two fsyncs, for the whole batch instead of three per
// send; on MongoDB two round trips. A send is acknowledged only after the
// InsertMany that stored its entry returned, that is once it is durable as
// the store's durability setting defines it (docs/operations.md).
//
// A send needs two documents, not three: the claim ("<author>:<clientId>" →
// channel and the channel's last seq before the attempt) and the entry. The
// completion record that used to map the claim to the entry's seq is not
// needed: a retry whose claim is taken looks for the entry above the claim's
// From (findSend), and since the claim is written right before the entry
// that is usually the first point lookup. Completions stored by earlier
// versions are still read (Store.sentBefore).
//
// Failures touch only the sends they affect. Entries are inserted in order,
// so a channel's sequence numbers never get a gap: the insert stops at the
// first failure, the entries before it are stored, the one that failed
// either lost its seq to another instance (it is numbered again in the next
// round) or fails, and the rest go again in the next round. A send that
// fails has its claim released so that the client's retry (same clientId)
// may take over at once; a retry of a send that did land finds it.

// Defaults of Service.GroupWindow and Service.GroupMax.
const (
	defaultGroupWindow = 0 // only what queued while the previous batch was stored
	defaultGroupMax    = 128
	maxCommitRounds    = 100
)

// pendingSend is a validated send waiting for the committer.
type pendingSend struct {
	e    *Entry
	key  string    // "<author>:<clientId>"
	at   time.Time // when this attempt claims the clientId
	from int64     // the channel's last seq as known when it was claimed

	res  *AppendResult
	err  error
	done chan struct{}
}

func (p *pendingSend) finish(res *AppendResult, err error) {
	p.res, p.err = res, err
	close(p.done)
}

// commit hands a send to the committer and waits until it is stored (or
// failed). When ctx ends first, the send may still be stored: the client's
// retry with the same clientId finds it.
func (s *Service) commit(ctx context.Context, p *pendingSend) (*AppendResult, error) {
	s.commitOnce.Do(func() { go s.committer() })
	p.done = make(chan struct{})
	select {
	case s.sendQ <- p:
	case <-ctx.Done():
		return nil, unavailable("queue send", ctx.Err())
	}
	select {
	case <-p.done:
		return p.res, p.err
	case <-ctx.Done():
		return nil, unavailable("store send", ctx.Err())
	}
}

func (s *Service) committer() {
	for first := range s.sendQ {
		s.flush(s.gather(first))
	}
}

// gather collects a batch: first, whatever is queued, and what arrives
// within GroupWindow after first, up to GroupMax sends.
func (s *Service) gather(first *pendingSend) []*pendingSend {
	batch := []*pendingSend{first}
	var window <-chan time.Time
	if s.GroupWindow > 0 {
		t := time.NewTimer(s.GroupWindow)
		defer t.Stop()
		window = t.C
	}
	for len(batch) < s.GroupMax {
		select {
		case p := <-s.sendQ:
			batch = append(batch, p)
			continue
		default:
		}
		if window == nil {
			return batch
		}
		select {
		case p := <-s.sendQ:
			batch = append(batch, p)
		case <-window:
			window = nil
		}
	}
	return batch
}

// flush stores one batch: claims, then entries.
func (s *Service) flush(batch []*pendingSend) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	todo := s.claimAll(ctx, batch)
	for round := 0; len(todo) > 0 && round < maxCommitRounds; round++ {
		todo = s.storeEntries(ctx, todo)
	}
	for _, p := range todo {
		s.failSend(ctx, p, fmt.Errorf("%w: could not claim a sequence number", apperr.ErrUnavailable))
	}
}

// claimAll claims the batch's clientIds with one unordered InsertMany and
// returns the sends whose claim is this attempt's; the others are finished
// (a duplicate, an attempt under way elsewhere, or a failure).
func (s *Service) claimAll(ctx context.Context, batch []*pendingSend) []*pendingSend {
	docs := make([]any, len(batch))
	for i, p := range batch {
		st := s.state(p.e.Ch)
		st.mu.Lock()
		p.from = st.last
		st.mu.Unlock()
		docs[i] = sendRecord{ID: p.key, Ch: p.e.Ch, From: p.from, At: p.at}
	}
	perDoc, err := s.st.insertMany(ctx, s.st.sends, docs, false)
	if err != nil {
		for _, p := range batch {
			s.failSend(ctx, p, unavailable("store send record", err))
		}
		return nil
	}
	todo := make([]*pendingSend, 0, len(batch))
	for i, p := range batch {
		switch {
		case perDoc[i] == nil:
			todo = append(todo, p)
		case errors.Is(perDoc[i], errTaken):
			res, err := s.claimTaken(ctx, p)
			if res == nil && err == nil {
				todo = append(todo, p) // a stale claim, now this attempt's
				continue
			}
			if res != nil {
				s.rememberSend(p.key, res.Entry.Seq)
			}
			p.finish(res, err)
		default:
			p.finish(nil, unavailable("store send record", perDoc[i]))
		}
	}
	return todo
}

// storeEntries numbers the sends after their channels' last known seqs and
// inserts the entries in order with one InsertMany. It returns the sends to
// number and insert again.
func (s *Service) storeEntries(ctx context.Context, todo []*pendingSend) []*pendingSend {
	next := map[string]int64{}
	docs := make([]any, len(todo))
	for i, p := range todo {
		seq, ok := next[p.e.Ch]
		if !ok {
			last, err := s.lastKnown(ctx, p.e.Ch)
			if err != nil {
				for _, q := range todo {
					s.failSend(ctx, q, err)
				}
				return nil
			}
			seq = last + 1
		}
		next[p.e.Ch] = seq + 1
		p.e.Seq, p.e.ID = seq, EntryID(p.e.Ch, seq)
		docs[i] = p.e
	}
	perDoc, err := s.st.insertMany(ctx, s.st.entries, docs, true)
	if err != nil {
		// Any of them may be stored (a timeout after the write): their
		// retries find them above the claims' From.
		for _, p := range todo {
			s.failSend(ctx, p, unavailable("store entry", err))
		}
		return nil
	}
	var again []*pendingSend
	for i, p := range todo {
		switch {
		case perDoc[i] == nil:
			s.stored(p, p.e)
		case errors.Is(perDoc[i], errTaken):
			// Another instance stored this seq first, or an earlier
			// attempt of this very send (a timeout after the write) did.
			other, err := s.st.entry(ctx, p.e.Ch, p.e.Seq)
			switch {
			case err != nil:
				s.failSend(ctx, p, err)
			case other != nil && other.By == p.e.By && other.ClientID == p.e.ClientID:
				s.stored(p, other)
			default:
				if other != nil {
					s.observeStored(other)
				}
				again = append(again, p)
			}
		case errors.Is(perDoc[i], errNotTried):
			again = append(again, p)
		default:
			s.failSend(ctx, p, unavailable("store entry", perDoc[i]))
		}
	}
	return again
}

// lastKnown is the channel's last seq as this instance knows it, loading
// the window on first use.
func (s *Service) lastKnown(ctx context.Context, ch string) (int64, error) {
	st := s.state(ch)
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.last < 0 {
		if err := s.loadWindowLocked(ctx, ch, st, 0); err != nil {
			return 0, err
		}
	}
	return st.last, nil
}

func (s *Service) observeStored(e *Entry) {
	st := s.state(e.Ch)
	st.mu.Lock()
	st.observeLocked(e)
	st.mu.Unlock()
}

func (s *Service) stored(p *pendingSend, e *Entry) {
	s.observeStored(e)
	s.rememberSend(p.key, e.Seq)
	p.finish(&AppendResult{Entry: e}, nil)
}

// failSend fails a claimed send and releases its claim, so that the
// client's retry takes over at once (once it has looked for the entry).
func (s *Service) failSend(ctx context.Context, p *pendingSend, err error) {
	_, _ = s.st.takeOverSend(ctx, &sendRecord{ID: p.key, At: p.at}, p.from, time.Time{})
	p.finish(nil, err)
}
