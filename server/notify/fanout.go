package notify

import (
	"context"
	"time"
)

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
