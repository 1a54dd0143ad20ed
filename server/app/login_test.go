package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/identity"
)

type sessionBody struct {
	User struct {
		ID    string   `json:"id"`
		Name  string   `json:"name"`
		Roles []string `json:"roles"`
		Teams []struct {
			ID        string   `json:"id"`
			Name      string   `json:"name"`
			TeamRoles []string `json:"teamRoles"`
		} `json:"teams"`
	} `json:"user"`
	CSRFToken string `json:"csrfToken"`
}

func TestLoginThroughDevProviderOverHTTP(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	c := srv.Login(t, "anouk.devries")
	var s sessionBody
	if st := c.JSON("GET", "/api/v1/session", nil, &s); st != 200 {
		t.Fatalf("session: %d", st)
	}
	if s.User.Name != "Anouk de Vries" || len(s.User.Roles) != 1 || s.User.Roles[0] != "zorgmedewerker" {
		t.Fatalf("user %+v", s.User)
	}
	if len(s.User.Teams) != 1 || s.User.Teams[0].ID != "den-helder-centrum" || s.User.Teams[0].TeamRoles[0] != "planning" {
		t.Fatalf("teams %+v", s.User.Teams)
	}
	if s.CSRFToken == "" {
		t.Fatal("no csrf token")
	}
	// The cookie is HttpOnly, SameSite=Lax; on plain-http loopback in development not Secure.
	u, _ := url.Parse(srv.URL)
	var found bool
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		found = found || ck.Name == "plein_session"
	}
	if !found {
		t.Fatal("no session cookie")
	}
}

func TestSessionCookieAttributes(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	c := srv.NewClient(t)
	c.HTTP.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Path == "/auth/callback" {
			return http.ErrUseLastResponse
		}
		return nil
	}
	resp, err := c.HTTP.Get(srv.URL + "/auth/login?return_to=/teams/julianadorp")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := between(string(page), `name="id" value="`, `"`)
	resp, err = c.HTTP.PostForm(srv.URL+"/dev-idp/login", url.Values{"id": {id}, "sub": {"daan.visser"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cb := resp.Header.Get("Location")
	if !strings.HasPrefix(cb, srv.URL+"/auth/callback?") {
		t.Fatalf("provider redirected to %q", cb)
	}
	c.HTTP.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err = c.HTTP.Get(cb)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/teams/julianadorp" {
		t.Fatalf("callback: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var sc string
	for _, h := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(h, "plein_session=") {
			sc = h
		}
	}
	for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(sc, want) {
			t.Errorf("session cookie %q lacks %s", sc, want)
		}
	}
}

func TestLoginRefusals(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)

	t.Run("unknown state", func(t *testing.T) {
		c := srv.NewClient(t)
		resp, err := c.HTTP.Get(srv.URL + "/auth/callback?state=forged&code=abc")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if st, _ := c.Do("GET", "/api/v1/session", nil); st != 401 {
			t.Fatalf("session after refused login: %d", st)
		}
	})

	t.Run("state replayed and state from another browser", func(t *testing.T) {
		victim := srv.NewClient(t)
		victim.HTTP.CheckRedirect = stopAt("/auth/callback")
		cb := providerCallback(t, srv, victim, "anouk.devries")
		// An attacker who obtains the callback URL cannot use it in their browser.
		attacker := srv.NewClient(t)
		if st := getStatus(t, attacker, cb); st != 400 {
			t.Fatalf("callback in another browser: %d", st)
		}
		// And the state is now spent: the victim's own use fails too.
		if st := getStatus(t, victim, cb); st != 400 {
			t.Fatalf("replayed state: %d", st)
		}
	})

	t.Run("tampered session cookie", func(t *testing.T) {
		c := srv.Login(t, "anouk.devries")
		u, _ := url.Parse(srv.URL)
		for _, ck := range c.HTTP.Jar.Cookies(u) {
			if ck.Name == "plein_session" {
				ck.Value = ck.Value[:len(ck.Value)-2] + "xx"
				c.HTTP.Jar.SetCookies(u, []*http.Cookie{ck})
			}
		}
		if st, _ := c.Do("GET", "/api/v1/session", nil); st != 401 {
			t.Fatalf("tampered cookie accepted: %d", st)
		}
	})

	t.Run("idle-expired session", func(t *testing.T) {
		c := srv.Login(t, "sanne.bakker")
		// Make every session look idle for 9 hours (idle timeout 8h).
		_, err := srv.App.Store.DB.Collection("sessions").UpdateMany(context.Background(), bson.D{},
			bson.D{{Key: "$set", Value: bson.D{{Key: "lastSeenAt", Value: time.Now().Add(-9 * time.Hour)}}}})
		if err != nil {
			t.Fatal(err)
		}
		srv.App.Identity.ForgetAllSessions() // a change behind the session cache's back (it would see it within 5 s)
		if st, _ := c.Do("GET", "/api/v1/session", nil); st != 401 {
			t.Fatalf("expired session accepted: %d", st)
		}
	})

	t.Run("absolute-expired session", func(t *testing.T) {
		c := srv.Login(t, "sanne.bakker")
		_, err := srv.App.Store.DB.Collection("sessions").UpdateMany(context.Background(), bson.D{},
			bson.D{{Key: "$set", Value: bson.D{{Key: "expiresAt", Value: time.Now().Add(-time.Minute)}}}})
		if err != nil {
			t.Fatal(err)
		}
		srv.App.Identity.ForgetAllSessions()
		if st, _ := c.Do("GET", "/api/v1/session", nil); st != 401 {
			t.Fatalf("expired session accepted: %d", st)
		}
	})

	t.Run("open redirect after login is refused", func(t *testing.T) {
		for _, rt := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"} {
			c := srv.NewClient(t)
			c.HTTP.CheckRedirect = stopAt("/auth/callback")
			cb := providerCallbackWithReturn(t, srv, c, "anouk.devries", rt)
			c.HTTP.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			resp, err := c.HTTP.Get(cb)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if loc := resp.Header.Get("Location"); loc != "/" {
				t.Errorf("return_to %q redirected to %q", rt, loc)
			}
		}
	})
}

func TestSessionRotatedAtLoginAndEndedAtLogout(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	c := srv.Login(t, "anouk.devries")
	u, _ := url.Parse(srv.URL)
	first := cookieValue(c, u)
	c.LoginAs("anouk.devries")
	second := cookieValue(c, u)
	if first == "" || first == second {
		t.Fatal("session id not rotated at login")
	}
	// The old session is gone.
	old := srv.NewClient(t)
	old.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: "plein_session", Value: first}})
	if st, _ := old.Do("GET", "/api/v1/session", nil); st != 401 {
		t.Fatalf("pre-login session still valid: %d", st)
	}
	// Logout without CSRF token is refused.
	if st, _ := c.Do("POST", "/api/v1/auth/logout", nil, "X-CSRF-Token", ""); st != 403 {
		t.Fatalf("logout without csrf: %d", st)
	}
	var out struct {
		Redirect string `json:"redirect"`
	}
	if st := c.JSON("POST", "/api/v1/auth/logout", nil, &out); st != 200 {
		t.Fatalf("logout: %d", st)
	}
	if !strings.Contains(out.Redirect, "/dev-idp/end_session?") || !strings.Contains(out.Redirect, "id_token_hint=") {
		t.Fatalf("logout redirect %q is not RP-initiated logout", out.Redirect)
	}
	// The provider sends the browser back to Plein.
	resp, err := c.HTTP.Get(out.Redirect)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.String() != srv.URL+"/" {
		t.Fatalf("after provider logout at %s", resp.Request.URL)
	}
	// The session is dead, even replaying the cookie.
	replay := srv.NewClient(t)
	replay.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: "plein_session", Value: second}})
	if st, _ := replay.Do("GET", "/api/v1/session", nil); st != 401 {
		t.Fatalf("session after logout: %d", st)
	}
}

func TestNoDemoProviderOrSeedInProduction(t *testing.T) {
	t.Parallel()
	// config refuses; see config tests. Here: with an explicit issuer in
	// development the built-in provider is not mounted.
	srv := apptest.Start(t, "OIDC_ISSUER", "http://127.0.0.1:1/realms/x", "OIDC_CLIENT_SECRET", "s", "PLEIN_SEED_DEMO", "false")
	c := srv.NewClient(t)
	st, b := c.Do("GET", "/dev-idp/.well-known/openid-configuration", nil)
	if st != 404 {
		t.Fatalf("dev provider mounted with a real issuer: %d", st)
	}
	apptest.ParseProblem(t, b)
	// The provider is unreachable: login answers 503 with a page, not a crash.
	resp, err := c.HTTP.Get(srv.URL + "/auth/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Fatalf("login with provider down: %d", resp.StatusCode)
	}
}

// helpers

func stopAt(path string) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, _ []*http.Request) error {
		if req.URL.Path == path {
			return http.ErrUseLastResponse
		}
		return nil
	}
}

func providerCallback(t *testing.T, srv *apptest.Server, c *apptest.Client, sub string) string {
	return providerCallbackWithReturn(t, srv, c, sub, "")
}

// providerCallbackWithReturn starts a login and chooses the user at the
// provider, returning the callback URL the provider sends the browser to.
func providerCallbackWithReturn(t *testing.T, srv *apptest.Server, c *apptest.Client, sub, returnTo string) string {
	t.Helper()
	resp, err := c.HTTP.Get(srv.URL + "/auth/login?return_to=" + url.QueryEscape(returnTo))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := between(string(page), `name="id" value="`, `"`)
	resp, err = c.HTTP.PostForm(srv.URL+"/dev-idp/login", url.Values{"id": {id}, "sub": {sub}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if !strings.Contains(loc, "/auth/callback?") {
		t.Fatalf("expected redirect to callback, got %d %q", resp.StatusCode, loc)
	}
	return loc
}

func getStatus(t *testing.T, c *apptest.Client, u string) int {
	t.Helper()
	c.HTTP.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.HTTP.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func cookieValue(c *apptest.Client, u *url.URL) string {
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == "plein_session" {
			return ck.Value
		}
	}
	return ""
}

func between(s, a, b string) string {
	i := strings.Index(s, a)
	if i < 0 {
		return ""
	}
	s = s[i+len(a):]
	if j := strings.Index(s, b); j >= 0 {
		return s[:j]
	}
	return ""
}

var _ = json.Marshal

// TestLoginFloodIsLimited: an address that opens the login page over and
// over gets 429 after the burst, so it cannot make the server store
// unbounded login attempts; its own session and other clients are fine.
func TestLoginFloodIsLimited(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	c := srv.NewClient(t)
	c.HTTP.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	before := countDocs(t, srv, "login_attempts")
	found, limited := 0, 0
	start := time.Now()
	for range identity.AuthBurst + 40 {
		resp, err := c.HTTP.Get(srv.URL + "/auth/login")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusFound:
			found++
		case http.StatusTooManyRequests:
			limited++
			if resp.Header.Get("Retry-After") == "" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
				t.Fatalf("429 without Retry-After or problem document: %v", resp.Header)
			}
		default:
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	// The burst, plus what refilled at 2 a second while the loop ran.
	refilled := int(time.Since(start).Seconds()*identity.AuthRatePerSecond) + 1
	if limited == 0 || found > identity.AuthBurst+refilled {
		t.Fatalf("%d login pages served (burst %d, %d refilled), %d refused", found, identity.AuthBurst, refilled, limited)
	}
	if stored := countDocs(t, srv, "login_attempts") - before; stored > int64(found) {
		t.Errorf("%d attempts stored for %d login pages served", stored, found)
	}
}

// TestLoginFloodIsLimitedAcrossInstances (issue 16): with Redis, one
// address flooding /auth/login on two instances by turns gets the burst
// once, not once per instance.
func TestLoginFloodIsLimitedAcrossInstances(t *testing.T) {
	t.Parallel()
	cl := startCluster(t, 2)
	found := 0
	start := time.Now()
	for i := range 2 * identity.AuthBurst {
		srv := cl.srvs[i%2]
		c := srv.NewClient(t)
		c.HTTP.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := c.HTTP.Get(srv.URL + "/auth/login")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusFound:
			found++
		case http.StatusTooManyRequests:
		default:
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	refilled := int(time.Since(start).Seconds()*identity.AuthRatePerSecond) + 1
	if found > identity.AuthBurst+refilled {
		t.Fatalf("%d login pages served by two instances (burst %d, %d refilled): the limit is per instance", found, identity.AuthBurst, refilled)
	}
}
