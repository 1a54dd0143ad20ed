package identity_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	jose "github.com/go-jose/go-jose/v4"

	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/storetest"
)

const (
	testClientID     = "plein"
	testClientSecret = "client-secret-0123456789abcdef0123456789" // long enough to be an HS256 key
	sessionCookie    = "plein_session"                            // SecureCookies is off over http loopback
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

// rp is Plein's relying party (identity.Service and its routes) served over
// real HTTP against a fake provider, on a fresh database.
type rp struct {
	t     *testing.T
	op    *fakeOP
	store *store.Store
	svc   *identity.Service
	teams *fakeTeams
	url   string
}

func newRP(t *testing.T) *rp {
	t.Helper()
	op := newFakeOP(t, testClientID, testClientSecret)
	st := storetest.New(t)
	users, err := identity.NewUsers(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	teams := &fakeTeams{calls: map[string][][]string{}}
	svc := identity.New(identity.Config{
		Issuer: op.issuer(), ClientID: testClientID, ClientSecret: testClientSecret, BaseURL: base,
		GroupsClaim: "groups", RoleGroupPrefix: "plein-role-", TeamGroupPrefix: "plein-team-",
		SessionIdle: 8 * time.Hour, SessionAbsolute: 72 * time.Hour,
		Logger: slog.New(slog.DiscardHandler),
	}, st, users, teams)
	e := gin.New()
	h := identity.NewHTTP(svc, nil, nil)
	h.Routes(e, e.Group("/api/v1", h.Authenticate()))
	srv.Config.Handler = e
	srv.Start()
	t.Cleanup(srv.Close)
	return &rp{t: t, op: op, store: st, svc: svc, teams: teams, url: base}
}

// fakeTeams records the teams each login names.
type fakeTeams struct {
	mu    sync.Mutex
	calls map[string][][]string // user id → one entry per login
}

func (f *fakeTeams) SyncClaimedTeams(_ context.Context, userID string, teamIDs []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[userID] = append(f.calls[userID], slices.Clone(teamIDs))
	return nil
}

func (f *fakeTeams) of(userID string) [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[userID]
}

// browser is a cookie-keeping client that does not follow redirects, so
// each step of the flow can be checked.
type browser struct {
	t  *testing.T
	rp *rp
	c  *http.Client
}

func (r *rp) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: r.t, rp: r, c: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (b *browser) get(u string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Get(u)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, string(body)
}

// authorize starts a login at Plein and lets the provider answer; it returns
// the callback URL the provider sends the browser back to.
func (b *browser) authorize(returnTo string) *url.URL {
	b.t.Helper()
	resp, _ := b.get(b.rp.url + "/auth/login?return_to=" + url.QueryEscape(returnTo))
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, b.rp.op.issuer()+"/authorize?") {
		b.t.Fatalf("login: %d to %q, want a redirect to the provider", resp.StatusCode, loc)
	}
	resp, body := b.get(loc)
	cb, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(cb.String(), b.rp.url+"/auth/callback?") {
		b.t.Fatalf("provider: %d to %q (%s)", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	return cb
}

// login runs the whole flow and expects it to succeed.
func (b *browser) login() sessionBody {
	b.t.Helper()
	resp, body := b.get(b.authorize("/").String())
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/" {
		b.t.Fatalf("callback: %d to %q: %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	s, st := b.session()
	if st != http.StatusOK {
		b.t.Fatalf("session after login: %d", st)
	}
	return s
}

type sessionBody struct {
	User struct {
		ID    string   `json:"id"`
		Name  string   `json:"name"`
		Email string   `json:"email"`
		Roles []string `json:"roles"`
	} `json:"user"`
	CSRFToken string `json:"csrfToken"`
}

func (b *browser) session() (sessionBody, int) {
	b.t.Helper()
	resp, body := b.get(b.rp.url + "/api/v1/session")
	var s sessionBody
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal([]byte(body), &s); err != nil {
			b.t.Fatalf("session body %q: %v", body, err)
		}
	}
	return s, resp.StatusCode
}

func (b *browser) hasSessionCookie() bool {
	u, _ := url.Parse(b.rp.url)
	return slices.ContainsFunc(b.c.Jar.Cookies(u), func(c *http.Cookie) bool { return c.Name == sessionCookie })
}

// assertRefused checks a callback answer: 400 with the failure page naming
// reason, no session cookie, no session, nobody provisioned.
func (b *browser) assertRefused(resp *http.Response, body, reason string) {
	b.t.Helper()
	if resp.StatusCode != http.StatusBadRequest {
		b.t.Errorf("callback status %d, want 400", resp.StatusCode)
	}
	if !strings.Contains(body, "Inloggen is niet gelukt") || !strings.Contains(body, reason) {
		b.t.Errorf("failure page does not name %q:\n%s", reason, body)
	}
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			b.t.Errorf("refused callback set a session cookie: %v", c)
		}
	}
	if b.hasSessionCookie() {
		b.t.Error("browser holds a session cookie after a refused login")
	}
	if _, st := b.session(); st != http.StatusUnauthorized {
		b.t.Errorf("GET /api/v1/session after refused login: %d, want 401", st)
	}
	if n := len(b.rp.svc.Users().All()); n != 0 {
		b.t.Errorf("refused login provisioned %d user(s)", n)
	}
}

// withClaims returns an ID-token builder that edits the valid claims.
func withClaims(op *fakeOP, edit func(c map[string]any)) func(grant) string {
	return func(g grant) string {
		c := op.claims(g)
		edit(c)
		return op.sign(c)
	}
}

func TestLoginRefusesBadIDTokens(t *testing.T) {
	tests := []struct {
		name   string
		token  func(op *fakeOP) func(grant) string
		reason string
	}{
		{"wrong nonce", func(op *fakeOP) func(grant) string {
			return func(g grant) string {
				c := op.claims(g)
				c["nonce"] = "not-" + g.Nonce
				return op.sign(c)
			}
		}, "nonce mismatch"},
		{"no nonce", func(op *fakeOP) func(grant) string {
			return withClaims(op, func(c map[string]any) { delete(c, "nonce") })
		}, "nonce mismatch"},
		{"wrong audience", func(op *fakeOP) func(grant) string {
			return withClaims(op, func(c map[string]any) { c["aud"] = "someone-else" })
		}, "expected audience"},
		{"audience list without the client", func(op *fakeOP) func(grant) string {
			return withClaims(op, func(c map[string]any) { c["aud"] = []string{"someone-else", "another"} })
		}, "expected audience"},
		{"expired", func(op *fakeOP) func(grant) string {
			return withClaims(op, func(c map[string]any) {
				c["iat"] = time.Now().Add(-2 * time.Hour).Unix()
				c["exp"] = time.Now().Add(-time.Hour).Unix()
			})
		}, "token is expired"},
		{"wrong issuer", func(op *fakeOP) func(grant) string {
			return withClaims(op, func(c map[string]any) { c["iss"] = op.issuer() + "/other" })
		}, "issued by a different provider"},
		{"signed by a key not in the JWKS", func(op *fakeOP) func(grant) string {
			// Same kid as the published key: only the signature can tell.
			return func(g grant) string { return signJWT(op.t, jose.RS256, otherKey(), op.kid, op.claims(g)) }
		}, "failed to verify signature"},
		{"alg none", func(op *fakeOP) func(grant) string {
			return func(g grant) string { return unsignedJWT(op.claims(g)) }
		}, "malformed jwt"},
		{"HS256 with the client secret", func(op *fakeOP) func(grant) string {
			return func(g grant) string { return signJWT(op.t, jose.HS256, []byte(testClientSecret), op.kid, op.claims(g)) }
		}, "malformed jwt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRP(t)
			r.op.setIDToken(tc.token(r.op))
			b := r.browser()
			resp, body := b.get(b.authorize("/").String())
			b.assertRefused(resp, body, tc.reason)
			// The refusal is the ID token's: the code exchange itself went through.
			if tr := r.op.tokenRequests(); len(tr) != 1 || !tr[0].ClientOK || !tr[0].PKCEOK {
				t.Errorf("token requests %+v, want one with client and PKCE accepted", tr)
			}
		})
	}
}

func TestLoginAcceptsStringAndListAudience(t *testing.T) {
	tests := []struct {
		name string
		aud  any
	}{
		{"string", testClientID},
		{"list", []string{"someone-else", testClientID}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRP(t)
			r.op.setIDToken(withClaims(r.op, func(c map[string]any) { c["aud"] = tc.aud }))
			b := r.browser()
			s := b.login()
			if want := identity.UserID(r.op.issuer(), "alice"); s.User.ID != want || s.User.Name != "Alice Jansen" {
				t.Errorf("session user %+v, want id %s", s.User, want)
			}
			if !b.hasSessionCookie() || s.CSRFToken == "" {
				t.Error("no session cookie or CSRF token after login")
			}
		})
	}
}

func TestLoginProvisionsRolesAndTeamsFromGroups(t *testing.T) {
	r := newRP(t)
	r.op.setIDToken(withClaims(r.op, func(c map[string]any) {
		c["groups"] = []string{"plein-role-beheerder", "plein-role-koning", "plein-team-x", "staff", "plein-role-zorgmedewerker"}
	}))
	s := r.browser().login()

	if want := []string{"zorgmedewerker", "beheerder"}; !slices.Equal(s.User.Roles, want) {
		t.Errorf("roles %q, want %q (unknown role groups ignored)", s.User.Roles, want)
	}
	id := identity.UserID(r.op.issuer(), "alice")
	if got := r.teams.of(id); len(got) != 1 || !slices.Equal(got[0], []string{"x"}) {
		t.Errorf("teams synced %q, want one call with [x]", got)
	}
	u, ok := r.svc.Users().Get(id)
	if !ok || u.Issuer != r.op.issuer() || u.Subject != "alice" || u.Email != "alice@example.nl" || !u.Active {
		t.Errorf("provisioned user %+v", u)
	}
	if want := []identity.Role{identity.RoleBeheerder, identity.RoleZorgmedewerker}; !slices.Equal(u.ClaimRoles, want) {
		t.Errorf("claimed roles %q, want %q", u.ClaimRoles, want)
	}
}

func TestAccountsAreKeyedByIssuerAndSubjectNotEmail(t *testing.T) {
	r := newRP(t)
	loginAs := func(sub, name, email string) sessionBody {
		t.Helper()
		r.op.setIDToken(withClaims(r.op, func(c map[string]any) {
			c["sub"], c["name"], c["email"] = sub, name, email
		}))
		return r.browser().login()
	}

	a := loginAs("sub-a", "Alex Smit", "shared@example.nl")
	b := loginAs("sub-b", "Bo Smit", "shared@example.nl")
	if a.User.ID == b.User.ID {
		t.Fatalf("two subjects with one e-mail share account %s", a.User.ID)
	}
	if a.User.ID != identity.UserID(r.op.issuer(), "sub-a") || b.User.ID != identity.UserID(r.op.issuer(), "sub-b") {
		t.Errorf("ids %s, %s are not derived from (issuer, subject)", a.User.ID, b.User.ID)
	}

	again := loginAs("sub-a", "Alex de Smit", "alex@example.nl")
	if again.User.ID != a.User.ID || again.User.Name != "Alex de Smit" || again.User.Email != "alex@example.nl" {
		t.Errorf("same subject with new name and e-mail: %+v, want account %s updated", again.User, a.User.ID)
	}
	// Stored, not only cached: a fresh directory reads two users.
	users, err := identity.NewUsers(context.Background(), r.store)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(users.All()); n != 2 {
		t.Errorf("%d users stored, want 2", n)
	}
	if u, _ := users.Get(a.User.ID); u.Email != "alex@example.nl" || u.Name != "Alex de Smit" {
		t.Errorf("stored user %+v not updated", u)
	}
}

func TestLoginSendsStateNonceAndPKCE(t *testing.T) {
	r := newRP(t)
	b := r.browser()
	cb := b.authorize("/teams/x?y=1")

	az := r.op.authorizations()
	if len(az) != 1 {
		t.Fatalf("%d authorization requests", len(az))
	}
	a := az[0]
	if a.ChallengeMethod != "S256" || len(a.Challenge) != 43 {
		t.Errorf("code_challenge %q method %q, want a S256 challenge", a.Challenge, a.ChallengeMethod)
	}
	if a.State == "" || cb.Query().Get("state") != a.State {
		t.Errorf("state at provider %q, at callback %q", a.State, cb.Query().Get("state"))
	}
	if a.Nonce == "" || a.Nonce == a.State {
		t.Errorf("nonce %q (state %q)", a.Nonce, a.State)
	}
	if a.RedirectURI != r.url+"/auth/callback" || !slices.Contains(strings.Fields(a.Scope), "openid") {
		t.Errorf("redirect_uri %q scope %q", a.RedirectURI, a.Scope)
	}

	resp, body := b.get(cb.String())
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/teams/x?y=1" {
		t.Fatalf("callback: %d to %q: %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	tr := r.op.tokenRequests()
	if len(tr) != 1 || tr[0].Code != cb.Query().Get("code") {
		t.Fatalf("token requests %+v", tr)
	}
	if tr[0].Verifier == "" || s256(tr[0].Verifier) != a.Challenge || !tr[0].PKCEOK || !tr[0].ClientOK {
		t.Errorf("token request %+v does not carry the verifier of challenge %q", tr[0], a.Challenge)
	}
}

func TestLoginRefusedWhenProviderRejectsPKCE(t *testing.T) {
	r := newRP(t)
	b := r.browser()
	cb := b.authorize("/")
	// As if the authorization request had carried another challenge.
	r.op.replaceChallenge(cb.Query().Get("code"), s256("another verifier"))
	resp, body := b.get(cb.String())
	b.assertRefused(resp, body, "code exchange failed")
	// (oauth2 retries a refused exchange with the client in the form instead
	// of basic auth, so there may be two requests.)
	tr := r.op.tokenRequests()
	if len(tr) == 0 || slices.ContainsFunc(tr, func(x tokenRequest) bool { return x.PKCEOK || !x.ClientOK }) {
		t.Errorf("token requests %+v, want each refused for PKCE alone", tr)
	}
}

func TestCallbackWithAnotherStateIsRefused(t *testing.T) {
	r := newRP(t)
	b := r.browser()
	cb := b.authorize("/")
	q := cb.Query()
	q.Set("state", "x"+q.Get("state"))
	cb.RawQuery = q.Encode()
	resp, body := b.get(cb.String())
	b.assertRefused(resp, body, "unknown or already used state")
	if tr := r.op.tokenRequests(); len(tr) != 0 {
		t.Errorf("code redeemed for an unknown state: %+v", tr)
	}
}

func TestProviderAccessDeniedShowsFailurePage(t *testing.T) {
	r := newRP(t)
	r.op.setDeny(true)
	b := r.browser()
	cb := b.authorize("/")
	if cb.Query().Get("error") != "access_denied" || cb.Query().Has("code") {
		t.Fatalf("provider callback %s", cb)
	}
	resp, body := b.get(cb.String())
	b.assertRefused(resp, body, "access_denied")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("failure page content type %q", ct)
	}
}
