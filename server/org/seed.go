package org

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
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
	xs := make([]any, len(docs))
	for i, d := range docs {
		xs[i] = d
	}
	if err := store.InsertMissing(ctx, c, xs); err != nil {
		return fmt.Errorf("insert %s: %w", c.Name(), err)
	}
	return nil
}

func isConflict(err error) bool { return errors.Is(err, apperr.ErrConflict) }
