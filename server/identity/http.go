package identity

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
)

// TeamRef is one of a user's teams as the session response shows it.
type TeamRef struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	RegionID  string   `json:"regionId"`
	TeamRoles []string `json:"teamRoles"`
}

// TeamsOf lists a user's teams; the org package implements it.
type TeamsOf interface {
	TeamsOf(userID string) []TeamRef
}

// AccessLogger records access to personal data.
type AccessLogger = httpapi.AccessLogger

// HTTP exposes identity over HTTP.
type HTTP struct {
	svc     *Service
	teams   TeamsOf
	access  AccessLogger
	baseURL *url.URL
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, teams TeamsOf, access AccessLogger) *HTTP {
	u, _ := url.Parse(svc.cfg.BaseURL)
	return &HTTP{svc: svc, teams: teams, access: access, baseURL: u}
}

// SessionCookie is the session cookie's name: with the __Host- prefix when
// cookies are Secure (no Domain, Path=/, HTTPS only).
func (h *HTTP) SessionCookie() string {
	if h.svc.cfg.SecureCookies {
		return "__Host-plein_session"
	}
	return "plein_session"
}

func (h *HTTP) loginCookie() string {
	if h.svc.cfg.SecureCookies {
		return "__Host-plein_login"
	}
	return "plein_login"
}

func (h *HTTP) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: h.svc.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// Authenticate is middleware that resolves the session cookie (when present)
// to an Actor in the request context. It never refuses; RequireUser does.
func (h *HTTP) Authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		tok, err := c.Cookie(h.SessionCookie())
		if err == nil && tok != "" {
			a, err := h.svc.Authenticate(c.Request.Context(), tok)
			switch {
			case err == nil:
				c.Request = c.Request.WithContext(WithActor(c.Request.Context(), a))
			case errors.Is(err, apperr.ErrUnauthenticated):
				// Expired, revoked or forged: forget the cookie.
				h.setCookie(c, h.SessionCookie(), "", -1)
			default:
				httpapi.Error(c, err)
				return
			}
		}
		c.Next()
	}
}

// RequireUser refuses requests without a session (401) and, for unsafe
// methods, without a valid CSRF token (header X-CSRF-Token, bound to the
// session) or from another origin (403).
func (h *HTTP) RequireUser() gin.HandlerFunc {
	return func(c *gin.Context) {
		a := ActorFrom(c.Request.Context())
		if a == nil {
			httpapi.Error(c, apperr.ErrUnauthenticated)
			return
		}
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if !h.sameOrigin(c) {
				httpapi.WriteProblem(c, httpapi.Problem{Type: "/problems/csrf", Code: "csrf", Title: "Cross-site request refused", Status: http.StatusForbidden,
					Detail: "The request did not come from this site."})
				return
			}
			got := c.GetHeader("X-CSRF-Token")
			if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(a.CSRF)) != 1 {
				httpapi.WriteProblem(c, httpapi.Problem{Type: "/problems/csrf", Code: "csrf", Title: "Missing or invalid CSRF token", Status: http.StatusForbidden,
					Detail: "Send the csrfToken from GET /api/v1/session in the X-CSRF-Token header."})
				return
			}
		}
		c.Next()
	}
}

// sameOrigin checks Origin (or, without it, Sec-Fetch-Site) against the base URL.
func (h *HTTP) sameOrigin(c *gin.Context) bool {
	if o := c.GetHeader("Origin"); o != "" {
		return o == h.baseURL.Scheme+"://"+h.baseURL.Host
	}
	sfs := c.GetHeader("Sec-Fetch-Site")
	return sfs == "" || sfs == "same-origin" || sfs == "none"
}

// AuthRatePerSecond and AuthBurst limit /auth/login and /auth/callback per
// client address and instance: 60 at once, then 2 a second (a login is one
// of each), enough for an office or a mobile network's shared address at
// the start of a shift.
const (
	AuthRatePerSecond = 2
	AuthBurst         = 60
)

// Routes registers the login flow under /auth and the session API under api.
func (h *HTTP) Routes(e *gin.Engine, api *gin.RouterGroup) {
	// Each login attempt stores a document until it expires: bound how fast
	// one address can make us store them (and try callbacks).
	limit := httpapi.NewClientLimiter(AuthRatePerSecond, AuthBurst).Middleware()
	e.GET("/auth/login", limit, h.login)
	e.GET("/auth/callback", limit, h.callback)
	// Called by the identity provider, server to server: no cookie, no CSRF
	// token; the signed logout token is the authentication.
	e.POST("/auth/backchannel-logout", limit, h.backchannelLogout)
	api.GET("/session", httpapi.Handle(h.session))
	authed := api.Group("", h.RequireUser())
	authed.POST("/auth/logout", httpapi.Handle(h.logout))
	authed.GET("/users", httpapi.Handle(h.listUsers))
	authed.GET("/users/:id", httpapi.Handle(h.getUser))
	authed.PUT("/users/:id/roles", httpapi.Handle(h.setRoles))
	authed.PUT("/users/:id/active", httpapi.Handle(h.setActive))
	authed.POST("/users/:id/sessions/end", httpapi.Handle(h.endSessions))
}

func (h *HTTP) login(c *gin.Context) {
	redirect, binding, err := h.svc.BeginLogin(c.Request.Context(), c.Query("return_to"))
	if err != nil {
		h.loginFailed(c, http.StatusServiceUnavailable, "identity provider unavailable")
		return
	}
	h.setCookie(c, h.loginCookie(), binding, int(loginAttemptTTL/time.Second))
	c.Header("Cache-Control", "no-store")
	c.Redirect(http.StatusFound, redirect)
}

func (h *HTTP) callback(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	if e := c.Query("error"); e != "" {
		h.loginFailed(c, http.StatusBadRequest, "the identity provider refused: "+e)
		return
	}
	binding, _ := c.Cookie(h.loginCookie())
	old, _ := c.Cookie(h.SessionCookie())
	h.setCookie(c, h.loginCookie(), "", -1)
	token, returnTo, err := h.svc.FinishLogin(c.Request.Context(), c.Query("state"), c.Query("code"), binding, old)
	if err != nil {
		var le *LoginError
		if errors.As(err, &le) {
			h.svc.cfg.Logger.WarnContext(c.Request.Context(), "login refused", "reason", le.Reason)
			h.loginFailed(c, http.StatusBadRequest, le.Reason)
			return
		}
		h.svc.cfg.Logger.ErrorContext(c.Request.Context(), "login failed", "err", err)
		h.loginFailed(c, http.StatusServiceUnavailable, "temporarily unavailable")
		return
	}
	h.setCookie(c, h.SessionCookie(), token, int(h.svc.cfg.SessionAbsolute/time.Second))
	c.Redirect(http.StatusFound, returnTo)
}

// backchannelLogout answers the provider as the specification asks: 200 on
// success, 400 with error=invalid_request for a bad token, and 503 when the
// store is down (the provider may retry).
func (h *HTTP) backchannelLogout(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	err := h.svc.BackchannelLogout(c.Request.Context(), c.PostForm("logout_token"))
	switch {
	case err == nil:
		c.Status(http.StatusOK)
	case IsLogoutTokenError(err):
		h.svc.cfg.Logger.WarnContext(c.Request.Context(), "back-channel logout refused", "reason", err.Error())
		c.JSON(http.StatusBadRequest, gin.H{"error": "invalid_request", "error_description": err.Error()})
	default:
		h.svc.cfg.Logger.ErrorContext(c.Request.Context(), "back-channel logout failed", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"error": "temporarily_unavailable"})
	}
}

var loginFailedPage = template.Must(template.New("f").Parse(`<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inloggen mislukt · Plein</title></head>
<body><main><h1>Inloggen is niet gelukt</h1>
<p>Probeer het opnieuw. Lukt het nog steeds niet, neem dan contact op met de servicedesk.</p>
<p lang="en">Login did not succeed. Please try again.</p>
<p><small>{{.}}</small></p>
<p><a href="/auth/login">Opnieuw inloggen / Log in again</a></p></main></body></html>`))

func (h *HTTP) loginFailed(c *gin.Context, status int, reason string) {
	c.Status(status)
	c.Header("Content-Type", "text/html; charset=utf-8")
	_ = loginFailedPage.Execute(c.Writer, reason)
	c.Abort()
}

type sessionResponse struct {
	User      meResponse `json:"user"`
	CSRFToken string     `json:"csrfToken"`
}

type meResponse struct {
	ID    string    `json:"id"`
	Name  string    `json:"name"`
	Email string    `json:"email"`
	Roles []Role    `json:"roles"`
	Teams []TeamRef `json:"teams"`
}

func (h *HTTP) session(c *gin.Context) error {
	a := ActorFrom(c.Request.Context())
	if a == nil {
		return apperr.ErrUnauthenticated
	}
	u, _ := h.svc.users.Get(a.UserID)
	teams := []TeamRef{}
	if h.teams != nil {
		teams = h.teams.TeamsOf(a.UserID)
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, sessionResponse{
		User:      meResponse{ID: u.ID, Name: u.Name, Email: u.Email, Roles: nonNil(u.Roles()), Teams: teams},
		CSRFToken: a.CSRF,
	})
	return nil
}

func (h *HTTP) logout(c *gin.Context) error {
	tok, _ := c.Cookie(h.SessionCookie())
	redirect, err := h.svc.Logout(c.Request.Context(), tok)
	if err != nil {
		return err
	}
	h.setCookie(c, h.SessionCookie(), "", -1)
	c.JSON(http.StatusOK, gin.H{"redirect": redirect})
	return nil
}

// UserResponse is what an administrator sees of a user.
type UserResponse struct {
	ID            string     `json:"id"`
	Name          string     `json:"name"`
	Email         string     `json:"email"`
	Roles         []Role     `json:"roles"`
	ClaimRoles    []Role     `json:"claimRoles"`
	AssignedRoles []Role     `json:"assignedRoles"`
	DeniedRoles   []Role     `json:"deniedRoles"`
	Active        bool       `json:"active"`
	LastLoginAt   *time.Time `json:"lastLoginAt,omitempty"`
	// Teams are the person's teams with their taakrollen (lists and one
	// person; not in the answers to changes).
	Teams []TeamRef `json:"teams,omitempty"`
}

// withTeams adds the person's teams to r.
func (h *HTTP) withTeams(r UserResponse) UserResponse {
	if h.teams != nil {
		r.Teams = nonNil(h.teams.TeamsOf(r.ID))
	}
	return r
}

func userResponse(u User) UserResponse {
	r := UserResponse{ID: u.ID, Name: u.Name, Email: u.Email, Roles: nonNil(u.Roles()),
		ClaimRoles: nonNil(u.ClaimRoles), AssignedRoles: nonNil(u.AssignedRoles), DeniedRoles: nonNil(u.DeniedRoles), Active: u.Active}
	if !u.LastLoginAt.IsZero() {
		t := u.LastLoginAt
		r.LastLoginAt = &t
	}
	return r
}

func (h *HTTP) listUsers(c *gin.Context) error {
	a := ActorFrom(c.Request.Context())
	if !a.Has(RoleBeheerder) {
		return apperr.Forbidden("admin_only", "only administrators list users")
	}
	q := strings.ToLower(strings.TrimSpace(c.Query("q")))
	if len(q) > 100 {
		return apperr.Invalid("q", "too_long", "at most 100 characters", apperr.Params{"max": 100})
	}
	all := h.svc.users.All()
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	items := []UserResponse{}
	for _, u := range all {
		if q == "" || strings.Contains(strings.ToLower(u.Name), q) || strings.Contains(strings.ToLower(u.Email), q) {
			items = append(items, h.withTeams(userResponse(u)))
			if len(items) == 100 {
				break
			}
		}
	}
	if h.access != nil {
		if err := h.access.Record(c.Request.Context(), "search", "users q="+q); err != nil {
			return err
		}
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
	return nil
}

func (h *HTTP) getUser(c *gin.Context) error {
	a := ActorFrom(c.Request.Context())
	id := c.Param("id")
	if id != a.UserID && !a.Has(RoleBeheerder) {
		return apperr.Forbidden("forbidden", "you may only view your own account")
	}
	u, ok := h.svc.users.Get(id)
	if !ok {
		return apperr.NotFound("not_found", "user not found")
	}
	if h.access != nil && id != a.UserID {
		if err := h.access.Record(c.Request.Context(), "read", "user:"+id); err != nil {
			return err
		}
	}
	c.JSON(http.StatusOK, h.withTeams(userResponse(u)))
	return nil
}

type setRolesRequest struct {
	Roles []Role `json:"roles"`
}

func (r *setRolesRequest) Validate() error {
	if r.Roles == nil {
		return apperr.Invalid("roles", "required", "is required (an array, may be empty)")
	}
	if len(r.Roles) > len(AllRoles) {
		return apperr.Invalid("roles", "invalid", "too many roles")
	}
	return nil
}

func (h *HTTP) setRoles(c *gin.Context) error {
	a := ActorFrom(c.Request.Context())
	if !a.Has(RoleBeheerder) {
		return apperr.Forbidden("admin_only", "only administrators set roles")
	}
	var req setRolesRequest
	if !httpapi.Decode(c, &req) {
		return nil
	}
	u, err := h.svc.SetAssignedRoles(c.Request.Context(), a, c.Param("id"), req.Roles)
	if err != nil {
		return err
	}
	if h.access != nil {
		if err := h.access.Record(c.Request.Context(), "change", "user:"+u.ID+" roles"); err != nil {
			return err
		}
	}
	c.JSON(http.StatusOK, userResponse(*u))
	return nil
}

type setActiveRequest struct {
	Active *bool `json:"active"`
}

func (r *setActiveRequest) Validate() error {
	if r.Active == nil {
		return apperr.Invalid("active", "required", "is required (true or false)")
	}
	return nil
}

// setActive deactivates or reactivates an account (administrators).
func (h *HTTP) setActive(c *gin.Context) error {
	a := ActorFrom(c.Request.Context())
	if !a.Has(RoleBeheerder) {
		return apperr.Forbidden("admin_only", "only administrators deactivate accounts")
	}
	var req setActiveRequest
	if !httpapi.Decode(c, &req) {
		return nil
	}
	u, err := h.svc.SetActive(c.Request.Context(), a, c.Param("id"), *req.Active)
	if err != nil {
		return err
	}
	if h.access != nil {
		if err := h.access.Record(c.Request.Context(), "change", fmt.Sprintf("user:%s active=%v", u.ID, u.Active)); err != nil {
			return err
		}
	}
	c.JSON(http.StatusOK, userResponse(*u))
	return nil
}

// endSessions ends every session of a person (administrators; anyone for
// themselves).
func (h *HTTP) endSessions(c *gin.Context) error {
	a := ActorFrom(c.Request.Context())
	id := c.Param("id")
	if err := h.svc.EndSessions(c.Request.Context(), a, id); err != nil {
		return err
	}
	if h.access != nil && id != a.UserID {
		if err := h.access.Record(c.Request.Context(), "change", "user:"+id+" sessions ended"); err != nil {
			return err
		}
	}
	c.Status(http.StatusNoContent)
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
