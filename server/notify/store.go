package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	itemsColl = "notify_items" // insert-only: "<user>:<seq, 12 digits>"
	usersColl = "notify_users" // per-user state: "<user>"
	keysColl  = "notify_keys"  // insert-only dedup claims: "<user>:k:<sha256(key)[:32]>"
	jobsColl  = "notify_jobs"  // outbox of fan-outs not finished yet (small)
	metaColl  = "notify_meta"  // "heads": every user's highest sequence, as last merged
	headsID   = "heads"
)

// Indexes serve MongoDB (the embedded store accepts and ignores them for
// finds): Forget deletes by user.
var Indexes = []store.Index{
	{Collection: itemsColl, Keys: bson.D{{Key: "u", Value: 1}}, Name: "notify_items_user"},
	{Collection: keysColl, Keys: bson.D{{Key: "u", Value: 1}}, Name: "notify_keys_user"},
}

type itemDoc struct {
	ID        string    `bson:"_id"`
	User      string    `bson:"u"`
	Seq       int64     `bson:"s"`
	Kind      string    `bson:"k"`
	Title     string    `bson:"t"`
	Text      string    `bson:"x,omitempty"`
	Link      string    `bson:"l,omitempty"`
	ActorID   string    `bson:"a,omitempty"`
	ActorName string    `bson:"an,omitempty"`
	Place     string    `bson:"p,omitempty"`
	At        time.Time `bson:"at"`
	Job       string    `bson:"j"`
}

func (d *itemDoc) content() content {
	return content{Kind: d.Kind, Title: d.Title, Text: d.Text, Link: d.Link, ActorID: d.ActorID, ActorName: d.ActorName,
		Place: d.Place, At: d.At.UnixMilli()}
}

func itemID(user string, seq int64) string { return fmt.Sprintf("%s:%012d", user, seq) }

type keyDoc struct {
	ID   string    `bson:"_id"`
	User string    `bson:"u"`
	Job  string    `bson:"j"`
	At   time.Time `bson:"at"`
}

func keyID(user, key string) string {
	h := sha256.Sum256([]byte(key))
	return user + ":k:" + hex.EncodeToString(h[:16])
}

// stateDoc is a user's read state and preferences. V is its version: every
// write is conditional on the version it read (optimistic concurrency).
// Head is a hint (the highest sequence the writer knew of).
type stateDoc struct {
	ID     string    `bson:"_id"`
	V      int64     `bson:"v"`
	ReadTo int64     `bson:"readTo"`
	Read   []int64   `bson:"read,omitempty"`
	Off    []string  `bson:"off,omitempty"`
	Quiet  bool      `bson:"quiet,omitempty"`
	Head   int64     `bson:"head"`
	At     time.Time `bson:"at"`
}

type noticeDoc struct {
	Kind        string `bson:"k"`
	Title       string `bson:"t"`
	Text        string `bson:"x,omitempty"`
	Link        string `bson:"l,omitempty"`
	ActorID     string `bson:"a,omitempty"`
	ActorName   string `bson:"an,omitempty"`
	Place       string `bson:"p,omitempty"`
	Key         string `bson:"key,omitempty"`
	PushSubject string `bson:"ps,omitempty"`
}

// jobDoc is a fan-out in progress: Users[:Done] are delivered. Owner is the
// instance working on it, ClaimedAt its last sign of life.
type jobDoc struct {
	ID        string    `bson:"_id"`
	Notice    noticeDoc `bson:"n"`
	Users     []string  `bson:"users"`
	Done      int       `bson:"done"`
	At        time.Time `bson:"at"`
	Owner     string    `bson:"owner"`
	ClaimedAt time.Time `bson:"claimedAt"`
	// Careful: some deliveries may have happened before (a retry, or a
	// job taken over): check before writing so nobody gets it twice.
	Careful bool `bson:"careful,omitempty"`
}

type headEntry struct {
	User string `bson:"u"`
	Seq  int64  `bson:"s"`
}

type goneEntry struct {
	User string    `bson:"u"`
	At   time.Time `bson:"at"`
}

// headsDoc is every user's highest sequence as the instances last merged
// it, and the users forgotten lately, whom every instance drops from
// memory. Log is the last entry of notify_changes whose heads it holds: a
// starting instance (or a follower behind a pruned log) reads this one
// document and replays the entries after Log (follow.go).
type headsDoc struct {
	ID    string      `bson:"_id"`
	Heads []headEntry `bson:"h"`
	Gone  []goneEntry `bson:"gone,omitempty"`
	Log   int64       `bson:"log,omitempty"`
	At    time.Time   `bson:"at"`
}

type headsState struct {
	heads map[string]int64
	gone  map[string]time.Time
	log   int64 // headsDoc.Log
}

type nStore struct {
	items, users, keys, jobs, meta *mongo.Collection
}

func newStore(s *store.Store) *nStore {
	return &nStore{
		items: s.DB.Collection(itemsColl),
		users: s.DB.Collection(usersColl),
		keys:  s.DB.Collection(keysColl),
		jobs:  s.DB.Collection(jobsColl),
		meta:  s.DB.Collection(metaColl),
	}
}

func unavailable(what string, err error) error {
	return fmt.Errorf("%w: %s: %v", apperr.ErrUnavailable, what, err)
}

func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

// outcome of inserting one document of a batch.
type outcome uint8

const (
	inserted  outcome = iota
	duplicate         // the _id exists
	failed            // unknown: the store did not answer, or another error
)

// insertAll inserts docs unordered in batches of batch and reports each
// document's outcome. It never returns early: a failed batch marks its
// documents failed and the next batch is tried.
func insertAll(ctx context.Context, c *mongo.Collection, docs []any, batch int) []outcome {
	out := make([]outcome, len(docs))
	for start := 0; start < len(docs); start += batch {
		end := min(start+batch, len(docs))
		_, err := c.InsertMany(ctx, docs[start:end], options.InsertMany().SetOrdered(false))
		if err == nil {
			continue
		}
		var bwe mongo.BulkWriteException
		if !errors.As(err, &bwe) || bwe.WriteConcernError != nil {
			for i := start; i < end; i++ {
				out[i] = failed
			}
			continue
		}
		for _, we := range bwe.WriteErrors {
			if we.Index < 0 || start+we.Index >= end {
				continue
			}
			if mongo.IsDuplicateKeyError(we) {
				out[start+we.Index] = duplicate
			} else {
				out[start+we.Index] = failed
			}
		}
	}
	return out
}

// item returns a user's notification number seq, or nil when there is none.
func (s *nStore) item(ctx context.Context, user string, seq int64) (*itemDoc, error) {
	var d itemDoc
	err := s.items.FindOne(ctx, byID(itemID(user, seq))).Decode(&d)
	if store.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, unavailable("read notification", err)
	}
	return &d, nil
}

func (s *nStore) exists(ctx context.Context, user string, seq int64) (bool, error) {
	if seq <= 0 {
		return true, nil
	}
	err := s.items.FindOne(ctx, byID(itemID(user, seq)), options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err()
	if store.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, unavailable("read notification", err)
	}
	return true, nil
}

// stream is a user's notifications as a log: "<user>:<seq, 12 digits>"
// (server/store/streamlog), the same ids as itemID.
func (s *nStore) stream(user string) *streamlog.Log { return streamlog.New(s.items, user) }

// lastSeq finds a user's highest sequence from a known lower bound (one
// point lookup when known is right, about 2·log2(n) when n behind).
func (s *nStore) lastSeq(ctx context.Context, user string, known int64) (int64, error) {
	n, err := s.stream(user).Last(ctx, known)
	if err != nil {
		return 0, unavailable("read notification", err)
	}
	return n, nil
}

// itemsRange reads a user's seq from..to by parallel point lookups, in
// ascending order; missing ones are skipped.
func (s *nStore) itemsRange(ctx context.Context, user string, from, to int64) ([]*itemDoc, error) {
	es, err := streamlog.Range[itemDoc](ctx, s.stream(user), from, to)
	if err != nil {
		return nil, unavailable("read notification", err)
	}
	out := make([]*itemDoc, len(es))
	for i, e := range es {
		out[i] = e.V
	}
	return out, nil
}

func (s *nStore) keyClaim(ctx context.Context, id string) (*keyDoc, error) {
	var d keyDoc
	err := s.keys.FindOne(ctx, byID(id)).Decode(&d)
	if store.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, unavailable("read notification key", err)
	}
	return &d, nil
}

func (s *nStore) loadState(ctx context.Context, user string) (*stateDoc, error) {
	var d stateDoc
	err := s.users.FindOne(ctx, byID(user)).Decode(&d)
	if store.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, unavailable("read notification state", err)
	}
	return &d, nil
}

func (s *nStore) loadStates(ctx context.Context) ([]stateDoc, error) {
	cur, err := s.users.Find(ctx, bson.D{})
	if err != nil {
		return nil, unavailable("load notification states", err)
	}
	var out []stateDoc
	if err := cur.All(ctx, &out); err != nil {
		return nil, unavailable("load notification states", err)
	}
	return out, nil
}

// saveState writes d (version d.V) if the stored version is still d.V-1;
// else store.ErrStale.
func (s *nStore) saveState(ctx context.Context, d *stateDoc) error {
	err := store.ReplaceVersion(ctx, s.users, d.ID, d.V, d)
	if err != nil && !errors.Is(err, store.ErrStale) {
		return unavailable("save notification state", err)
	}
	return err
}

func (s *nStore) loadHeads(ctx context.Context) (*headsState, error) {
	var d headsDoc
	err := s.meta.FindOne(ctx, byID(headsID)).Decode(&d)
	if err != nil && !store.IsNotFound(err) {
		return nil, unavailable("load notification heads", err)
	}
	h := &headsState{heads: make(map[string]int64, len(d.Heads)), gone: make(map[string]time.Time, len(d.Gone)), log: d.Log}
	for _, g := range d.Gone {
		h.gone[g.User] = g.At
	}
	for _, e := range d.Heads {
		if _, gone := h.gone[e.User]; !gone {
			h.heads[e.User] = max(h.heads[e.User], e.Seq)
		}
	}
	return h, nil
}

func (s *nStore) saveHeads(ctx context.Context, heads map[string]int64, gone map[string]time.Time, log int64, at time.Time) error {
	d := headsDoc{ID: headsID, Heads: make([]headEntry, 0, len(heads)), Log: log, At: at}
	for u, n := range heads {
		if _, g := gone[u]; !g && n > 0 {
			d.Heads = append(d.Heads, headEntry{u, n})
		}
	}
	for u, t := range gone {
		d.Gone = append(d.Gone, goneEntry{u, t})
	}
	if _, err := s.meta.ReplaceOne(ctx, byID(headsID), &d, options.Replace().SetUpsert(true)); err != nil {
		return unavailable("save notification heads", err)
	}
	return nil
}

func (s *nStore) insertJob(ctx context.Context, j *jobDoc) error {
	if _, err := s.jobs.InsertOne(ctx, j); store.IsDuplicateKey(err) {
		return errJobExists
	} else if err != nil {
		return unavailable("save notification job", err)
	}
	return nil
}

// errJobExists: the job is stored already (a retried insert that landed).
var errJobExists = errors.New("notification job exists")

func (s *nStore) loadJobs(ctx context.Context) ([]jobDoc, error) {
	cur, err := s.jobs.Find(ctx, bson.D{})
	if err != nil {
		return nil, unavailable("load notification jobs", err)
	}
	var out []jobDoc
	if err := cur.All(ctx, &out); err != nil {
		return nil, unavailable("load notification jobs", err)
	}
	return out, nil
}

// claimJob takes an abandoned job over: only if nobody else did since it was read.
func (s *nStore) claimJob(ctx context.Context, j *jobDoc, owner string, at time.Time) (bool, error) {
	res, err := s.jobs.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: j.ID}, {Key: "owner", Value: j.Owner}, {Key: "claimedAt", Value: j.ClaimedAt}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "owner", Value: owner}, {Key: "claimedAt", Value: at}, {Key: "careful", Value: true}}}})
	if err != nil {
		return false, unavailable("claim notification job", err)
	}
	return res.ModifiedCount == 1, nil
}

// progressJob records progress (and that the owner is alive); false when
// another instance has taken the job over.
func (s *nStore) progressJob(ctx context.Context, id, owner string, done int, at time.Time) (bool, error) {
	res, err := s.jobs.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "owner", Value: owner}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "done", Value: done}, {Key: "claimedAt", Value: at}}}})
	if err != nil {
		return false, unavailable("record notification job", err)
	}
	return res.MatchedCount == 1, nil
}

func (s *nStore) deleteJob(ctx context.Context, id string) error {
	if _, err := s.jobs.DeleteOne(ctx, byID(id)); err != nil {
		return unavailable("finish notification job", err)
	}
	return nil
}

// forget deletes everything stored for a user (scans on the embedded
// store: a rare administrative action).
func (s *nStore) forget(ctx context.Context, user string) error {
	if _, err := s.items.DeleteMany(ctx, bson.D{{Key: "u", Value: user}}); err != nil {
		return unavailable("delete notifications", err)
	}
	if _, err := s.keys.DeleteMany(ctx, bson.D{{Key: "u", Value: user}}); err != nil {
		return unavailable("delete notification keys", err)
	}
	if _, err := s.users.DeleteOne(ctx, byID(user)); err != nil {
		return unavailable("delete notification state", err)
	}
	return nil
}
