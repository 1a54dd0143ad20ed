package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/store/streamlog"
)

// BenchmarkReplicaFreshness compares what keeping the replicas fresh cost
// before (a full reload of users, organisation, dashboard and team spaces
// and a rebuild of the people index, every 30 s) with what it costs now (a
// follower's catch-up when nothing changed, every second), as the user
// directory grows. Recorded in docs/performance.md.
func BenchmarkReplicaFreshness(b *testing.B) {
	srv := apptest.Start(b)
	a := srv.App
	ctx := context.Background()
	users := a.Identity.Users()
	for _, grow := range []int{0, 5000} {
		var more []*identity.User
		for i := range grow {
			sub := fmt.Sprintf("bench-%05d", i)
			more = append(more, &identity.User{ID: identity.UserID("https://bench.example", sub), Issuer: "https://bench.example",
				Subject: sub, Name: fmt.Sprintf("Medewerker %05d", i), Email: sub + "@example.org", Active: true,
				ClaimRoles: []identity.Role{identity.RoleZorgmedewerker}, CreatedAt: time.Now().UTC()})
		}
		if _, err := users.InsertMissing(ctx, more); err != nil {
			b.Fatal(err)
		}
		n := len(users.All())
		b.Run(fmt.Sprintf("timed-reload/users=%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := users.Reload(ctx); err != nil {
					b.Fatal(err)
				}
				if err := a.Org.Reload(ctx); err != nil {
					b.Fatal(err)
				}
				if err := a.Dashboard.Reload(ctx); err != nil {
					b.Fatal(err)
				}
				if err := a.Spaces.Reload(ctx); err != nil {
					b.Fatal(err)
				}
				a.Search.RefreshPeople()
			}
		})
		b.Run(fmt.Sprintf("follow-idle/users=%d", n), func(b *testing.B) {
			l := streamlog.New(a.Store.DB.Collection("app_changes"), "")
			last, err := l.Last(ctx, 0)
			if err != nil {
				b.Fatal(err)
			}
			f := streamlog.Follow(l, last, func(context.Context, int64, *bson.Raw) error { return nil }, streamlog.Options{})
			for b.Loop() {
				if err := f.CatchUp(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
