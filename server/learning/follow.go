package learning

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/store/streamlog"
)

// Other instances' writes reach this one through the change log
// learning_changes (server/store/streamlog; docs/architecture.md,
// "In-memory replica + log"): every write appends an entry naming the
// documents it stored, and every instance's follower reads those documents
// by _id into memory, within a second (at once when the broker carries the
// signal). An entry with no documents (a seed) reloads the state whole; so
// does a follower that finds the entries it needs pruned (the log keeps
// streamlog.Retain and more; app.PruneLogs prunes it).

// changesColl is the change log: "<seq, 12 digits>" → change.
const changesColl = "learning_changes"

// ref names one stored document: its collection and _id.
type ref = streamlog.Ref

// follow makes the follower from last, the log's end read before the
// state was loaded (entries appended meanwhile are applied again:
// applying is idempotent).
func (s *Service) follow(l *streamlog.Log, last int64, opt Options) {
	s.changes = streamlog.FollowRefs(l, last,
		streamlog.RefOptions{Name: "learning", Refresh: s.refresh, Reload: s.Reload, Lock: &s.writeMu, Now: s.now},
		streamlog.Options{Bus: opt.Bus, Logger: s.log, Applied: opt.Applied})
}

// PruneLog deletes change-log entries older than before (keeping the
// newest); see streamlog.PruneOlder.
func (s *Service) PruneLog(ctx context.Context, before time.Time) (int, error) {
	return s.changes.Prune(ctx, before)
}

// logChange appends this instance's write (already in its memory) and
// announces it (streamlog.RefLog.Changed).
func (s *Service) logChange(ctx context.Context, refs []ref) { s.changes.Changed(ctx, refs...) }

// refresh reads one document by _id into memory.
func (s *Service) refresh(ctx context.Context, r ref) error {
	switch r.C {
	case programmesColl:
		return refreshOne(ctx, s, s.st.programmes, r.ID, func(st *state, p *Programme) { st.putProgramme(p) })
	case cohortsColl:
		return refreshOne(ctx, s, s.st.cohorts, r.ID, func(st *state, c *Cohort) { st.cohorts[c.ID] = c })
	case trajectoriesColl:
		return refreshOne(ctx, s, s.st.trajectories, r.ID, func(st *state, t *Trajectory) { st.addTrajectory(t) })
	case sessionsColl:
		return refreshOne(ctx, s, s.st.sessions, r.ID, func(st *state, x *Session) { st.addSession(x) })
	case reflectionsColl:
		return refreshOne(ctx, s, s.st.reflections, r.ID, func(st *state, x *Reflection) { st.reflections[x.ID] = x })
	case scansColl:
		return refreshOne(ctx, s, s.st.scans, r.ID, func(st *state, x *Scan) { st.addScan(x) })
	case metaColl:
		set, err := s.st.settings(ctx)
		if err != nil {
			return err
		}
		s.mu.Lock()
		s.cur.settings = set
		s.mu.Unlock()
		return nil
	}
	return nil // not held in memory (scan answers)
}

func refreshOne[T any](ctx context.Context, s *Service, c *mongo.Collection, id string, put func(*state, *T)) error {
	var v T
	err := c.FindOne(ctx, byID(id)).Decode(&v)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil // nothing here is deleted; a later entry brings it
	}
	if err != nil {
		return unavailable("read "+c.Name(), err)
	}
	s.mu.Lock()
	put(s.cur, &v)
	s.mu.Unlock()
	return nil
}

// cohortRefs names a new cohort and its trajectories (the cohort first: a
// trajectory becomes its team's current one once its cohort is known).
func cohortRefs(c *Cohort, trajs []*Trajectory) []ref {
	out := []ref{{C: cohortsColl, ID: c.ID}}
	for _, t := range trajs {
		out = append(out, ref{C: trajectoriesColl, ID: t.ID})
	}
	return out
}
