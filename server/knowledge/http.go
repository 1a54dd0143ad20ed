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

// AccessLogger records access to personal data (NEN 7513).
type AccessLogger interface {
	Record(c *gin.Context, action, subject string) error
}

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
	api.GET("/knowledge/articles", h.list)
	api.POST("/knowledge/articles", h.create)
	api.GET("/knowledge/search", h.search)
	api.GET("/knowledge/articles/:id", h.get)
	api.GET("/knowledge/articles/:id/versions/:version", h.version)
	api.GET("/knowledge/articles/:id/diff", h.diff)
	api.PUT("/knowledge/articles/:id/draft", h.saveDraft)
	api.POST("/knowledge/articles/:id/submit", h.submit)
	api.POST("/knowledge/articles/:id/withdraw", h.transition((*Service).Withdraw))
	api.POST("/knowledge/articles/:id/approve", h.review((*Service).Approve))
	api.POST("/knowledge/articles/:id/reject", h.review((*Service).Reject))
	api.POST("/knowledge/articles/:id/archive", h.transition((*Service).Archive))
	api.POST("/knowledge/articles/:id/restore", h.transition((*Service).Restore))
	api.GET("/knowledge/review", h.reviewQueue)
	api.POST("/knowledge/articles/:id/confirm", h.confirm)
	api.GET("/knowledge/confirmations/pending", h.pending)
	api.GET("/knowledge/articles/:id/report", h.report)
	api.GET("/knowledge/articles/:id/report.csv", h.reportCSV)
	api.GET("/knowledge/reports/overdue", h.overdue)
	api.GET("/knowledge/reports/confirmations", h.orgReport)
	api.POST(UploadRoute, h.attach)
	api.GET("/knowledge/articles/:id/attachments/:aid", h.file)
	api.DELETE("/knowledge/articles/:id/attachments/:aid", h.detach)
	api.POST("/knowledge/articles/:id/feedback", h.addFeedback)
	api.GET("/knowledge/articles/:id/feedback", h.articleFeedback)
	api.GET("/knowledge/feedback", h.inbox)
	api.POST("/knowledge/feedback/:id/answer", h.answer)
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

func (h *HTTP) list(c *gin.Context) {
	var v apperr.Validator
	q := ListQuery{Category: c.Query("category"), Type: c.Query("type"), Owner: c.Query("owner"), Tag: c.Query("tag"), Status: c.Query("status"),
		Audience: c.Query("audience")}
	q.Limit = intQuery(c, &v, "limit", 50, 1, 200)
	q.Offset = intQuery(c, &v, "offset", 0, 0, 1_000_000)
	if err := v.Err(); err != nil {
		httpapi.Error(c, err)
		return
	}
	xs, total, err := h.svc.List(actor(c), q)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(xs), "total": total})
}

func (h *HTTP) search(c *gin.Context) {
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
		httpapi.Error(c, err)
		return
	}
	r, err := h.svc.Search(actor(c), q)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	body := gin.H{"items": nonNil(r.Hits), "total": r.Total, "query": q.Text}
	if r.Corrected != "" {
		body["corrected"] = r.Corrected
	}
	c.JSON(http.StatusOK, body)
}

func (h *HTTP) get(c *gin.Context) {
	a, err := h.svc.Get(actor(c), c.Param("id"))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

func (h *HTTP) version(c *gin.Context) {
	v, err := h.svc.Version(c.Request.Context(), actor(c), c.Param("id"), c.Param("version"))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (h *HTTP) diff(c *gin.Context) {
	d, err := h.svc.Diff(c.Request.Context(), actor(c), c.Param("id"), c.Query("from"), c.Query("to"))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

func (h *HTTP) create(c *gin.Context) {
	if err := requireEditor(actor(c)); err != nil {
		httpapi.Error(c, err)
		return
	}
	var in ArticleInput
	if !httpapi.Decode(c, &in) {
		return
	}
	a, err := h.svc.Create(c.Request.Context(), actor(c), in)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.Header("Location", "/api/v1/knowledge/articles/"+url.PathEscape(a.ID))
	c.JSON(http.StatusCreated, a)
}

func (h *HTTP) saveDraft(c *gin.Context) {
	if err := requireEditor(actor(c)); err != nil {
		httpapi.Error(c, err)
		return
	}
	var in DraftInput
	if !httpapi.Decode(c, &in) {
		return
	}
	a, err := h.svc.SaveDraft(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

func (h *HTTP) submit(c *gin.Context) {
	if err := requireEditor(actor(c)); err != nil {
		httpapi.Error(c, err)
		return
	}
	var in SubmitInput
	if !httpapi.Decode(c, &in) {
		return
	}
	a, err := h.svc.Submit(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

func (h *HTTP) transition(f func(*Service, context.Context, *identity.Actor, string) (*Article, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		a, err := f(h.svc, c.Request.Context(), actor(c), c.Param("id"))
		if err != nil {
			httpapi.Error(c, err)
			return
		}
		c.JSON(http.StatusOK, a)
	}
}

func (h *HTTP) review(f func(*Service, context.Context, *identity.Actor, string, ReviewInput) (*Article, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := requireEditor(actor(c)); err != nil {
			httpapi.Error(c, err)
			return
		}
		var in ReviewInput
		if !httpapi.Decode(c, &in) {
			return
		}
		a, err := f(h.svc, c.Request.Context(), actor(c), c.Param("id"), in)
		if err != nil {
			httpapi.Error(c, err)
			return
		}
		c.JSON(http.StatusOK, a)
	}
}

func (h *HTTP) reviewQueue(c *gin.Context) {
	xs, err := h.svc.ReviewQueue(actor(c))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	items(c, xs)
}

func (h *HTTP) confirm(c *gin.Context) {
	var in ConfirmInput
	if !httpapi.Decode(c, &in) {
		return
	}
	st, err := h.svc.Confirm(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"confirmation": st})
}

func (h *HTTP) pending(c *gin.Context) { items(c, h.svc.Pending(actor(c))) }

func (h *HTTP) report(c *gin.Context) {
	r, err := h.svc.Report(actor(c), c.Param("id"))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	// Who has not confirmed a protocol is personal data.
	if err := h.access.Record(c, "read", "knowledge:confirmations:"+r.Article.ID); err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

func (h *HTTP) reportCSV(c *gin.Context) {
	r, err := h.svc.Report(actor(c), c.Param("id"))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	if err := h.access.Record(c, "export", "knowledge:confirmations:"+r.Article.ID); err != nil {
		httpapi.Error(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="bevestigingen-`+safeName(r.Article.ID)+`.csv"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", ReportCSV(r))
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

func (h *HTTP) overdue(c *gin.Context) {
	xs, err := h.svc.Overdue(actor(c))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	items(c, xs)
}

func (h *HTTP) orgReport(c *gin.Context) {
	xs, err := h.svc.OrgReport(actor(c))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	items(c, xs)
}

// readFile reads the "file" field with the one upload reader
// (httpapi.ReadMultipart: 415, 413 or 422 as a problem document).
func readFile(c *gin.Context) (name string, data []byte, ok bool) {
	up, _, ok := httpapi.ReadMultipart(c, maxAttachment)
	return up.Name, up.Data, ok
}

func (h *HTTP) attach(c *gin.Context) {
	if err := requireEditor(actor(c)); err != nil {
		httpapi.Error(c, err)
		return
	}
	name, data, ok := readFile(c)
	if !ok {
		return
	}
	att, err := h.svc.Attach(c.Request.Context(), actor(c), c.Param("id"), name, data)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusCreated, att)
}

func (h *HTTP) file(c *gin.Context) {
	att, f, body, err := h.svc.File(c.Request.Context(), actor(c), c.Param("id"), c.Param("aid"))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	defer body.Close()
	httpapi.SendFile(c, att.Name, att.ContentType, f.UploadDate, body)
}

func (h *HTTP) detach(c *gin.Context) {
	if err := h.svc.Detach(c.Request.Context(), actor(c), c.Param("id"), c.Param("aid")); err != nil {
		httpapi.Error(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *HTTP) addFeedback(c *gin.Context) {
	var in FeedbackInput
	if !httpapi.Decode(c, &in) {
		return
	}
	f, err := h.svc.AddFeedback(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusCreated, f)
}

func (h *HTTP) articleFeedback(c *gin.Context) {
	xs, err := h.svc.ArticleFeedback(actor(c), c.Param("id"))
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	items(c, xs)
}

func (h *HTTP) inbox(c *gin.Context) {
	open := false
	switch c.Query("open") {
	case "", "false", "0":
	case "true", "1":
		open = true
	default:
		httpapi.Error(c, apperr.Invalid("open", "invalid_choice", "use true or false"))
		return
	}
	xs, err := h.svc.Inbox(actor(c), open)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	items(c, xs)
}

func (h *HTTP) answer(c *gin.Context) {
	if err := requireEditor(actor(c)); err != nil {
		httpapi.Error(c, err)
		return
	}
	var in AnswerInput
	if !httpapi.Decode(c, &in) {
		return
	}
	f, err := h.svc.AnswerFeedback(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, f)
}
