package app

import (
	"context"
	"fmt"
	"time"

	"github.com/plein/plein/server/store/streamlog"
)

// The in-memory replicas follow change logs (server/store/streamlog; see
// docs/architecture.md, "In-memory replica + log"). The knowledge base has
// its own log; the state that is held whole in memory and has none (the
// user directory, the organisation, the dashboard) shares this one, so no
// instance reloads any of it on a timer: it applies what changed, within a
// second of the change, wherever it was made.

// appChangesColl holds the shared log: "<seq>" → what changed.
const appChangesColl = "app_changes"

// topicLog carries streamlog signals: the key of a log with a new entry.
const topicLog = "store.log"

// Kinds of appChange.
const (
	changedUser      = "user"      // one person's record (login, roles, activation, erasure): Ref
	changedOrg       = "org"       // regions, teams or memberships
	changedDashboard = "dashboard" // figures imported or settings changed
	changedPush      = "push"      // one person's push devices: Ref
)

// appChange is one entry of the shared log.
type appChange struct {
	ID       string    `bson:"_id"`
	Kind     string    `bson:"kind"`
	Ref      string    `bson:"ref,omitempty"` // a person's id, for changedUser (no name)
	Instance string    `bson:"instance"`      // the writer, which applied the change already
	At       time.Time `bson:"at"`
}

// startChanges makes the bus and the shared log's follower. It runs before
// anything is loaded: entries appended during the loads are applied again
// (applying is idempotent), none is missed.
func (a *App) startChanges(ctx context.Context, instance string) error {
	a.logBus = streamlog.NewBus(func(ctx context.Context, key string) error {
		if a.Broker == nil {
			return nil // start-up, before the broker: the others poll
		}
		return a.Broker.Publish(ctx, topicLog, []byte(key))
	})
	l := streamlog.NewPrunable(a.Store.DB.Collection(appChangesColl), "")
	last, err := l.Last(ctx, 0)
	if err != nil {
		return fmt.Errorf("read %s: %w", appChangesColl, err)
	}
	a.instance = instance
	a.changes = streamlog.Follow(l, last, a.applyChange, streamlog.Options{Bus: a.logBus, Logger: a.Log, Reload: a.reloadShared})
	return nil
}

// followChanges applies other instances' changes from the moment the app
// is built (as the broker's subscriptions do), not only once
// StartBackground runs: a replica is never more than a second behind.
func (a *App) followChanges() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.changes.Run(ctx)
	}()
	a.stopFollow = func() { cancel(); <-done }
}

// logChange appends a change this instance has made and applied, so every
// other instance applies it within streamlog.Poll (at once, when the
// broker carries the signal). It appends without catching up first: this
// instance's follower applies its own entries only to the people index. A failure
// is logged: the writer's own state is right, and the others see the
// change at their next start at the latest.
func (a *App) logChange(ctx context.Context, kind, ref string) {
	l := a.changes.Log()
	_, err := l.Append(ctx, a.changes.Last(), func(_ int64, id string) any {
		return &appChange{ID: id, Kind: kind, Ref: ref, Instance: a.instance, At: a.Now().UTC()}
	})
	if err != nil {
		a.Log.WarnContext(ctx, "log change", "kind", kind, "err", err)
		return
	}
	a.logBus.Announce(ctx, l.Key(), a.Log)
}

// applyChange applies a change to this instance's replicas: another
// instance's in full; this instance's own only to the people index and the
// rendered mentions (the writer's replica has it already, its search does
// not).
func (a *App) applyChange(ctx context.Context, _ int64, c *appChange) error {
	own := c.Instance == a.instance
	switch c.Kind {
	case changedUser:
		if !own {
			if err := a.Identity.RefreshUser(ctx, c.Ref); err != nil {
				return err
			}
		}
		a.Search.RefreshPerson(c.Ref)
		a.Spaces.ForgetRendered() // mentions render the person's current name (an erasure's pseudonym)
	case changedOrg:
		// The people index holds names only, so an organisation change
		// leaves it as it is.
		if !own {
			return a.Org.Reload(ctx)
		}
	case changedDashboard:
		if !own {
			return a.Dashboard.Reload(ctx)
		}
	case changedPush:
		if !own && a.Push != nil {
			return a.Push.Refresh(ctx, c.Ref)
		}
	}
	return nil
}

// reloadShared reads the replicas that follow app_changes whole again: the
// follower found the entries it needed pruned (it had not caught up for
// longer than LogRetention).
func (a *App) reloadShared(ctx context.Context) error {
	if a.Identity != nil {
		if err := a.Identity.Users().Reload(ctx); err != nil {
			return err
		}
	}
	if a.Org != nil {
		if err := a.Org.Reload(ctx); err != nil {
			return err
		}
	}
	if a.Dashboard != nil {
		if err := a.Dashboard.Reload(ctx); err != nil {
			return err
		}
	}
	if a.Search != nil {
		a.Search.RefreshPeople()
	}
	return nil
}

// LogRetention is how long the change logs that only say "this changed"
// keep their entries (app_changes, learning_changes, audits_changes,
// notify_changes): every replica that follows them can be read whole from
// its base collections, and a follower that finds its next entries pruned
// does that (docs/architecture.md, "In-memory replica + log").
const LogRetention = 24 * time.Hour

// PruneLogs deletes the change-log entries older than LogRetention (at
// most a bounded number per log and run; the purge tick runs it every 10
// minutes). The logs that hold data (team spaces, chat, notifications) and
// kb_changes (the knowledge base replays it at start) are not pruned.
func (a *App) PruneLogs(ctx context.Context) (int, error) {
	before := a.Now().Add(-LogRetention)
	total := 0
	n, err := streamlog.PruneOlder(ctx, a.changes.Log(), before, func(c *appChange) time.Time { return c.At })
	total += n
	for _, prune := range []func(context.Context, time.Time) (int, error){a.Learning.PruneLog, a.Audits.PruneLog, a.Notify.PruneLog} {
		if err != nil {
			break
		}
		n, err = prune(ctx, before)
		total += n
	}
	return total, err
}

// WatchReplicas reports every change-log entry this instance's replicas
// apply (streamlog.Bus.Watch): tests wait on it instead of polling.
func (a *App) WatchReplicas() (<-chan streamlog.Applied, func()) { return a.logBus.Watch() }
