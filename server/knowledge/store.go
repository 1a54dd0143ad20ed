package knowledge

import (
	"context"
	"fmt"
	"log/slog"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/doctext"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/blob"
)

// Collections. Everything is insert-only and read by _id, except the scans
// at start (see doc.go).
const (
	headsColl    = "kb_revisions"
	versionsColl = "kb_versions"
	confirmColl  = "kb_confirmations"
	feedbackColl = "kb_feedback"
	answersColl  = "kb_answers"
	changesColl  = "kb_changes"
	filesBucket  = "kbfiles"
	textsBucket  = "kbtexts" // an attachment's extracted text, same id as its bytes in kbfiles
)

// Indexes are for MongoDB; the embedded engine scans regardless and every
// hot read here is by _id.
var Indexes = []store.Index{}

type kbStore struct {
	heads, versions, confirms, feedback, answers, changes *mongo.Collection
	headPeople                                            *store.PersonIndex // the revisions naming each person (privacy.go)
	files                                                 *blob.Bucket
	texts                                                 *doctext.Texts
}

func newStore(st *store.Store, log *slog.Logger) *kbStore {
	db := st.DB
	return &kbStore{
		heads: db.Collection(headsColl), versions: db.Collection(versionsColl), confirms: db.Collection(confirmColl),
		feedback: db.Collection(feedbackColl), answers: db.Collection(answersColl), changes: db.Collection(changesColl),
		headPeople: RevisionIndex(db),
		files:      blob.Open(st, filesBucket), texts: doctext.NewTexts(blob.Open(st, textsBucket), log),
	}
}

// insert writes doc; a duplicate _id is a conflict.
func insert(ctx context.Context, c *mongo.Collection, doc any, conflict string) error {
	if _, err := c.InsertOne(ctx, doc); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return apperr.Conflict("conflict", conflict)
		}
		return fmt.Errorf("store %s: %w", c.Name(), err)
	}
	return nil
}

// findByID reads one document (nil: none); a store that does not answer
// is unavailable (503), as everywhere (store.FindID).
func findByID[T any](ctx context.Context, c *mongo.Collection, id string) (*T, error) {
	return store.FindID[T](ctx, c, id, c.Name()+" "+id)
}

func scanAll[T any](ctx context.Context, c *mongo.Collection, each func(*T)) error {
	cur, err := c.Find(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("scan %s: %w", c.Name(), err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var v T
		if err := cur.Decode(&v); err != nil {
			return fmt.Errorf("decode %s: %w", c.Name(), err)
		}
		each(&v)
	}
	return cur.Err()
}
