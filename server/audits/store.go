package audits

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/blob"
)

// Collections. Every document has a meaningful string _id and every read or
// write on a hot path is by _id; whole collections are read only at start
// (other instances' writes arrive through the change log: follow.go).
const (
	templatesColl   = "audits_templates"
	roundsColl      = "audits_rounds"
	auditsColl      = "audits_audits"
	actionsColl     = "audits_actions"
	correctionsColl = "audits_corrections"
	auditorsColl    = "audits_auditors"
	metaColl        = "audits_meta"
	photoBucket     = "audit_photos"
)

// Indexes serve MongoDB (FerretDB accepts and ignores them for finds).
var Indexes = []store.Index{
	{Collection: auditsColl, Keys: bson.D{{Key: "roundId", Value: 1}}, Name: "audits_round"},
	{Collection: actionsColl, Keys: bson.D{{Key: "auditId", Value: 1}}, Name: "audits_actions_audit"},
}

type auditStore struct {
	templates, rounds, audits, actions, corrections, auditors, meta *mongo.Collection
	photos                                                          *blob.Bucket
}

func newStore(s *store.Store) *auditStore {
	db := s.DB
	return &auditStore{
		templates: db.Collection(templatesColl), rounds: db.Collection(roundsColl), audits: db.Collection(auditsColl),
		actions: db.Collection(actionsColl), corrections: db.Collection(correctionsColl), auditors: db.Collection(auditorsColl),
		meta: db.Collection(metaColl), photos: blob.Open(s, photoBucket),
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

// put writes a whole document by _id (an upsert: safe to repeat).
func put(ctx context.Context, c *mongo.Collection, id string, doc any) error {
	if _, err := c.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, doc, options.Replace().SetUpsert(true)); err != nil {
		return unavailable("save "+c.Name(), err)
	}
	return nil
}

// insertNew inserts a document unless one with its _id exists; it reports
// whether it inserted.
func insertNew(ctx context.Context, c *mongo.Collection, doc any) (bool, error) {
	if _, err := c.InsertOne(ctx, doc); err != nil {
		if store.IsDuplicateKey(err) {
			return false, nil
		}
		return false, unavailable("save "+c.Name(), err)
	}
	return true, nil
}

// setAnswer stores one answer by _id: the field of its criterion and the
// client id (so a resend is recognised on every instance).
func (s *auditStore) setAnswer(ctx context.Context, auditID string, a Answer, status string) error {
	// Only {_id} filters are pushed down by the embedded engine; that the
	// audit is not finished is checked in memory under the write lock.
	_, err := s.audits.UpdateOne(ctx, idFilter(auditID),
		bson.D{
			{Key: "$set", Value: bson.D{{Key: "answers." + a.Criterion, Value: a}, {Key: "status", Value: status}}},
			{Key: "$addToSet", Value: bson.D{{Key: "clientIds", Value: a.ClientID}}},
		})
	if err != nil {
		return unavailable("save answer", err)
	}
	return nil
}

func idFilter(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

// addPhoto appends a photo's record to its audit.
// all is the audit's whole list after the change (used when the stored
// field may be null: older documents).
func (s *auditStore) addPhoto(ctx context.Context, auditID string, p Photo, all []Photo, status string) error {
	upd := bson.D{
		{Key: "$push", Value: bson.D{{Key: "photos", Value: p}}},
		{Key: "$set", Value: bson.D{{Key: "status", Value: status}}},
	}
	if len(all) == 1 {
		upd = bson.D{{Key: "$set", Value: bson.D{{Key: "photos", Value: all}, {Key: "status", Value: status}}}}
	}
	_, err := s.audits.UpdateOne(ctx, idFilter(auditID), upd)
	if err != nil {
		return unavailable("save photo", err)
	}
	return nil
}

func isNotFound(err error) bool  { return store.IsNotFound(err) }
func isDuplicate(err error) bool { return store.IsDuplicateKey(err) }
