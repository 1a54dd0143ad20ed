package chat

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/photo"
)

// The routes of files in messages (attachments.go).

func (h *HTTP) attachmentRoutes(api *gin.RouterGroup) {
	api.POST("/chat/channels/:id/attachments", httpapi.Handle(h.uploadAttachment))
	api.GET("/chat/channels/:id/attachments/:aid", httpapi.Handle(h.attachment))
}

func (h *HTTP) uploadAttachment(c *gin.Context) error {
	a := actorOf(c)
	// Check membership before reading a large body.
	if !h.svc.IsMember(a.UserID, c.Param("id")) {
		return apperr.NotFound("not_found", "channel not found")
	}
	up, vals, ok := httpapi.ReadMultipart(c, MaxAttachmentBytes, "acknowledgeIdentifiers")
	if !ok {
		return nil
	}
	at, err := h.svc.AddAttachment(c.Request.Context(), a.UserID, c.Param("id"), up.Name, up.Data, vals["acknowledgeIdentifiers"] == "true")
	if err != nil {
		return err
	}
	c.Header("Location", at.URL)
	c.JSON(http.StatusCreated, at)
	return nil
}

func (h *HTTP) attachment(c *gin.Context) error {
	w := 0
	if s := c.Query("w"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			n = -1
		}
		if err := photo.CheckWidth(n); err != nil {
			return err
		}
		w = n
	}
	at, f, body, err := h.svc.AttachmentContent(c.Request.Context(), actorOf(c).UserID, c.Param("id"), c.Param("aid"), w)
	if err != nil {
		return err
	}
	defer body.Close()
	if h.access != nil {
		if err := h.access.Record(c, "read", "chat:"+c.Param("id")+" attachment:"+at.ID); err != nil {
			return err
		}
	}
	httpapi.SendFile(c, at.Name, f.ContentType, f.UploadDate, body)
	return nil
}
