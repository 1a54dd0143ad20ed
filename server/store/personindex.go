package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// PersonIndex names, per person, the documents of one collection that
// name them, so a personal-data export or an erasure finds them by point
// lookups instead of a filter the embedded store answers by reading the
// whole collection (docs/security.md, "Right of access").
//
// It lives in its own collection, "<collection>_people": one document
// "<person>:<yyyymm>" per person and month in which a document naming them
// was written, holding those documents' ids. A write adds the id to the
// month's document ($addToSet, upserted by _id) before the document itself
// is written, so a run stopped half-way leaves at worst an id that names
// nothing (skipped on read) and a re-run adds nothing twice. A month's
// document stays small (one person's writes in a month), and a reader
// makes one point lookup per month since the index began.
//
// "_since" holds the first month ("yyyymm") from which the index is
// complete: written by the backfill (privacy.Backfill) once every older
// document is in it. Until then IDs reports ErrIndexIncomplete and the
// caller reads by filter as before.
type PersonIndex struct {
	c   *mongo.Collection
	now func() time.Time
}

// ErrIndexIncomplete: the index's backfill has not finished; read by filter.
var ErrIndexIncomplete = errors.New("person index not complete yet")

// PersonIndexSuffix ends the name of an index collection.
const PersonIndexSuffix = "_people"

const personIndexSince = "_since"

// NewPersonIndex returns the index of collection coll.
func NewPersonIndex(db *mongo.Database, coll string) *PersonIndex {
	return &PersonIndex{c: db.Collection(coll + PersonIndexSuffix), now: time.Now}
}

// SetClock replaces the clock (tests).
func (x *PersonIndex) SetClock(now func() time.Time) { x.now = now }

// Collection is the index's own collection (for the privacy register).
func (x *PersonIndex) Collection() string { return x.c.Name() }

type personIndexDoc struct {
	ID    string   `bson:"_id"`
	Month string   `bson:"month"`
	IDs   []string `bson:"ids"`
}

func month(t time.Time) string { return t.UTC().Format("200601") }

// Add records that the document id names each of people (empty names and
// repeats are skipped). Call it before writing the document. Idempotent.
func (x *PersonIndex) Add(ctx context.Context, id string, people ...string) error {
	m := month(x.now())
	done := map[string]bool{"": true}
	for _, p := range people {
		if done[p] {
			continue
		}
		done[p] = true
		if err := x.add(ctx, p+":"+m, m, []string{id}); err != nil {
			return err
		}
	}
	return nil
}

// AddAll records, for each person, the documents that name them (the
// backfill). Idempotent.
func (x *PersonIndex) AddAll(ctx context.Context, byPerson map[string][]string) error {
	m := month(x.now())
	people := make([]string, 0, len(byPerson))
	for p := range byPerson {
		people = append(people, p)
	}
	slices.Sort(people)
	for _, p := range people {
		if p == "" || len(byPerson[p]) == 0 {
			continue
		}
		if err := x.add(ctx, p+":"+m, m, byPerson[p]); err != nil {
			return err
		}
	}
	return nil
}

func (x *PersonIndex) add(ctx context.Context, key, m string, ids []string) error {
	upd := bson.D{
		{Key: "$set", Value: bson.D{{Key: "month", Value: m}}},
		{Key: "$addToSet", Value: bson.D{{Key: "ids", Value: bson.D{{Key: "$each", Value: ids}}}}},
	}
	for try := 0; ; try++ {
		_, err := x.c.UpdateOne(ctx, bson.D{{Key: "_id", Value: key}}, upd, options.UpdateOne().SetUpsert(true))
		if err == nil {
			return nil
		}
		// Two writers upserting the same new document: one insert loses on
		// the unique _id; its update then finds the document.
		if !IsDuplicateKey(err) || try == 2 {
			return fmt.Errorf("person index %s: %w", x.c.Name(), err)
		}
	}
}

// Complete marks the index complete from the month of from (the backfill
// calls it after adding every document written before from). Idempotent;
// a later call moves the month no later than it is.
func (x *PersonIndex) Complete(ctx context.Context, from time.Time) error {
	m := month(from)
	var d personIndexDoc
	err := x.c.FindOne(ctx, bson.D{{Key: "_id", Value: personIndexSince}}).Decode(&d)
	if err == nil && d.Month <= m {
		return nil
	}
	if err != nil && !IsNotFound(err) {
		return fmt.Errorf("person index %s: %w", x.c.Name(), err)
	}
	_, err = x.c.UpdateOne(ctx, bson.D{{Key: "_id", Value: personIndexSince}}, bson.D{{Key: "$set", Value: bson.D{{Key: "month", Value: m}}}},
		options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("person index %s: %w", x.c.Name(), err)
	}
	return nil
}

// Rebuild runs scan, which hands every document of the indexed
// collection with the people it names to add, then adds them all and
// marks the index complete from the month the scan began (the backfill).
// Re-runnable: it adds nothing twice.
func (x *PersonIndex) Rebuild(ctx context.Context, scan func(ctx context.Context, add func(id string, people ...string)) error) error {
	from := x.now()
	byPerson := map[string][]string{}
	err := scan(ctx, func(id string, people ...string) {
		for _, p := range people {
			byPerson[p] = append(byPerson[p], id)
		}
	})
	if err != nil {
		return fmt.Errorf("person index %s: backfill: %w", x.c.Name(), err)
	}
	if err := x.AddAll(ctx, byPerson); err != nil {
		return err
	}
	return x.Complete(ctx, from)
}

// IDs returns the ids of the documents that name the person, sorted and
// without repeats: one point lookup per month from the index's start to
// the next month (a writer's clock may run ahead). ErrIndexIncomplete when
// the backfill has not finished.
func (x *PersonIndex) IDs(ctx context.Context, person string) ([]string, error) {
	var since personIndexDoc
	err := x.c.FindOne(ctx, bson.D{{Key: "_id", Value: personIndexSince}}).Decode(&since)
	if IsNotFound(err) {
		return nil, ErrIndexIncomplete
	}
	if err != nil {
		return nil, fmt.Errorf("person index %s: %w", x.c.Name(), err)
	}
	start, err := time.Parse("200601", since.Month)
	if err != nil {
		return nil, fmt.Errorf("person index %s: since %q: %w", x.c.Name(), since.Month, err)
	}
	end := month(x.now().AddDate(0, 1, 0))
	var ids []string
	for t := start; month(t) <= end; t = t.AddDate(0, 1, 0) {
		var d personIndexDoc
		err := x.c.FindOne(ctx, bson.D{{Key: "_id", Value: person + ":" + month(t)}}).Decode(&d)
		if IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("person index %s: %w", x.c.Name(), err)
		}
		ids = append(ids, d.IDs...)
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// DropBefore deletes the index documents of months before t's month (the
// indexed collection's documents from then are gone: expired sessions).
// It reads the index whole: background only.
func (x *PersonIndex) DropBefore(ctx context.Context, t time.Time) error {
	_, err := x.c.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$ne", Value: personIndexSince}}},
		{Key: "month", Value: bson.D{{Key: "$lt", Value: month(t)}}}})
	if err != nil {
		return fmt.Errorf("person index %s: %w", x.c.Name(), err)
	}
	return nil
}
