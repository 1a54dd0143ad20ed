package audits

import (
	"context"
	"slices"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/streamlog"
)

// Other instances' writes reach this one through the change log
// audits_changes (server/store/streamlog; docs/architecture.md,
// "In-memory replica + log"): every write appends an entry naming the
// documents it stored, and every instance's follower reads them by _id
// into memory, within a second (at once when the broker carries the
// signal). An entry with no documents (a seed) reloads the state whole; so
// does a follower that finds the entries it needs pruned.

// changesColl is the change log: "<seq, 12 digits>" → change.
const changesColl = "audits_changes"

// ref names one stored document: its collection and _id.
type ref = streamlog.Ref

// follow makes the follower from last, the log's end read before the
// state was loaded (entries appended meanwhile are applied again:
// applying is idempotent).
func (s *Service) follow(l *streamlog.Log, last int64) {
	s.changes = streamlog.FollowRefs(l, last,
		streamlog.RefOptions{Name: "audits", Refresh: s.refresh, Reload: s.load, Lock: &s.writeMu, Now: s.now},
		streamlog.Options{Bus: s.opt.Bus, Logger: s.log, Applied: s.opt.Applied})
}

// PruneLog deletes change-log entries older than before (keeping the
// newest); see streamlog.PruneOlder.
func (s *Service) PruneLog(ctx context.Context, before time.Time) (int, error) {
	return s.changes.Prune(ctx, before)
}

// changed appends this instance's write (already in its memory) to the
// change log and announces it (streamlog.RefLog.Changed); callers hold
// writeMu.
func (s *Service) changed(ctx context.Context, refs ...ref) { s.changes.Changed(ctx, refs...) }

// refresh reads one document by _id into memory (removes it when it is
// gone: an auditor's region cleared).
func (s *Service) refresh(ctx context.Context, r ref) error {
	switch r.C {
	case templatesColl:
		return refreshOne(ctx, s, s.st.templates, r.ID, func(t *Template) { s.tpl[r.ID] = t }, nil)
	case roundsColl:
		return refreshOne(ctx, s, s.st.rounds, r.ID, func(x *Round) { s.rounds[r.ID] = x }, nil)
	case auditsColl:
		return refreshOne(ctx, s, s.st.audits, r.ID, func(x *Audit) {
			if x.Answers == nil {
				x.Answers = map[string]Answer{}
			}
			s.audits[r.ID] = x
		}, nil)
	case actionsColl:
		return refreshOne(ctx, s, s.st.actions, r.ID, func(x *Action) { s.actions[r.ID] = x; s.actIdx.Store(nil) }, nil)
	case correctionsColl:
		return refreshOne(ctx, s, s.st.corrections, r.ID, func(c *Correction) {
			cs := s.corr[c.AuditID]
			if slices.ContainsFunc(cs, func(x *Correction) bool { return x.ID == c.ID }) {
				return
			}
			cs = append(slices.Clone(cs), c)
			sort.Slice(cs, func(i, j int) bool { return cs[i].At.Before(cs[j].At) })
			s.corr[c.AuditID] = cs
		}, nil)
	case auditorsColl:
		return refreshOne(ctx, s, s.st.auditors, r.ID, func(x *Auditor) { s.auditors[r.ID] = x.RegionID },
			func() { delete(s.auditors, r.ID) })
	}
	return nil
}

// refreshOne reads c's document id and hands it to put under the write
// lock of memory; gone (if any) runs when there is none.
func refreshOne[T any](ctx context.Context, s *Service, c *mongo.Collection, id string, put func(*T), gone func()) error {
	var v T
	err := c.FindOne(ctx, idFilter(id)).Decode(&v)
	if store.IsNotFound(err) {
		if gone != nil {
			s.mu.Lock()
			gone()
			s.mu.Unlock()
		}
		return nil
	}
	if err != nil {
		return unavailable("read "+c.Name(), err)
	}
	s.mu.Lock()
	put(&v)
	s.mu.Unlock()
	return nil
}

// auditRefs names a round and the audits of its assignments.
func auditRefs(r *Round) []ref {
	out := []ref{{C: roundsColl, ID: r.ID}}
	for _, as := range r.Assignments {
		out = append(out, ref{C: auditsColl, ID: AuditID(r.ID, as.TeamID)})
	}
	return out
}
