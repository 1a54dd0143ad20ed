package chat

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/streamlog"
)

const (
	channelsColl  = "chat_channels"
	entriesColl   = "chat_entries"
	sendsColl     = "chat_sends"      // claims: "<author>:<clientId>" → channel, claimed at
	sendsDoneColl = "chat_sends_done" // completions "<author>:<clientId>" → seq, written by earlier versions (commit.go)
	readsColl     = "chat_reads"
	versionsColl  = "chat_channel_versions" // "<channel>:<v>" → member list from version v on
)

// Store is chat's persistence. Every hot operation is an insert or a point
// lookup by string _id, the only operations that are fast on the embedded
// store as well as on MongoDB (docs/architecture.md, "The store").
type Store struct {
	channels, entries, sends, sendsDone, reads, versions, prefs *mongo.Collection
	// insertMany stores a batch with one InsertMany (insertBatch); tests
	// wrap it to inject faults.
	insertMany batchInserter
}

// NewStore returns the chat store.
func NewStore(s *store.Store) *Store {
	return &Store{
		channels:   s.DB.Collection(channelsColl),
		entries:    s.DB.Collection(entriesColl),
		sends:      s.DB.Collection(sendsColl),
		sendsDone:  s.DB.Collection(sendsDoneColl),
		reads:      s.DB.Collection(readsColl),
		versions:   s.DB.Collection(versionsColl),
		prefs:      s.DB.Collection(prefsColl),
		insertMany: insertBatch,
	}
}

// batchInserter stores docs in c with one InsertMany: one round trip on
// MongoDB, one SQLite transaction per 100 documents on the embedded store
// (FerretDB's batch size). It returns one error per document: nil when it
// was stored, errTaken for a duplicate _id, errNotTried for the documents
// after the first failure of an ordered insert; or, when the request failed
// as a whole, only err (then any of them may or may not be stored).
type batchInserter func(ctx context.Context, c *mongo.Collection, docs []any, ordered bool) (perDoc []error, err error)

// errNotTried marks a document an ordered insert never reached.
var errNotTried = errors.New("not attempted")

func insertBatch(ctx context.Context, c *mongo.Collection, docs []any, ordered bool) ([]error, error) {
	out := make([]error, len(docs))
	if len(docs) == 0 {
		return out, nil
	}
	_, err := c.InsertMany(ctx, docs, options.InsertMany().SetOrdered(ordered))
	if err == nil {
		return out, nil
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil || len(bwe.WriteErrors) == 0 {
		return nil, err
	}
	first := len(docs)
	for _, we := range bwe.WriteErrors {
		if we.Index < 0 || we.Index >= len(docs) {
			return nil, err
		}
		first = min(first, we.Index)
		if we.HasErrorCode(11000) || we.HasErrorCode(11001) || we.HasErrorCode(12582) {
			out[we.Index] = errTaken
		} else {
			out[we.Index] = we
		}
	}
	if ordered {
		for i := first + 1; i < len(docs); i++ {
			out[i] = errNotTried
		}
	}
	return out, nil
}

func unavailable(what string, err error) error { return apperr.Unavailable(what, err) }

// errTaken means the sequence number is already used.
var errTaken = errors.New("sequence taken")

func (s *Store) insertEntry(ctx context.Context, e *Entry) error {
	_, err := s.entries.InsertOne(ctx, e)
	if store.IsDuplicateKey(err) {
		return errTaken
	}
	if err != nil {
		return unavailable("store entry", err)
	}
	return nil
}

// entry returns the entry, or nil when there is none.
func (s *Store) entry(ctx context.Context, ch string, seq int64) (*Entry, error) {
	var e Entry
	err := s.entries.FindOne(ctx, bson.D{{Key: "_id", Value: EntryID(ch, seq)}}).Decode(&e)
	if store.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, unavailable("read entry", err)
	}
	return &e, nil
}

// channelLog is a channel's entries as a log: "<channel>:<seq, 12 digits>"
// (server/store/streamlog), the same ids as EntryID.
func (s *Store) channelLog(ch string) *streamlog.Log { return streamlog.New(s.entries, ch) }

// lastSeq finds a channel's highest sequence, starting from a known lower
// bound: about 2·log2(n) point lookups when n behind, one when known is
// right (streamlog.Log.Last).
func (s *Store) lastSeq(ctx context.Context, ch string, known int64) (int64, error) {
	n, err := s.channelLog(ch).Last(ctx, known)
	if err != nil {
		return 0, unavailable("read entry", err)
	}
	return n, nil
}

// lastOf finds the highest n for which exists(n) holds, given that
// exists(known) holds and that the numbers exist without gaps from 1: by
// exponential then binary search over point lookups, about 2·log2(n)
// lookups, on any engine, with no secondary index. Member-list versions
// use it (their ids have 8 digits, not a streamlog stream's 12).
func lastOf(known int64, exists func(int64) (bool, error)) (int64, error) {
	if known < 0 {
		known = 0
	}
	lo, step := known, int64(1) // lo exists
	hi := lo + step
	for {
		ok, err := exists(hi)
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
		ok, err := exists(mid)
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

// entriesRange reads seq from..to (inclusive) by parallel point lookups,
// in ascending order; missing sequences are skipped (streamlog.Range).
func (s *Store) entriesRange(ctx context.Context, ch string, from, to int64) ([]*Entry, error) {
	es, err := streamlog.Range[Entry](ctx, s.channelLog(ch), from, to)
	if err != nil {
		return nil, unavailable("read entry", err)
	}
	out := make([]*Entry, len(es))
	for i, e := range es {
		out[i] = e.V
	}
	return out, nil
}

// redact removes a deleted message's content from the store. Entries are
// otherwise never updated (updates scan on the embedded engine; deletes are rare).
func (s *Store) redact(ctx context.Context, ch string, seq int64) error {
	_, err := s.entries.UpdateOne(ctx, bson.D{{Key: "_id", Value: EntryID(ch, seq)}}, bson.D{
		{Key: "$set", Value: bson.D{{Key: "body", Value: ""}, {Key: "html", Value: ""}, {Key: "deleted", Value: true}}},
		{Key: "$unset", Value: bson.D{{Key: "mentions", Value: ""}, {Key: "mentionsTeam", Value: ""}, {Key: "att", Value: ""}}},
	})
	if err != nil {
		return unavailable("redact entry", err)
	}
	return nil
}

type sendRecord struct {
	ID  string `bson:"_id"` // "<author>:<clientId>"
	Ch  string `bson:"ch"`
	Seq int64  `bson:"seq"` // 0: claimed, the append is under way (or died)
	// From is the channel's last seq as the claiming attempt knew it: its
	// entry, if stored, has a higher seq. At is when it claimed.
	From int64     `bson:"from,omitempty"`
	At   time.Time `bson:"at,omitempty"`
}

// sentBefore returns the claim on a clientId (nil: none), with Ch and Seq
// of the stored entry when an earlier version recorded its completion
// (chat_sends_done; sends are no longer completed: commit.go).
func (s *Store) sentBefore(ctx context.Context, by, clientID string) (*sendRecord, error) {
	var r sendRecord
	id := by + ":" + clientID
	err := s.sends.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r)
	if store.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, unavailable("read send record", err)
	}
	var done sendRecord
	err = s.sendsDone.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&done)
	switch {
	case err == nil:
		r.Ch, r.Seq = done.Ch, done.Seq
	case !store.IsNotFound(err):
		return nil, unavailable("read send record", err)
	}
	return &r, nil
}

// takeOverSend moves a stale claim to this attempt; false when another
// attempt changed it first.
func (s *Store) takeOverSend(ctx context.Context, rec *sendRecord, from int64, at time.Time) (bool, error) {
	res, err := s.sends.UpdateOne(ctx, bson.D{{Key: "_id", Value: rec.ID}, {Key: "seq", Value: int64(0)}, {Key: "at", Value: rec.At}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "from", Value: from}, {Key: "at", Value: at}}}})
	if err != nil {
		return false, unavailable("store send record", err)
	}
	return res.ModifiedCount == 1, nil
}

func (s *Store) loadChannels(ctx context.Context) ([]Channel, error) {
	cur, err := s.channels.Find(ctx, bson.D{})
	if err != nil {
		return nil, unavailable("load channels", err)
	}
	var out []Channel
	if err := cur.All(ctx, &out); err != nil {
		return nil, unavailable("load channels", err)
	}
	return out, nil
}

func (s *Store) insertChannel(ctx context.Context, c *Channel) error {
	_, err := s.channels.InsertOne(ctx, c)
	if store.IsDuplicateKey(err) {
		return apperr.Conflict("already_exists", "channel exists")
	}
	if err != nil {
		return unavailable("store channel", err)
	}
	return nil
}

// memberVersion is one version of a channel's member list. A change is
// committed by inserting version V+1: the unique _id lets exactly one of two
// simultaneous changes win, and the loser reads the winner's list and tries
// again. Updates cannot do this on the embedded store: FerretDB 1.24 applies
// update operators by reading, changing and rewriting the document, so
// concurrent updates of one document are lost (40 concurrent $inc left 4).
type memberVersion struct {
	ID      string    `bson:"_id"` // "<channel>:<v, 8 digits>"
	Ch      string    `bson:"ch"`
	V       int64     `bson:"v"`
	Members []string  `bson:"members"`
	By      string    `bson:"by"`
	At      time.Time `bson:"at"`
}

func versionID(ch string, v int64) string { return fmt.Sprintf("%s:%08d", ch, v) }

func (s *Store) memberVersion(ctx context.Context, ch string, v int64) (*memberVersion, error) {
	var mv memberVersion
	err := s.versions.FindOne(ctx, bson.D{{Key: "_id", Value: versionID(ch, v)}}).Decode(&mv)
	if store.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, unavailable("read channel members", err)
	}
	return &mv, nil
}

// latestMembers returns c with the newest stored member list, probing
// forward from c.V by point lookups (usually one: "is there a c.V+1?").
func (s *Store) latestMembers(ctx context.Context, c *Channel) (*Channel, error) {
	last, err := lastOf(c.V, func(v int64) (bool, error) {
		if v <= 0 {
			return true, nil
		}
		mv, err := s.memberVersion(ctx, c.ID, v)
		return mv != nil, err
	})
	if err != nil || last == c.V {
		return c, err
	}
	mv, err := s.memberVersion(ctx, c.ID, last)
	if err != nil {
		return nil, err
	}
	if mv == nil {
		return nil, unavailable("read channel members", errors.New("version vanished"))
	}
	cp := *c
	cp.Members, cp.V = mv.Members, mv.V
	return &cp, nil
}

// insertVersion commits a member list; errTaken when another change got
// that version first.
func (s *Store) insertVersion(ctx context.Context, mv *memberVersion) error {
	mv.ID = versionID(mv.Ch, mv.V)
	_, err := s.versions.InsertOne(ctx, mv)
	if store.IsDuplicateKey(err) {
		return errTaken
	}
	if err != nil {
		return unavailable("store channel members", err)
	}
	return nil
}

type readsDoc struct {
	ID    string           `bson:"_id"` // user id
	Reads map[string]int64 `bson:"reads"`
}

func (s *Store) readsOf(ctx context.Context, user string) (map[string]int64, error) {
	var d readsDoc
	err := s.reads.FindOne(ctx, bson.D{{Key: "_id", Value: user}}).Decode(&d)
	if store.IsNotFound(err) {
		return map[string]int64{}, nil
	}
	if err != nil {
		return nil, unavailable("read markers", err)
	}
	if d.Reads == nil {
		d.Reads = map[string]int64{}
	}
	return d.Reads, nil
}

func (s *Store) saveReads(ctx context.Context, user string, reads map[string]int64) error {
	_, err := s.reads.ReplaceOne(ctx, bson.D{{Key: "_id", Value: user}}, readsDoc{ID: user, Reads: reads}, options.Replace().SetUpsert(true))
	if err != nil {
		return unavailable("store read markers", err)
	}
	return nil
}
