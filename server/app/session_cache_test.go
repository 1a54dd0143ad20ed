package app_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/plein/plein/chat/broker/redistest"
	"github.com/plein/plein/server/app/apptest"
)

// Sessions are cached per instance (server/identity/sessioncache.go); a
// logout on one instance must refuse the session on every other one as
// soon as the broker carries the news, not when the cache expires.
func TestLogoutOnOneInstanceRefusesTheSessionOnAnother(t *testing.T) {
	t.Parallel()
	rs := redistest.Start(t)
	srvs := apptest.StartCluster(t, 2, rs.URL())
	for _, s := range srvs {
		// An hour: only the invalidation can make B refuse within the test.
		s.App.Identity.SetSessionCacheTTL(time.Hour)
	}
	a := srvs[0].Login(t, "anouk.devries")
	b := a.On(srvs[1])
	if st, _ := b.Do("GET", "/api/v1/session", nil); st != 200 {
		t.Fatalf("session on B before logout: %d", st)
	}
	if st, _ := b.Do("GET", "/api/v1/session", nil); st != 200 { // now from B's cache
		t.Fatalf("session on B, cached: %d", st)
	}
	// The browser on B keeps the cookie that the logout response clears
	// (the same jar): B must refuse the session itself.
	u, _ := url.Parse(srvs[1].URL)
	cookies := b.HTTP.Jar.Cookies(u)
	if st, _ := a.Do("POST", "/api/v1/auth/logout", nil); st != 200 {
		t.Fatalf("logout on A: %d", st)
	}
	b.HTTP.Jar.SetCookies(u, cookies)
	if st, _ := a.Do("GET", "/api/v1/session", nil); st != 401 {
		t.Fatalf("session on A after logout: %d, want 401 at once", st)
	}
	waitFor(t, "session on B refused after logout on A", func() bool {
		b.HTTP.Jar.SetCookies(u, cookies)
		st, _ := b.Do("GET", "/api/v1/session", nil)
		return st == 401
	})
}
