package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
)

const (
	loginAttemptTTL = 10 * time.Minute
	touchEvery      = time.Minute
)

// TeamSync receives the teams a user's groups claim names at each login.
// The org package implements it; identity does not know teams.
type TeamSync interface {
	SyncClaimedTeams(ctx context.Context, userID string, teamIDs []string) error
}

// Config configures the relying party and sessions.
type Config struct {
	Issuer          string // OIDC issuer URL
	ClientID        string
	ClientSecret    string
	BaseURL         string // e.g. https://plein.example.nl (no trailing slash)
	GroupsClaim     string
	RoleGroupPrefix string
	TeamGroupPrefix string
	SessionIdle     time.Duration
	SessionAbsolute time.Duration
	SecureCookies   bool
	// HTTPClient talks to the identity provider (discovery, token, keys).
	HTTPClient *http.Client
	Now        func() time.Time
	Logger     *slog.Logger
}

// Service is the identity service.
type Service struct {
	cfg      Config
	users    *Users
	sessions *sessions
	teams    TeamSync

	onEnd        func(userID, sessionID string)
	onUserChange func(ctx context.Context, userID string)
	changes      ChangeRecorder

	mu       sync.Mutex
	provider *oidc.Provider
	endSess  string
}

// New builds the service. teams may be nil.
func New(cfg Config, s *store.Store, users *Users, teams TeamSync) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.GroupsClaim == "" {
		cfg.GroupsClaim = "groups"
	}
	svc := &Service{
		cfg:      cfg,
		users:    users,
		sessions: newSessions(s.DB),
		teams:    teams,
	}
	svc.sessions.people.SetClock(cfg.Now) // the index's months follow the sessions' clock (purge)
	return svc
}

// OnSessionEnd registers a function called when a session ends by logout
// (sessionID set) or for all of a user's sessions (sessionID empty), so live
// connections can be closed on every instance.
func (s *Service) OnSessionEnd(f func(userID, sessionID string)) { s.onEnd = f }

// SessionValid reports whether the session (by id) still exists, is within
// its timeouts and belongs to an active user.
func (s *Service) SessionValid(ctx context.Context, id string) bool {
	sess, err := s.sessions.get(ctx, id)
	if err != nil {
		return errors.Is(err, apperr.ErrUnavailable) // store hiccup: keep the connection
	}
	now := s.cfg.Now().UTC()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.cfg.SessionIdle {
		return false
	}
	u, ok, err := s.users.Fetch(ctx, sess.UserID)
	return err != nil || (ok && u.Active && !sess.CreatedAt.Before(u.SessionsFrom))
}

// Users is the user directory.
func (s *Service) Users() *Users { return s.users }

// oidcProvider discovers the provider on first use (and again after a
// failure), so a server starts even while its identity provider is down.
func (s *Service) oidcProvider(ctx context.Context) (*oidc.Provider, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.provider != nil {
		return s.provider, nil
	}
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, s.cfg.HTTPClient), 10*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(ctx, s.cfg.Issuer)
	if err != nil {
		return nil, apperr.Unavailable("identity provider discovery", err)
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	_ = p.Claims(&extra)
	s.provider, s.endSess = p, extra.EndSession
	return p, nil
}

func (s *Service) oauth2Config(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     s.cfg.ClientID,
		ClientSecret: s.cfg.ClientSecret,
		Endpoint:     p.Endpoint(),
		RedirectURL:  s.cfg.BaseURL + "/auth/callback",
		Scopes:       []string{oidc.ScopeOpenID, "profile", "email"},
	}
}

// BeginLogin starts an authorization-code flow with PKCE. It returns the
// provider URL to redirect to and the browser-binding value for the login cookie.
func (s *Service) BeginLogin(ctx context.Context, returnTo string) (redirect, binding string, err error) {
	p, err := s.oidcProvider(ctx)
	if err != nil {
		return "", "", err
	}
	a := &loginAttempt{
		State:     randomToken(24),
		Nonce:     randomToken(24),
		Verifier:  oauth2.GenerateVerifier(),
		ReturnTo:  SafeReturnTo(returnTo),
		CreatedAt: s.cfg.Now().UTC(),
	}
	binding = randomToken(24)
	a.Browser = hashToken(binding)
	if err := s.sessions.saveAttempt(ctx, a); err != nil {
		return "", "", err
	}
	u := s.oauth2Config(p).AuthCodeURL(a.State, oidc.Nonce(a.Nonce), oauth2.S256ChallengeOption(a.Verifier))
	return u, binding, nil
}

// LoginError is a refused login callback; Reason is safe to show and log.
type LoginError struct{ Reason string }

func (e *LoginError) Error() string { return "login refused: " + e.Reason }

// FinishLogin completes the callback: the state must exist, be unused, fresh
// and bound to this browser; the code is exchanged with the PKCE verifier; the
// ID token must verify (signature, issuer, audience, expiry) and carry the
// nonce of this attempt. On success a new session replaces oldSessionToken.
func (s *Service) FinishLogin(ctx context.Context, state, code, binding, oldSessionToken string) (token, returnTo string, err error) {
	if state == "" || code == "" {
		return "", "", &LoginError{"missing state or code"}
	}
	a, err := s.sessions.takeAttempt(ctx, state)
	if err != nil {
		return "", "", err
	}
	if a == nil {
		return "", "", &LoginError{"unknown or already used state"}
	}
	if binding == "" || subtle.ConstantTimeCompare([]byte(a.Browser), []byte(hashToken(binding))) != 1 {
		return "", "", &LoginError{"login was started in another browser"}
	}
	if s.cfg.Now().Sub(a.CreatedAt) > loginAttemptTTL {
		return "", "", &LoginError{"login attempt expired"}
	}
	p, err := s.oidcProvider(ctx)
	if err != nil {
		return "", "", err
	}
	octx := oidc.ClientContext(ctx, s.cfg.HTTPClient)
	tok, err := s.oauth2Config(p).Exchange(octx, code, oauth2.VerifierOption(a.Verifier))
	if err != nil {
		return "", "", &LoginError{"code exchange failed"}
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		return "", "", &LoginError{"no id_token in token response"}
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: s.cfg.ClientID, Now: s.cfg.Now}).Verify(octx, rawID)
	if err != nil {
		return "", "", &LoginError{"id token invalid: " + err.Error()}
	}
	// go-oidc does not check the nonce: we do.
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(a.Nonce)) != 1 {
		return "", "", &LoginError{"nonce mismatch"}
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return "", "", &LoginError{"unreadable claims"}
	}
	user, teams, err := s.provision(ctx, idt.Issuer, idt.Subject, claims)
	if err != nil {
		return "", "", err
	}
	if s.teams != nil && teams != nil {
		if err := s.teams.SyncClaimedTeams(ctx, user.ID, teams); err != nil {
			return "", "", err
		}
	}
	if oldSessionToken != "" {
		_ = s.sessions.delete(ctx, hashToken(oldSessionToken)) // rotate: never reuse a pre-login id
	}
	token = randomToken(32)
	now := s.cfg.Now().UTC()
	err = s.sessions.insert(ctx, &Session{
		ID: hashToken(token), UserID: user.ID, CSRF: randomToken(24),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.cfg.SessionAbsolute),
		IDTokenHint: rawID,
	})
	if err != nil {
		return "", "", err
	}
	// The provider's session id, so its back-channel logout can end this
	// session (see backchannel.go).
	if sid, _ := claims["sid"].(string); sid != "" && len(sid) <= 512 {
		if err := s.sessions.rememberIDPSession(ctx, idt.Issuer, sid, user.ID, hashToken(token), now); err != nil {
			return "", "", err
		}
	}
	s.cfg.Logger.InfoContext(ctx, "login", "user", user.ID)
	return token, a.ReturnTo, nil
}

// provision creates or refreshes the user from the ID token's claims and
// returns the team ids the groups claim names (nil when the claim is absent).
func (s *Service) provision(ctx context.Context, iss, sub string, claims map[string]any) (*User, []string, error) {
	id := UserID(iss, sub)
	u, ok, err := s.users.Fetch(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	now := s.cfg.Now().UTC()
	if !ok {
		u = User{ID: id, Issuer: iss, Subject: sub, Active: true, CreatedAt: now}
	}
	if !u.Active {
		return nil, nil, &LoginError{"account is deactivated"}
	}
	before := u
	before.ClaimRoles = slices.Clone(u.ClaimRoles)
	name, _ := claims["name"].(string)
	if name == "" {
		name, _ = claims["preferred_username"].(string)
	}
	if name == "" {
		name = sub
	}
	u.Name = truncate(strings.TrimSpace(name), 200)
	if email, _ := claims["email"].(string); email != "" {
		u.Email = truncate(email, 320)
	}
	var teams []string
	groups, present := stringList(claims[s.cfg.GroupsClaim])
	if present {
		u.ClaimRoles = nil
		teams = []string{}
		for _, g := range groups {
			switch {
			case s.cfg.RoleGroupPrefix != "" && strings.HasPrefix(g, s.cfg.RoleGroupPrefix):
				r := Role(strings.TrimPrefix(g, s.cfg.RoleGroupPrefix))
				if ValidRole(r) && !slices.Contains(u.ClaimRoles, r) {
					u.ClaimRoles = append(u.ClaimRoles, r)
				}
			case s.cfg.TeamGroupPrefix != "" && strings.HasPrefix(g, s.cfg.TeamGroupPrefix):
				teams = append(teams, strings.TrimPrefix(g, s.cfg.TeamGroupPrefix))
			}
		}
	}
	u.LastLoginAt = now
	if err := s.users.Upsert(ctx, &u); err != nil {
		return nil, nil, err
	}
	if !ok || u.Name != before.Name || u.Email != before.Email || !slices.Equal(u.ClaimRoles, before.ClaimRoles) {
		s.userChanged(ctx, u.ID, false) // a new person, or a name, e-mail or roles from the claims
	}
	return &u, teams, nil
}

// Authenticate resolves a session cookie token to an actor, enforcing the
// idle and absolute timeouts and refreshing the idle clock.
func (s *Service) Authenticate(ctx context.Context, token string) (*Actor, error) {
	if token == "" || len(token) > 128 {
		return nil, apperr.ErrUnauthenticated
	}
	sess, err := s.sessions.get(ctx, hashToken(token))
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now().UTC()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.cfg.SessionIdle {
		_ = s.sessions.delete(ctx, sess.ID)
		return nil, apperr.ErrUnauthenticated
	}
	u, ok, err := s.users.Fetch(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	if !ok || !u.Active || sess.CreatedAt.Before(u.SessionsFrom) {
		if ok {
			_ = s.sessions.delete(ctx, sess.ID)
		}
		return nil, apperr.ErrUnauthenticated
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		// At most once a minute, and written in batches (sessioncache.go).
		s.sessions.touch(sess.ID, now)
	}
	return &Actor{UserID: u.ID, Name: u.Name, Roles: u.Roles(), SessionID: sess.ID, CSRF: sess.CSRF}, nil
}

// Logout ends the session and returns where the browser goes next: the
// provider's end-session endpoint when it has one, else the site root.
func (s *Service) Logout(ctx context.Context, token string) (string, error) {
	id := hashToken(token)
	sess, err := s.sessions.get(ctx, id)
	if err != nil && !errors.Is(err, apperr.ErrUnauthenticated) {
		return "", err
	}
	if err := s.sessions.delete(ctx, id); err != nil {
		return "", apperr.Unavailable("end session", err)
	}
	redirect := "/"
	if sess != nil && s.onEnd != nil {
		s.onEnd(sess.UserID, sess.ID)
	}
	if sess != nil {
		if _, perr := s.oidcProvider(ctx); perr == nil && s.endSess != "" {
			q := url.Values{}
			q.Set("id_token_hint", sess.IDTokenHint)
			q.Set("post_logout_redirect_uri", s.cfg.BaseURL+"/")
			q.Set("client_id", s.cfg.ClientID)
			redirect = s.endSess + "?" + q.Encode()
		}
	}
	return redirect, nil
}

// OnUserChange registers what runs after a user's record (login, roles,
// activation, erasure) changed on this instance: the app appends it to the
// replicas' change log, so every instance refreshes that user within a
// second (RefreshUser).
func (s *Service) OnUserChange(f func(ctx context.Context, userID string)) { s.onUserChange = f }

// RefreshUser re-reads one user (a change made on another instance).
func (s *Service) RefreshUser(ctx context.Context, userID string) error {
	return s.users.Refresh(ctx, userID)
}

func (s *Service) userChanged(ctx context.Context, userID string, endSockets bool) {
	if endSockets && s.onEnd != nil {
		s.onEnd(userID, "")
	}
	if s.onUserChange != nil {
		s.onUserChange(ctx, userID)
	}
}

// EndSessions ends every session of a person, on every instance at once:
// their next request is unauthenticated and their websockets close. An
// administrator may do it to anyone; a person to themselves ("log out
// everywhere").
func (s *Service) EndSessions(ctx context.Context, actor *Actor, userID string) error {
	if actor.UserID != userID && !actor.Has(RoleBeheerder) {
		return apperr.Forbidden("admin_only", "only administrators end other people's sessions")
	}
	u, ok := s.users.Get(userID)
	if !ok {
		return apperr.NotFound("not_found", "user not found")
	}
	u.SessionsFrom = s.cfg.Now().UTC()
	if err := s.users.Upsert(ctx, &u); err != nil {
		return err
	}
	s.userChanged(ctx, userID, true)
	return s.recordChange(ctx, actor, Change{Action: "user.sessions_end", Subject: "user:" + userID, SubjectName: u.Name})
}

// SetActive deactivates (or reactivates) a person. Deactivation ends every
// session at once and refuses later logins, whatever the identity provider
// says; administrators cannot deactivate themselves.
func (s *Service) SetActive(ctx context.Context, actor *Actor, userID string, active bool) (*User, error) {
	if !actor.Has(RoleBeheerder) {
		return nil, apperr.Forbidden("admin_only", "only administrators deactivate accounts")
	}
	u, ok := s.users.Get(userID)
	if !ok {
		return nil, apperr.NotFound("not_found", "user not found")
	}
	if actor.UserID == userID && !active {
		return nil, apperr.Invalid("active", "not_yourself", "you cannot deactivate yourself")
	}
	change := Change{Action: "user.active", Subject: "user:" + userID, SubjectName: u.Name,
		Before: map[string]any{"active": u.Active}, After: map[string]any{"active": active}}
	if u.Active != active {
		u.Active = active
		if !active {
			u.SessionsFrom = s.cfg.Now().UTC()
		}
		if err := s.users.Upsert(ctx, &u); err != nil {
			return nil, err
		}
		s.userChanged(ctx, userID, !active)
	}
	// Recorded also when nothing changed, so a request repeated after a
	// failed recording is recorded then.
	if err := s.recordChange(ctx, actor, change); err != nil {
		return nil, err
	}
	return &u, nil
}

// Purge removes expired sessions and login attempts.
func (s *Service) Purge(ctx context.Context) error {
	now := s.cfg.Now().UTC()
	if err := s.sessions.purge(ctx, now, s.cfg.SessionIdle, s.cfg.SessionAbsolute); err != nil {
		return err
	}
	return s.sessions.purgeBackchannel(ctx, now, s.cfg.SessionAbsolute)
}

// SetAssignedRoles sets a person's roles: assigned where the identity
// provider does not claim them, denied where it claims one that is not
// given. Every instance sees the change at once (OnUserChange).
func (s *Service) SetAssignedRoles(ctx context.Context, actor *Actor, userID string, roles []Role) (*User, error) {
	if !actor.Has(RoleBeheerder) {
		return nil, apperr.Forbidden("admin_only", "only administrators set roles")
	}
	u, ok := s.users.Get(userID)
	if !ok {
		return nil, apperr.NotFound("not_found", "user not found")
	}
	var v apperr.Validator
	clean := []Role{}
	for i, r := range roles {
		if !ValidRole(r) {
			v.Add(fmt.Sprintf("roles[%d]", i), "unknown", "unknown role")
		} else if !slices.Contains(clean, r) {
			clean = append(clean, r)
		}
	}
	if actor.UserID == userID && !slices.Contains(clean, RoleBeheerder) {
		v.Add("roles", "not_yourself", "you cannot remove your own administrator role")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	before := roleList(u.Roles())
	// The roles given are the person's roles from now on: those the identity
	// provider claims but are not given are denied, the others assigned.
	u.AssignedRoles, u.DeniedRoles = []Role{}, nil
	for _, r := range clean {
		if !slices.Contains(u.ClaimRoles, r) {
			u.AssignedRoles = append(u.AssignedRoles, r)
		}
	}
	for _, r := range u.ClaimRoles {
		if !slices.Contains(clean, r) {
			u.DeniedRoles = append(u.DeniedRoles, r)
		}
	}
	if err := s.users.Upsert(ctx, &u); err != nil {
		return nil, err
	}
	s.userChanged(ctx, userID, false)
	if err := s.recordChange(ctx, actor, Change{Action: "user.roles", Subject: "user:" + userID, SubjectName: u.Name,
		Before: map[string]any{"roles": before}, After: map[string]any{"roles": roleList(u.Roles())}}); err != nil {
		return nil, err
	}
	return &u, nil
}

// SafeReturnTo keeps only local absolute paths ("/teams/x"), so a login can
// never redirect to another site (no "//host", no "/\host", no scheme).
func SafeReturnTo(p string) string {
	if p == "" || len(p) > 512 || p[0] != '/' || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	// Control characters and backslashes are refused as typed and
	// percent-encoded (u.Path is decoded): "/%0d%0a…" never comes back.
	for _, r := range p + u.Path {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return "/"
		}
	}
	return p
}

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	for len(string(r)) > n {
		r = r[:len(r)-1]
	}
	return string(r)
}

// stringList reads a claim that is a list of strings or a single string.
func stringList(v any) ([]string, bool) {
	switch x := v.(type) {
	case nil:
		return nil, false
	case string:
		return []string{x}, true
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out, true
	}
	return nil, false
}
