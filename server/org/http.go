package org

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
)

// AccessLogger records access to personal data.
type AccessLogger = httpapi.AccessLogger

// HTTP exposes org over HTTP.
type HTTP struct {
	svc    *Service
	access AccessLogger
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, access AccessLogger) *HTTP { return &HTTP{svc: svc, access: access} }

// Routes registers the org routes on a group that already requires a user.
func (h *HTTP) Routes(api *gin.RouterGroup) {
	api.GET("/regions", httpapi.Handle(h.listRegions))
	api.POST("/regions", httpapi.Handle(h.createRegion))
	api.GET("/regions/:id", httpapi.Handle(h.getRegion))
	api.PATCH("/regions/:id", httpapi.Handle(h.updateRegion))
	api.GET("/teams", httpapi.Handle(h.listTeams))
	api.POST("/teams", httpapi.Handle(h.createTeam))
	api.GET("/teams/:id", httpapi.Handle(h.getTeam))
	api.PATCH("/teams/:id", httpapi.Handle(h.updateTeam))
	api.PUT("/teams/:id/archive", httpapi.Handle(h.setArchived))
	api.PUT("/teams/:id/members/:userId", httpapi.Handle(h.setMember))
	api.DELETE("/teams/:id/members/:userId", httpapi.Handle(h.removeMember))
}

func actor(c *gin.Context) *identity.Actor { return identity.ActorFrom(c.Request.Context()) }

func (h *HTTP) listRegions(c *gin.Context) error {
	items, err := h.svc.ListRegions(actor(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
	return nil
}

func (h *HTTP) getRegion(c *gin.Context) error {
	r, err := h.svc.GetRegion(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, r)
	return nil
}

func (h *HTTP) createRegion(c *gin.Context) error {
	var in RegionInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	r, err := h.svc.CreateRegion(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.Header("Location", "/api/v1/regions/"+r.ID)
	c.JSON(http.StatusCreated, r)
	return nil
}

func (h *HTTP) updateRegion(c *gin.Context) error {
	var p RegionPatch
	if !httpapi.Decode(c, &p) {
		return nil
	}
	r, err := h.svc.UpdateRegion(c.Request.Context(), actor(c), c.Param("id"), p)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, r)
	return nil
}

func (h *HTTP) listTeams(c *gin.Context) error {
	list := h.svc.ListTeams
	switch c.Query("archived") {
	case "", "false":
	case "true":
		list = h.svc.ListTeamsWithArchived // administrators
	default:
		return apperr.Invalid("archived", "invalid_choice", "use true or false")
	}
	items, err := list(actor(c), c.Query("region"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
	return nil
}

func (h *HTTP) setArchived(c *gin.Context) error {
	var in ArchiveInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	t, err := h.svc.SetArchived(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, t)
	return nil
}

func (h *HTTP) getTeam(c *gin.Context) error {
	t, err := h.svc.GetTeam(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	// The member list is personal data (who works where, in which role).
	if err := h.access.Record(c.Request.Context(), "read", "team:"+t.ID+" members"); err != nil {
		return err
	}
	c.JSON(http.StatusOK, t)
	return nil
}

func (h *HTTP) createTeam(c *gin.Context) error {
	var in TeamInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	t, err := h.svc.CreateTeam(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.Header("Location", "/api/v1/teams/"+t.ID)
	c.JSON(http.StatusCreated, t)
	return nil
}

func (h *HTTP) updateTeam(c *gin.Context) error {
	var p TeamPatch
	if !httpapi.Decode(c, &p) {
		return nil
	}
	t, err := h.svc.UpdateTeam(c.Request.Context(), actor(c), c.Param("id"), p)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, t)
	return nil
}

func (h *HTTP) setMember(c *gin.Context) error {
	var in MemberInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	t, err := h.svc.SetMember(c.Request.Context(), actor(c), c.Param("id"), c.Param("userId"), in)
	if err != nil {
		return err
	}
	if err := h.access.Record(c.Request.Context(), "change", "team:"+t.ID+" member "+c.Param("userId")); err != nil {
		return err
	}
	c.JSON(http.StatusOK, t)
	return nil
}

func (h *HTTP) removeMember(c *gin.Context) error {
	if err := h.svc.RemoveMember(c.Request.Context(), actor(c), c.Param("id"), c.Param("userId")); err != nil {
		return err
	}
	if err := h.access.Record(c.Request.Context(), "delete", "team:"+c.Param("id")+" member "+c.Param("userId")); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
