package teamspace

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/photo"
)

// AccessLogger records access to personal data.
type AccessLogger = httpapi.AccessLogger

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
	api.GET("/spaces", httpapi.Handle(h.listSpaces))
	api.GET("/spaces/calendar-feed", httpapi.Handle(h.feedURL))
	api.POST("/spaces/calendar-feed/reset", httpapi.Handle(h.resetFeed))
	api.GET("/spaces/:id", httpapi.Handle(h.getSpace))
	api.PUT("/spaces/:id/profile", httpapi.Handle(h.putProfile))
	api.GET("/spaces/:id/profile/history", httpapi.Handle(h.profileHistory))
	api.POST("/spaces/:id/join", httpapi.Handle(h.join))
	api.POST("/spaces/:id/leave", httpapi.Handle(h.leave))

	api.GET("/spaces/:id/posts", httpapi.Handle(h.listPosts))
	api.POST("/spaces/:id/posts", httpapi.Handle(h.createPost))
	api.GET("/spaces/:id/posts/:postId", httpapi.Handle(h.getPost))
	api.PATCH("/spaces/:id/posts/:postId", httpapi.Handle(h.editPost))
	api.DELETE("/spaces/:id/posts/:postId", httpapi.Handle(h.deletePost))
	api.PUT("/spaces/:id/posts/:postId/pin", httpapi.Handle(h.pin))
	api.POST("/spaces/:id/uploads", httpapi.Handle(h.stageUpload))
	api.DELETE("/spaces/:id/uploads/:uploadId", httpapi.Handle(h.deleteUpload))
	api.GET("/spaces/:id/posts/:postId/attachments/:aid", httpapi.Handle(h.getAttachment))
	api.GET("/spaces/:id/posts/:postId/comments", httpapi.Handle(h.listComments))
	api.POST("/spaces/:id/posts/:postId/comments", httpapi.Handle(h.addComment))
	api.DELETE("/spaces/:id/posts/:postId/comments/:cid", httpapi.Handle(h.deleteComment))
	api.PUT("/spaces/:id/posts/:postId/reactions/:emoji", h.react(true))
	api.DELETE("/spaces/:id/posts/:postId/reactions/:emoji", h.react(false))

	api.GET("/spaces/:id/documents", httpapi.Handle(h.listDocuments))
	api.POST("/spaces/:id/documents", httpapi.Handle(h.uploadDocument))
	api.POST("/spaces/:id/folders", httpapi.Handle(h.createFolder))
	api.GET("/spaces/:id/documents/:docId", httpapi.Handle(h.getDocument))
	api.GET("/spaces/:id/documents/:docId/content", httpapi.Handle(h.documentContent))
	api.DELETE("/spaces/:id/documents/:docId", httpapi.Handle(h.deleteDocument))

	api.GET("/spaces/:id/events", httpapi.Handle(h.listEvents))
	api.POST("/spaces/:id/events", httpapi.Handle(h.createEvent))
	api.DELETE("/spaces/:id/events/:eventId", httpapi.Handle(h.deleteEvent))
	api.GET("/agenda", httpapi.Handle(h.agenda))

	api.POST("/communities", httpapi.Handle(h.createCommunity))

	api.GET("/announcements", httpapi.Handle(h.listAnnouncements))
	api.POST("/announcements", httpapi.Handle(h.createAnnouncement))
	api.POST("/announcements/:id/ack", httpapi.Handle(h.ack))
	api.GET("/announcements/:id/report", httpapi.Handle(h.report))
}

// FeedRoutes registers the calendar feed, GET /ical/:file, on a router
// WITHOUT session or CSRF middleware: the token in the URL is the credential.
func (h *HTTP) FeedRoutes(r gin.IRoutes) {
	r.GET("/ical/:file", httpapi.Handle(h.calendar))
}

func actor(c *gin.Context) *identity.Actor { return identity.ActorFrom(c.Request.Context()) }

// answer writes v with status, or the error.
func answer[T any](c *gin.Context, status int, v T, err error) error {
	if err != nil {
		return err
	}
	c.JSON(status, v)
	return nil
}

func noContent(c *gin.Context, err error) error {
	if err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// ---------------------------------------------------------------------------
// Spaces

func (h *HTTP) listSpaces(c *gin.Context) error {
	v, err := h.svc.ListSpaces(c.Request.Context(), actor(c))
	return answer(c, http.StatusOK, v, err)
}

func (h *HTTP) getSpace(c *gin.Context) error {
	v, err := h.svc.GetSpace(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	// The member list (names and team roles) is personal data.
	if err := h.access.Record(c.Request.Context(), "read", "space:"+v.ID+" members"); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) putProfile(c *gin.Context) error {
	var in ProfileInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.UpdateProfile(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	if err := h.access.Record(c.Request.Context(), "change", "space:"+v.ID+" profile"); err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) profileHistory(c *gin.Context) error {
	items, err := h.svc.ProfileHistory(c.Request.Context(), actor(c), c.Param("id"))
	return answer(c, http.StatusOK, gin.H{"items": items}, err)
}

func (h *HTTP) join(c *gin.Context) error {
	v, err := h.svc.Join(c.Request.Context(), actor(c), c.Param("id"))
	return answer(c, http.StatusOK, v, err)
}

func (h *HTTP) leave(c *gin.Context) error {
	v, err := h.svc.Leave(c.Request.Context(), actor(c), c.Param("id"))
	return answer(c, http.StatusOK, v, err)
}

func (h *HTTP) createCommunity(c *gin.Context) error {
	var in CommunityInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.CreateCommunity(c.Request.Context(), actor(c), in)
	if err == nil {
		c.Header("Location", "/api/v1/spaces/"+v.ID)
	}
	return answer(c, http.StatusCreated, v, err)
}

// ---------------------------------------------------------------------------
// Posts

func (h *HTTP) listPosts(c *gin.Context) error {
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
		return err
	}
	page, err := h.svc.ListPosts(c.Request.Context(), actor(c), c.Param("id"), q)
	return answer(c, http.StatusOK, page, err)
}

func (h *HTTP) getPost(c *gin.Context) error {
	v, err := h.svc.GetPost(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId"))
	return answer(c, http.StatusOK, v, err)
}

func (h *HTTP) createPost(c *gin.Context) error {
	var in PostInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.CreatePost(c.Request.Context(), actor(c), c.Param("id"), in)
	if err == nil {
		c.Header("Location", "/api/v1/spaces/"+v.SpaceID+"/posts/"+v.ID)
	}
	return answer(c, http.StatusCreated, v, err)
}

func (h *HTTP) editPost(c *gin.Context) error {
	var in PostPatch
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.EditPost(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId"), in)
	return answer(c, http.StatusOK, v, err)
}

func (h *HTTP) deletePost(c *gin.Context) error {
	return noContent(c, h.svc.DeletePost(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId")))
}

func (h *HTTP) pin(c *gin.Context) error {
	var in PinInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.SetPinned(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId"), *in.Pinned)
	return answer(c, http.StatusOK, v, err)
}

func (h *HTTP) react(on bool) gin.HandlerFunc {
	return httpapi.Handle(func(c *gin.Context) error {
		v, err := h.svc.React(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId"), c.Param("emoji"), on)
		return answer(c, http.StatusOK, v, err)
	})
}

// stageUpload stores a file for a post yet to be written (see StageUpload).
func (h *HTTP) stageUpload(c *gin.Context) error {
	// Check access before reading a large body.
	if err := h.svc.mayPost(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		return err
	}
	up, fields, ok := readMultipart(c, "acknowledgeIdentifiers")
	if !ok {
		return nil
	}
	v, err := h.svc.StageUpload(c.Request.Context(), actor(c), c.Param("id"), up, fields["acknowledgeIdentifiers"] == "true")
	return answer(c, http.StatusCreated, v, err)
}

func (h *HTTP) deleteUpload(c *gin.Context) error {
	return noContent(c, h.svc.DeleteUpload(c.Request.Context(), actor(c), c.Param("id"), c.Param("uploadId")))
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

func (h *HTTP) getAttachment(c *gin.Context) error {
	w, err := widthParam(c)
	if err != nil {
		return err
	}
	fc, err := h.svc.AttachmentContent(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId"), c.Param("aid"), w)
	if err != nil {
		return err
	}
	defer fc.Body.Close()
	httpapi.SendFile(c, fc.Name, fc.ContentType, fc.ModTime, fc.Body)
	return nil
}

func (h *HTTP) listComments(c *gin.Context) error {
	items, err := h.svc.ListComments(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId"))
	return answer(c, http.StatusOK, gin.H{"items": items}, err)
}

func (h *HTTP) addComment(c *gin.Context) error {
	var in CommentInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.AddComment(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId"), in)
	return answer(c, http.StatusCreated, v, err)
}

func (h *HTTP) deleteComment(c *gin.Context) error {
	return noContent(c, h.svc.DeleteComment(c.Request.Context(), actor(c), c.Param("id"), c.Param("postId"), c.Param("cid")))
}

// ---------------------------------------------------------------------------
// Documents

func (h *HTTP) listDocuments(c *gin.Context) error {
	v, err := h.svc.ListDocuments(c.Request.Context(), actor(c), c.Param("id"), c.Query("folder"))
	return answer(c, http.StatusOK, v, err)
}

func (h *HTTP) createFolder(c *gin.Context) error {
	var in FolderInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.CreateFolder(c.Request.Context(), actor(c), c.Param("id"), in)
	return answer(c, http.StatusCreated, v, err)
}

func (h *HTTP) uploadDocument(c *gin.Context) error {
	// Check access before reading a large body.
	if _, err := h.svc.ListDocuments(c.Request.Context(), actor(c), c.Param("id"), "/"); err != nil {
		return err
	}
	up, fields, ok := readMultipart(c, "folder", "note", "acknowledgeIdentifiers")
	if !ok {
		return nil
	}
	v, err := h.svc.UploadDocument(c.Request.Context(), actor(c), c.Param("id"), DocumentUpload{Folder: fields["folder"], Note: fields["note"], File: up,
		AcknowledgeIdentifiers: fields["acknowledgeIdentifiers"] == "true"})
	return answer(c, http.StatusCreated, v, err)
}

func (h *HTTP) getDocument(c *gin.Context) error {
	v, err := h.svc.GetDocument(c.Request.Context(), actor(c), c.Param("id"), c.Param("docId"))
	return answer(c, http.StatusOK, v, err)
}

func (h *HTTP) documentContent(c *gin.Context) error {
	version := 0
	if s := c.Query("version"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return apperr.Invalid("version", "invalid", "use a version number such as 2")
		}
		version = n
	}
	w, err := widthParam(c)
	if err != nil {
		return err
	}
	fc, err := h.svc.DocumentContent(c.Request.Context(), actor(c), c.Param("id"), c.Param("docId"), version, w)
	if err != nil {
		return err
	}
	defer fc.Body.Close()
	httpapi.SendFile(c, fc.Name, fc.ContentType, fc.ModTime, fc.Body)
	return nil
}

func (h *HTTP) deleteDocument(c *gin.Context) error {
	return noContent(c, h.svc.DeleteDocument(c.Request.Context(), actor(c), c.Param("id"), c.Param("docId")))
}

// ---------------------------------------------------------------------------
// Events and the calendar feed

func (h *HTTP) listEvents(c *gin.Context) error {
	items, err := h.svc.ListEvents(c.Request.Context(), actor(c), c.Param("id"), c.Query("from"), c.Query("to"))
	return answer(c, http.StatusOK, gin.H{"items": items}, err)
}

func (h *HTTP) agenda(c *gin.Context) error {
	items, err := h.svc.Agenda(c.Request.Context(), actor(c), c.Query("days"))
	return answer(c, http.StatusOK, gin.H{"items": items}, err)
}

func (h *HTTP) createEvent(c *gin.Context) error {
	var in EventInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.CreateEvent(c.Request.Context(), actor(c), c.Param("id"), in)
	return answer(c, http.StatusCreated, v, err)
}

func (h *HTTP) deleteEvent(c *gin.Context) error {
	return noContent(c, h.svc.DeleteEvent(c.Request.Context(), actor(c), c.Param("id"), c.Param("eventId")))
}

func (h *HTTP) feedAnswer(c *gin.Context, token string, err error) error {
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"url": h.baseURL + "/ical/" + token + ".ics"})
	return nil
}

func (h *HTTP) feedURL(c *gin.Context) error {
	tok, err := h.svc.FeedToken(c.Request.Context(), actor(c))
	return h.feedAnswer(c, tok, err)
}

func (h *HTTP) resetFeed(c *gin.Context) error {
	tok, err := h.svc.ResetFeedToken(c.Request.Context(), actor(c))
	return h.feedAnswer(c, tok, err)
}

func (h *HTTP) calendar(c *gin.Context) error {
	file := c.Param("file")
	if !strings.HasSuffix(file, ".ics") {
		return apperr.NotFound("not_found", "no such calendar")
	}
	// ?ruimte=<space id>: that space's calendar only.
	data, err := h.svc.Calendar(c.Request.Context(), strings.TrimSuffix(file, ".ics"), h.baseURL, c.Query("ruimte"))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "private, no-cache")
	c.Header("Referrer-Policy", "no-referrer")
	c.Header("Content-Disposition", `inline; filename="plein.ics"`)
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", data)
	return nil
}

// ---------------------------------------------------------------------------
// Announcements

func (h *HTTP) listAnnouncements(c *gin.Context) error {
	limit := 0
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return apperr.Invalid("limit", "out_of_range", "use a number from 1 to 100", apperr.Params{"min": 1, "max": 100})
		}
		limit = n
	}
	items, err := h.svc.ListAnnouncements(c.Request.Context(), actor(c), limit)
	return answer(c, http.StatusOK, gin.H{"items": items}, err)
}

func (h *HTTP) createAnnouncement(c *gin.Context) error {
	if !CanAnnounce(actor(c)) {
		return apperr.Forbidden("forbidden", "support services, regional managers, coordinating district nurses and administrators publish announcements")
	}
	var in AnnouncementInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.CreateAnnouncement(c.Request.Context(), actor(c), in)
	return answer(c, http.StatusCreated, v, err)
}

func (h *HTTP) ack(c *gin.Context) error {
	v, err := h.svc.Acknowledge(c.Request.Context(), actor(c), c.Param("id"))
	return answer(c, http.StatusOK, v, err)
}

func (h *HTTP) report(c *gin.Context) error {
	v, err := h.svc.AckReport(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	// Who did not acknowledge is personal data.
	if err := h.access.Record(c.Request.Context(), "read", "announcement:"+v.Announcement.ID+" acknowledgements"); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, v)
	return nil
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
