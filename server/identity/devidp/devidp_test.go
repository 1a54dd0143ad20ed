package devidp

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

const (
	testClientID     = "plein-web"
	testClientSecret = "dev-secret"
)

var testUsers = []User{
	{
		Sub:         "anouk.devries",
		Name:        "Anouk de Vries",
		Email:       "anouk.devries@example.nl",
		Groups:      []string{"plein-role-zorgmedewerker", "plein-team-den-helder-centrum"},
		Description: "Zorgmedewerker, team Den Helder-Centrum",
	},
	{
		Sub:         "ahmed.el-amrani",
		Name:        "Ahmed <El> Amrani",
		Email:       "ahmed@example.nl",
		Description: "Planner & coördinator",
	},
}

// fakeClock is a manually advanced clock for expiry tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a running provider plus a relying party built from go-oidc and
// oauth2, the same way the main server does it.
type env struct {
	t        *testing.T
	srv      *httptest.Server
	clock    *fakeClock
	issuer   string
	redirect string
	logout   string
	browser  *http.Client // cookie jar, does not follow redirects
	ctx      context.Context
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	oauth    oauth2.Config
}

func newEnv(t *testing.T) *env {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	e := &env{
		t:        t,
		srv:      srv,
		clock:    &fakeClock{t: time.Now()},
		issuer:   srv.URL + "/dev-idp",
		redirect: srv.URL + "/auth/callback",
		logout:   srv.URL + "/signed-out",
	}
	h, err := newHandler(Config{
		Issuer:                 e.issuer,
		ClientID:               testClientID,
		ClientSecret:           testClientSecret,
		RedirectURIs:           []string{e.redirect},
		PostLogoutRedirectURIs: []string{e.logout},
		Users:                  testUsers,
		AllowInsecure:          true,
	}, e.clock.Now)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	mux.Handle("/dev-idp/", h)

	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	e.browser = &http.Client{
		Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}

	e.ctx = oidc.ClientContext(context.Background(), srv.Client())
	e.provider, err = oidc.NewProvider(e.ctx, e.issuer)
	if err != nil {
		t.Fatalf("oidc.NewProvider: %v", err)
	}
	e.verifier = e.provider.Verifier(&oidc.Config{ClientID: testClientID})
	e.oauth = oauth2.Config{
		ClientID:     testClientID,
		ClientSecret: testClientSecret,
		Endpoint:     e.provider.Endpoint(),
		RedirectURL:  e.redirect,
		Scopes:       []string{oidc.ScopeOpenID, "profile", "email"},
	}
	return e
}

// get performs a browser GET without following redirects.
func (e *env) get(rawURL string) (*http.Response, string) {
	e.t.Helper()
	resp, err := e.browser.Get(rawURL)
	if err != nil {
		e.t.Fatalf("GET %s: %v", rawURL, err)
	}
	return resp, readBody(e.t, resp)
}

func (e *env) postLogin(id, sub string) (*http.Response, string) {
	e.t.Helper()
	resp, err := e.browser.PostForm(e.issuer+"/login", url.Values{"id": {id}, "sub": {sub}})
	if err != nil {
		e.t.Fatalf("POST login: %v", err)
	}
	return resp, readBody(e.t, resp)
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func location(t *testing.T, resp *http.Response) *url.URL {
	t.Helper()
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status = %d, want a redirect", resp.StatusCode)
	}
	u, err := resp.Location()
	if err != nil {
		t.Fatalf("Location: %v", err)
	}
	return u
}

// flow holds the relying party's per-login secrets.
type flow struct {
	state, nonce, verifier string
}

func newFlow() flow {
	return flow{
		state:    "state-" + oauth2.GenerateVerifier()[:12],
		nonce:    "nonce-" + oauth2.GenerateVerifier()[:12],
		verifier: oauth2.GenerateVerifier(),
	}
}

// authorize starts a login and returns the auth request ID from the login
// page redirect, plus the login page body.
func (e *env) authorize(f flow) (string, string) {
	e.t.Helper()
	authURL := e.oauth.AuthCodeURL(f.state, oidc.Nonce(f.nonce), oauth2.S256ChallengeOption(f.verifier))
	resp, _ := e.get(authURL)
	loginURL := location(e.t, resp)
	if got, want := loginURL.Scheme+"://"+loginURL.Host+loginURL.Path, e.issuer+"/login"; got != want {
		e.t.Fatalf("login page URL = %s, want %s", got, want)
	}
	id := loginURL.Query().Get("authRequestID")
	if id == "" {
		e.t.Fatalf("no authRequestID in %s", loginURL)
	}
	resp, body := e.get(loginURL.String())
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("login page status = %d: %s", resp.StatusCode, body)
	}
	return id, body
}

// login walks the whole browser part of the flow for user sub and returns
// the authorization code delivered to the redirect_uri.
func (e *env) login(f flow, sub string) string {
	e.t.Helper()
	id, _ := e.authorize(f)
	resp, body := e.postLogin(id, sub)
	callback := location(e.t, resp)
	if !strings.HasPrefix(callback.String(), e.issuer+"/") {
		e.t.Fatalf("login POST redirected to %s, want the provider callback (%s)", callback, body)
	}
	resp, _ = e.get(callback.String())
	back := location(e.t, resp)
	if got := back.Scheme + "://" + back.Host + back.Path; got != e.redirect {
		e.t.Fatalf("redirected to %s, want %s", back, e.redirect)
	}
	q := back.Query()
	if q.Get("error") != "" {
		e.t.Fatalf("authorization error: %s: %s", q.Get("error"), q.Get("error_description"))
	}
	if q.Get("state") != f.state {
		e.t.Fatalf("state = %q, want %q", q.Get("state"), f.state)
	}
	code := q.Get("code")
	if code == "" {
		e.t.Fatalf("no code in %s", back)
	}
	return code
}

func (e *env) exchange(code, verifier string) (*oauth2.Token, error) {
	return e.oauth.Exchange(e.ctx, code, oauth2.VerifierOption(verifier))
}

func (e *env) verifyIDToken(tok *oauth2.Token) (*oidc.IDToken, string) {
	e.t.Helper()
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		e.t.Fatal("token response has no id_token")
	}
	idt, err := e.verifier.Verify(e.ctx, raw)
	if err != nil {
		e.t.Fatalf("verify ID token: %v", err)
	}
	return idt, raw
}

type idClaims struct {
	Sub               string   `json:"sub"`
	Name              string   `json:"name"`
	Email             string   `json:"email"`
	PreferredUsername string   `json:"preferred_username"`
	Groups            []string `json:"groups"`
	Nonce             string   `json:"nonce"`
	Iss               string   `json:"iss"`
}

func TestDiscovery(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get(e.issuer + "/.well-known/openid-configuration")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("discovery status = %d", resp.StatusCode)
	}
	var d map[string]any
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	if d["issuer"] != e.issuer {
		t.Errorf("issuer = %v, want %s", d["issuer"], e.issuer)
	}
	for key, path := range map[string]string{
		"authorization_endpoint": "/authorize",
		"token_endpoint":         "/oauth/token",
		"userinfo_endpoint":      "/userinfo",
		"end_session_endpoint":   "/end_session",
		"jwks_uri":               "/keys",
	} {
		if d[key] != e.issuer+path {
			t.Errorf("%s = %v, want %s", key, d[key], e.issuer+path)
		}
	}
	for key, want := range map[string]string{
		"response_types_supported":              "code",
		"grant_types_supported":                 "authorization_code",
		"code_challenge_methods_supported":      "S256",
		"token_endpoint_auth_methods_supported": "client_secret_basic,client_secret_post",
		"id_token_signing_alg_values_supported": "RS256",
	} {
		var got []string
		list, _ := d[key].([]any)
		for _, v := range list {
			s, _ := v.(string)
			got = append(got, s)
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%s = %v, want %s", key, d[key], want)
		}
	}
	if _, ok := d["device_authorization_endpoint"]; ok {
		t.Error("device_authorization_endpoint advertised")
	}
	resp, body = e.get(e.issuer + "/keys")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"RSA"`) {
		t.Errorf("JWKS: status %d, body %s", resp.StatusCode, body)
	}
	// Outside the issuer path nothing is served.
	resp, _ = e.get(e.srv.URL + "/.well-known/openid-configuration")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("root discovery status = %d, want 404", resp.StatusCode)
	}
}

func TestCodeFlow(t *testing.T) {
	e := newEnv(t)
	f := newFlow()

	id, page := e.authorize(f)
	for _, want := range []string{
		"Plein — demo-aanmelding",
		"Anouk de Vries",
		"Zorgmedewerker, team Den Helder-Centrum",
		`value="anouk.devries"`,
		`value="ahmed.el-amrani"`,
		`href="/dev-idp/login.css"`,
		`action="/dev-idp/login"`,
		`value="` + id + `"`,
		"Ahmed &lt;El&gt; Amrani",   // escaped
		"Planner &amp; coördinator", // escaped
	} {
		if !strings.Contains(page, want) {
			t.Errorf("login page lacks %q", want)
		}
	}
	for _, bad := range []string{"<El>", "<script", "style="} {
		if strings.Contains(page, bad) {
			t.Errorf("login page contains %q", bad)
		}
	}
	resp, css := e.get(e.issuer + "/login.css")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") || css == "" {
		t.Errorf("login.css: status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	code := e.login(f, "anouk.devries")
	tok, err := e.exchange(code, f.verifier)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	idt, _ := e.verifyIDToken(tok)
	if idt.Nonce != f.nonce {
		t.Errorf("nonce = %q, want %q", idt.Nonce, f.nonce)
	}
	if idt.Issuer != e.issuer {
		t.Errorf("iss = %q, want %q", idt.Issuer, e.issuer)
	}
	if len(idt.Audience) != 1 || idt.Audience[0] != testClientID {
		t.Errorf("aud = %v, want [%s]", idt.Audience, testClientID)
	}
	if got := idt.Expiry.Sub(idt.IssuedAt); got < 9*time.Minute || got > 11*time.Minute {
		t.Errorf("ID token lifetime = %v, want ~10m", got)
	}
	var c idClaims
	if err := idt.Claims(&c); err != nil {
		t.Fatal(err)
	}
	want := testUsers[0]
	if c.Sub != want.Sub || c.Name != want.Name || c.Email != want.Email || c.PreferredUsername != want.Sub || c.Nonce != f.nonce || c.Iss != e.issuer {
		t.Errorf("claims = %+v", c)
	}
	if strings.Join(c.Groups, ",") != strings.Join(want.Groups, ",") {
		t.Errorf("groups = %v, want %v", c.Groups, want.Groups)
	}

	// Userinfo with the access token.
	info, err := e.provider.UserInfo(e.ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	if info.Subject != want.Sub || info.Email != want.Email {
		t.Errorf("userinfo = %+v", info)
	}
	var ic idClaims
	if err := info.Claims(&ic); err != nil {
		t.Fatal(err)
	}
	if ic.Name != want.Name || len(ic.Groups) != 2 {
		t.Errorf("userinfo claims = %+v", ic)
	}
}

func TestUserWithoutGroupsGetsEmptyArray(t *testing.T) {
	e := newEnv(t)
	f := newFlow()
	tok, err := e.exchange(e.login(f, "ahmed.el-amrani"), f.verifier)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	idt, _ := e.verifyIDToken(tok)
	var raw map[string]any
	if err := idt.Claims(&raw); err != nil {
		t.Fatal(err)
	}
	if g, ok := raw["groups"].([]any); !ok || len(g) != 0 {
		t.Errorf("groups = %#v, want []", raw["groups"])
	}
}

func TestClientSecretPost(t *testing.T) {
	e := newEnv(t)
	e.oauth.Endpoint.AuthStyle = oauth2.AuthStyleInParams
	f := newFlow()
	tok, err := e.exchange(e.login(f, "anouk.devries"), f.verifier)
	if err != nil {
		t.Fatalf("exchange with client_secret_post: %v", err)
	}
	e.verifyIDToken(tok)
}

func TestUnknownRedirectURIRefused(t *testing.T) {
	e := newEnv(t)
	evil := e.srv.URL + "/evil"
	e.oauth.RedirectURL = evil
	f := newFlow()
	resp, _ := e.get(e.oauth.AuthCodeURL(f.state, oidc.Nonce(f.nonce), oauth2.S256ChallengeOption(f.verifier)))
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("status = %d, want 400", resp.StatusCode)
	}
	if loc := resp.Header.Get("Location"); loc != "" {
		t.Errorf("redirected to %q", loc)
	}
}

func TestUnknownClientRefused(t *testing.T) {
	e := newEnv(t)
	e.oauth.ClientID = "someone-else"
	f := newFlow()
	resp, _ := e.get(e.oauth.AuthCodeURL(f.state, oauth2.S256ChallengeOption(f.verifier)))
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Errorf("status = %d, Location = %q; want 400 without redirect", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestPKCERequired(t *testing.T) {
	e := newEnv(t)
	for name, opts := range map[string][]oauth2.AuthCodeOption{
		"missing": nil,
		"plain": {
			oauth2.SetAuthURLParam("code_challenge", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq"),
			oauth2.SetAuthURLParam("code_challenge_method", "plain"),
		},
	} {
		t.Run(name, func(t *testing.T) {
			resp, _ := e.get(e.oauth.AuthCodeURL("st", opts...))
			back := location(t, resp)
			if !strings.HasPrefix(back.String(), e.redirect) {
				t.Fatalf("redirected to %s, want an error at the redirect_uri", back)
			}
			if back.Query().Get("error") != "invalid_request" || back.Query().Get("code") != "" || back.Query().Get("state") != "st" {
				t.Errorf("redirect = %s, want error=invalid_request without code", back)
			}
		})
	}
}

func TestWrongClientSecret(t *testing.T) {
	e := newEnv(t)
	f := newFlow()
	code := e.login(f, "anouk.devries")
	e.oauth.ClientSecret = "wrong"
	e.oauth.Endpoint.AuthStyle = oauth2.AuthStyleInHeader
	_, err := e.exchange(code, f.verifier)
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_client" {
		t.Fatalf("exchange with wrong secret: err = %v, want invalid_client", err)
	}
}

func TestCodeReuse(t *testing.T) {
	e := newEnv(t)
	f := newFlow()
	code := e.login(f, "anouk.devries")
	tok, err := e.exchange(code, f.verifier)
	if err != nil {
		t.Fatalf("first exchange: %v", err)
	}
	_, err = e.exchange(code, f.verifier)
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Fatalf("second exchange: err = %v, want invalid_grant", err)
	}
	// The reuse revokes the access token of the first exchange.
	if _, err := e.provider.UserInfo(e.ctx, oauth2.StaticTokenSource(tok)); err == nil {
		t.Error("access token still valid after code reuse")
	}
}

func TestWrongPKCEVerifier(t *testing.T) {
	e := newEnv(t)
	f := newFlow()
	code := e.login(f, "anouk.devries")
	_, err := e.exchange(code, oauth2.GenerateVerifier())
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Fatalf("exchange with wrong verifier: err = %v, want invalid_grant", err)
	}
	// The code is burnt by the failed attempt.
	if _, err := e.exchange(code, f.verifier); err == nil {
		t.Error("code usable after a failed attempt")
	}
}

func TestWrongRedirectURIAtTokenEndpoint(t *testing.T) {
	e := newEnv(t)
	f := newFlow()
	code := e.login(f, "anouk.devries")
	e.oauth.RedirectURL = e.srv.URL + "/other"
	if _, err := e.exchange(code, f.verifier); err == nil {
		t.Fatal("exchange with a different redirect_uri succeeded")
	}
}

func TestLoginRefusals(t *testing.T) {
	e := newEnv(t)
	id, _ := e.authorize(newFlow())

	resp, body := e.postLogin(id, "nobody")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown sub: status = %d, want 400", resp.StatusCode)
	}
	if !strings.Contains(body, "Onbekende demo-gebruiker") {
		t.Errorf("unknown sub: body = %s", body)
	}

	resp, _ = e.postLogin("no-such-request", "anouk.devries")
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Errorf("unknown auth request: status = %d, want 400 without redirect", resp.StatusCode)
	}

	resp, _ = e.get(e.issuer + "/login?authRequestID=no-such-request")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("login page for unknown request: status = %d, want 400", resp.StatusCode)
	}

	// The callback does not issue a code before a user was chosen.
	resp, _ = e.get(e.issuer + "/authorize/callback?id=" + url.QueryEscape(id))
	if loc := resp.Header.Get("Location"); strings.Contains(loc, "code=") {
		t.Errorf("callback before login redirected with a code: %s", loc)
	}
}

func TestExpiry(t *testing.T) {
	e := newEnv(t)

	// An auth request expires when nobody picks a user in time.
	id, _ := e.authorize(newFlow())
	e.clock.Advance(authRequestLifetime + time.Second)
	if resp, _ := e.postLogin(id, "anouk.devries"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("expired auth request: status = %d, want 400", resp.StatusCode)
	}

	// A code expires after about a minute.
	f := newFlow()
	code := e.login(f, "anouk.devries")
	e.clock.Advance(authCodeLifetime + time.Second)
	if _, err := e.exchange(code, f.verifier); err == nil {
		t.Error("expired code accepted")
	}

	// Access tokens expire for userinfo.
	f = newFlow()
	tok, err := e.exchange(e.login(f, "anouk.devries"), f.verifier)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	e.clock.Advance(accessTokenLifetime + time.Second)
	if _, err := e.provider.UserInfo(e.ctx, oauth2.StaticTokenSource(tok)); err == nil {
		t.Error("expired access token accepted at userinfo")
	}
}

func TestEndSession(t *testing.T) {
	e := newEnv(t)
	f := newFlow()
	tok, err := e.exchange(e.login(f, "anouk.devries"), f.verifier)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	_, rawID := e.verifyIDToken(tok)

	var disc struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := e.provider.Claims(&disc); err != nil || disc.EndSession == "" {
		t.Fatalf("end_session_endpoint: %v %q", err, disc.EndSession)
	}
	endSession := func(postLogout string) *http.Response {
		q := url.Values{"id_token_hint": {rawID}, "post_logout_redirect_uri": {postLogout}, "state": {"bye"}}
		resp, _ := e.get(disc.EndSession + "?" + q.Encode())
		return resp
	}

	t.Run("unlisted", func(t *testing.T) {
		resp := endSession(e.srv.URL + "/evil")
		if loc := resp.Header.Get("Location"); strings.Contains(loc, "/evil") {
			t.Errorf("redirected to unlisted URI %s", loc)
		}
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("status = %d, want 400", resp.StatusCode)
		}
	})
	t.Run("listed", func(t *testing.T) {
		back := location(t, endSession(e.logout))
		if got := back.Scheme + "://" + back.Host + back.Path; got != e.logout || back.Query().Get("state") != "bye" {
			t.Errorf("redirected to %s, want %s?state=bye", back, e.logout)
		}
		// Logout revoked the access token.
		if _, err := e.provider.UserInfo(e.ctx, oauth2.StaticTokenSource(tok)); err == nil {
			t.Error("access token still valid after logout")
		}
	})
	t.Run("without hint", func(t *testing.T) {
		// Without id_token_hint (or client_id) the URI cannot be checked,
		// so the provider's own page is used.
		back := location(t, func() *http.Response {
			resp, _ := e.get(disc.EndSession + "?post_logout_redirect_uri=" + url.QueryEscape(e.srv.URL+"/evil"))
			return resp
		}())
		if back.String() != e.issuer+"/logged-out" {
			t.Errorf("redirected to %s, want the logged-out page", back)
		}
		resp, body := e.get(back.String())
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, html.EscapeString("afgemeld")) {
			t.Errorf("logged-out page: %d %s", resp.StatusCode, body)
		}
	})
}

func TestNewValidatesConfig(t *testing.T) {
	good := Config{
		Issuer:        "http://127.0.0.1:8080/dev-idp",
		ClientID:      "c",
		ClientSecret:  "s",
		RedirectURIs:  []string{"http://127.0.0.1:8080/auth/callback"},
		Users:         []User{{Sub: "a", Name: "A"}},
		AllowInsecure: true,
	}
	if _, err := New(good); err != nil {
		t.Fatalf("good config: %v", err)
	}
	for name, mutate := range map[string]func(*Config){
		"no issuer":         func(c *Config) { c.Issuer = "" },
		"trailing slash":    func(c *Config) { c.Issuer += "/" },
		"http not allowed":  func(c *Config) { c.AllowInsecure = false },
		"relative issuer":   func(c *Config) { c.Issuer = "/dev-idp" },
		"no client id":      func(c *Config) { c.ClientID = "" },
		"no secret":         func(c *Config) { c.ClientSecret = "" },
		"no redirect":       func(c *Config) { c.RedirectURIs = nil },
		"relative redirect": func(c *Config) { c.RedirectURIs = []string{"/cb"} },
		"no users":          func(c *Config) { c.Users = nil },
		"empty sub":         func(c *Config) { c.Users = []User{{Name: "x"}} },
		"duplicate sub":     func(c *Config) { c.Users = []User{{Sub: "a"}, {Sub: "a"}} },
		"bad logout uri":    func(c *Config) { c.PostLogoutRedirectURIs = []string{"nope"} },
		"issuer with query": func(c *Config) { c.Issuer += "?x=1" },
	} {
		t.Run(name, func(t *testing.T) {
			cfg := good
			mutate(&cfg)
			if _, err := New(cfg); err == nil {
				t.Error("New accepted an invalid config")
			}
		})
	}
}

// TestConcurrentLogins runs several complete flows in parallel so the race
// detector can check the shared in-memory state.
func TestConcurrentLogins(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := newFlow()
			authURL := e.oauth.AuthCodeURL(f.state, oidc.Nonce(f.nonce), oauth2.S256ChallengeOption(f.verifier))
			code, err := walkFlow(e, authURL, "anouk.devries")
			if err != nil {
				errs <- err
				return
			}
			tok, err := e.exchange(code, f.verifier)
			if err != nil {
				errs <- err
				return
			}
			raw, _ := tok.Extra("id_token").(string)
			idt, err := e.verifier.Verify(e.ctx, raw)
			if err != nil {
				errs <- err
				return
			}
			if idt.Nonce != f.nonce {
				errs <- errors.New("nonce mismatch")
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// walkFlow is the browser part of the flow without *testing.T, for use in
// goroutines.
func walkFlow(e *env, authURL, sub string) (string, error) {
	next := func(resp *http.Response, err error) (*url.URL, error) {
		if err != nil {
			return nil, err
		}
		resp.Body.Close()
		return resp.Location()
	}
	loginURL, err := next(e.browser.Get(authURL))
	if err != nil {
		return "", err
	}
	id := loginURL.Query().Get("authRequestID")
	callback, err := next(e.browser.PostForm(e.issuer+"/login", url.Values{"id": {id}, "sub": {sub}}))
	if err != nil {
		return "", err
	}
	back, err := next(e.browser.Get(callback.String()))
	if err != nil {
		return "", err
	}
	if code := back.Query().Get("code"); code != "" {
		return code, nil
	}
	return "", errors.New("no code in " + back.String())
}
