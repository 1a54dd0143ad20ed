package learning

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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
type ref struct {
	C  string `bson:"c"`
	ID string `bson:"id"`
}

// change is one entry of the log.
type change struct {
	ID       string    `bson:"_id"`
	Refs     []ref     `bson:"refs,omitempty"` // none: reload whole
	Instance string    `bson:"instance"`       // the writer, whose memory has it already
	At       time.Time `bson:"at"`
}

// ChangeAt is an entry's time, for pruning.
func changeAt(c *change) time.Time { return c.At }

func newInstanceID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// follow makes the follower from last, the log's end read before the
// state was loaded (entries appended meanwhile are applied again:
// applying is idempotent).
func (s *Service) follow(l *streamlog.Log, last int64, opt Options) {
	s.changes = streamlog.Follow(l, last, s.applyChange, streamlog.Options{Bus: opt.Bus, Logger: s.log,
		Reload: s.Reload, Applied: opt.Applied})
}

// PruneLog deletes change-log entries older than before (keeping the
// newest); see streamlog.PruneOlder.
func (s *Service) PruneLog(ctx context.Context, before time.Time) (int, error) {
	return streamlog.PruneOlder(ctx, s.changes.Log(), before, changeAt)
}

// logChange appends this instance's write (already in its memory) and
// announces it. A failure is logged: the other instances see the
// documents at their next start, or with the next change to them.
func (s *Service) logChange(ctx context.Context, refs []ref) {
	l := s.changes.Log()
	_, err := l.Append(ctx, s.changes.Last(), func(_ int64, id string) any {
		return &change{ID: id, Refs: refs, Instance: s.instance, At: s.now().UTC()}
	})
	if err != nil {
		s.log.WarnContext(ctx, "learning change log", "err", err)
		return
	}
	s.opt.Bus.Announce(ctx, l.Key(), s.log)
}

// applyChange reads the documents another instance wrote into memory.
func (s *Service) applyChange(ctx context.Context, _ int64, c *change) error {
	if c.Instance == s.instance {
		return nil
	}
	if len(c.Refs) == 0 {
		return s.Reload(ctx)
	}
	// A local write holds writeMu from its store write to its memory
	// update, so what is read here is never older than memory.
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	for _, r := range c.Refs {
		if err := s.refresh(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

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
	out := []ref{{cohortsColl, c.ID}}
	for _, t := range trajs {
		out = append(out, ref{trajectoriesColl, t.ID})
	}
	return out
}
