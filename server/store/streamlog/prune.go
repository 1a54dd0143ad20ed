package streamlog

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Pruning. A change log whose entries only say "this changed" (the replica
// can always be loaded whole from its base collections) need not keep them
// for ever. Such a log is made with NewPrunable and is pruned by
// PruneOlder:
//
//   - Entries older than the cut-off are deleted from the oldest up, one
//     point delete each; the newest entry is never deleted, so the end of
//     the log can always be found and a number is never claimed twice.
//   - The floor marker ("floor", or "<stream>:floor") holds the lowest
//     number kept. It is written before the entries below it are deleted,
//     so a reader that starts from it finds an entry at once.
//   - Last on a prunable log reads the floor first (one more point lookup):
//     a known number below it starts the search from the floor instead.
//   - A Follower of a prunable log that has not caught up for GapCheck (the
//     store was away, the process stopped) reads the floor before its next
//     catch-up; when the entries it needs are gone it calls Options.Reload
//     (the replica is read again from its base collections) and carries on
//     from the log's end. Pruning keeps at least an hour (Retain), so a
//     follower that catches up every second never meets a gap.

// Retain is the least age of a pruned entry: a follower that has caught up
// within it never finds the entries it needs gone.
const Retain = time.Hour

// GapCheck is how long a follower of a prunable log may go without a
// catch-up before it checks the floor (far below Retain).
const GapCheck = time.Minute

// ErrGap means the entries a follower needs were pruned and it has no
// Reload to recover with.
var ErrGap = errors.New("streamlog: entries pruned")

// pruneBatch bounds the entries one PruneOlder deletes (the rest go at the
// next run); probeBatch the forward search of First.
const (
	pruneBatch = 2000
	probeBatch = 64
)

// NewPrunable is New for a log that PruneOlder may prune: the replicas that
// follow it can be loaded whole from elsewhere.
func NewPrunable(c *mongo.Collection, stream string) *Log {
	l := New(c, stream)
	l.prunable = true
	return l
}

type floorDoc struct {
	ID string    `bson:"_id"`
	N  int64     `bson:"n"`
	At time.Time `bson:"at"`
}

func (l *Log) floorID() string {
	if l.stream == "" {
		return "floor"
	}
	return l.stream + ":floor"
}

// Floor is the lowest sequence number pruning kept (1 when never pruned).
func (l *Log) Floor(ctx context.Context) (int64, error) {
	var d floorDoc
	err := l.coll(0).FindOne(ctx, byID(l.floorID())).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 1, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read %s floor: %w", l.key, err)
	}
	return max(d.N, 1), nil
}

// start is where a search for the end may begin: known when it is at or
// above the floor (less one), else the oldest entry kept.
func (l *Log) start(ctx context.Context, known int64) (int64, error) {
	if !l.prunable {
		return known, nil
	}
	floor, err := l.Floor(ctx)
	if err != nil {
		return 0, err
	}
	if known >= floor-1 {
		return known, nil
	}
	return l.firstFrom(ctx, floor)
}

// firstFrom finds the oldest entry at or above floor, in parallel batches
// of point lookups (the first lookup finds it unless a prune ran twice at
// once and left the lower floor); 0 for an empty log.
func (l *Log) firstFrom(ctx context.Context, floor int64) (int64, error) {
	for from := floor; from < floor+4*probeBatch; from += probeBatch {
		es, err := Range[bson.Raw](ctx, l, from, from+probeBatch-1)
		if err != nil {
			return 0, err
		}
		if len(es) > 0 {
			return es[0].Seq, nil
		}
		if floor == 1 {
			return 0, nil // never pruned and nothing stored
		}
	}
	return 0, fmt.Errorf("%s: no entry found above floor %d", l.key, floor)
}

// First is the oldest entry kept, 0 for an empty log.
func (l *Log) First(ctx context.Context) (int64, error) {
	floor, err := l.Floor(ctx)
	if err != nil {
		return 0, err
	}
	return l.firstFrom(ctx, floor)
}

// PruneOlder deletes the entries of a prunable log whose time (at) is
// before cutoff, oldest first, keeping the newest entry and at most
// pruneBatch per call. It returns how many it deleted.
func PruneOlder[T any](ctx context.Context, l *Log, cutoff time.Time, at func(*T) time.Time) (int, error) {
	if !l.prunable {
		return 0, fmt.Errorf("%s: not a prunable log", l.key)
	}
	first, err := l.First(ctx)
	if err != nil || first == 0 {
		return 0, err
	}
	last, err := l.Last(ctx, first)
	if err != nil {
		return 0, err
	}
	keep := first // the lowest number kept
	for keep < last && keep-first < pruneBatch {
		es, err := Range[T](ctx, l, keep, min(keep+probeBatch-1, last-1))
		if err != nil {
			return 0, err
		}
		stop := len(es) == 0
		for _, e := range es {
			if !at(e.V).Before(cutoff) {
				stop = true
				break
			}
			keep = e.Seq + 1
		}
		if stop {
			break
		}
	}
	keep = min(keep, last, first+pruneBatch)
	if keep <= first {
		return 0, nil
	}
	fd := floorDoc{ID: l.floorID(), N: keep, At: time.Now().UTC()}
	if _, err := l.coll(0).ReplaceOne(ctx, byID(fd.ID), fd, options.Replace().SetUpsert(true)); err != nil {
		return 0, fmt.Errorf("write %s floor: %w", l.key, err)
	}
	n := 0
	for seq := first; seq < keep; seq++ {
		if _, err := l.coll(seq).DeleteOne(ctx, byID(l.ID(seq))); err != nil {
			return n, fmt.Errorf("prune %s: %w", l.ID(seq), err)
		}
		n++
	}
	return n, nil
}
