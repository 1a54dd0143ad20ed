package devidp

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Compile-time checks of the interfaces the provider looks for.
var (
	_ op.Storage                   = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest = (*storage)(nil)
	_ op.Client                    = (*client)(nil)
	_ op.AuthRequest               = (*authRequest)(nil)
)

// errNotFound is returned for unknown or expired auth requests, codes and
// tokens. The op package turns it into the appropriate OAuth error.
var errNotFound = errors.New("devidp: not found or expired")

// storage is the in-memory implementation of op.Storage for a single client
// and a fixed list of users.
//
// Everything mutable is guarded by mu. Expired entries are removed lazily:
// every lookup checks the expiry, and every insertion sweeps all maps, so
// nothing grows without bound and no background goroutine is needed.
type storage struct {
	now    func() time.Time
	client *client
	key    *signingKey

	// users and userList are read-only after construction.
	users    map[string]User
	userList []User

	mu           sync.Mutex
	authRequests map[string]*authRequest // by auth request ID
	codes        map[string]codeEntry    // by authorization code, not yet redeemed
	redeemed     map[string]redeemedCode // by authorization code, already redeemed
	tokens       map[string]*accessToken // by access token ID
}

// codeEntry links an issued, unredeemed authorization code to its auth request.
type codeEntry struct {
	authRequestID string
	expires       time.Time
}

// redeemedCode remembers a redeemed code so a second use can be detected and
// the tokens issued for the first use can be revoked (RFC 6749, 4.1.2).
type redeemedCode struct {
	authRequestID string
	expires       time.Time
}

// accessToken is the server-side record of an opaque access token.
type accessToken struct {
	id            string
	authRequestID string
	subject       string
	clientID      string
	scopes        []string
	expires       time.Time
}

func newStorage(cfg Config, now func() time.Time) (*storage, error) {
	key, err := newSigningKey()
	if err != nil {
		return nil, err
	}
	users := make(map[string]User, len(cfg.Users))
	userList := make([]User, 0, len(cfg.Users))
	for _, u := range cfg.Users {
		// Copy the slice so later changes by the caller cannot race with us.
		u.Groups = slices.Clone(u.Groups)
		users[u.Sub] = u
		userList = append(userList, u)
	}
	return &storage{
		now: now,
		client: &client{
			id:                     cfg.ClientID,
			secret:                 cfg.ClientSecret,
			redirectURIs:           slices.Clone(cfg.RedirectURIs),
			postLogoutRedirectURIs: slices.Clone(cfg.PostLogoutRedirectURIs),
			loginURL:               cfg.Issuer + pathLogin,
		},
		key:          key,
		users:        users,
		userList:     userList,
		authRequests: make(map[string]*authRequest),
		codes:        make(map[string]codeEntry),
		redeemed:     make(map[string]redeemedCode),
		tokens:       make(map[string]*accessToken),
	}, nil
}

// randomID returns 128 random bits, URL-safe encoded.
func randomID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// sweepLocked removes every expired entry. s.mu must be held.
func (s *storage) sweepLocked(now time.Time) {
	maps.DeleteFunc(s.authRequests, func(_ string, r *authRequest) bool { return !now.Before(r.expires) })
	maps.DeleteFunc(s.codes, func(_ string, c codeEntry) bool { return !now.Before(c.expires) })
	maps.DeleteFunc(s.redeemed, func(_ string, c redeemedCode) bool { return !now.Before(c.expires) })
	maps.DeleteFunc(s.tokens, func(_ string, t *accessToken) bool { return !now.Before(t.expires) })
}

// authRequestLocked returns the live auth request with the given ID, or nil.
// s.mu must be held.
func (s *storage) authRequestLocked(id string, now time.Time) *authRequest {
	r, ok := s.authRequests[id]
	if !ok {
		return nil
	}
	if !now.Before(r.expires) {
		delete(s.authRequests, id)
		return nil
	}
	return r
}

// user returns the demo user with the given subject.
func (s *storage) user(sub string) (User, bool) {
	u, ok := s.users[sub]
	return u, ok
}

// hasAuthRequest reports whether a live auth request with this ID exists.
// Used by the login page.
func (s *storage) hasAuthRequest(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authRequestLocked(id, s.now()) != nil
}

// completeLogin marks the auth request as authenticated for the given user.
func (s *storage) completeLogin(id, sub string) error {
	if _, ok := s.user(sub); !ok {
		return fmt.Errorf("devidp: unknown user %q", sub)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	r := s.authRequestLocked(id, now)
	if r == nil {
		return errNotFound
	}
	r.subject = sub
	r.authTime = now
	r.done = true
	return nil
}

// --- op.AuthStorage ---

// CreateAuthRequest stores a validated authorization request. The op package
// has already checked client, redirect_uri, response_type and scopes; here
// we additionally require PKCE with S256.
func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if slices.Contains(req.Prompt, oidc.PromptNone) {
		// There is never a session to reuse: the user has to choose.
		return nil, oidc.ErrLoginRequired()
	}
	if req.CodeChallenge == "" || req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE with code_challenge_method=S256 is required")
	}
	id, err := randomID()
	if err != nil {
		return nil, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweepLocked(now)
	r := &authRequest{
		id:           id,
		clientID:     req.ClientID,
		redirectURI:  req.RedirectURI,
		state:        req.State,
		nonce:        req.Nonce,
		scopes:       slices.Clone(req.Scopes),
		responseType: req.ResponseType,
		responseMode: req.ResponseMode,
		codeChallenge: &oidc.CodeChallenge{
			Challenge: req.CodeChallenge,
			Method:    req.CodeChallengeMethod,
		},
		expires: now.Add(authRequestLifetime),
	}
	s.authRequests[id] = r
	return r.snapshot(), nil
}

// AuthRequestByID returns a snapshot of a live auth request (used by the
// callback after the login page).
func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.authRequestLocked(id, s.now())
	if r == nil {
		return nil, errNotFound
	}
	return r.snapshot(), nil
}

// AuthRequestByCode redeems an authorization code. A code can be redeemed
// exactly once: redemption removes the code and its auth request, whatever
// the outcome of the rest of the token request (client authentication, PKCE).
// A second attempt with the same code fails and revokes the access tokens
// issued for the first one.
func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()

	if used, ok := s.redeemed[code]; ok {
		for id, t := range s.tokens {
			if t.authRequestID == used.authRequestID {
				delete(s.tokens, id)
			}
		}
		return nil, errors.New("devidp: authorization code already used")
	}
	c, ok := s.codes[code]
	if !ok {
		return nil, errNotFound
	}
	delete(s.codes, code)
	if !now.Before(c.expires) {
		return nil, errNotFound
	}
	r := s.authRequestLocked(c.authRequestID, now)
	if r == nil || !r.done {
		return nil, errNotFound
	}
	// Single use: forget the auth request and every code issued for it.
	delete(s.authRequests, r.id)
	for other, oc := range s.codes {
		if oc.authRequestID == r.id {
			delete(s.codes, other)
		}
	}
	s.redeemed[code] = redeemedCode{authRequestID: r.id, expires: now.Add(accessTokenLifetime)}
	return r.snapshot(), nil
}

// SaveAuthCode records the code issued for a completed auth request.
func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweepLocked(now)
	r := s.authRequestLocked(id, now)
	if r == nil || !r.done {
		return errNotFound
	}
	expires := now.Add(authCodeLifetime)
	s.codes[code] = codeEntry{authRequestID: id, expires: expires}
	// Keep the auth request alive at least as long as its code.
	if r.expires.Before(expires) {
		r.expires = expires
	}
	return nil
}

// DeleteAuthRequest is called after tokens were issued. The request has
// normally been removed already by AuthRequestByCode.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.authRequests, id)
	for code, c := range s.codes {
		if c.authRequestID == id {
			delete(s.codes, code)
		}
	}
	return nil
}

// CreateAccessToken stores a new opaque access token; the op package
// encrypts its ID into the bearer value.
func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	ar, ok := req.(*authRequest)
	if !ok {
		return "", time.Time{}, oidc.ErrUnsupportedGrantType()
	}
	id, err := randomID()
	if err != nil {
		return "", time.Time{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweepLocked(now)
	t := &accessToken{
		id:            id,
		authRequestID: ar.id,
		subject:       ar.subject,
		clientID:      ar.clientID,
		scopes:        slices.Clone(ar.scopes),
		expires:       now.Add(accessTokenLifetime),
	}
	s.tokens[id] = t
	return id, t.expires, nil
}

// CreateAccessAndRefreshTokens is not supported: the client is not allowed
// the refresh_token grant, so the op package never calls it for our client.
func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, oidc.ErrUnsupportedGrantType().WithDescription("refresh tokens are not supported")
}

// TokenRequestByRefreshToken is not supported (no refresh tokens).
func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

// TerminateSession revokes the user's access tokens for the client on logout.
func (s *storage) TerminateSession(_ context.Context, userID, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, t := range s.tokens {
		if t.subject == userID && t.clientID == clientID {
			delete(s.tokens, id)
		}
	}
	return nil
}

// RevokeToken revokes an access token (by ID). Unknown tokens are ignored,
// as RFC 7009 requires.
func (s *storage) RevokeToken(_ context.Context, tokenOrTokenID, _, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tokenOrTokenID]
	if !ok {
		return nil
	}
	if t.clientID != clientID {
		return oidc.ErrInvalidClient().WithDescription("token was not issued for this client")
	}
	delete(s.tokens, tokenOrTokenID)
	return nil
}

// GetRefreshTokenInfo: there are no refresh tokens.
func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

// SigningKey returns the in-memory RSA key.
func (s *storage) SigningKey(context.Context) (op.SigningKey, error) {
	return s.key, nil
}

// SignatureAlgorithms lists RS256, the only algorithm used.
func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{s.key.algorithm}, nil
}

// KeySet returns the public signing key for the JWKS endpoint.
func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{s.key}}, nil
}

// --- op.OPStorage ---

// GetClientByClientID returns the single configured client.
func (s *storage) GetClientByClientID(_ context.Context, clientID string) (op.Client, error) {
	if clientID != s.client.id {
		return nil, fmt.Errorf("devidp: unknown client %q", clientID)
	}
	return s.client, nil
}

// AuthorizeClientIDSecret checks client_secret_basic / client_secret_post
// credentials in constant time.
func (s *storage) AuthorizeClientIDSecret(_ context.Context, clientID, clientSecret string) error {
	idOK := subtle.ConstantTimeCompare([]byte(clientID), []byte(s.client.id)) == 1
	secretOK := subtle.ConstantTimeCompare([]byte(clientSecret), []byte(s.client.secret)) == 1
	if !idOK || !secretOK {
		return errors.New("devidp: invalid client credentials")
	}
	return nil
}

// SetUserinfoFromScopes is deprecated in op; SetUserinfoFromRequest is used.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token claims. All user claims (name,
// email, preferred_username, groups) are always put into the ID token,
// because the relying party reads them from there.
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, _ []string) error {
	return s.userinfo(info, req.GetSubject())
}

// SetUserinfoFromToken fills the userinfo endpoint response.
func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, _, _ string) error {
	t, err := s.liveToken(tokenID)
	if err != nil {
		return err
	}
	return s.userinfo(info, t.subject)
}

// SetIntrospectionFromToken answers token introspection for our client.
func (s *storage) SetIntrospectionFromToken(_ context.Context, resp *oidc.IntrospectionResponse, tokenID, _, clientID string) error {
	t, err := s.liveToken(tokenID)
	if err != nil {
		return err
	}
	if t.clientID != clientID {
		return errors.New("devidp: token was not issued for this client")
	}
	info := new(oidc.UserInfo)
	if err := s.userinfo(info, t.subject); err != nil {
		return err
	}
	resp.SetUserInfo(info)
	resp.Scope = t.scopes
	resp.ClientID = t.clientID
	resp.Expiration = oidc.FromTime(t.expires)
	return nil
}

// liveToken returns a copy of an unexpired access token.
func (s *storage) liveToken(id string) (accessToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[id]
	if !ok {
		return accessToken{}, errNotFound
	}
	if !s.now().Before(t.expires) {
		delete(s.tokens, id)
		return accessToken{}, errNotFound
	}
	return *t, nil
}

// GetPrivateClaimsFromScopes: no custom scopes, no extra claims (only used
// for JWT access tokens, which we do not issue).
func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

// GetKeyByIDAndClientID: private_key_jwt and JWT profile are not supported.
func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errors.New("devidp: client keys are not supported")
}

// ValidateJWTProfileScopes: the JWT profile grant is not supported.
func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("devidp: JWT profile grant is not supported")
}

// Health always reports healthy.
func (s *storage) Health(context.Context) error { return nil }

// userinfo fills info with the claims of the user with this subject.
func (s *storage) userinfo(info *oidc.UserInfo, sub string) error {
	u, ok := s.user(sub)
	if !ok {
		return fmt.Errorf("devidp: unknown user %q", sub)
	}
	setUserinfo(info, u)
	return nil
}

// setUserinfo copies a demo user into userinfo / ID token claims.
func setUserinfo(info *oidc.UserInfo, u User) {
	info.Subject = u.Sub
	info.Name = u.Name
	info.PreferredUsername = u.Sub
	if u.Email != "" {
		info.Email = u.Email
		info.EmailVerified = true
	}
	groups := slices.Clone(u.Groups)
	if groups == nil {
		groups = []string{} // always an array, never null
	}
	info.AppendClaims("groups", groups)
}

// --- auth request ---

// authRequest is the stored state of one authorization request. The op
// package only ever sees snapshots (copies), so the stored instance can be
// updated under the storage mutex without racing with readers.
type authRequest struct {
	id            string
	clientID      string
	redirectURI   string
	state         string
	nonce         string
	scopes        []string
	responseType  oidc.ResponseType
	responseMode  oidc.ResponseMode
	codeChallenge *oidc.CodeChallenge

	subject  string
	authTime time.Time
	done     bool
	expires  time.Time
}

func (a *authRequest) snapshot() *authRequest {
	c := *a
	c.scopes = slices.Clone(a.scopes)
	if a.codeChallenge != nil {
		cc := *a.codeChallenge
		c.codeChallenge = &cc
	}
	return &c
}

func (a *authRequest) GetID() string                         { return a.id }
func (a *authRequest) GetACR() string                        { return "" }
func (a *authRequest) GetAudience() []string                 { return []string{a.clientID} }
func (a *authRequest) GetAuthTime() time.Time                { return a.authTime }
func (a *authRequest) GetClientID() string                   { return a.clientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.codeChallenge }
func (a *authRequest) GetNonce() string                      { return a.nonce }
func (a *authRequest) GetRedirectURI() string                { return a.redirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType    { return a.responseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode    { return a.responseMode }
func (a *authRequest) GetScopes() []string                   { return a.scopes }
func (a *authRequest) GetState() string                      { return a.state }
func (a *authRequest) GetSubject() string                    { return a.subject }
func (a *authRequest) Done() bool                            { return a.done }

// GetAMR has no standard value for "picked a user from a list"; leave it
// empty rather than claim a password.
func (a *authRequest) GetAMR() []string { return nil }

// --- client ---

// client is the single confidential web client.
type client struct {
	id                     string
	secret                 string
	redirectURIs           []string
	postLogoutRedirectURIs []string
	loginURL               string // absolute URL of the login page
}

func (c *client) GetID() string                       { return c.id }
func (c *client) RedirectURIs() []string              { return c.redirectURIs }
func (c *client) PostLogoutRedirectURIs() []string    { return c.postLogoutRedirectURIs }
func (c *client) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }

// AuthMethod is client_secret_basic; because op.Config.AuthMethodPost is
// set, client_secret_post is accepted as well.
func (c *client) AuthMethod() oidc.AuthMethod { return oidc.AuthMethodBasic }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c *client) LoginURL(id string) string {
	return c.loginURL + "?authRequestID=" + url.QueryEscape(id)
}
func (c *client) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeBearer }
func (c *client) IDTokenLifetime() time.Duration       { return idTokenLifetime }
func (c *client) DevMode() bool                        { return false }
func (c *client) IsScopeAllowed(string) bool           { return false }
func (c *client) ClockSkew() time.Duration             { return 0 }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true } // claims in the ID token even with an access token
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(scopes []string) []string { return scopes }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(scopes []string) []string { return scopes }
}

// --- keys ---

// signingKey is the RSA key that signs ID tokens, generated at startup.
type signingKey struct {
	id        string
	algorithm jose.SignatureAlgorithm
	key       *rsa.PrivateKey
}

func newSigningKey() (*signingKey, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("devidp: generate signing key: %w", err)
	}
	id, err := randomID()
	if err != nil {
		return nil, err
	}
	return &signingKey{id: id, algorithm: jose.RS256, key: key}, nil
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return k.algorithm }
func (k *signingKey) Key() any                                    { return k.key }
func (k *signingKey) ID() string                                  { return k.id }

// publicKey exposes the public half of the signing key for the JWKS.
type publicKey struct{ k *signingKey }

func (p publicKey) ID() string                         { return p.k.id }
func (p publicKey) Algorithm() jose.SignatureAlgorithm { return p.k.algorithm }
func (p publicKey) Use() string                        { return "sig" }
func (p publicKey) Key() any                           { return &p.k.key.PublicKey }
