package notify

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
)

// HTTP exposes the notification centre: every route acts on the caller's
// own notifications only.
type HTTP struct{ svc *Service }

// NewHTTP builds the handlers.
func NewHTTP(svc *Service) *HTTP { return &HTTP{svc: svc} }

// Routes registers the routes on a group that already requires a user.
func (h *HTTP) Routes(api *gin.RouterGroup) {
	api.GET("/notifications", h.list)
	api.POST("/notifications/read", h.read)
	api.GET("/notifications/preferences", h.getPrefs)
	api.PUT("/notifications/preferences", h.putPrefs)
}

// user returns the caller's id, or writes 401.
func user(c *gin.Context) (string, bool) {
	a := identity.ActorFrom(c.Request.Context())
	if a == nil || a.UserID == "" {
		httpapi.Error(c, apperr.ErrUnauthenticated)
		return "", false
	}
	return a.UserID, true
}

func (h *HTTP) list(c *gin.Context) {
	u, ok := user(c)
	if !ok {
		return
	}
	limit := 0
	if s, given := c.GetQuery("limit"); given {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxLimit {
			httpapi.Error(c, apperr.Invalid("limit", "out_of_range", "use a number from 1 to 100", apperr.Params{"min": 1, "max": 100}))
			return
		}
		limit = n
	}
	before, given := c.GetQuery("before")
	if given && before == "" {
		httpapi.Error(c, apperr.Invalid("before", "invalid", "use the next value of the previous page"))
		return
	}
	page, err := h.svc.List(c.Request.Context(), u, before, limit)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, page)
}

// readRequest marks notifications read: {"ids": [...]} or {"all": true}.
type readRequest struct {
	IDs []string `json:"ids"`
	All bool     `json:"all"`
}

// Validate: exactly one of ids and all.
func (r *readRequest) Validate() error {
	if r.All {
		if r.IDs != nil {
			var v apperr.Validator
			v.Add("ids", "choose_one", "give ids or all: true, not both")
			return v.Err()
		}
		return nil
	}
	return ValidateIDs(r.IDs)
}

func (h *HTTP) read(c *gin.Context) {
	u, ok := user(c)
	if !ok {
		return
	}
	var in readRequest
	if !httpapi.Decode(c, &in) {
		return
	}
	var n int
	var err error
	if in.All {
		n, err = h.svc.MarkAllRead(c.Request.Context(), u)
	} else {
		n, err = h.svc.MarkRead(c.Request.Context(), u, in.IDs)
	}
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"unread": n})
}

func (h *HTTP) getPrefs(c *gin.Context) {
	u, ok := user(c)
	if !ok {
		return
	}
	p, err := h.svc.Prefs(c.Request.Context(), u)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, p)
}

func (h *HTTP) putPrefs(c *gin.Context) {
	u, ok := user(c)
	if !ok {
		return
	}
	var in PrefsInput
	if !httpapi.Decode(c, &in) {
		return
	}
	p, err := h.svc.SetPrefs(c.Request.Context(), u, in)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
