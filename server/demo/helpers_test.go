package demo

import (
	"context"
	"log/slog"
	"testing"

	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/storetest"
)

const testIssuer = "https://idp.test"

// newOrganisation is a store with the demo organisation loaded.
func newOrganisation(t *testing.T, issuer string) (*store.Store, *identity.Users, *org.Service) {
	t.Helper()
	ctx := context.Background()
	st := storetest.New(t)
	users, err := identity.NewUsers(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	orgSvc, err := org.NewService(ctx, st, users, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SeedOrganisation(ctx, st, orgSvc, users, issuer); err != nil {
		t.Fatal(err)
	}
	return st, users, orgSvc
}
