package app_test

import (
	"testing"

	"github.com/plein/plein/server/app/apptest"
)

// BenchmarkLoginRoundTrip measures one complete browser login over real HTTP
// on loopback: /auth/login → provider login page → choose user → callback
// (code exchange, ID-token verification, user provisioning, session insert)
// → /api/v1/session. Embedded store, development provider.
func BenchmarkLoginRoundTrip(b *testing.B) {
	srv := apptest.Start(b)
	b.ResetTimer()
	for b.Loop() {
		c := srv.NewClient(b)
		c.LoginAs("anouk.devries")
	}
}

// BenchmarkSessionAndTeam measures an authenticated API read: the session
// lookup (point read by token hash) plus the team page (in-memory org,
// one access-log insert).
func BenchmarkSessionAndTeam(b *testing.B) {
	srv := apptest.Start(b)
	c := srv.Login(b, "anouk.devries")
	b.ResetTimer()
	for b.Loop() {
		if st, _ := c.Do("GET", "/api/v1/teams/den-helder-centrum", nil); st != 200 {
			b.Fatal(st)
		}
	}
}
