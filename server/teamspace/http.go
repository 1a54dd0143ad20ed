package teamspace

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/photo"
)

// AccessLogger records access to personal data (NEN 7513).
type AccessLogger interface {
	Record(ctx context.Context, action, subject string) error
}

// HTTP exposes team spaces, communities and announcements over HTTP.
type HTTP struct {
	svc     *Service
	access  AccessLogger
	baseURL string
}

// NewHTTP builds the handlers. baseURL (e.g. https://plein.example.nl) makes
// the calendar feed's absolute URL.
func NewHTTP(svc *Service, access AccessLogger, baseURL string) *HTTP {
	return &HTTP{svc: svc, access: access, baseURL: strings.TrimRight(baseURL, "/")}
}

// Routes registers the routes on a group that already requires a user (and
// a CSRF token for writes).
func (h *HTTP) Routes(api *gin.RouterGroup) {
	api.GET("/spaces", h.listSpaces)
	api.GET("/spaces/calendar-feed", h.feedURL)
	api.POST("/spaces/calendar-feed/reset", h.resetFeed)
	api.GET("/spaces/:id", h.getSpace)
	api.PUT("/spaces/:id/profile", h.putProfile)
	api.GET("/spaces/:id/profile/history", h.profileHistory)
	api.POST("/spaces/:id/join", h.join)
	api.POST("/spaces/:id/leave", h.leave)

	api.GET("/spaces/:id/posts", h.listPosts)
	api.POST("/spaces/:id/posts", h.createPost)
	api.GET("/spaces/:id/posts/:postId", h.getPost)
	api.PATCH("/spaces/:id/posts/:postId", h.editPost)
	api.DELETE("/spaces/:id/posts/:postId", h.deletePost)
	api.PUT("/spaces/:id/posts/:postId/pin", h.pin)
	api.POST("/spaces/:id/uploads", h.stageUpload)
	api.DELETE("/spaces/:id/uploads/:uploadId", h.deleteUpload)
	api.GET("/spaces/:id/posts/:postId/attachments/:aid", h.getAttachment)
	api.GET("/spaces/:id/posts/:postId/comments", h.listComments)
	api.POST("/spaces/:id/posts/:postId/comments", h.addComment)
	api.DELETE("/spaces/:id/posts/:postId/comments/:cid", h.deleteComment)
	api.PUT("/spaces/:id/posts/:postId/reactions/:emoji", h.react(true))
	api.DELETE("/spaces/:id/posts/:postId/reactions/:emoji", h.react(false))

	api.GET("/spaces/:id/documents", h.listDocuments)
	api.POST("/spaces/:id/documents", h.uploadDocument)
	api.POST("/spaces/:id/folders", h.createFolder)
	api.GET("/spaces/:id/documents/:docId", h.getDocument)
	api.GET("/spaces/:id/documents/:docId/content", h.documentContent)
	api.DELETE("/spaces/:id/documents/:docId", h.deleteDocument)

	api.GET("/spaces/:id/events", h.listEvents)
	api.POST("/spaces/:id/events", h.createEvent)
	api.DELETE("/spaces/:id/events/:eventId", h.deleteEvent)

	api.POST("/communities", h.createCommunity)

	api.GET("/announcements", h.listAnnouncements)
	api.POST("/announcements", h.createAnnouncement)
	api.POST("/announcements/:id/ack", h.ack)
	api.GET("/announcements/:id/report", h.report)
}

// FeedRoutes registers the calendar feed, GET /ical/:file, on a router
// WITHOUT session or CSRF middleware: the token in the URL is the credential.
func (h *HTTP) FeedRoutes(r gin.IRoutes) {
	r.GET("/ical/:file", h.calendar)
}

func actor(c *gin.Context) *identity.Actor { return identity.ActorFrom(c.Request.Context()) }

// answer writes v with status, or the error.
func answer[T any](c *gin.Context, status int, v T, err error) {
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(status, v)
}

func noContent(c *gin.Context, err error) {
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// ---------------------------------------------------------------------------
// Spaces

func (h *HTTP) listSpaces(c *gin.Context) {
	v, err := h.svc.ListSpaces(c.Request.Context(), actor(c))
	answer(c, http.StatusOK, v, err)
}

func (h *HTTP) getSpace(c *gin.Context) {
	v, err := h.svc.GetSpace(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	// The member list (names and team roles) is personal data.
	if err := h.access.Record(c.Request.Context(), "read", "space:"+v.ID+" members"); err != nil {
		httpapi.Error(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, v)
}

func (h *HTTP) putProfile(c *gin.Context) {
	var in ProfileInput
	if !httpapi.Decode(c, &in) {
		return
	}
	v, err := h.svc.UpdateProfile(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	if err := h.access.Record(c.Request.Context(), "change", "space:"+v.ID+" profile"); err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (h *HTTP) profileHistory(c *gin.Context) {
	items, err := h.svc.ProfileHistory(c.Request.Context(), actor(c), c.Param("id"))
	answer(c, http.StatusOK, gin.H{"items": items}, err)
}

func (h *HTTP) join(c *gin.Context) {
	v, err := h.svc.Join(c.Request.Context(), actor(c), c.Param("id"))
	answer(c, http.StatusOK, v, err)
}

func (h *HTTP) leave(c *gin.Context) {
	v, err := h.svc.Leave(c.Request.Context(), actor(c), c.Param("id"))
	answer(c, http.StatusOK, v, err)
}

func (h *HTTP) createCommunity(c *gin.Context) {
	var in CommunityInput
	if !httpapi.Decode(c, &in) {
		return
	}
	v, err := h.svc.CreateCommunity(c.Request.Context(), actor(c), in)
	if err == nil {
		c.Header("Location", "/api/v1/spaces/"+v.ID)
	}
	answer(c, http.StatusCreated, v, err)
}

// ---------------------------------------------------------------------------
// Posts

func (h *HTTP) listPosts(c *gin.Context) {
	q := PostQuery{Before: c.Query("before")}
	var v apperr.Validator
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			n = -1 // the service names the field
		}
		q.Limit = n
	}
	if s := c.Query("pinned"); s != "" {
		b, err := strconv.ParseBool(s)
		v.Check(err == nil, "pinned", "invalid_choice", "use true or false")
		q.Pinned = b
	}
	if err := v.Err(); err != nil {
		httpapi.Error(c, err)
		return
	}
	page, err := h.svc.ListPosts(c.Request.Context(), actor(c), c.Param("id"), q)
	answer(c, http.StatusOK, page, err)
}

func (h *HTTP) getPost(c *gin.Context) {
	v, err := h.svc.GetPost(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId"))
	answer(c, http.StatusOK, v, err)
}

func (h *HTTP) createPost(c *gin.Context) {
	var in PostInput
	if !httpapi.Decode(c, &in) {
		return
	}
	v, err := h.svc.CreatePost(c.Request.Context(), actor(c), c.Param("id"), in)
	if err == nil {
		c.Header("Location", "/api/v1/spaces/"+v.SpaceID+"/posts/"+v.ID)
	}
	answer(c, http.StatusCreated, v, err)
}

func (h *HTTP) editPost(c *gin.Context) {
	var in PostPatch
	if !httpapi.Decode(c, &in) {
		return
	}
	v, err := h.svc.EditPost(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId"), in)
	answer(c, http.StatusOK, v, err)
}

func (h *HTTP) deletePost(c *gin.Context) {
	noContent(c, h.svc.DeletePost(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId")))
}

func (h *HTTP) pin(c *gin.Context) {
	var in PinInput
	if !httpapi.Decode(c, &in) {
		return
	}
	v, err := h.svc.SetPinned(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId"), *in.Pinned)
	answer(c, http.StatusOK, v, err)
}

func (h *HTTP) react(on bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := h.svc.React(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId"), c.Param("emoji"), on)
		answer(c, http.StatusOK, v, err)
	}
}

// stageUpload stores a file for a post yet to be written (see StageUpload).
func (h *HTTP) stageUpload(c *gin.Context) {
	// Check access before reading a large body.
	if err := h.svc.mayPost(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		httpapi.Error(c, err)
		return
	}
	up, _, ok := readMultipart(c)
	if !ok {
		return
	}
	v, err := h.svc.StageUpload(c.Request.Context(), actor(c), c.Param("id"), up)
	answer(c, http.StatusCreated, v, err)
}

func (h *HTTP) deleteUpload(c *gin.Context) {
	noContent(c, h.svc.DeleteUpload(c.Request.Context(), actor(c), c.Param("id"), c.Param("uploadId")))
}

// widthParam reads ?w= (an image variant's width; 0 when absent).
func widthParam(c *gin.Context) (int, error) {
	s := c.Query("w")
	if s == "" {
		return 0, nil
	}
	w, err := strconv.Atoi(s)
	if err == nil {
		err = photo.CheckWidth(w)
	}
	if err != nil {
		return 0, photo.CheckWidth(-1)
	}
	return w, nil
}

func (h *HTTP) getAttachment(c *gin.Context) {
	w, err := widthParam(c)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	fc, err := h.svc.AttachmentContent(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId"), c.Param("aid"), w)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	defer fc.Body.Close()
	httpapi.SendFile(c, fc.Name, fc.ContentType, fc.ModTime, fc.Body)
}

func (h *HTTP) listComments(c *gin.Context) {
	items, err := h.svc.ListComments(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId"))
	answer(c, http.StatusOK, gin.H{"items": items}, err)
}

func (h *HTTP) addComment(c *gin.Context) {
	var in CommentInput
	if !httpapi.Decode(c, &in) {
		return
	}
	v, err := h.svc.AddComment(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId"), in)
	answer(c, http.StatusCreated, v, err)
}

func (h *HTTP) deleteComment(c *gin.Context) {
	noContent(c, h.svc.DeleteComment(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId"), c.Param("cid")))
}

// ---------------------------------------------------------------------------
// Documents

func (h *HTTP) listDocuments(c *gin.Context) {
	v, err := h.svc.ListDocuments(c.Request.Context(), actor(c), c.Param("id"), c.Query("folder"))
	answer(c, http.StatusOK, v, err)
}

func (h *HTTP) createFolder(c *gin.Context) {
	var in FolderInput
	if !httpapi.Decode(c, &in) {
		return
	}
	v, err := h.svc.CreateFolder(c.Request.Context(), actor(c), c.Param("id"), in)
	answer(c, http.StatusCreated, v, err)
}

func (h *HTTP) uploadDocument(c *gin.Context) {
	// Check access before reading a large body.
	if _, err := h.svc.ListDocuments(c.Request.Context(), actor(c), c.Param("id"), "/"); err != nil {
		httpapi.Error(c, err)
		return
	}
	up, fields, ok := readMultipart(c, "folder", "note", "acknowledgeIdentifiers")
	if !ok {
		return
	}
	v, err := h.svc.UploadDocument(c.Request.Context(), actor(c), c.Param("id"), DocumentUpload{Folder: fields["folder"], Note: fields["note"], File: up,
		AcknowledgeIdentifiers: fields["acknowledgeIdentifiers"] == "true"})
	answer(c, http.StatusCreated, v, err)
}

func (h *HTTP) getDocument(c *gin.Context) {
	v, err := h.svc.GetDocument(c.Request.Context(), actor(c), c.Param("id"), c.Param("docId"))
	answer(c, http.StatusOK, v, err)
}

func (h *HTTP) documentContent(c *gin.Context) {
	version := 0
	if s := c.Query("version"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			httpapi.Error(c, apperr.Invalid("version", "invalid", "use a version number such as 2"))
			return
		}
		version = n
	}
	w, err := widthParam(c)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	fc, err := h.svc.DocumentContent(c.Request.Context(), actor(c), c.Param("id"), c.Param("docId"), version, w)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	defer fc.Body.Close()
	httpapi.SendFile(c, fc.Name, fc.ContentType, fc.ModTime, fc.Body)
}

func (h *HTTP) deleteDocument(c *gin.Context) {
	noContent(c, h.svc.DeleteDocument(c.Request.Context(), actor(c), c.Param("id"), c.Param("docId")))
}

// ---------------------------------------------------------------------------
// Events and the calendar feed

func (h *HTTP) listEvents(c *gin.Context) {
	items, err := h.svc.ListEvents(c.Request.Context(), actor(c), c.Param("id"), c.Query("from"), c.Query("to"))
	answer(c, http.StatusOK, gin.H{"items": items}, err)
}

func (h *HTTP) createEvent(c *gin.Context) {
	var in EventInput
	if !httpapi.Decode(c, &in) {
		return
	}
	v, err := h.svc.CreateEvent(c.Request.Context(), actor(c), c.Param("id"), in)
	answer(c, http.StatusCreated, v, err)
}

func (h *HTTP) deleteEvent(c *gin.Context) {
	noContent(c, h.svc.DeleteEvent(c.Request.Context(), actor(c), c.Param("id"), c.Param("eventId")))
}

func (h *HTTP) feedAnswer(c *gin.Context, token string, err error) {
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"url": h.baseURL + "/ical/" + token + ".ics"})
}

func (h *HTTP) feedURL(c *gin.Context) {
	tok, err := h.svc.FeedToken(c.Request.Context(), actor(c))
	h.feedAnswer(c, tok, err)
}

func (h *HTTP) resetFeed(c *gin.Context) {
	tok, err := h.svc.ResetFeedToken(c.Request.Context(), actor(c))
	h.feedAnswer(c, tok, err)
}

func (h *HTTP) calendar(c *gin.Context) {
	file := c.Param("file")
	if !strings.HasSuffix(file, ".ics") {
		httpapi.Error(c, apperr.NotFound("not_found", "no such calendar"))
		return
	}
	// ?ruimte=<space id>: that space's calendar only.
	data, err := h.svc.Calendar(c.Request.Context(), strings.TrimSuffix(file, ".ics"), h.baseURL, c.Query("ruimte"))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-cache")
	c.Header("Referrer-Policy", "no-referrer")
	c.Header("Content-Disposition", `inline; filename="plein.ics"`)
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", data)
}

// ---------------------------------------------------------------------------
// Announcements

func (h *HTTP) listAnnouncements(c *gin.Context) {
	limit := 0
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			httpapi.Error(c, apperr.Invalid("limit", "out_of_range", "use a number from 1 to 100", apperr.Params{"min": 1, "max": 100}))
			return
		}
		limit = n
	}
	items, err := h.svc.ListAnnouncements(c.Request.Context(), actor(c), limit)
	answer(c, http.StatusOK, gin.H{"items": items}, err)
}

func (h *HTTP) createAnnouncement(c *gin.Context) {
	if !CanAnnounce(actor(c)) {
		httpapi.Error(c, apperr.Forbidden("forbidden", "support services, regional managers, coordinating district nurses and administrators publish announcements"))
		return
	}
	var in AnnouncementInput
	if !httpapi.Decode(c, &in) {
		return
	}
	v, err := h.svc.CreateAnnouncement(c.Request.Context(), actor(c), in)
	answer(c, http.StatusCreated, v, err)
}

func (h *HTTP) ack(c *gin.Context) {
	v, err := h.svc.Acknowledge(c.Request.Context(), actor(c), c.Param("id"))
	answer(c, http.StatusOK, v, err)
}

func (h *HTTP) report(c *gin.Context) {
	v, err := h.svc.AckReport(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	// Who did not acknowledge is personal data.
	if err := h.access.Record(c.Request.Context(), "read", "announcement:"+v.Announcement.ID+" acknowledgements"); err != nil {
		httpapi.Error(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, v)
}

// ---------------------------------------------------------------------------
// Files

// readMultipart reads the file (at most MaxFileBytes) and the named text
// fields with the one upload reader (httpapi.ReadMultipart: 415, 413 or 422
// as a problem document).
func readMultipart(c *gin.Context, fields ...string) (Upload, map[string]string, bool) {
	up, vals, ok := httpapi.ReadMultipart(c, MaxFileBytes, fields...)
	return Upload(up), vals, ok
}
