package teamspace

import (
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/doctext"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/blob"
)

const (
	logPrefix    = "teamspace_log_"     // the change log in segments of segmentSize entries: _id = zero-padded sequence
	profilesColl = "teamspace_profiles" // profile revisions: insert-only, _id = "<space>:<revision>"
	feedsColl    = "teamspace_feeds"    // calendar feed tokens: _id = user id
	sealedColl   = "teamspace_sealed"   // full log segments, one document each (see sealedDoc)
	filesBucket  = "spacefiles"         // attachment and document bytes (server/store/blob)
	textsBucket  = "spacetexts"         // a document version's extracted text, same id as its bytes in filesBucket
)

// segmentSize bounds a log collection. On the embedded store every find,
// even by _id, scans its collection (docs/performance.md): a lookup in a
// segment costs at most segmentSize documents, whatever the log's length.
// (A variable so that tests can cross segment boundaries quickly.)
var segmentSize int64 = 1000

// Indexes: none. Every read is a lookup by _id, a scan of one segment, or a
// full load at start; the unique _id is the only constraint relied on.
var Indexes = []store.Index{}

type tsStore struct {
	db                    *mongo.Database
	profiles, feeds, meta *mongo.Collection
	files                 *blob.Bucket
	texts                 *doctext.Texts
}

func newStore(s *store.Store, log *slog.Logger) *tsStore {
	return &tsStore{
		db:       s.DB,
		profiles: s.DB.Collection(profilesColl),
		feeds:    s.DB.Collection(feedsColl),
		meta:     s.DB.Collection("meta"),
		files:    blob.Open(s, filesBucket),
		texts:    doctext.NewTexts(blob.Open(s, textsBucket), log),
	}
}

func (s *tsStore) uploads() *mongo.Collection { return s.db.Collection(uploadsColl) }

func segmentOf(seq int64) int64 { return seq / segmentSize }

func segmentName(k int64) string { return fmt.Sprintf("%s%05d", logPrefix, k) }

func (s *tsStore) segment(k int64) *mongo.Collection { return s.db.Collection(segmentName(k)) }

// entry reads one entry; nil when there is none.
func (s *tsStore) entry(ctx context.Context, seq int64) (*entry, error) {
	var e entry
	err := s.segment(segmentOf(seq)).FindOne(ctx, bson.D{{Key: "_id", Value: seqID(seq)}}).Decode(&e)
	if store.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, apperr.Unavailable("read change", err)
	}
	return &e, nil
}

// redact blanks the text of an entry (a deleted post or comment): a delete
// in Plein removes the words from the store, not only from view. Entries are
// otherwise never updated; an update scans one segment on the embedded store.
func (s *tsStore) redact(ctx context.Context, seq int64) error {
	_, err := s.segment(segmentOf(seq)).UpdateOne(ctx, bson.D{{Key: "_id", Value: seqID(seq)}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "text", Value: ""}, {Key: "redacted", Value: true}}}})
	if err != nil {
		return apperr.Unavailable("redact change", err)
	}
	return nil
}

func decodeAll(ctx context.Context, cur *mongo.Cursor) ([]*entry, error) {
	defer cur.Close(ctx)
	var out []*entry
	for cur.Next(ctx) {
		e := new(entry)
		if err := cur.Decode(e); err != nil {
			return nil, apperr.Unavailable("decode change", err)
		}
		out = append(out, e)
	}
	if err := cur.Err(); err != nil {
		return nil, apperr.Unavailable("read changes", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out, nil
}

// segmentEntries reads one segment, in sequence order.
func (s *tsStore) segmentEntries(ctx context.Context, k int64) ([]*entry, error) {
	cur, err := s.segment(k).Find(ctx, bson.D{}, options.Find().SetBatchSize(int32(segmentSize)))
	if err != nil {
		return nil, apperr.Unavailable("load changes", err)
	}
	return decodeAll(ctx, cur)
}

// segmentFull reports whether es (sorted) is the whole of segment k.
func segmentFull(k int64, es []*entry) bool {
	first := k * segmentSize
	if k == 0 {
		first = 1 // sequences start at 1
	}
	if int64(len(es)) != (k+1)*segmentSize-first {
		return false
	}
	for i, e := range es {
		if e.Seq != first+int64(i) {
			return false
		}
	}
	return true
}

// A sealed segment is a full segment's entries in one document: BSON,
// deflated. Reading one takes ~5 ms where reading the segment's 1,000
// documents takes ~110 ms on the embedded store, so the start reads sealed
// segments and only the last, unfinished segment entry by entry.
type sealedDoc struct {
	ID      string `bson:"_id"` // the segment's collection name
	Segment int64  `bson:"segment"`
	Count   int    `bson:"count"`
	Data    []byte `bson:"data"`
}

type sealedBody struct {
	Entries []*entry `bson:"entries"`
}

func (s *tsStore) sealed() *mongo.Collection { return s.db.Collection(sealedColl) }

// seal stores a full segment's sealed copy. replace: overwrite an existing
// copy (after a redaction); otherwise an existing copy is kept.
func (s *tsStore) seal(ctx context.Context, k int64, es []*entry, replace bool) error {
	raw, err := bson.Marshal(sealedBody{Entries: es})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestSpeed)
	if _, err := zw.Write(raw); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	d := &sealedDoc{ID: segmentName(k), Segment: k, Count: len(es), Data: buf.Bytes()}
	if replace {
		_, err = s.sealed().ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, d, options.Replace().SetUpsert(true))
	} else {
		_, err = s.sealed().InsertOne(ctx, d)
		if store.IsDuplicateKey(err) {
			err = nil
		}
	}
	if err != nil {
		return apperr.Unavailable("seal change segment", err)
	}
	return nil
}

// loadSealed reads every sealed segment that is intact.
func (s *tsStore) loadSealed(ctx context.Context) (map[int64][]*entry, error) {
	cur, err := s.sealed().Find(ctx, bson.D{})
	if err != nil {
		return nil, apperr.Unavailable("load sealed changes", err)
	}
	defer cur.Close(ctx)
	out := map[int64][]*entry{}
	for cur.Next(ctx) {
		var d sealedDoc
		if err := cur.Decode(&d); err != nil {
			return nil, apperr.Unavailable("decode sealed changes", err)
		}
		raw, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(d.Data)), 64<<20))
		if err != nil {
			continue // damaged: the segment is read instead
		}
		var body sealedBody
		if err := bson.Unmarshal(raw, &body); err != nil || !segmentFull(d.Segment, body.Entries) {
			continue
		}
		out[d.Segment] = body.Entries
	}
	if err := cur.Err(); err != nil {
		return nil, apperr.Unavailable("load sealed changes", err)
	}
	return out, nil
}

// loadLog reads the whole log (at start), in sequence order: sealed
// segments from their sealed copy, the others entry by entry (sealing
// those that turn out full). It returns which segments are sealed.
func (s *tsStore) loadLog(ctx context.Context, log *slog.Logger) ([]*entry, map[int64]bool, error) {
	sealed, err := s.loadSealed(ctx)
	if err != nil {
		return nil, nil, err
	}
	names, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, nil, apperr.Unavailable("list change segments", err)
	}
	var segs []int64
	for _, n := range names {
		if k, err := strconv.ParseInt(strings.TrimPrefix(n, logPrefix), 10, 64); err == nil && strings.HasPrefix(n, logPrefix) {
			segs = append(segs, k)
		}
	}
	slices.Sort(segs)
	done := map[int64]bool{}
	var out []*entry
	for _, k := range segs {
		if es, ok := sealed[k]; ok {
			out = append(out, es...)
			done[k] = true
			continue
		}
		es, err := s.segmentEntries(ctx, k)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, es...)
		if segmentFull(k, es) {
			if err := s.seal(ctx, k, es, false); err != nil {
				log.WarnContext(ctx, "seal change segment", "segment", k, "err", err)
			} else {
				done[k] = true
			}
		}
	}
	return out, done, nil
}

func (s *tsStore) loadProfiles(ctx context.Context) ([]ProfileRevisionDoc, error) {
	return store.FindAll[ProfileRevisionDoc](ctx, s.profiles, bson.D{}, "profiles")
}

// insertProfile stores a revision; a revision that exists is a conflict
// (someone else saved the same revision first).
func (s *tsStore) insertProfile(ctx context.Context, r *ProfileRevisionDoc) error {
	_, err := s.profiles.InsertOne(ctx, r)
	if store.IsDuplicateKey(err) {
		return apperr.Conflict("stale_version", "someone else changed the profile meanwhile; reload and try again")
	}
	if err != nil {
		return apperr.Unavailable("save profile", err)
	}
	return nil
}

// feedDoc holds a user's calendar feed token. The token must be shown again
// on every visit of the settings page, so it is stored as is (it grants
// read access to event titles only, and a reset replaces it).
type feedDoc struct {
	UserID string `bson:"_id"`
	Token  string `bson:"token"`
}

func (s *tsStore) feed(ctx context.Context, userID string) (*feedDoc, error) {
	return store.FindID[feedDoc](ctx, s.feeds, userID, "calendar feed")
}

// createFeed stores a token unless the user has one; it returns the one in effect.
func (s *tsStore) createFeed(ctx context.Context, f *feedDoc) (*feedDoc, error) {
	_, err := s.feeds.InsertOne(ctx, f)
	if store.IsDuplicateKey(err) {
		cur, err := s.feed(ctx, f.UserID)
		if err == nil && cur == nil {
			err = apperr.Unavailable("read calendar feed", errors.New("vanished"))
		}
		return cur, err
	}
	if err != nil {
		return nil, apperr.Unavailable("save calendar feed", err)
	}
	return f, nil
}

func (s *tsStore) replaceFeed(ctx context.Context, f *feedDoc) error {
	_, err := s.feeds.ReplaceOne(ctx, bson.D{{Key: "_id", Value: f.UserID}}, f, options.Replace().SetUpsert(true))
	if err != nil {
		return apperr.Unavailable("save calendar feed", err)
	}
	return nil
}
