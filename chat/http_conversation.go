package chat

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/httpapi"
)

// The routes of searching and exporting a conversation (conversation.go).

// Exports read a whole conversation: a burst of 10 per client, then one
// every 3 seconds.
const (
	exportPerSecond = 1.0 / 3
	exportBurst     = 10
)

func (h *HTTP) conversationRoutes(api *gin.RouterGroup) {
	api.GET("/chat/channels/:id/search", httpapi.Handle(h.search))
	limit := httpapi.NewClientLimiter(exportPerSecond, exportBurst).Middleware()
	api.GET("/chat/channels/:id/export", limit, httpapi.Handle(h.export))
}

// search finds messages in one conversation. Reading them is access to
// personal data: recorded with what was searched for (NEN 7513), as the
// global search records its searches.
func (h *HTTP) search(c *gin.Context) error {
	ch := c.Param("id")
	res, err := h.svc.SearchConversation(actorOf(c).UserID, ch, c.Query("q"))
	if err != nil {
		return err
	}
	if err := h.record(c, "search", "chat:"+ch+" q="+strconv.Quote(res.Query)); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, res)
	return nil
}

// export answers one's own conversation as JSON; with ?download=1 as an
// attachment named after the date, as the personal data export does.
func (h *HTTP) export(c *gin.Context) error {
	ch := c.Param("id")
	x, err := h.svc.ExportConversation(c.Request.Context(), actorOf(c).UserID, ch)
	if err != nil {
		return err
	}
	// Recorded before it is served (fails closed).
	if err := h.record(c, "export", "chat:"+ch+" conversation"); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	if c.Query("download") == "1" {
		c.Header("Content-Disposition", `attachment; filename="plein-gesprek-`+x.GeneratedAt.Format(time.DateOnly)+`.json"`)
	}
	c.JSON(http.StatusOK, x)
	return nil
}

func (h *HTTP) record(c *gin.Context, action, subject string) error {
	if h.access == nil {
		return nil
	}
	return h.access.Record(c.Request.Context(), action, subject)
}
