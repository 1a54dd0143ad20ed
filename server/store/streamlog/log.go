// Package streamlog is the one change log of Plein's in-memory replicas:
// a stream of insert-only entries keyed "<stream>:<seq>" (the sequence
// zero-padded to 12 digits, so every read is a point lookup by _id, the
// only find the embedded store answers without reading the collection;
// see /work/shared/design/store.md and server/store/idindex.go).
//
// A writer claims the next number by inserting it: the unique _id makes the
// insert the claim, and a duplicate means another writer (or instance) got
// there first, so it catches up and tries the next one. Nothing is ever
// updated, so this is safe on the embedded store, where only an insert is
// atomic.
//
// A Follower applies new entries in order, without gaps or repeats. It is
// woken at once when an entry is appended on any instance (a Bus carries
// the signal, in production over the broker) and polls as a fallback, so
// the one freshness rule holds: a change made on one instance is applied on
// every other instance within Poll (1 s), and usually at once.
package streamlog

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// width is the number of digits of a sequence number in an _id.
const width = 12

// ErrTaken means another writer stored that sequence number first.
var ErrTaken = errors.New("streamlog: sequence taken")

// Log is one stream of entries. Entries are documents whose _id is
// ID(seq); sequence numbers start at 1 and are dense (a number exists only
// once every lower one was claimed).
type Log struct {
	key      string
	stream   string
	coll     func(seq int64) *mongo.Collection
	prunable bool // see NewPrunable
}

// New is the stream named stream in collection c. Many streams may share a
// collection (one per user, per channel). A log alone in its collection may
// have the empty stream: its ids are the bare zero-padded numbers, as
// kb_changes and the team-space segments were stored before this package.
func New(c *mongo.Collection, stream string) *Log {
	return &Log{key: c.Name() + "/" + stream, stream: stream, coll: func(int64) *mongo.Collection { return c }}
}

// NewSegmented is a stream spread over several collections (coll chooses
// the one holding a sequence number); name identifies it on the Bus.
func NewSegmented(name, stream string, coll func(seq int64) *mongo.Collection) *Log {
	return &Log{key: name + "/" + stream, stream: stream, coll: coll}
}

// Key names the log on a Bus: "<collection>/<stream>".
func (l *Log) Key() string { return l.key }

// ID is the _id of entry seq: "<stream>:<seq, 12 digits>".
func (l *Log) ID(seq int64) string {
	n := strconv.FormatInt(seq, 10)
	if len(n) < width {
		n = strings.Repeat("0", width-len(n)) + n
	}
	if l.stream == "" {
		return n
	}
	return l.stream + ":" + n
}

func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

// Get decodes entry seq into v; false when there is none.
func (l *Log) Get(ctx context.Context, seq int64, v any) (bool, error) {
	err := l.coll(seq).FindOne(ctx, byID(l.ID(seq))).Decode(v)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read %s: %w", l.ID(seq), err)
	}
	return true, nil
}

func (l *Log) exists(ctx context.Context, seq int64) (bool, error) {
	err := l.coll(seq).FindOne(ctx, byID(l.ID(seq)), options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read %s: %w", l.ID(seq), err)
	}
	return true, nil
}

// Last finds the newest sequence number, 0 for an empty log, by searching
// up from known (which exists, or is 0): exponentially, then by bisection,
// about 2·log2(n) point lookups when n behind and one when known is right.
// On a prunable log it reads the floor first: a known number that was
// pruned starts the search from the oldest entry kept.
func (l *Log) Last(ctx context.Context, known int64) (int64, error) {
	known, err := l.start(ctx, max(known, 0))
	if err != nil {
		return 0, err
	}
	lo, step := known, int64(1) // lo exists (or is 0)
	hi := lo + step
	for {
		ok, err := l.exists(ctx, hi)
		if err != nil {
			return 0, err
		}
		if !ok {
			break
		}
		lo = hi
		step *= 2
		hi = lo + step
	}
	for hi-lo > 1 { // lo exists, hi does not
		mid := lo + (hi-lo)/2
		ok, err := l.exists(ctx, mid)
		if err != nil {
			return 0, err
		}
		if ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, nil
}

// Insert stores doc as entry seq; doc's _id must be ID(seq). ErrTaken
// when the number was claimed first.
func (l *Log) Insert(ctx context.Context, seq int64, doc any) error {
	_, err := l.coll(seq).InsertOne(ctx, doc)
	if mongo.IsDuplicateKeyError(err) {
		return ErrTaken
	}
	if err != nil {
		return fmt.Errorf("store %s: %w", l.ID(seq), err)
	}
	return nil
}

// maxAttempts bounds the claims of one Append under contention.
const maxAttempts = 100

// Append claims the next sequence number after known: build makes the
// document for seq with _id id; when another writer took the number, the
// log's end is found again and build is called for the next one.
func (l *Log) Append(ctx context.Context, known int64, build func(seq int64, id string) any) (int64, error) {
	for range maxAttempts {
		last, err := l.Last(ctx, known)
		if err != nil {
			return 0, err
		}
		seq := last + 1
		err = l.Insert(ctx, seq, build(seq, l.ID(seq)))
		if err == nil {
			return seq, nil
		}
		if !errors.Is(err, ErrTaken) {
			return 0, err
		}
		known = seq
	}
	return 0, fmt.Errorf("streamlog %s: %w after %d attempts", l.key, ErrTaken, maxAttempts)
}

// Entry is one decoded entry of a Range.
type Entry[T any] struct {
	Seq int64
	V   *T
}

// rangeParallel bounds the point lookups a Range has in flight.
const rangeParallel = 8

// Range reads entries from..to (inclusive) by parallel point lookups, in
// ascending order; numbers with no entry (removed by retention) are
// skipped. It never scans the collection.
func Range[T any](ctx context.Context, l *Log, from, to int64) ([]Entry[T], error) {
	from = max(from, 1)
	if to < from {
		return nil, nil
	}
	n := int(to - from + 1)
	vals := make([]*T, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, rangeParallel)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			var v T
			ok, err := l.Get(ctx, from+int64(i), &v)
			if ok {
				vals[i] = &v
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	out := make([]Entry[T], 0, n)
	for i, v := range vals {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if v != nil {
			out = append(out, Entry[T]{Seq: from + int64(i), V: v})
		}
	}
	return out, nil
}
