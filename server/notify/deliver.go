package notify

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
	"unique"
)

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
		Notice: noticeDoc{Kind: n.Kind, Title: n.Title, Text: n.Text, Link: n.Link, ActorID: n.ActorID, ActorName: n.ActorName, Place: n.Place, Key: n.Key, PushSubject: n.PushSubject}}
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
		Place: n.Place, PushSubject: n.PushSubject, At: at.UnixMilli()}
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
		PushSubject: n.PushSubject, At: job.At.UnixMilli()})
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
	if len(done) > 0 {
		// Before the live frames: a client that reloads its list on
		// another instance finds the new heads there (at once when the
		// broker's signal arrives first, within a second in any case).
		heads := make([]headEntry, len(done))
		for i, d := range done {
			heads[i] = headEntry{d.user, d.seq}
		}
		s.headsWritten(ctx, heads)
	}

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
			p.PushNotification(ctx, d.user, c.Value().notification(d.user, d.seq, false), d.unread)
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
