package org

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
)

// InsertMissing stores the regions, teams and memberships whose ids are not
// stored yet, and reloads. It is the entry point the demo organisation
// (server/demo, development only) is loaded through; a load interrupted
// half-way is completed by the next run.
func (s *Service) InsertMissing(ctx context.Context, regions []*Region, teams []*Team, members []*Membership) error {
	for _, r := range regions {
		if err := insert(ctx, s.st.regions, r, "region"); err != nil && !isConflict(err) {
			return err
		}
	}
	if err := insertAll(ctx, s.st.teams, teams); err != nil {
		return err
	}
	if err := insertAll(ctx, s.st.memberships, members); err != nil {
		return err
	}
	return s.Reload(ctx)
}

// insertAll inserts in batches, skipping documents that already exist.
func insertAll[T any](ctx context.Context, c *mongo.Collection, docs []T) error {
	for len(docs) > 0 {
		n := min(len(docs), 500)
		_, err := c.InsertMany(ctx, docs[:n], options.InsertMany().SetOrdered(false))
		if err != nil && !onlyDuplicates(err) {
			return fmt.Errorf("insert %s: %w", c.Name(), err)
		}
		docs = docs[n:]
	}
	return nil
}

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

func isConflict(err error) bool { return errors.Is(err, apperr.ErrConflict) }
