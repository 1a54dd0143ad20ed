package chat

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
)

// AccessLogger records access to personal data (NEN 7513).
type AccessLogger interface {
	Record(ctx context.Context, action, subject string) error
}

// HTTP exposes chat: REST for channels and people, and the websocket.
type HTTP struct {
	svc    *Service
	hub    *Hub
	origin string // exact allowed Origin, e.g. https://plein.example.nl
	access AccessLogger
}

// NewHTTP builds the handlers. origin is the site's scheme://host.
func NewHTTP(svc *Service, hub *Hub, origin string, access AccessLogger) *HTTP {
	return &HTTP{svc: svc, hub: hub, origin: origin, access: access}
}

// Routes registers chat routes on a group that requires a user.
func (h *HTTP) Routes(api *gin.RouterGroup) {
	api.GET("/ws", h.ws)
	api.GET("/chat/channels", httpapi.Handle(h.channels))
	api.POST("/chat/channels", httpapi.Handle(h.create))
	api.GET("/chat/channels/:id", httpapi.Handle(h.get))
	api.GET("/chat/browse", h.browse)
	api.POST("/chat/channels/:id/join", httpapi.Handle(h.join))
	api.POST("/chat/channels/:id/leave", httpapi.Handle(h.leave))
	api.PUT("/chat/channels/:id/members/:userId", httpapi.Handle(h.invite))
	api.GET("/chat/people", httpapi.Handle(h.people))
	api.POST("/chat/dm", httpapi.Handle(h.dm))
	api.PUT("/chat/channels/:id/prefs", httpapi.Handle(h.setChannelPrefs))
	api.GET("/chat/prefs", httpapi.Handle(h.getPrefs))
	api.PUT("/chat/prefs", httpapi.Handle(h.setPrefs))
	h.attachmentRoutes(api)   // attachments.go
	h.conversationRoutes(api) // conversation.go
}

// setChannelPrefs mutes or pins a conversation for the asking user; the
// answer is the channel summary, which the user's other devices also get.
func (h *HTTP) setChannelPrefs(c *gin.Context) error {
	var in ChannelPrefsInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	ctx, user := c.Request.Context(), actorOf(c).UserID
	if err := h.svc.SetChannelPrefs(ctx, user, c.Param("id"), in); err != nil {
		return err
	}
	sum, err := h.svc.Summary(ctx, user, c.Param("id"))
	if err != nil {
		return err
	}
	h.hub.PrefsChanged(ctx, user, ChannelFrame{Channel: sum})
	c.JSON(http.StatusOK, sum)
	return nil
}

func (h *HTTP) getPrefs(c *gin.Context) error {
	c.JSON(http.StatusOK, h.svc.Prefs(actorOf(c).UserID))
	return nil
}

// setPrefs changes the user's own chat settings (hiding their presence).
func (h *HTTP) setPrefs(c *gin.Context) error {
	var in PrefsInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	ctx, user := c.Request.Context(), actorOf(c).UserID
	p, err := h.svc.SetPrefs(ctx, user, in)
	if err != nil {
		return err
	}
	h.hub.PrefsChanged(ctx, user, PrefsFrame{Prefs: p})
	c.JSON(http.StatusOK, p)
	return nil
}

func actorOf(c *gin.Context) *identity.Actor { return identity.ActorFrom(c.Request.Context()) }

func (h *HTTP) ws(c *gin.Context) {
	a := actorOf(c)
	h.hub.Serve(c.Writer, c.Request, a.UserID, a.Name, a.SessionID, func(r *http.Request) bool {
		return r.Header.Get("Origin") == h.origin // exact match; never "any origin"
	})
	c.Abort()
}

func (h *HTTP) channels(c *gin.Context) error {
	items, err := h.svc.Summaries(c.Request.Context(), actorOf(c).UserID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
	return nil
}

type createRequest struct {
	Name  string `json:"name"`
	Kind  Kind   `json:"kind"`
	Topic string `json:"topic"`
	// AcknowledgeIdentifiers: the writer saw the warning that the name or
	// topic looks like client data and creates the channel anyway.
	AcknowledgeIdentifiers bool `json:"acknowledgeIdentifiers"`
}

func (h *HTTP) create(c *gin.Context) error {
	var req createRequest
	if !httpapi.Decode(c, &req) {
		return nil
	}
	a := actorOf(c)
	ch, err := h.svc.CreateChannel(c.Request.Context(), a.UserID, req.Kind, req.Name, req.Topic, req.AcknowledgeIdentifiers)
	if err != nil {
		return err
	}
	h.hub.MembersChanged(c.Request.Context(), ch.ID, false)
	c.Header("Location", "/api/v1/chat/channels/"+ch.ID)
	return h.summary(c, http.StatusCreated, ch.ID)
}

func (h *HTTP) summary(c *gin.Context, status int, ch string) error {
	sum, err := h.svc.Summary(c.Request.Context(), actorOf(c).UserID, ch)
	if err != nil {
		return err
	}
	c.JSON(status, sum)
	return nil
}

func (h *HTTP) get(c *gin.Context) error { return h.summary(c, http.StatusOK, c.Param("id")) }

func (h *HTTP) browse(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"items": h.svc.Browse(actorOf(c).UserID)})
}

func (h *HTTP) join(c *gin.Context) error {
	ch, err := h.svc.Join(c.Request.Context(), actorOf(c).UserID, c.Param("id"))
	if err != nil {
		return err
	}
	h.hub.MembersChanged(c.Request.Context(), ch.ID, false)
	return h.summary(c, http.StatusOK, ch.ID)
}

func (h *HTTP) leave(c *gin.Context) error {
	ch, err := h.svc.Leave(c.Request.Context(), actorOf(c).UserID, c.Param("id"))
	if err != nil {
		return err
	}
	h.hub.MembersChanged(c.Request.Context(), ch.ID, false)
	c.Status(http.StatusNoContent)
	return nil
}

func (h *HTTP) invite(c *gin.Context) error {
	ch, err := h.svc.Invite(c.Request.Context(), actorOf(c).UserID, c.Param("id"), c.Param("userId"))
	if err != nil {
		return err
	}
	h.hub.MembersChanged(c.Request.Context(), ch.ID, false)
	c.Status(http.StatusNoContent)
	return nil
}

func (h *HTTP) people(c *gin.Context) error {
	q := strings.TrimSpace(c.Query("q"))
	if n := len([]rune(q)); n < 2 || n > 60 {
		return apperr.Invalid("q", "length", "2–60 characters", apperr.Params{"min": 2, "max": 60})
	}
	if h.access != nil {
		if err := h.access.Record(c.Request.Context(), "search", "people q="+q); err != nil {
			return err
		}
	}
	c.JSON(http.StatusOK, gin.H{"items": h.svc.RankPeople(actorOf(c).UserID, q, 20)})
	return nil
}

type dmRequest struct {
	UserIDs []string `json:"userIds"`
}

func (h *HTTP) dm(c *gin.Context) error {
	var req dmRequest
	if !httpapi.Decode(c, &req) {
		return nil
	}
	ch, err := h.svc.OpenDM(c.Request.Context(), actorOf(c).UserID, req.UserIDs)
	if err != nil {
		return err
	}
	h.hub.MembersChanged(c.Request.Context(), ch.ID, false)
	return h.summary(c, http.StatusOK, ch.ID)
}
