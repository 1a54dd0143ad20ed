package privacy

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Place says where a domain keeps a person's id in one collection, for
// domains whose data about a person is plain documents. Fields are dot
// paths; "{user}" in a path stands for the person's id, for maps keyed by
// person ("attendance.{user}": the key exists); "_id=*:{user}" matches
// ids that end in ":" and the person's id. Names pairs an id path with
// the path of the name stored beside it ("author.id" → "author.name"),
// which erasure replaces by the pseudonym.
//
// IDs, when set, names the person's documents in the collection by their
// _id (from a domain's memory): the export then reads them by point
// lookups, the one find the embedded store does not answer by reading the
// whole collection (docs/architecture.md, "The store"). It must name every
// document Fields match. Erasure still updates by Fields.
type Place struct {
	Collection string
	Fields     []string
	Names      map[string]string
	IDs        func(ctx context.Context, userID string) ([]string, error)
}

// safeID: a person's id may appear in a field path only when it cannot
// change the path (no dots, no dollar signs).
var safeID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// filter matches documents naming the person in any of the place's fields.
// It is built here from the domain's declared paths and a checked id, never
// from client input.
func (p Place) filter(userID string) (bson.D, error) {
	if !safeID.MatchString(userID) {
		return nil, fmt.Errorf("user id %q cannot be used in a filter", userID)
	}
	or := bson.A{}
	for _, f := range p.Fields {
		if field, ok := strings.CutSuffix(f, "=*:{user}"); ok {
			or = append(or, bson.D{{Key: field, Value: bson.D{{Key: "$regex", Value: ":" + userID + "$"}}}})
		} else if strings.Contains(f, "{user}") {
			or = append(or, bson.D{{Key: strings.ReplaceAll(f, "{user}", userID), Value: bson.D{{Key: "$exists", Value: true}}}})
		} else {
			or = append(or, bson.D{{Key: f, Value: userID}})
		}
	}
	if len(or) == 1 {
		return or[0].(bson.D), nil
	}
	return bson.D{{Key: "$or", Value: or}}, nil
}

// byIDs reads the documents p.IDs names, one point lookup each, in the
// order named; one gone meanwhile is skipped.
func byIDs(ctx context.Context, c *mongo.Collection, p Place, userID string) ([]bson.M, error) {
	ids, err := p.IDs(ctx, userID)
	if err != nil {
		return nil, err
	}
	docs := []bson.M{}
	for _, id := range ids {
		var d bson.M
		err := c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// Places builds a Holder and a Pseudonymiser over plain documents. The
// export lists, per collection, the documents that name the person: by
// point lookups where the place names them (IDs), else by a filter that
// reads the whole collection on the embedded store, which is fine for a
// rare, administrator- or self-requested export and never happens per
// request.
func Places(db *mongo.Database, places ...Place) (Holder, Pseudonymiser) {
	h := HolderFunc(func(ctx context.Context, userID string) (any, error) {
		out := map[string][]bson.M{}
		for _, p := range places {
			f, err := p.filter(userID)
			if err != nil {
				return nil, err
			}
			if p.IDs != nil {
				docs, err := byIDs(ctx, db.Collection(p.Collection), p, userID)
				if err != nil {
					return nil, err
				}
				out[p.Collection] = docs
				continue
			}
			cur, err := db.Collection(p.Collection).Find(ctx, f)
			if err != nil {
				return nil, err
			}
			docs := []bson.M{}
			if err := cur.All(ctx, &docs); err != nil {
				return nil, err
			}
			out[p.Collection] = docs
		}
		return out, nil
	})
	var named []Place
	for _, p := range places {
		if len(p.Names) > 0 {
			named = append(named, p)
		}
	}
	if len(named) == 0 {
		return h, nil
	}
	ps := PseudonymiserFunc(func(ctx context.Context, userID, pseudonym string) error {
		for _, p := range named {
			for idPath, namePath := range p.Names {
				if _, err := db.Collection(p.Collection).UpdateMany(ctx, bson.D{{Key: idPath, Value: userID}},
					bson.D{{Key: "$set", Value: bson.D{{Key: namePath, Value: pseudonym}}}}); err != nil {
					return fmt.Errorf("pseudonymise %s: %w", p.Collection, err)
				}
			}
		}
		return nil
	})
	return h, ps
}
