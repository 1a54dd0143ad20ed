package dashboard

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
)

const (
	figuresColl  = "dashboard_figures"
	importsColl  = "dashboard_imports"
	settingsColl = "dashboard_settings"
	settingsID   = "settings"
)

// Indexes serve MongoDB (FerretDB accepts and ignores them for finds).
var Indexes = []store.Index{
	{Collection: figuresColl, Keys: bson.D{{Key: "importId", Value: 1}}, Name: "dashboard_figures_import"},
	{Collection: importsColl, Keys: bson.D{{Key: "at", Value: 1}}, Name: "dashboard_imports_at"},
}

type dashStore struct {
	figures, imports, settings *mongo.Collection
}

func newStore(s *store.Store) *dashStore {
	return &dashStore{
		figures:  s.DB.Collection(figuresColl),
		imports:  s.DB.Collection(importsColl),
		settings: s.DB.Collection(settingsColl),
	}
}

func unavailable(what string, err error) error {
	return fmt.Errorf("%w: %s: %v", apperr.ErrUnavailable, what, err)
}

func loadAll[T any](ctx context.Context, c *mongo.Collection, opts ...options.Lister[options.FindOptions]) ([]T, error) {
	cur, err := c.Find(ctx, bson.D{}, opts...)
	if err != nil {
		return nil, unavailable("load "+c.Name(), err)
	}
	var out []T
	if err := cur.All(ctx, &out); err != nil {
		return nil, unavailable("load "+c.Name(), err)
	}
	return out, nil
}

func (d *dashStore) loadSettings(ctx context.Context) (Settings, error) {
	var s Settings
	err := d.settings.FindOne(ctx, bson.D{{Key: "_id", Value: settingsID}}).Decode(&s)
	if store.IsNotFound(err) {
		return defaultSettings(), nil
	}
	if err != nil {
		return Settings{}, unavailable("load dashboard settings", err)
	}
	return s, nil
}

func (d *dashStore) saveSettings(ctx context.Context, s Settings) error {
	_, err := d.settings.ReplaceOne(ctx, bson.D{{Key: "_id", Value: settingsID}}, s, options.Replace().SetUpsert(true))
	if err != nil {
		return unavailable("save dashboard settings", err)
	}
	return nil
}

// insertFigures inserts in batches. Duplicates are tolerated (a retried
// seed); anything else fails the commit before its import record exists.
func (d *dashStore) insertFigures(ctx context.Context, figs []figureDoc) error {
	docs := make([]any, len(figs))
	for i := range figs {
		docs[i] = &figs[i]
	}
	if err := store.InsertMissing(ctx, d.figures, docs); err != nil {
		return unavailable("save figures", err)
	}
	return nil
}

func (d *dashStore) insertImport(ctx context.Context, im *Import) error {
	_, err := d.imports.InsertOne(ctx, im)
	if err != nil && !store.IsDuplicateKey(err) {
		return unavailable("save import", err)
	}
	return nil
}
