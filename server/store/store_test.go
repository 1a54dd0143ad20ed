package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/storetest"
)

func TestEmbeddedRoundTripOverTheWire(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	coll := s.DB.Collection("things")
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "a"}, {Key: "n", Value: 1}}); err != nil {
		t.Fatal(err)
	}
	_, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "a"}, {Key: "n", Value: 2}})
	if !store.IsDuplicateKey(err) {
		t.Fatalf("second insert with same _id: want duplicate key error, got %v", err)
	}
	var got struct {
		N int `bson:"n"`
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "a"}}).Decode(&got); err != nil || got.N != 1 {
		t.Fatalf("find: %v %+v", err, got)
	}
	if !store.IsNotFound(coll.FindOne(ctx, bson.D{{Key: "_id", Value: "zz"}}).Err()) {
		t.Fatal("want not found")
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestUniqueIndexEnforced(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	err := s.EnsureIndexes(ctx, []store.Index{{Collection: "u", Keys: bson.D{{Key: "email", Value: 1}}, Unique: true, Name: "email_unique"}})
	if err != nil {
		t.Fatal(err)
	}
	// Idempotent.
	if err := s.EnsureIndexes(ctx, []store.Index{{Collection: "u", Keys: bson.D{{Key: "email", Value: 1}}, Unique: true, Name: "email_unique"}}); err != nil {
		t.Fatal(err)
	}
	c := s.DB.Collection("u")
	if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: "1"}, {Key: "email", Value: "x@y"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: "2"}, {Key: "email", Value: "x@y"}}); !store.IsDuplicateKey(err) {
		t.Fatalf("want duplicate key, got %v", err)
	}
}

func TestMigrateAppliesOnceInOrder(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	var ran []int
	ms := []store.Migration{
		{ID: 2, Name: "second", Up: func(context.Context, *store.Store) error { ran = append(ran, 2); return nil }},
		{ID: 1, Name: "first", Up: func(context.Context, *store.Store) error { ran = append(ran, 1); return nil }},
	}
	if err := s.Migrate(ctx, ms, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx, ms, nil); err != nil {
		t.Fatal(err)
	}
	if len(ran) != 2 || ran[0] != 1 || ran[1] != 2 {
		t.Fatalf("ran %v, want [1 2] once", ran)
	}
	ids, err := s.Applied(ctx)
	if err != nil || len(ids) != 2 || ids[0] != "0001" {
		t.Fatalf("applied %v %v", ids, err)
	}
}

func TestMigrateStopsAtFailureAndRetriesLater(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	fail := true
	ms := []store.Migration{
		{ID: 1, Name: "flaky", Up: func(context.Context, *store.Store) error {
			if fail {
				return errors.New("boom")
			}
			return nil
		}},
	}
	if err := s.Migrate(ctx, ms, nil); err == nil {
		t.Fatal("want error")
	}
	if ids, _ := s.Applied(ctx); len(ids) != 0 {
		t.Fatalf("failed migration recorded: %v", ids)
	}
	fail = false
	if err := s.Migrate(ctx, ms, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx, []store.Migration{{ID: 1}, {ID: 1}}, nil); err == nil {
		t.Fatal("duplicate ids must be refused")
	}
}

// TestReplaceVersion: a versioned write lands only on the version it read;
// the loser of a race gets ErrStale and the winner's document stays.
func TestReplaceVersion(t *testing.T) {
	s := storetest.New(t)
	c := s.DB.Collection("versioned")
	ctx := context.Background()
	type doc struct {
		ID   string `bson:"_id"`
		V    int64  `bson:"v"`
		Note string `bson:"note"`
	}
	if err := store.ReplaceVersion(ctx, c, "p1", 1, doc{"p1", 1, "first"}); err != nil {
		t.Fatalf("first write: %v", err)
	}
	if err := store.ReplaceVersion(ctx, c, "p1", 1, doc{"p1", 1, "raced"}); !errors.Is(err, store.ErrStale) {
		t.Fatalf("second writer of version 1: %v, want ErrStale", err)
	}
	if err := store.ReplaceVersion(ctx, c, "p1", 2, doc{"p1", 2, "second"}); err != nil {
		t.Fatalf("version 2: %v", err)
	}
	if err := store.ReplaceVersion(ctx, c, "p1", 2, doc{"p1", 2, "lost"}); !errors.Is(err, store.ErrStale) {
		t.Fatalf("second writer of version 2: %v, want ErrStale", err)
	}
	var got doc
	if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: "p1"}}).Decode(&got); err != nil || got.V != 2 || got.Note != "second" {
		t.Fatalf("stored %+v (%v), want version 2 \"second\"", got, err)
	}
}

// A re-run inserts only what is missing, across batches, and leaves what
// was stored as it was.
func TestInsertMissingSkipsStoredDocuments(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	c := s.DB.Collection("things")
	docs := func(from, to int, mark string) []any {
		var out []any
		for i := from; i < to; i++ {
			out = append(out, bson.D{{Key: "_id", Value: fmt.Sprintf("d%04d", i)}, {Key: "mark", Value: mark}})
		}
		return out
	}
	if err := store.InsertMissing(ctx, c, docs(0, 300, "first")); err != nil {
		t.Fatal(err)
	}
	if err := store.InsertMissing(ctx, c, docs(0, 700, "second")); err != nil {
		t.Fatal(err)
	}
	for mark, want := range map[string]int64{"first": 300, "second": 400} {
		n, err := c.CountDocuments(ctx, bson.D{{Key: "mark", Value: mark}})
		if err != nil || n != want {
			t.Errorf("%s: %d documents (%v), want %d", mark, n, err, want)
		}
	}
	if err := store.InsertMissing(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
}
