package notify

import (
	"context"
	"time"

	"github.com/plein/plein/server/store/streamlog"
)

// Changes between instances: the change log notify_changes
// (server/store/streamlog), followed by every instance, carries two kinds
// of entry:
//
//   - a person's state document (read marks, kinds switched off, live
//     on/off) was written, on a user action, on one instance: every other
//     instance reads that one document by _id;
//   - a delivery stored notifications: the entry holds each recipient's new
//     newest sequence (one entry per delivery batch, up to Options.Batch
//     people), which every instance merges into memory.
//
// The writer changes its own memory first and then appends, and the broker
// wakes the followers (a poll every second is the fallback), so the
// unread count, the list and the preferences are served from memory alone:
// at once on the instance that wrote, within a second on every other.
//
// Restart and pruning: the heads document (notify_meta "heads", saved by
// the reload tick) records the last entry whose heads it holds. A starting
// instance reads every state document and the heads document, then replays
// the heads of the entries after it; a follower that finds the entries it
// needs pruned (app.PruneLogs) does the same (reload). When the append of
// a delivery's entry fails (the store went away after the notifications
// were stored), the other instances learn the heads from the heads
// document at their next reload tick (30 s) instead.

// changesColl is the change log: "<seq, 12 digits>" → stateChange.
const changesColl = "notify_changes"

// stateChange is one entry: whose state document was written (User), or
// the new heads of a delivery (Heads).
type stateChange struct {
	ID       string      `bson:"_id"`
	User     string      `bson:"u,omitempty"`
	Heads    []headEntry `bson:"h,omitempty"`
	Instance string      `bson:"instance"` // the writer, whose memory has it already
	At       time.Time   `bson:"at"`
}

func stateChangeAt(c *stateChange) time.Time { return c.At }

// replayBatch is how many entries a replay reads at once.
const replayBatch = 256

// follow makes the follower from last, the log's end read before the
// states were loaded.
func (s *Service) follow(l *streamlog.Log, last int64) {
	s.changes = streamlog.Follow(l, last, s.applyStateChange, streamlog.Options{Bus: s.opts.Bus, Logger: s.log,
		Reload: s.reloadAll, Applied: s.opts.Applied, GapCheck: s.opts.gapCheck})
}

// PruneLog deletes change-log entries older than before (keeping the
// newest); see streamlog.PruneOlder.
func (s *Service) PruneLog(ctx context.Context, before time.Time) (int, error) {
	return streamlog.PruneOlder(ctx, s.changes.Log(), before, stateChangeAt)
}

// stateWritten appends the person whose state this instance wrote and
// announces it. A failure is logged: the others read the document when
// they next load every state (a restart, a reload after a pruned log).
func (s *Service) stateWritten(ctx context.Context, user string) {
	s.appendChange(ctx, &stateChange{User: user})
}

// headsWritten appends the new heads of the users a delivery reached (this
// instance's memory has them already) and announces them.
func (s *Service) headsWritten(ctx context.Context, heads []headEntry) {
	if len(heads) > 0 {
		s.appendChange(ctx, &stateChange{Heads: heads})
	}
}

func (s *Service) appendChange(ctx context.Context, c *stateChange) {
	l := s.changes.Log()
	_, err := l.Append(ctx, s.changes.Last(), func(_ int64, id string) any {
		c.ID, c.Instance, c.At = id, s.instance, s.now().UTC()
		return c
	})
	if err != nil {
		s.log.WarnContext(ctx, "notify change log", "err", err)
		return
	}
	s.opts.Bus.Announce(ctx, l.Key(), s.log)
}

// applyStateChange applies one entry: another instance's write of a state
// document (one point lookup), or a delivery's heads (from any instance:
// merging is idempotent, and it marks the entry as held in memory for the
// heads document).
func (s *Service) applyStateChange(ctx context.Context, seq int64, c *stateChange) error {
	s.applyHeads(seq, c.Heads)
	if c.User == "" || c.Instance == s.instance {
		return nil
	}
	d, err := s.st.loadState(ctx, c.User)
	if err != nil || d == nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, gone := s.gone[c.User]; !gone {
		s.stateLocked(c.User).apply(d)
	}
	return nil
}

// applyHeads merges the heads of entry seq into memory.
func (s *Service) applyHeads(seq int64, heads []headEntry) {
	if len(heads) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range heads {
		if _, gone := s.gone[h.User]; !gone {
			st := s.stateLocked(h.User)
			st.head = max(st.head, h.Seq)
		}
	}
	s.headsSeen = max(s.headsSeen, seq)
}

// loadStates reads every state document (at start, and after a gap in
// the change log).
func (s *Service) loadStates(ctx context.Context) error {
	states, err := s.st.loadStates(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range states {
		if _, gone := s.gone[states[i].ID]; !gone {
			s.stateLocked(states[i].ID).apply(&states[i])
		}
	}
	return nil
}

// loadAll reads the replica whole: every state document, the heads
// document, and the heads of the change-log entries after the ones the
// heads document holds, up to to.
func (s *Service) loadAll(ctx context.Context, to int64) error {
	if err := s.loadStates(ctx); err != nil {
		return err
	}
	heads, err := s.st.loadHeads(ctx)
	if err != nil {
		return err
	}
	s.mergeHeads(heads)
	l := s.changes.Log()
	floor, err := l.Floor(ctx)
	if err != nil {
		return unavailable("read "+changesColl, err)
	}
	for from := max(heads.log+1, floor); from <= to; from += replayBatch {
		es, err := streamlog.Range[stateChange](ctx, l, from, min(from+replayBatch-1, to))
		if err != nil {
			return unavailable("read "+changesColl, err)
		}
		for _, e := range es {
			s.applyHeads(e.Seq, e.V.Heads)
		}
	}
	return nil
}

// reloadAll is the follower's reload after a pruned log: everything up to
// the log's end as it is now (entries appended meanwhile are applied
// again by the next catch-up: idempotent).
func (s *Service) reloadAll(ctx context.Context) error {
	end, err := s.changes.Log().Last(ctx, 0)
	if err != nil {
		return unavailable("read "+changesColl, err)
	}
	return s.loadAll(ctx, end)
}
