package privacy

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/store"
)

// Recorder records access to personal data (the NEN 7513 access log).
type Recorder interface {
	Record(ctx context.Context, action, subject string) error
}

// The rate of exports and erasures one client address may ask for: a
// burst of 20, then one every 3 seconds.
const (
	RarePerSecond = 1.0 / 3
	RareBurst     = 20
)

// HTTP serves the export, erasure and retention routes.
type HTTP struct {
	svc    *Service
	access Recorder
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, access Recorder) *HTTP { return &HTTP{svc: svc, access: access} }

// Routes registers the routes on a group that requires a user.
func (h *HTTP) Routes(api *gin.RouterGroup) {
	// Exports and erasures read the collections that name a person whole
	// (on the embedded store): rare by nature, and bounded per client.
	limit := httpapi.NewClientLimiter(RarePerSecond, RareBurst).Middleware()
	api.GET("/me/export", limit, httpapi.Handle(h.exportSelf))
	api.GET("/users/:id/export", limit, httpapi.Handle(h.exportUser))
	api.POST("/users/:id/erase", limit, httpapi.Handle(h.erase))
	api.GET("/privacy/erasures", httpapi.Handle(h.erasures))
	api.GET("/privacy/retention", httpapi.Handle(h.retention))
}

func (h *HTTP) exportSelf(c *gin.Context) error {
	a := identity.ActorFrom(c.Request.Context())
	if a == nil {
		return apperr.ErrUnauthenticated
	}
	return h.export(c, a, a.UserID)
}

func (h *HTTP) exportUser(c *gin.Context) error {
	return h.export(c, identity.ActorFrom(c.Request.Context()), c.Param("id"))
}

// export answers JSON; with ?download=1 as an attachment named after the
// date, so the browser saves it.
func (h *HTTP) export(c *gin.Context, a *identity.Actor, userID string) error {
	x, err := h.svc.Export(store.Rare(c.Request.Context()), a, userID)
	if err != nil {
		return err
	}
	// Reading the whole record of a person is access to personal data:
	// recorded before it is served (fails closed).
	if err := h.access.Record(c.Request.Context(), "export", "user:"+userID+" personal data"); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	if c.Query("download") == "1" {
		c.Header("Content-Disposition", `attachment; filename="plein-mijn-gegevens-`+x.GeneratedAt.Format(time.DateOnly)+`.json"`)
	}
	c.JSON(http.StatusOK, x)
	return nil
}

type eraseRequest struct {
	ConfirmName string `json:"confirmName"`
}

func (h *HTTP) erase(c *gin.Context) error {
	a := identity.ActorFrom(c.Request.Context())
	if !a.Has(identity.RoleBeheerder) {
		return apperr.Forbidden("admin_only", "only administrators erase people's data")
	}
	var req eraseRequest
	if !httpapi.Decode(c, &req) {
		return nil
	}
	userID := c.Param("id")
	// Recorded first: an erasure that fails half-way was still attempted.
	if err := h.access.Record(c.Request.Context(), "delete", "user:"+userID+" erasure"); err != nil {
		return err
	}
	job, err := h.svc.Erase(store.Rare(c.Request.Context()), a, userID, req.ConfirmName)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, job)
	return nil
}

func (h *HTTP) erasures(c *gin.Context) error {
	jobs, err := h.svc.Jobs(c.Request.Context(), identity.ActorFrom(c.Request.Context()))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"items": jobs})
	return nil
}

func (h *HTTP) retention(c *gin.Context) error {
	rules, err := h.svc.Retention(identity.ActorFrom(c.Request.Context()))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": rules})
	return nil
}
