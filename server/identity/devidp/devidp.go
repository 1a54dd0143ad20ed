// Package devidp is a small, built-in OpenID Connect provider for local
// development and demos of Plein.
//
// It is meant to be used only in development mode when no real issuer (Entra
// ID, Keycloak, ...) is configured. The main server logs in through it with
// exactly the same go-oidc + oauth2 code path it uses for a real identity
// provider: discovery, authorization code flow with PKCE (S256), token
// endpoint, userinfo, JWKS and RP-initiated logout.
//
// Instead of a password form it shows a page listing fixed demo users; choosing
// one completes the login. All state (auth requests, codes, access tokens and
// the RSA signing key) lives in memory and disappears with the process.
//
// The protocol itself is implemented by github.com/zitadel/oidc/v3/pkg/op;
// this package supplies the in-memory storage, the login page and the
// routing under the issuer's path.
package devidp

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// User is a demo user that can be chosen on the login page.
type User struct {
	Sub         string // stable subject, e.g. "anouk.devries"
	Name        string // "Anouk de Vries"
	Email       string
	Groups      []string // e.g. ["plein-role-zorgmedewerker", "plein-team-den-helder-centrum"]
	Description string   // shown on the login page, Dutch, e.g. "Zorgmedewerker, team Den Helder-Centrum"
}

// Config configures the development provider. There is exactly one client.
type Config struct {
	Issuer                 string // absolute, e.g. "http://127.0.0.1:8080/dev-idp" (no trailing slash); the handler is mounted at that path
	ClientID               string
	ClientSecret           string
	RedirectURIs           []string // exact match
	PostLogoutRedirectURIs []string
	Users                  []User
	AllowInsecure          bool // allow http issuer (development on loopback)
}

// Lifetimes of the objects the provider hands out. They are short on purpose:
// this provider is for development, and the relying party keeps its own
// session after login.
const (
	authRequestLifetime = 10 * time.Minute // time to choose a user on the login page
	authCodeLifetime    = 1 * time.Minute  // authorization codes, single-use
	idTokenLifetime     = 10 * time.Minute
	accessTokenLifetime = 10 * time.Minute
)

// Paths below the issuer that are served by this package rather than by the
// zitadel provider.
const (
	pathLogin     = "/login"
	pathLoginCSS  = "/login.css"
	pathLoggedOut = "/logged-out"
)

// New returns an http.Handler that serves the whole provider under the issuer's path
// (the caller mounts it at that path prefix WITHOUT stripping; i.e. requests arrive with the full path like /dev-idp/.well-known/openid-configuration).
//
// Served below the issuer:
//
//	/.well-known/openid-configuration  discovery
//	/keys                              JWKS
//	/authorize                         authorization endpoint (code flow, PKCE S256 required)
//	/authorize/callback                return from the login page (internal)
//	/oauth/token                       token endpoint (client_secret_basic and client_secret_post)
//	/userinfo                          userinfo endpoint
//	/end_session                       RP-initiated logout
//	/revoke, /oauth/introspect         token revocation and introspection
//	/login, /login.css                 demo login page
//	/logged-out                        page shown after logout without redirect
//
// The `iss` claim of every token and the `issuer` in discovery are exactly
// cfg.Issuer.
func New(cfg Config) (http.Handler, error) {
	return newHandler(cfg, time.Now)
}

// newHandler is New with an injectable clock, so tests can expire state
// without sleeping.
func newHandler(cfg Config, now func() time.Time) (http.Handler, error) {
	issuerPath, err := validateConfig(&cfg)
	if err != nil {
		return nil, err
	}

	st, err := newStorage(cfg, now)
	if err != nil {
		return nil, err
	}

	// The 32-byte key encrypts authorization codes and opaque access tokens.
	// Like the signing key, it only has to live as long as the process.
	var cryptoKey [32]byte
	if _, err := rand.Read(cryptoKey[:]); err != nil {
		return nil, fmt.Errorf("devidp: generate crypto key: %w", err)
	}

	opConfig := &op.Config{
		CryptoKey:                cryptoKey,
		CryptoKeyId:              "devidp",
		DefaultLogoutRedirectURI: cfg.Issuer + pathLoggedOut,
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		SupportedScopes:          []string{"openid", "profile", "email"},
		SupportedClaims:          append(slices.Clone(op.DefaultSupportedClaims), "groups"),
	}
	var opts []op.Option
	if cfg.AllowInsecure {
		opts = append(opts, op.WithAllowInsecure())
	}
	provider, err := op.NewProvider(opConfig, st, op.StaticIssuer(cfg.Issuer), opts...)
	if err != nil {
		return nil, fmt.Errorf("devidp: create provider: %w", err)
	}

	l := newLogin(st, issuerPath, op.AuthCallbackURL(provider))
	// The login handler builds the callback URL from the issuer in the
	// request context, exactly as the provider's own handlers do.
	issuerCtx := op.NewIssuerInterceptor(provider.IssuerFromRequest)

	mux := http.NewServeMux()
	mux.HandleFunc("GET "+pathLogin, l.showLogin)
	mux.Handle("POST "+pathLogin, issuerCtx.HandlerFunc(l.chooseUser))
	mux.HandleFunc("GET "+pathLoginCSS, serveCSS)
	mux.HandleFunc("GET "+pathLoggedOut, l.showLoggedOut)
	mux.Handle("GET "+oidc.DiscoveryEndpoint, issuerCtx.HandlerFunc(discoveryHandler(provider, st)))
	mux.Handle("/", provider)

	// The zitadel router expects paths relative to the issuer, so strip the
	// issuer's path ourselves: the caller mounts this handler without doing so.
	stripped := http.StripPrefix(issuerPath, mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, issuerPath+"/") {
			http.NotFound(w, r)
			return
		}
		stripped.ServeHTTP(w, r)
	}), nil
}

// discoveryHandler serves the provider's discovery document, trimmed to what
// this provider really offers: the library's defaults also advertise the
// implicit flow, the JWT bearer grant, device authorization and public
// clients, none of which our single confidential client may use.
func discoveryHandler(provider *op.Provider, st *storage) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d := op.CreateDiscoveryConfig(r.Context(), provider, st)
		d.ResponseTypesSupported = []string{string(oidc.ResponseTypeCode)}
		d.GrantTypesSupported = []oidc.GrantType{oidc.GrantTypeCode}
		d.TokenEndpointAuthMethodsSupported = []oidc.AuthMethod{oidc.AuthMethodBasic, oidc.AuthMethodPost}
		d.RevocationEndpointAuthMethodsSupported = []oidc.AuthMethod{oidc.AuthMethodBasic, oidc.AuthMethodPost}
		d.DeviceAuthorizationEndpoint = ""
		// Public metadata; the provider's own routes allow any origin too.
		w.Header().Set("Access-Control-Allow-Origin", "*")
		op.Discover(w, d)
	}
}

// validateConfig checks cfg and returns the issuer's path without trailing
// slash ("" when the issuer is a bare origin).
func validateConfig(cfg *Config) (string, error) {
	if cfg.Issuer == "" {
		return "", errors.New("devidp: Issuer is required")
	}
	if strings.HasSuffix(cfg.Issuer, "/") {
		// go-oidc compares the discovered issuer with the configured one
		// byte for byte; keep one canonical spelling.
		return "", fmt.Errorf("devidp: Issuer %q must not end with a slash", cfg.Issuer)
	}
	u, err := url.Parse(cfg.Issuer)
	if err != nil {
		return "", fmt.Errorf("devidp: parse Issuer: %w", err)
	}
	if u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("devidp: Issuer %q must be an absolute URL without user info, query or fragment", cfg.Issuer)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !cfg.AllowInsecure {
			return "", fmt.Errorf("devidp: http Issuer %q needs AllowInsecure", cfg.Issuer)
		}
	default:
		return "", fmt.Errorf("devidp: Issuer %q must use http or https", cfg.Issuer)
	}
	if u.RawPath != "" {
		return "", fmt.Errorf("devidp: Issuer path %q must not contain escaped characters", u.Path)
	}

	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return "", errors.New("devidp: ClientID and ClientSecret are required")
	}
	if len(cfg.RedirectURIs) == 0 {
		return "", errors.New("devidp: at least one redirect URI is required")
	}
	for _, list := range [][]string{cfg.RedirectURIs, cfg.PostLogoutRedirectURIs} {
		for _, raw := range list {
			ru, err := url.Parse(raw)
			if err != nil || !ru.IsAbs() || ru.Host == "" || ru.Fragment != "" {
				return "", fmt.Errorf("devidp: redirect URI %q must be an absolute URL without fragment", raw)
			}
		}
	}

	if len(cfg.Users) == 0 {
		return "", errors.New("devidp: at least one user is required")
	}
	seen := make(map[string]bool, len(cfg.Users))
	for _, user := range cfg.Users {
		if user.Sub == "" {
			return "", errors.New("devidp: every user needs a Sub")
		}
		if seen[user.Sub] {
			return "", fmt.Errorf("devidp: duplicate user Sub %q", user.Sub)
		}
		seen[user.Sub] = true
	}
	return strings.TrimSuffix(u.Path, "/"), nil
}
