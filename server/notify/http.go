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
	api.GET("/notifications", httpapi.Handle(h.list))
	api.POST("/notifications/read", httpapi.Handle(h.read))
	api.GET("/notifications/preferences", httpapi.Handle(h.getPrefs))
	api.PUT("/notifications/preferences", httpapi.Handle(h.putPrefs))
}

// user returns the caller's id, or ErrUnauthenticated (401).
func user(c *gin.Context) (string, error) {
	a := identity.ActorFrom(c.Request.Context())
	if a == nil || a.UserID == "" {
		return "", apperr.ErrUnauthenticated
	}
	return a.UserID, nil
}

func (h *HTTP) list(c *gin.Context) error {
	u, err := user(c)
	if err != nil {
		return err
	}
	limit := 0
	if s, given := c.GetQuery("limit"); given {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxLimit {
			return apperr.Invalid("limit", "out_of_range", "use a number from 1 to 100", apperr.Params{"min": 1, "max": 100})
		}
		limit = n
	}
	before, given := c.GetQuery("before")
	if given && before == "" {
		return apperr.Invalid("before", "invalid", "use the next value of the previous page")
	}
	page, err := h.svc.List(c.Request.Context(), u, before, limit)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, page)
	return nil
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

func (h *HTTP) read(c *gin.Context) error {
	u, err := user(c)
	if err != nil {
		return err
	}
	var in readRequest
	if !httpapi.Decode(c, &in) {
		return nil
	}
	var n int
	if in.All {
		n, err = h.svc.MarkAllRead(c.Request.Context(), u)
	} else {
		n, err = h.svc.MarkRead(c.Request.Context(), u, in.IDs)
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"unread": n})
	return nil
}

func (h *HTTP) getPrefs(c *gin.Context) error {
	u, err := user(c)
	if err != nil {
		return err
	}
	p, err := h.svc.Prefs(c.Request.Context(), u)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, p)
	return nil
}

func (h *HTTP) putPrefs(c *gin.Context) error {
	u, err := user(c)
	if err != nil {
		return err
	}
	var in PrefsInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	p, err := h.svc.SetPrefs(c.Request.Context(), u, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, p)
	return nil
}
