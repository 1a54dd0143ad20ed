package identity_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// logoutClaims returns valid logout-token claims (Back-Channel Logout 1.0,
// section 2.4) for alice's provider session sid.
func (op *fakeOP) logoutClaims(sid string) map[string]any {
	c := map[string]any{
		"iss":    op.issuer(),
		"sub":    "alice",
		"aud":    op.clientID,
		"iat":    time.Now().Unix(),
		"exp":    time.Now().Add(2 * time.Minute).Unix(),
		"jti":    "jti-" + time.Now().Format(time.RFC3339Nano),
		"events": map[string]any{"http://schemas.openid.net/event/backchannel-logout": map[string]any{}},
	}
	if sid != "" {
		c["sid"] = sid
	}
	return c
}

// withSID makes the provider's ID tokens carry a provider session id.
func withSID(op *fakeOP, sid string) func(grant) string {
	return withClaims(op, func(c map[string]any) { c["sid"] = sid })
}

// backchannel posts a logout token as the provider would, and returns the
// status and the OAuth error code of the answer.
func (r *rp) backchannel(token string) (int, string) {
	r.t.Helper()
	resp, err := http.PostForm(r.url+"/auth/backchannel-logout", url.Values{"logout_token": {token}})
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		r.t.Errorf("Cache-Control %q, want no-store", cc)
	}
	var e struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	return resp.StatusCode, e.Error
}

func assertSession(t *testing.T, b *browser, want int, what string) {
	t.Helper()
	if _, st := b.session(); st != want {
		t.Errorf("%s: GET /api/v1/session %d, want %d", what, st, want)
	}
}

func TestBackchannelLogoutEndsTheProvidersSession(t *testing.T) {
	r := newRP(t)
	r.op.setIDToken(withSID(r.op, "idp-session-1"))
	phone := r.browser()
	phone.login()
	r.op.setIDToken(withSID(r.op, "idp-session-2"))
	desk := r.browser()
	desk.login()

	if st, e := r.backchannel(r.op.sign(r.op.logoutClaims("idp-session-1"))); st != http.StatusOK {
		t.Fatalf("logout token for idp-session-1: %d %s, want 200", st, e)
	}
	assertSession(t, phone, http.StatusUnauthorized, "the session that came from idp-session-1")
	assertSession(t, desk, http.StatusOK, "a session from another provider session")

	// The same token again is a replay.
	tok := r.op.sign(r.op.logoutClaims("idp-session-2"))
	if st, _ := r.backchannel(tok); st != http.StatusOK {
		t.Fatalf("logout token for idp-session-2: %d", st)
	}
	assertSession(t, desk, http.StatusUnauthorized, "after its own logout token")
	if st, e := r.backchannel(tok); st != http.StatusBadRequest || e != "invalid_request" {
		t.Errorf("replayed logout token: %d %q, want 400 invalid_request", st, e)
	}
}

func TestBackchannelLogoutBySubjectEndsEarlierSessionsOnly(t *testing.T) {
	r := newRP(t)
	a, b := r.browser(), r.browser()
	a.login()
	b.login()

	// A token issued before these logins (a replay of an old sign-out, say)
	// ends nothing.
	old := r.op.logoutClaims("")
	old["iat"] = time.Now().Add(-3 * time.Minute).Unix()
	if st, e := r.backchannel(r.op.sign(old)); st != http.StatusOK {
		t.Fatalf("older logout token: %d %s", st, e)
	}
	assertSession(t, a, http.StatusOK, "a login after the token's iat")

	if st, e := r.backchannel(r.op.sign(r.op.logoutClaims(""))); st != http.StatusOK {
		t.Fatalf("logout token by sub: %d %s", st, e)
	}
	assertSession(t, a, http.StatusUnauthorized, "first browser")
	assertSession(t, b, http.StatusUnauthorized, "second browser")

	// Unknown people are answered 200: there is nothing to end.
	other := r.op.logoutClaims("")
	other["sub"] = "nobody"
	if st, e := r.backchannel(r.op.sign(other)); st != http.StatusOK {
		t.Errorf("logout token for an unknown person: %d %s", st, e)
	}
}

func TestBackchannelLogoutRefusesBadTokens(t *testing.T) {
	r := newRP(t)
	r.op.setIDToken(withSID(r.op, "idp-session-1"))
	b := r.browser()
	b.login()
	tests := []struct {
		name  string
		token func() string
	}{
		{"missing", func() string { return "" }},
		{"not a JWT", func() string { return "not-a-jwt" }},
		{"alg none", func() string { return unsignedJWT(r.op.logoutClaims("idp-session-1")) }},
		{"signed by another key", func() string {
			return signJWT(t, jose.RS256, otherKey(), r.op.kid, r.op.logoutClaims("idp-session-1"))
		}},
		{"HS256 with the client secret", func() string {
			return signJWT(t, jose.HS256, []byte(testClientSecret), r.op.kid, r.op.logoutClaims("idp-session-1"))
		}},
		{"another audience", func() string {
			c := r.op.logoutClaims("idp-session-1")
			c["aud"] = "someone-else"
			return r.op.sign(c)
		}},
		{"another issuer", func() string {
			c := r.op.logoutClaims("idp-session-1")
			c["iss"] = r.op.issuer() + "/other"
			return r.op.sign(c)
		}},
		{"an ID token (has a nonce)", func() string {
			c := r.op.logoutClaims("idp-session-1")
			c["nonce"] = "n"
			return r.op.sign(c)
		}},
		{"no events claim", func() string {
			c := r.op.logoutClaims("idp-session-1")
			delete(c, "events")
			return r.op.sign(c)
		}},
		{"another event", func() string {
			c := r.op.logoutClaims("idp-session-1")
			c["events"] = map[string]any{"http://schemas.openid.net/event/other": map[string]any{}}
			return r.op.sign(c)
		}},
		{"neither sub nor sid", func() string {
			c := r.op.logoutClaims("")
			delete(c, "sub")
			return r.op.sign(c)
		}},
		{"no jti", func() string {
			c := r.op.logoutClaims("idp-session-1")
			delete(c, "jti")
			return r.op.sign(c)
		}},
		{"issued long ago", func() string {
			c := r.op.logoutClaims("idp-session-1")
			c["iat"] = time.Now().Add(-time.Hour).Unix()
			return r.op.sign(c)
		}},
		{"expired", func() string {
			c := r.op.logoutClaims("idp-session-1")
			c["exp"] = time.Now().Add(-time.Minute).Unix()
			return r.op.sign(c)
		}},
		{"sid of alice, sub of someone else", func() string {
			c := r.op.logoutClaims("idp-session-1")
			c["sub"] = "mallory"
			return r.op.sign(c)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if st, e := r.backchannel(tc.token()); st != http.StatusBadRequest || e != "invalid_request" {
				t.Errorf("%d %q, want 400 invalid_request", st, e)
			}
			assertSession(t, b, http.StatusOK, "after a refused logout token")
		})
	}
	// Only POST is served.
	resp, err := http.Get(r.url + "/auth/backchannel-logout?logout_token=" + url.QueryEscape(r.op.sign(r.op.logoutClaims("idp-session-1"))))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Error("GET /auth/backchannel-logout answered 200")
	}
	assertSession(t, b, http.StatusOK, "after a GET")
}
