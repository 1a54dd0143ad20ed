package store

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Migration is one numbered, idempotent schema change. Up must be safe to run
// again (two instances may start at once, or a crash may interrupt it before
// it is recorded).
type Migration struct {
	ID   int
	Name string
	Up   func(ctx context.Context, s *Store) error
}

type migrationRecord struct {
	ID        string    `bson:"_id"`
	Name      string    `bson:"name"`
	AppliedAt time.Time `bson:"appliedAt"`
}

const migrationsCollection = "migrations"

// Migrate applies, in ID order, every migration not yet recorded in the
// database, recording each after it succeeds.
func (s *Store) Migrate(ctx context.Context, ms []Migration, log *slog.Logger) error {
	sorted := append([]Migration(nil), ms...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	for i := 1; i < len(sorted); i++ {
		if sorted[i].ID == sorted[i-1].ID {
			return fmt.Errorf("migration id %d used twice", sorted[i].ID)
		}
	}
	coll := s.DB.Collection(migrationsCollection)
	for _, m := range sorted {
		key := fmt.Sprintf("%04d", m.ID)
		err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Err()
		if err == nil {
			continue
		}
		if !IsNotFound(err) {
			return fmt.Errorf("read migrations: %w", err)
		}
		if err := m.Up(ctx, s); err != nil {
			return fmt.Errorf("migration %s %s: %w", key, m.Name, err)
		}
		_, err = coll.InsertOne(ctx, migrationRecord{ID: key, Name: m.Name, AppliedAt: time.Now().UTC()})
		if err != nil && !IsDuplicateKey(err) {
			return fmt.Errorf("record migration %s: %w", key, err)
		}
		if log != nil {
			log.Info("migration applied", "id", key, "name", m.Name)
		}
	}
	return nil
}

// Applied lists the recorded migration ids.
func (s *Store) Applied(ctx context.Context) ([]string, error) {
	cur, err := s.DB.Collection(migrationsCollection).Find(ctx, bson.D{})
	if err != nil {
		return nil, err
	}
	var recs []migrationRecord
	if err := cur.All(ctx, &recs); err != nil {
		return nil, err
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	sort.Strings(ids)
	return ids, nil
}
