package knowledge

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
)

// AccessLogger records access to personal data.
type AccessLogger = httpapi.AccessLogger

// HTTP exposes the knowledge base.
type HTTP struct {
	svc    *Service
	access AccessLogger
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, access AccessLogger) *HTTP { return &HTTP{svc: svc, access: access} }

// UploadRoute is the attachment upload route, which accepts bodies larger
// than the API's default limit.
const UploadRoute = "/knowledge/articles/:id/attachments"

// MaxUploadBody is the body limit of UploadRoute: a 10 MB file plus the
// multipart envelope.
const MaxUploadBody = maxAttachment + 64<<10

// Routes registers the routes on a group that requires a user.
func (h *HTTP) Routes(api *gin.RouterGroup) {
	api.GET("/knowledge/meta", h.meta)
	api.GET("/knowledge/articles", httpapi.Handle(h.list))
	api.POST("/knowledge/articles", httpapi.Handle(h.create))
	api.GET("/knowledge/search", httpapi.Handle(h.search))
	api.GET("/knowledge/articles/:id", httpapi.Handle(h.get))
	api.GET("/knowledge/articles/:id/versions/:version", httpapi.Handle(h.version))
	api.GET("/knowledge/articles/:id/diff", httpapi.Handle(h.diff))
	api.PUT("/knowledge/articles/:id/draft", httpapi.Handle(h.saveDraft))
	api.POST("/knowledge/articles/:id/submit", httpapi.Handle(h.submit))
	api.POST("/knowledge/articles/:id/withdraw", h.transition((*Service).Withdraw))
	api.POST("/knowledge/articles/:id/approve", h.review((*Service).Approve))
	api.POST("/knowledge/articles/:id/reject", h.review((*Service).Reject))
	api.POST("/knowledge/articles/:id/archive", h.transition((*Service).Archive))
	api.POST("/knowledge/articles/:id/restore", h.transition((*Service).Restore))
	api.GET("/knowledge/review", httpapi.Handle(h.reviewQueue))
	api.POST("/knowledge/articles/:id/confirm", httpapi.Handle(h.confirm))
	api.GET("/knowledge/confirmations/pending", h.pending)
	api.GET("/knowledge/articles/:id/report", httpapi.Handle(h.report))
	api.GET("/knowledge/articles/:id/report.csv", httpapi.Handle(h.reportCSV))
	api.GET("/knowledge/reports/overdue", httpapi.Handle(h.overdue))
	api.GET("/knowledge/reports/confirmations", httpapi.Handle(h.orgReport))
	api.POST(UploadRoute, httpapi.Handle(h.attach))
	api.GET("/knowledge/articles/:id/attachments/:aid", httpapi.Handle(h.file))
	api.DELETE("/knowledge/articles/:id/attachments/:aid", httpapi.Handle(h.detach))
	api.POST("/knowledge/articles/:id/feedback", httpapi.Handle(h.addFeedback))
	api.GET("/knowledge/articles/:id/feedback", httpapi.Handle(h.articleFeedback))
	api.GET("/knowledge/feedback", httpapi.Handle(h.inbox))
	api.POST("/knowledge/feedback/:id/answer", httpapi.Handle(h.answer))
}

func actor(c *gin.Context) *identity.Actor { return identity.ActorFrom(c.Request.Context()) }

func items[T any](c *gin.Context, xs []T) { c.JSON(http.StatusOK, gin.H{"items": nonNil(xs)}) }

func (h *HTTP) meta(c *gin.Context) { c.JSON(http.StatusOK, h.svc.Meta(actor(c))) }

// intQuery reads an optional bounded integer parameter.
func intQuery(c *gin.Context, v *apperr.Validator, name string, def, lo, hi int) int {
	s := c.Query(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		v.Add(name, "out_of_range", fmt.Sprintf("use a number from %d to %d", lo, hi), apperr.Params{"min": lo, "max": hi})
		return def
	}
	return n
}

func (h *HTTP) list(c *gin.Context) error {
	var v apperr.Validator
	q := ListQuery{Category: c.Query("category"), Type: c.Query("type"), Owner: c.Query("owner"), Tag: c.Query("tag"), Status: c.Query("status"),
		Audience: c.Query("audience")}
	q.Limit = intQuery(c, &v, "limit", 50, 1, 200)
	q.Offset = intQuery(c, &v, "offset", 0, 0, 1_000_000)
	if err := v.Err(); err != nil {
		return err
	}
	xs, total, err := h.svc.List(actor(c), q)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(xs), "total": total})
	return nil
}

func (h *HTTP) search(c *gin.Context) error {
	var v apperr.Validator
	q := SearchQuery{Text: c.Query("q"), Category: c.Query("category"), Audience: c.Query("audience")}
	switch c.Query("prefix") {
	case "", "false", "0":
	case "true", "1":
		q.Prefix = true
	default:
		v.Add("prefix", "invalid_choice", "use true or false")
	}
	q.Limit = intQuery(c, &v, "limit", 20, 1, 100)
	q.Offset = intQuery(c, &v, "offset", 0, 0, 10_000)
	if err := v.Err(); err != nil {
		return err
	}
	r, err := h.svc.Search(actor(c), q)
	if err != nil {
		return err
	}
	body := gin.H{"items": nonNil(r.Hits), "total": r.Total, "query": q.Text}
	if r.Corrected != "" {
		body["corrected"] = r.Corrected
	}
	c.JSON(http.StatusOK, body)
	return nil
}

func (h *HTTP) get(c *gin.Context) error {
	a, err := h.svc.Get(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, a)
	return nil
}

func (h *HTTP) version(c *gin.Context) error {
	v, err := h.svc.Version(c.Request.Context(), actor(c), c.Param("id"), c.Param("version"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) diff(c *gin.Context) error {
	d, err := h.svc.Diff(c.Request.Context(), actor(c), c.Param("id"), c.Query("from"), c.Query("to"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, d)
	return nil
}

func (h *HTTP) create(c *gin.Context) error {
	if err := requireEditor(actor(c)); err != nil {
		return err
	}
	var in ArticleInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	a, err := h.svc.Create(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.Header("Location", "/api/v1/knowledge/articles/"+url.PathEscape(a.ID))
	c.JSON(http.StatusCreated, a)
	return nil
}

func (h *HTTP) saveDraft(c *gin.Context) error {
	if err := requireEditor(actor(c)); err != nil {
		return err
	}
	var in DraftInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	a, err := h.svc.SaveDraft(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, a)
	return nil
}

func (h *HTTP) submit(c *gin.Context) error {
	if err := requireEditor(actor(c)); err != nil {
		return err
	}
	var in SubmitInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	a, err := h.svc.Submit(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, a)
	return nil
}

func (h *HTTP) transition(f func(*Service, context.Context, *identity.Actor, string) (*Article, error)) gin.HandlerFunc {
	return httpapi.Handle(func(c *gin.Context) error {
		a, err := f(h.svc, c.Request.Context(), actor(c), c.Param("id"))
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, a)
		return nil
	})
}

func (h *HTTP) review(f func(*Service, context.Context, *identity.Actor, string, ReviewInput) (*Article, error)) gin.HandlerFunc {
	return httpapi.Handle(func(c *gin.Context) error {
		if err := requireEditor(actor(c)); err != nil {
			return err
		}
		var in ReviewInput
		if !httpapi.Decode(c, &in) {
			return nil
		}
		a, err := f(h.svc, c.Request.Context(), actor(c), c.Param("id"), in)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, a)
		return nil
	})
}

func (h *HTTP) reviewQueue(c *gin.Context) error {
	xs, err := h.svc.ReviewQueue(actor(c))
	if err != nil {
		return err
	}
	items(c, xs)
	return nil
}

func (h *HTTP) confirm(c *gin.Context) error {
	var in ConfirmInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	st, err := h.svc.Confirm(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"confirmation": st})
	return nil
}

func (h *HTTP) pending(c *gin.Context) { items(c, h.svc.Pending(actor(c))) }

func (h *HTTP) report(c *gin.Context) error {
	r, err := h.svc.Report(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	// Who has not confirmed a protocol is personal data.
	if err := h.access.Record(c.Request.Context(), "read", "knowledge:confirmations:"+r.Article.ID); err != nil {
		return err
	}
	c.JSON(http.StatusOK, r)
	return nil
}

func (h *HTTP) reportCSV(c *gin.Context) error {
	r, err := h.svc.Report(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if err := h.access.Record(c.Request.Context(), "export", "knowledge:confirmations:"+r.Article.ID); err != nil {
		return err
	}
	c.Header("Content-Disposition", `attachment; filename="bevestigingen-`+safeName(r.Article.ID)+`.csv"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", ReportCSV(r))
	return nil
}

func safeName(id string) string {
	out := []rune{}
	for _, r := range id {
		if r == '-' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			out = append(out, r)
		}
	}
	return string(out)
}

func (h *HTTP) overdue(c *gin.Context) error {
	xs, err := h.svc.Overdue(actor(c))
	if err != nil {
		return err
	}
	items(c, xs)
	return nil
}

func (h *HTTP) orgReport(c *gin.Context) error {
	xs, err := h.svc.OrgReport(actor(c))
	if err != nil {
		return err
	}
	items(c, xs)
	return nil
}

// readFile reads the "file" field with the one upload reader
// (httpapi.ReadMultipart: 415, 413 or 422 as a problem document).
func readFile(c *gin.Context) (name string, data []byte, ok bool) {
	up, _, ok := httpapi.ReadMultipart(c, maxAttachment)
	return up.Name, up.Data, ok
}

func (h *HTTP) attach(c *gin.Context) error {
	if err := requireEditor(actor(c)); err != nil {
		return err
	}
	name, data, ok := readFile(c)
	if !ok {
		return nil
	}
	att, err := h.svc.Attach(c.Request.Context(), actor(c), c.Param("id"), name, data)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, att)
	return nil
}

func (h *HTTP) file(c *gin.Context) error {
	att, f, body, err := h.svc.File(c.Request.Context(), actor(c), c.Param("id"), c.Param("aid"))
	if err != nil {
		return err
	}
	defer body.Close()
	httpapi.SendFile(c, att.Name, att.ContentType, f.UploadDate, body)
	return nil
}

func (h *HTTP) detach(c *gin.Context) error {
	if err := h.svc.Detach(c.Request.Context(), actor(c), c.Param("id"), c.Param("aid")); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

func (h *HTTP) addFeedback(c *gin.Context) error {
	var in FeedbackInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	f, err := h.svc.AddFeedback(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, f)
	return nil
}

func (h *HTTP) articleFeedback(c *gin.Context) error {
	xs, err := h.svc.ArticleFeedback(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	items(c, xs)
	return nil
}

func (h *HTTP) inbox(c *gin.Context) error {
	open := false
	switch c.Query("open") {
	case "", "false", "0":
	case "true", "1":
		open = true
	default:
		return apperr.Invalid("open", "invalid_choice", "use true or false")
	}
	xs, err := h.svc.Inbox(actor(c), open)
	if err != nil {
		return err
	}
	items(c, xs)
	return nil
}

func (h *HTTP) answer(c *gin.Context) error {
	if err := requireEditor(actor(c)); err != nil {
		return err
	}
	var in AnswerInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	f, err := h.svc.AnswerFeedback(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, f)
	return nil
}
