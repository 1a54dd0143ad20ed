package changelog

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/privacy"
	"github.com/plein/plein/server/store"
)

// Collections are the change log's collections (for the privacy register):
// the entries, their counter and the person index.
var Collections = []string{Collection, CounterCollection, Collection + store.PersonIndexSuffix}

// PersonalPlaces: the changes a person made (their name stored beside, replaced
// on erasure) and the changes made to them (subject "… user:<id>"; the
// subject name written then stays as it was).
var PersonalPlaces = []privacy.Place{
	{Collection: Collection, Fields: []string{"actorId", "subject=*:{user}"}, Names: map[string]string{"actorId": "actorName"}},
}

// PeopleIndex names, per person, the entries that name them (as actor or
// as subject), so an export or erasure reads them by point lookups instead
// of the whole, ever-growing log. Append adds each entry before storing it;
// Backfill adds the entries stored before the index existed.
func PeopleIndex(db *mongo.Database) *store.PersonIndex { return store.NewPersonIndex(db, Collection) }

// Places are PersonalPlaces with the index's point lookups.
func Places(db *mongo.Database) []privacy.Place {
	p := PersonalPlaces[0]
	p.IDs = PeopleIndex(db).IDs
	return []privacy.Place{p}
}

// Backfill puts the entries stored before the index existed into it (a
// migration; re-runnable).
func Backfill(ctx context.Context, s *store.Store) error {
	return privacy.Backfill(ctx, s.DB, PersonalPlaces[0], PeopleIndex(s.DB))
}

// people are the people e names where PersonalPlaces looks.
func (e Entry) people() []string {
	return PersonalPlaces[0].People(bson.M{"actorId": e.ActorID, "subject": e.Subject})
}
