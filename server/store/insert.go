package store

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// InsertMissing inserts docs in unordered batches of 500, skipping those
// whose _id is stored already: a re-run after a failure half-way inserts
// only what is missing. Any other failure is returned. (A unique index on
// another field reports a duplicate key too: a document it refuses is
// skipped in the same way.)
func InsertMissing(ctx context.Context, c *mongo.Collection, docs []any) error {
	for len(docs) > 0 {
		n := min(len(docs), 500)
		_, err := c.InsertMany(ctx, docs[:n], options.InsertMany().SetOrdered(false))
		if err != nil && !onlyDuplicates(err) {
			return err
		}
		docs = docs[n:]
	}
	return nil
}

// onlyDuplicates reports whether a bulk write failed on duplicate keys only.
func onlyDuplicates(err error) bool {
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil {
		return false
	}
	for _, we := range bwe.WriteErrors {
		if !mongo.IsDuplicateKeyError(we) {
			return false
		}
	}
	return true
}
