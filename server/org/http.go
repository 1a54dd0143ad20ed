package org

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
)

// AccessLogger records access to personal data (NEN 7513).
type AccessLogger interface {
	Record(ctx context.Context, action, subject string) error
}

// HTTP exposes org over HTTP.
type HTTP struct {
	svc    *Service
	access AccessLogger
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, access AccessLogger) *HTTP { return &HTTP{svc: svc, access: access} }

// Routes registers the org routes on a group that already requires a user.
func (h *HTTP) Routes(api *gin.RouterGroup) {
	api.GET("/regions", h.listRegions)
	api.POST("/regions", h.createRegion)
	api.GET("/regions/:id", h.getRegion)
	api.PATCH("/regions/:id", h.updateRegion)
	api.GET("/teams", h.listTeams)
	api.POST("/teams", h.createTeam)
	api.GET("/teams/:id", h.getTeam)
	api.PATCH("/teams/:id", h.updateTeam)
	api.PUT("/teams/:id/archive", h.setArchived)
	api.PUT("/teams/:id/members/:userId", h.setMember)
	api.DELETE("/teams/:id/members/:userId", h.removeMember)
}

func actor(c *gin.Context) *identity.Actor { return identity.ActorFrom(c.Request.Context()) }

func (h *HTTP) listRegions(c *gin.Context) {
	items, err := h.svc.ListRegions(actor(c))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

func (h *HTTP) getRegion(c *gin.Context) {
	r, err := h.svc.GetRegion(actor(c), c.Param("id"))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

func (h *HTTP) createRegion(c *gin.Context) {
	var in RegionInput
	if !httpapi.Decode(c, &in) {
		return
	}
	r, err := h.svc.CreateRegion(c.Request.Context(), actor(c), in)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.Header("Location", "/api/v1/regions/"+r.ID)
	c.JSON(http.StatusCreated, r)
}

func (h *HTTP) updateRegion(c *gin.Context) {
	var p RegionPatch
	if !httpapi.Decode(c, &p) {
		return
	}
	r, err := h.svc.UpdateRegion(c.Request.Context(), actor(c), c.Param("id"), p)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

func (h *HTTP) listTeams(c *gin.Context) {
	list := h.svc.ListTeams
	switch c.Query("archived") {
	case "", "false":
	case "true":
		list = h.svc.ListTeamsWithArchived // administrators
	default:
		httpapi.Error(c, apperr.Invalid("archived", "invalid_choice", "use true or false"))
		return
	}
	items, err := list(actor(c), c.Query("region"))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

func (h *HTTP) setArchived(c *gin.Context) {
	var in ArchiveInput
	if !httpapi.Decode(c, &in) {
		return
	}
	t, err := h.svc.SetArchived(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}

func (h *HTTP) getTeam(c *gin.Context) {
	t, err := h.svc.GetTeam(actor(c), c.Param("id"))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	// The member list is personal data (who works where, in which role).
	if err := h.access.Record(c.Request.Context(), "read", "team:"+t.ID+" members"); err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}

func (h *HTTP) createTeam(c *gin.Context) {
	var in TeamInput
	if !httpapi.Decode(c, &in) {
		return
	}
	t, err := h.svc.CreateTeam(c.Request.Context(), actor(c), in)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.Header("Location", "/api/v1/teams/"+t.ID)
	c.JSON(http.StatusCreated, t)
}

func (h *HTTP) updateTeam(c *gin.Context) {
	var p TeamPatch
	if !httpapi.Decode(c, &p) {
		return
	}
	t, err := h.svc.UpdateTeam(c.Request.Context(), actor(c), c.Param("id"), p)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}

func (h *HTTP) setMember(c *gin.Context) {
	var in MemberInput
	if !httpapi.Decode(c, &in) {
		return
	}
	t, err := h.svc.SetMember(c.Request.Context(), actor(c), c.Param("id"), c.Param("userId"), in)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	if err := h.access.Record(c.Request.Context(), "change", "team:"+t.ID+" member "+c.Param("userId")); err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}

func (h *HTTP) removeMember(c *gin.Context) {
	if err := h.svc.RemoveMember(c.Request.Context(), actor(c), c.Param("id"), c.Param("userId")); err != nil {
		httpapi.Error(c, err)
		return
	}
	if err := h.access.Record(c.Request.Context(), "delete", "team:"+c.Param("id")+" member "+c.Param("userId")); err != nil {
		httpapi.Error(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
