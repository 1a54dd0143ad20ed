package privacy

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/store"
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
// _id (from a domain's memory, or a store.PersonIndex): the export then
// reads them by point lookups, the one find the embedded store does not
// answer by reading the whole collection (docs/architecture.md, "The
// store"), and erasure updates them one by one by _id. It must name every
// document Fields match; a document it names that Fields do not match is
// left out. When it returns store.ErrIndexIncomplete (an index whose
// backfill has not run) the export and erasure use the filter instead.
type Place struct {
	Collection string
	Fields     []string
	Names      map[string]string
	IDs        func(ctx context.Context, userID string) ([]string, error)
}

// WithIDs gives every place a copy of itself whose IDs are ids for its
// collection, sorted: for a domain whose memory names the person's
// documents in each of its collections (audits, learning).
func WithIDs(places []Place, ids func(ctx context.Context, coll, userID string) ([]string, error)) []Place {
	out := slices.Clone(places)
	for i := range out {
		coll := out[i].Collection
		out[i].IDs = func(ctx context.Context, userID string) ([]string, error) {
			found, err := ids(ctx, coll, userID)
			slices.Sort(found)
			return found, err
		}
	}
	return out
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
// order named, keeping those that name the person (Names); one gone
// meanwhile is skipped. ok is false when p has no IDs or its index is
// not complete: read by filter.
func byIDs(ctx context.Context, c *mongo.Collection, p Place, userID string) (docs []bson.M, ok bool, err error) {
	if p.IDs == nil {
		return nil, false, nil
	}
	ids, err := p.IDs(ctx, userID)
	if errors.Is(err, store.ErrIndexIncomplete) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	docs = []bson.M{}
	for _, id := range ids {
		var d bson.M
		err := c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue
		}
		if err != nil {
			return nil, false, err
		}
		if p.mentions(d, userID) {
			docs = append(docs, d)
		}
	}
	return docs, true, nil
}

// mentions reports whether doc names the person in one of the place's
// fields (the filter's test, made in memory).
func (p Place) mentions(doc bson.M, userID string) bool {
	return slices.Contains(p.People(doc), userID)
}

// People are the people doc names in the place's fields: the values at
// the plain paths (through arrays), the keys of a "{user}" map, the end of
// an "=*:{user}" id.
func (p Place) People(doc bson.M) []string {
	var out []string
	for _, f := range p.Fields {
		if field, ok := strings.CutSuffix(f, "=*:{user}"); ok {
			for _, v := range valuesAt(doc, field) {
				if s, ok := v.(string); ok {
					if i := strings.LastIndexByte(s, ':'); i >= 0 {
						out = append(out, s[i+1:])
					}
				}
			}
		} else if mp, ok := strings.CutSuffix(f, ".{user}"); ok {
			for _, v := range valuesAt(doc, mp) {
				out = append(out, keysOf(v)...)
			}
		} else {
			for _, v := range valuesAt(doc, f) {
				if s, ok := v.(string); ok {
					out = append(out, s)
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// valuesAt walks a dot path through documents and arrays.
func valuesAt(v any, path string) []any {
	if path == "" {
		if a, ok := asArray(v); ok {
			return a
		}
		return []any{v}
	}
	if a, ok := asArray(v); ok {
		var out []any
		for _, x := range a {
			out = append(out, valuesAt(x, path)...)
		}
		return out
	}
	head, rest, _ := strings.Cut(path, ".")
	var next any
	switch d := v.(type) {
	case bson.M:
		next = d[head]
	case map[string]any:
		next = d[head]
	case bson.D:
		for _, e := range d {
			if e.Key == head {
				next = e.Value
			}
		}
	default:
		return nil
	}
	if next == nil {
		return nil
	}
	return valuesAt(next, rest)
}

func asArray(v any) ([]any, bool) {
	switch a := v.(type) {
	case bson.A:
		return a, true
	case []any:
		return a, true
	}
	return nil, false
}

func keysOf(v any) []string {
	var out []string
	switch d := v.(type) {
	case bson.M:
		for k := range d {
			out = append(out, k)
		}
	case map[string]any:
		for k := range d {
			out = append(out, k)
		}
	case bson.D:
		for _, e := range d {
			out = append(out, e.Key)
		}
	}
	return out
}

// Places builds a Holder and a Pseudonymiser over plain documents. The
// export lists, per collection, the documents that name the person: by
// point lookups where the place names them (IDs), else by a filter that
// reads the whole collection on the embedded store, which is fine for a
// rare, administrator- or self-requested export and never happens per
// request. Erasure, likewise, replaces the names by one update by _id per
// document where the place names them, else by one filtered update.
func Places(db *mongo.Database, places ...Place) (Holder, Pseudonymiser) {
	h := HolderFunc(func(ctx context.Context, userID string) (any, error) {
		out := map[string][]bson.M{}
		for _, p := range places {
			f, err := p.filter(userID)
			if err != nil {
				return nil, err
			}
			docs, ok, err := byIDs(ctx, db.Collection(p.Collection), p, userID)
			if err != nil {
				return nil, err
			}
			if ok {
				out[p.Collection] = docs
				continue
			}
			cur, err := db.Collection(p.Collection).Find(ctx, f)
			if err != nil {
				return nil, err
			}
			docs = []bson.M{}
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
		if !safeID.MatchString(userID) {
			return fmt.Errorf("user id %q cannot be used in a filter", userID)
		}
		for _, p := range named {
			if err := pseudonymise(ctx, db.Collection(p.Collection), p, userID, pseudonym); err != nil {
				return fmt.Errorf("pseudonymise %s: %w", p.Collection, err)
			}
		}
		return nil
	})
	return h, ps
}

// pseudonymise replaces the person's names in one place: by _id for each
// document p.IDs names (skipping names already replaced, so a re-run after
// a failure half-way writes only what is left), else by one filtered
// update per name.
func pseudonymise(ctx context.Context, c *mongo.Collection, p Place, userID, pseudonym string) error {
	docs, ok, err := byIDs(ctx, c, p, userID)
	if err != nil {
		return err
	}
	if !ok {
		for idPath, namePath := range p.Names {
			if _, err := c.UpdateMany(ctx, bson.D{{Key: idPath, Value: userID}},
				bson.D{{Key: "$set", Value: bson.D{{Key: namePath, Value: pseudonym}}}}); err != nil {
				return err
			}
		}
		return nil
	}
	for _, d := range docs {
		set := bson.D{}
		for _, idPath := range slices.Sorted(maps.Keys(p.Names)) {
			namePath := p.Names[idPath]
			if !slices.Contains(valuesAt(d, idPath), any(userID)) || slices.Contains(valuesAt(d, namePath), any(pseudonym)) {
				continue
			}
			set = append(set, bson.E{Key: namePath, Value: pseudonym})
		}
		if len(set) == 0 {
			continue
		}
		if _, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: d["_id"]}}, bson.D{{Key: "$set", Value: set}}); err != nil {
			return err
		}
	}
	return nil
}

// Backfill adds every document of p's collection to the person index x
// (one read of the whole collection: a migration, once), then marks the
// index complete from the month the read began. Documents written
// meanwhile are in the index already (their writers add them first).
// Re-runnable: a run stopped half-way is done again whole, and adds
// nothing twice.
func Backfill(ctx context.Context, db *mongo.Database, p Place, x *store.PersonIndex) error {
	return x.Rebuild(ctx, func(ctx context.Context, add func(id string, people ...string)) error {
		cur, err := db.Collection(p.Collection).Find(ctx, bson.D{})
		if err != nil {
			return err
		}
		defer cur.Close(ctx)
		for cur.Next(ctx) {
			var d bson.M
			if err := cur.Decode(&d); err != nil {
				return err
			}
			if id, ok := d["_id"].(string); ok {
				add(id, p.People(d)...)
			}
		}
		return cur.Err()
	})
}
