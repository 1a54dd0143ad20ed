package learning

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
)

// Collections. Every document has a meaningful string _id and every write is
// by _id, the one filter the embedded store pushes down. Everything is read
// whole at start; other instances' writes arrive through the change log
// (follow.go).
const (
	programmesColl   = "learning_programmes"
	cohortsColl      = "learning_cohorts"
	trajectoriesColl = "learning_trajectories"
	sessionsColl     = "learning_sessions"
	reflectionsColl  = "learning_reflections"
	scansColl        = "learning_scans"
	answersColl      = "learning_scan_answers"
	metaColl         = "learning_meta"
	settingsID       = "settings"
)

// Indexes: none needed; reads are by _id or whole-collection loads.
var Indexes = []store.Index{}

type lstore struct {
	programmes, cohorts, trajectories, sessions, reflections, scans, answers, meta *mongo.Collection
}

func newStore(s *store.Store) *lstore {
	db := s.DB
	return &lstore{
		programmes: db.Collection(programmesColl), cohorts: db.Collection(cohortsColl),
		trajectories: db.Collection(trajectoriesColl), sessions: db.Collection(sessionsColl),
		reflections: db.Collection(reflectionsColl), scans: db.Collection(scansColl),
		answers: db.Collection(answersColl), meta: db.Collection(metaColl),
	}
}

func unavailable(what string, err error) error {
	return fmt.Errorf("%w: %s: %v", apperr.ErrUnavailable, what, err)
}

func loadAll[T any](ctx context.Context, c *mongo.Collection) ([]T, error) {
	cur, err := c.Find(ctx, bson.D{})
	if err != nil {
		return nil, unavailable("load "+c.Name(), err)
	}
	var out []T
	if err := cur.All(ctx, &out); err != nil {
		return nil, unavailable("load "+c.Name(), err)
	}
	return out, nil
}

func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

// put replaces (or creates) the document with doc's _id.
func put(ctx context.Context, c *mongo.Collection, id string, doc any) error {
	if _, err := c.ReplaceOne(ctx, byID(id), doc, options.Replace().SetUpsert(true)); err != nil {
		return unavailable("save "+c.Name(), err)
	}
	return nil
}

// insert inserts doc; a duplicate _id is reported as (true, nil).
func insert(ctx context.Context, c *mongo.Collection, doc any) (dup bool, err error) {
	if _, err := c.InsertOne(ctx, doc); err != nil {
		if store.IsDuplicateKey(err) {
			return true, nil
		}
		return false, unavailable("save "+c.Name(), err)
	}
	return false, nil
}

func set(ctx context.Context, c *mongo.Collection, id string, fields bson.D) error {
	if _, err := c.UpdateOne(ctx, byID(id), bson.D{{Key: "$set", Value: fields}}); err != nil {
		return unavailable("update "+c.Name(), err)
	}
	return nil
}

func (s *lstore) settings(ctx context.Context) (Settings, error) {
	var out Settings
	err := s.meta.FindOne(ctx, byID(settingsID)).Decode(&out)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return Settings{ID: settingsID, Designers: []string{}}, nil
	}
	if err != nil {
		return Settings{}, unavailable("read learning settings", err)
	}
	if out.Designers == nil {
		out.Designers = []string{}
	}
	return out, nil
}
