package push

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
)

// HTTP exposes a person's own push devices and settings.
type HTTP struct{ svc *Service }

// NewHTTP builds the handlers.
func NewHTTP(svc *Service) *HTTP { return &HTTP{svc: svc} }

// Routes registers the routes on a group that already requires a user
// (and checks CSRF on writes, as every write).
func (h *HTTP) Routes(api *gin.RouterGroup) {
	api.GET("/push/config", httpapi.Handle(h.config))
	api.GET("/push/subscriptions", httpapi.Handle(h.list))
	api.POST("/push/subscriptions", httpapi.Handle(h.subscribe))
	api.DELETE("/push/subscriptions/:id", httpapi.Handle(h.unsubscribe))
	api.GET("/push/settings", httpapi.Handle(h.settings))
	api.PUT("/push/settings", httpapi.Handle(h.setSettings))
}

func userOf(c *gin.Context) string { return identity.ActorFrom(c.Request.Context()).UserID }

// config is what a browser needs to subscribe.
func (h *HTTP) config(c *gin.Context) error {
	c.JSON(http.StatusOK, gin.H{"enabled": h.svc.Enabled(), "publicKey": h.svc.PublicKey()})
	return nil
}

func (h *HTTP) list(c *gin.Context) error {
	l, err := h.svc.Devices(c.Request.Context(), userOf(c))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, l)
	return nil
}

func (h *HTTP) subscribe(c *gin.Context) error {
	var in SubscribeInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	a := identity.ActorFrom(c.Request.Context())
	d, err := h.svc.Subscribe(c.Request.Context(), a.UserID, a.SessionID, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, d)
	return nil
}

func (h *HTTP) unsubscribe(c *gin.Context) error {
	if err := h.svc.Unsubscribe(c.Request.Context(), userOf(c), c.Param("id")); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

func (h *HTTP) settings(c *gin.Context) error {
	s, err := h.svc.Settings(c.Request.Context(), userOf(c))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, s)
	return nil
}

func (h *HTTP) setSettings(c *gin.Context) error {
	var in SettingsInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	s, err := h.svc.SetSettings(c.Request.Context(), userOf(c), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s)
	return nil
}
