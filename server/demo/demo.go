// Package demo loads the demo organisation "Thuiszorg Noorderkwartier" and
// its content (dashboard figures, knowledge base, team spaces, learning
// programme, audits) into a development instance. server/app calls Seed only
// when config.Config.SeedDemo is set, which production mode never allows.
//
// The demo data lives here and in orgdata (the organisation and its people,
// pure data that domain tests use as a fixture); the domains only offer
// exported entry points that the load goes through. No domain imports this
// package (server/arch checks it).
//
// Every load is idempotent: a marker in the meta collection records that a
// part completed, documents have fixed ids, and a part interrupted half-way
// is completed by the next start.
package demo

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/audits"
	"github.com/plein/plein/server/dashboard"
	"github.com/plein/plein/server/demo/orgdata"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/knowledge"
	"github.com/plein/plein/server/learning"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/teamspace"
)

// Deps are the services the demo data is loaded through.
type Deps struct {
	Store     *store.Store
	Users     *identity.Users
	Org       *org.Service
	Dashboard *dashboard.Service
	Knowledge *knowledge.Service
	Spaces    *teamspace.Service
	Learning  *learning.Service
	Audits    *audits.Service
	// Issuer is the development identity provider's: it fixes the user ids.
	Issuer string
	// Now is the app's calendar; the demo's dates follow from it.
	Now func() time.Time
	Log *slog.Logger
}

// Seed loads every part of the demo that is not loaded yet, in order: the
// organisation first (the others refer to its teams and people), the
// dashboard figures before the learning programme (which reads them).
func Seed(ctx context.Context, d Deps) error {
	log := d.Log
	start := time.Now()
	// took is how long the step that just ran took (each log line says it).
	took := func() string {
		now := time.Now()
		t := now.Sub(start).Round(time.Millisecond)
		start = now
		return t.String()
	}
	if seeded, err := SeedOrganisation(ctx, d.Store, d.Org, d.Users, d.Issuer); err != nil {
		return fmt.Errorf("seed demo organisation: %w", err)
	} else if seeded {
		log.Info("demo organisation loaded", "organisation", orgdata.OrganisationName, "took", took())
	}
	if seeded, err := seedDashboard(ctx, d); err != nil {
		return fmt.Errorf("seed demo dashboard: %w", err)
	} else if seeded {
		log.Info("demo dashboard figures loaded", "months", DashboardMonths, "took", took())
	}
	if seeded, err := seedKnowledge(ctx, d); err != nil {
		return fmt.Errorf("seed demo knowledge base: %w", err)
	} else if seeded {
		log.Info("demo knowledge base loaded", "took", took())
	}
	if seeded, err := SeedSpaces(ctx, d); err != nil {
		return fmt.Errorf("seed demo team spaces: %w", err)
	} else if seeded {
		log.Info("demo team spaces loaded", "took", took())
	}
	if seeded, err := seedLearning(ctx, d); err != nil {
		return fmt.Errorf("seed demo learning programme: %w", err)
	} else if seeded {
		log.Info("demo learning programme loaded", "cohorts", LearningCohorts, "took", took())
	}
	if seeded, err := seedAudits(ctx, d); err != nil {
		return fmt.Errorf("seed demo audits: %w", err)
	} else if seeded {
		log.Info("demo audits loaded", "took", took())
	}
	return nil
}

// done reports whether the marker id is in the meta collection.
func done(ctx context.Context, s *store.Store, marker string) (bool, error) {
	return doneIn(ctx, s, "meta", marker)
}

// doneIn reports whether the marker id is in collection coll.
func doneIn(ctx context.Context, s *store.Store, coll, marker string) (bool, error) {
	err := s.DB.Collection(coll).FindOne(ctx, bson.D{{Key: "_id", Value: marker}}).Err()
	if err == nil {
		return true, nil
	}
	if store.IsNotFound(err) {
		return false, nil
	}
	return false, fmt.Errorf("read demo marker %s: %w", marker, err)
}

// mark writes the marker id: that part of the demo is loaded.
func mark(ctx context.Context, s *store.Store, marker string, at time.Time) error {
	_, err := s.DB.Collection("meta").InsertOne(ctx, bson.D{{Key: "_id", Value: marker}, {Key: "at", Value: at}})
	if err != nil && !store.IsDuplicateKey(err) {
		return fmt.Errorf("write demo marker %s: %w", marker, err)
	}
	return nil
}
