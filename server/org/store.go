package org

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
)

const (
	regionsColl     = "regions"
	teamsColl       = "teams"
	membershipsColl = "memberships"
)

// Indexes are the secondary indexes org needs on MongoDB.
var Indexes = []store.Index{
	{Collection: teamsColl, Keys: bson.D{{Key: "regionId", Value: 1}}, Name: "teams_region"},
	{Collection: membershipsColl, Keys: bson.D{{Key: "userId", Value: 1}}, Name: "memberships_user"},
	{Collection: membershipsColl, Keys: bson.D{{Key: "teamId", Value: 1}}, Name: "memberships_team"},
}

type orgStore struct {
	regions, teams, memberships *mongo.Collection
}

func newStore(s *store.Store) *orgStore {
	return &orgStore{
		regions:     s.DB.Collection(regionsColl),
		teams:       s.DB.Collection(teamsColl),
		memberships: s.DB.Collection(membershipsColl),
	}
}

func loadAll[T any](ctx context.Context, c *mongo.Collection) ([]T, error) {
	return store.FindAll[T](ctx, c, bson.D{}, c.Name())
}

func insert(ctx context.Context, c *mongo.Collection, doc any, what string) error {
	_, err := c.InsertOne(ctx, doc)
	if store.IsDuplicateKey(err) {
		return apperr.Conflict("already_exists", what+" already exists")
	}
	if err != nil {
		return apperr.Unavailable("save "+what, err)
	}
	return nil
}

func replace(ctx context.Context, c *mongo.Collection, id string, doc any, upsert bool) error {
	_, err := c.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, doc, options.Replace().SetUpsert(upsert))
	if err != nil {
		return apperr.Unavailable("save "+c.Name(), err)
	}
	return nil
}

func deleteID(ctx context.Context, c *mongo.Collection, id string) error {
	_, err := c.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return apperr.Unavailable("delete from "+c.Name(), err)
	}
	return nil
}
