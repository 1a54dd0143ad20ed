package notify

import (
	"context"
	"time"

	"github.com/plein/plein/server/store/streamlog"
)

// State changes between instances. A person's state document (read marks,
// kinds switched off, live on/off) is written on a user action, on one
// instance. The writer appends the person's id to the change log
// notify_changes (server/store/streamlog), and every other instance reads
// that one document by _id within a second (at once when the broker carries
// the signal): the memory that a large fan-out consults (kinds switched
// off, live) and Unread follow without reading every person's document on
// a timer. The log is pruned (app.PruneLogs); a follower that finds the
// entries it needs pruned reads every state document again (loadStates),
// as at start.

// changesColl is the change log: "<seq, 12 digits>" → stateChange.
const changesColl = "notify_changes"

// stateChange is one entry: whose state document was written.
type stateChange struct {
	ID       string    `bson:"_id"`
	User     string    `bson:"u"`
	Instance string    `bson:"instance"` // the writer, whose memory has it already
	At       time.Time `bson:"at"`
}

func stateChangeAt(c *stateChange) time.Time { return c.At }

// follow makes the follower from last, the log's end read before the
// states were loaded.
func (s *Service) follow(l *streamlog.Log, last int64) {
	s.changes = streamlog.Follow(l, last, s.applyStateChange, streamlog.Options{Bus: s.opts.Bus, Logger: s.log,
		Reload: s.loadStates, Applied: s.opts.Applied})
}

// PruneLog deletes change-log entries older than before (keeping the
// newest); see streamlog.PruneOlder.
func (s *Service) PruneLog(ctx context.Context, before time.Time) (int, error) {
	return streamlog.PruneOlder(ctx, s.changes.Log(), before, stateChangeAt)
}

// stateWritten appends the person whose state this instance wrote and
// announces it. A failure is logged: the others read the document at the
// person's next request there.
func (s *Service) stateWritten(ctx context.Context, user string) {
	l := s.changes.Log()
	_, err := l.Append(ctx, s.changes.Last(), func(_ int64, id string) any {
		return &stateChange{ID: id, User: user, Instance: s.instance, At: s.now().UTC()}
	})
	if err != nil {
		s.log.WarnContext(ctx, "notify change log", "err", err)
		return
	}
	s.opts.Bus.Announce(ctx, l.Key(), s.log)
}

// applyStateChange reads another instance's write of a state document.
func (s *Service) applyStateChange(ctx context.Context, _ int64, c *stateChange) error {
	if c.Instance == s.instance {
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
