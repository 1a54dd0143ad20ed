package identity_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Two RSA keys for the whole package: generating them under -race is slow.
var (
	opKey    = sync.OnceValue(func() *rsa.PrivateKey { return mustRSAKey() })
	otherKey = sync.OnceValue(func() *rsa.PrivateKey { return mustRSAKey() })
)

func mustRSAKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

// fakeOP is a minimal OpenID provider for relying-party tests: discovery,
// a JWKS with one RSA key, an authorize endpoint that answers at once (no
// login page), and a token endpoint that checks the client, the redirect URI
// and PKCE (S256) and returns the ID token the test builds.
type fakeOP struct {
	t            *testing.T
	srv          *httptest.Server
	clientID     string
	clientSecret string
	kid          string

	mu      sync.Mutex
	idToken func(g grant) string // builds the ID token for a grant
	deny    bool                 // authorize answers error=access_denied
	authzs  []authzRequest
	grants  map[string]*grant // by code
	tokens  []tokenRequest
}

// authzRequest is what the relying party sent to the authorize endpoint.
type authzRequest struct {
	ClientID, RedirectURI, ResponseType, Scope string
	State, Nonce, Challenge, ChallengeMethod   string
}

// grant is an issued authorization code and the request it answers.
type grant struct {
	authzRequest
	Code string
	used bool
}

// tokenRequest is what the relying party sent to the token endpoint, and
// what the provider made of it.
type tokenRequest struct {
	Code, Verifier string
	ClientOK       bool // client id and secret matched (basic auth or form)
	PKCEOK         bool // S256(verifier) == the code's challenge
}

func newFakeOP(t *testing.T, clientID, clientSecret string) *fakeOP {
	op := &fakeOP{t: t, clientID: clientID, clientSecret: clientSecret, kid: "op-key-1", grants: map[string]*grant{}}
	op.idToken = func(g grant) string { return op.sign(op.claims(g)) }
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", op.discovery)
	mux.HandleFunc("GET /jwks", op.jwks)
	mux.HandleFunc("GET /authorize", op.authorize)
	mux.HandleFunc("POST /token", op.token)
	op.srv = httptest.NewServer(mux)
	t.Cleanup(op.srv.Close)
	return op
}

// issuer is the provider's issuer URL.
func (op *fakeOP) issuer() string { return op.srv.URL }

// setIDToken makes the token endpoint answer with f's token.
func (op *fakeOP) setIDToken(f func(g grant) string) {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.idToken = f
}

// setDeny makes the authorize endpoint refuse (error=access_denied).
func (op *fakeOP) setDeny(deny bool) {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.deny = deny
}

// authorizations returns the authorization requests received so far.
func (op *fakeOP) authorizations() []authzRequest {
	op.mu.Lock()
	defer op.mu.Unlock()
	return append([]authzRequest(nil), op.authzs...)
}

// tokenRequests returns the token requests received so far.
func (op *fakeOP) tokenRequests() []tokenRequest {
	op.mu.Lock()
	defer op.mu.Unlock()
	return append([]tokenRequest(nil), op.tokens...)
}

// replaceChallenge swaps the PKCE challenge stored for code, as if the
// authorization request had carried another one.
func (op *fakeOP) replaceChallenge(code, challenge string) {
	op.mu.Lock()
	defer op.mu.Unlock()
	g, ok := op.grants[code]
	if !ok {
		op.t.Fatalf("fake provider: no grant for code %q", code)
	}
	g.Challenge = challenge
}

// claims returns valid ID-token claims answering g: this issuer, the client
// as (string) audience, the authorization request's nonce, an hour to live.
func (op *fakeOP) claims(g grant) map[string]any {
	now := time.Now()
	return map[string]any{
		"iss":   op.issuer(),
		"sub":   "alice",
		"aud":   op.clientID,
		"iat":   now.Unix(),
		"exp":   now.Add(time.Hour).Unix(),
		"nonce": g.Nonce,
		"name":  "Alice Jansen",
		"email": "alice@example.nl",
	}
}

// sign signs claims with the provider's published key (RS256).
func (op *fakeOP) sign(claims map[string]any) string {
	return signJWT(op.t, jose.RS256, opKey(), op.kid, claims)
}

// signJWT signs claims as a compact JWS with any algorithm and key. It runs
// in the provider's handler goroutine, so it reports with Errorf, not Fatal.
func signJWT(t *testing.T, alg jose.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	opts := (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid)
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Errorf("signer %s: %v", alg, err)
		return ""
	}
	payload, _ := json.Marshal(claims)
	jws, err := s.Sign(payload)
	if err != nil {
		t.Errorf("sign %s: %v", alg, err)
		return ""
	}
	out, _ := jws.CompactSerialize()
	return out
}

// unsignedJWT builds an "alg": "none" token (empty signature).
func unsignedJWT(claims map[string]any) string {
	payload, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(payload) + "."
}

// s256 is the PKCE S256 code challenge of verifier.
func s256(verifier string) string {
	h := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

func (op *fakeOP) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                op.issuer(),
		"authorization_endpoint":                op.issuer() + "/authorize",
		"token_endpoint":                        op.issuer() + "/token",
		"jwks_uri":                              op.issuer() + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	})
}

func (op *fakeOP) jwks(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &opKey().PublicKey, KeyID: op.kid, Algorithm: string(jose.RS256), Use: "sig"},
	}})
}

func (op *fakeOP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	a := authzRequest{
		ClientID: q.Get("client_id"), RedirectURI: q.Get("redirect_uri"), ResponseType: q.Get("response_type"),
		Scope: q.Get("scope"), State: q.Get("state"), Nonce: q.Get("nonce"),
		Challenge: q.Get("code_challenge"), ChallengeMethod: q.Get("code_challenge_method"),
	}
	redirect, err := url.Parse(a.RedirectURI)
	if err != nil || redirect.Scheme == "" || a.ClientID != op.clientID || a.ResponseType != "code" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	op.mu.Lock()
	defer op.mu.Unlock()
	op.authzs = append(op.authzs, a)
	back := url.Values{"state": {a.State}}
	if op.deny {
		back.Set("error", "access_denied")
	} else {
		code := rand.Text()
		op.grants[code] = &grant{authzRequest: a, Code: code}
		back.Set("code", code)
	}
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

func (op *fakeOP) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	id, secret, basic := r.BasicAuth()
	if basic { // RFC 6749 2.3.1: form-encoded inside basic auth
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	tr := tokenRequest{
		Code:     r.PostForm.Get("code"),
		Verifier: r.PostForm.Get("code_verifier"),
		ClientOK: id == op.clientID && secret == op.clientSecret,
	}

	op.mu.Lock()
	defer op.mu.Unlock()
	g := op.grants[tr.Code]
	if g != nil {
		tr.PKCEOK = g.ChallengeMethod == "S256" && tr.Verifier != "" && s256(tr.Verifier) == g.Challenge
	}
	op.tokens = append(op.tokens, tr)
	switch {
	case !tr.ClientOK:
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
	case r.PostForm.Get("grant_type") != "authorization_code":
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
	case g == nil || g.used || r.PostForm.Get("redirect_uri") != g.RedirectURI:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
	case !tr.PKCEOK:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "PKCE verification failed"})
	default:
		g.used = true
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, map[string]any{
			"access_token": rand.Text(), "token_type": "Bearer", "expires_in": 300,
			"id_token": op.idToken(*g),
		})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
