package push

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
)

const (
	usersColl  = "push_users"     // "<user>": the person's devices and settings, one small document
	claimsColl = "push_endpoints" // "<device id>": which person an endpoint belongs to now
)

// subDoc is one device's subscription.
type subDoc struct {
	ID       string    `bson:"id"`
	Endpoint string    `bson:"e"`
	P256dh   string    `bson:"k"`
	Auth     string    `bson:"a"`
	Label    string    `bson:"l,omitempty"`
	At       time.Time `bson:"at"`
	// Session is the login session the device was turned on in (the
	// session's id, a hash of its token): its logout turns push off there.
	Session string `bson:"s,omitempty"`
}

// userDoc is everything push knows of a person. V is its version: every
// write is conditional on the version it read.
type userDoc struct {
	ID    string     `bson:"_id"`
	V     int64      `bson:"v"`
	Subs  []subDoc   `bson:"subs"`
	Quiet QuietHours `bson:"quiet"`
	Lang  string     `bson:"lang,omitempty"`
	At    time.Time  `bson:"at"`
}

func (d *userDoc) settings() Settings {
	s := defaultSettings()
	if d == nil {
		return s
	}
	if d.Quiet.From != "" {
		s.QuietHours = d.Quiet
	}
	if d.Lang != "" {
		s.Language = d.Lang
	}
	return s
}

type claimDoc struct {
	ID   string    `bson:"_id"`
	User string    `bson:"u"`
	At   time.Time `bson:"at"`
}

type pStore struct{ users, claims *mongo.Collection }

func newStore(s *store.Store) *pStore {
	return &pStore{users: s.DB.Collection(usersColl), claims: s.DB.Collection(claimsColl)}
}

func unavailable(what string, err error) error { return apperr.Unavailable(what, err) }

func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

// load reads a person's document (nil: none yet).
func (s *pStore) load(ctx context.Context, user string) (*userDoc, error) {
	return store.FindID[userDoc](ctx, s.users, user, "push devices")
}

// save writes d (version d.V) if the stored version is still d.V-1; else
// store.ErrStale.
func (s *pStore) save(ctx context.Context, d *userDoc) error {
	err := store.ReplaceVersion(ctx, s.users, d.ID, d.V, d)
	if err != nil && !errors.Is(err, store.ErrStale) {
		return unavailable("save push devices", err)
	}
	return err
}

// update applies change to the person's document and writes it; on a
// conflict (another request or instance wrote meanwhile) it re-reads and
// applies change again. change returns false to write nothing.
func (s *pStore) update(ctx context.Context, user string, now time.Time, change func(*userDoc) bool) (*userDoc, error) {
	for range 5 {
		d, err := s.load(ctx, user)
		if err != nil {
			return nil, err
		}
		if d == nil {
			d = &userDoc{ID: user}
		}
		if !change(d) {
			return d, nil
		}
		d.V++
		d.At = now
		if err := s.save(ctx, d); errors.Is(err, store.ErrStale) {
			continue
		} else if err != nil {
			return nil, err
		}
		return d, nil
	}
	return nil, apperr.Conflict("stale_version", "your push settings changed at the same time elsewhere; try again")
}

// owner is who an endpoint was last subscribed by ("" when nobody).
func (s *pStore) owner(ctx context.Context, id string) (string, error) {
	d, err := store.FindID[claimDoc](ctx, s.claims, id, "push endpoint")
	if d == nil || err != nil {
		return "", err
	}
	return d.User, nil
}

func (s *pStore) claim(ctx context.Context, id, user string, at time.Time) error {
	if _, err := s.claims.ReplaceOne(ctx, byID(id), &claimDoc{ID: id, User: user, At: at}, options.Replace().SetUpsert(true)); err != nil {
		return unavailable("save push endpoint", err)
	}
	return nil
}

// userIDs lists the people with a document (a scan of a small collection:
// start and the reload tick).
func (s *pStore) userIDs(ctx context.Context) ([]string, error) {
	cur, err := s.users.Find(ctx, bson.D{}, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: "subs.id", Value: 1}}))
	if err != nil {
		return nil, unavailable("load push devices", err)
	}
	var docs []struct {
		ID   string `bson:"_id"`
		Subs []struct {
			ID string `bson:"id"`
		} `bson:"subs"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, unavailable("load push devices", err)
	}
	out := make([]string, 0, len(docs))
	for _, d := range docs {
		if len(d.Subs) > 0 {
			out = append(out, d.ID)
		}
	}
	return out, nil
}

// forget deletes a person's document and their endpoint claims (AVG).
func (s *pStore) forget(ctx context.Context, user string) error {
	d, err := s.load(ctx, user)
	if err != nil || d == nil {
		return err
	}
	for _, sub := range d.Subs {
		if _, err := s.claims.DeleteOne(ctx, bson.D{{Key: "_id", Value: sub.ID}, {Key: "u", Value: user}}); err != nil {
			return unavailable("delete push endpoint", err)
		}
	}
	if _, err := s.users.DeleteOne(ctx, byID(user)); err != nil {
		return unavailable("delete push devices", err)
	}
	return nil
}
