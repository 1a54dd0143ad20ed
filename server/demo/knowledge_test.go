package demo

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/knowledge"
)

// The demo knowledge base: demo logins have confirmed nothing, the insulin
// protocol's major change asks most staff to confirm again, and a second
// load changes nothing.
func TestSeedKnowledge(t *testing.T) {
	ctx := context.Background()
	issuer := "http://127.0.0.1:8080/dev-idp"
	st, users, orgSvc := newOrganisation(t, issuer)
	now := func() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC) }
	svc, err := knowledge.NewService(ctx, st, orgSvc, users, knowledge.Options{Logger: slog.New(slog.DiscardHandler), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	d := Deps{Store: st, Knowledge: svc, Issuer: issuer, Now: now}
	if seeded, err := seedKnowledge(ctx, d); err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}
	actor := func(sub string) *identity.Actor {
		u, ok := users.Get(identity.UserID(issuer, sub))
		if !ok {
			t.Fatalf("no user %s", sub)
		}
		return &identity.Actor{UserID: u.ID, Name: u.Name, Roles: u.Roles()}
	}
	if p := svc.Pending(actor("anouk.devries")); len(p) < 8 {
		t.Fatalf("anouk has %d pending confirmations", len(p))
	}
	r, err := svc.Report(actor("ilse.dekker"), "medicatie-insuline-injecteren")
	if err != nil {
		t.Fatal(err)
	}
	if r.Article.Version != "2.0" || r.Total.Rate < 0.1 || r.Total.Rate > 0.35 {
		t.Fatalf("insulin report: version %s rate %.2f", r.Article.Version, r.Total.Rate)
	}
	if seeded, err := seedKnowledge(ctx, d); err != nil || seeded {
		t.Fatalf("second seed: %v %v", seeded, err)
	}
}
