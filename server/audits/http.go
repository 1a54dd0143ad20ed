package audits

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
)

// AccessLogger records access to personal data (NEN 7513).
type AccessLogger interface {
	Record(c *gin.Context, action, subject string) error
}

// PhotoRoute is the upload route (its larger body limit is set in app.go).
const PhotoRoute = "/audits/:id/photos"

// MaxPhotoBody is the photo route's body limit: the photo plus the form.
const MaxPhotoBody = MaxPhotoBytes + 64<<10

// HTTP exposes audits over HTTP.
type HTTP struct {
	svc    *Service
	access AccessLogger
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, access AccessLogger) *HTTP { return &HTTP{svc: svc, access: access} }

// Routes registers the routes on a group that already requires a user.
func (h *HTTP) Routes(api *gin.RouterGroup) {
	g := api.Group("/audits")
	g.GET("/templates", httpapi.Handle(h.templates))
	g.GET("/templates/:id", httpapi.Handle(h.template))
	g.POST("/templates", httpapi.Handle(h.createTemplate))
	g.GET("/auditors", httpapi.Handle(h.auditors))
	g.PUT("/auditors/:userId", httpapi.Handle(h.setAuditor))
	g.GET("/rounds", httpapi.Handle(h.rounds))
	g.POST("/rounds", httpapi.Handle(h.createRound))
	g.GET("/rounds/:id", httpapi.Handle(h.round))
	g.PUT("/rounds/:id/assignments", httpapi.Handle(h.setAssignments))
	g.POST("/rounds/:id/open", httpapi.Handle(h.openRound))
	g.GET("/mine", httpapi.Handle(h.mine))
	g.GET("", httpapi.Handle(h.list))
	g.GET("/:id", httpapi.Handle(h.get))
	g.POST("/:id/answers", httpapi.Handle(h.answer))
	g.POST("/:id/photos", httpapi.Handle(h.addPhoto))
	g.GET("/:id/photos/:photoId", httpapi.Handle(h.photo))
	g.POST("/:id/finish", httpapi.Handle(h.finish))
	g.POST("/:id/corrections", httpapi.Handle(h.correct))
	g.POST("/:id/actions", httpapi.Handle(h.createAction))
	g.GET("/actions", httpapi.Handle(h.actions))
	g.GET("/actions/:id", httpapi.Handle(h.action))
	g.PATCH("/actions/:id", httpapi.Handle(h.updateAction))
	g.GET("/teams/:id", httpapi.Handle(h.team))
	g.GET("/regions/:id", httpapi.Handle(h.region))
	g.GET("/reports/rounds", httpapi.Handle(h.roundsReport))
	g.GET("/reports/heatmap", httpapi.Handle(h.heatmap))
	g.GET("/reports/criteria/:key", httpapi.Handle(h.criterion))
	g.GET("/reports/export.csv", httpapi.Handle(h.exportCSV))
}

func actor(c *gin.Context) *identity.Actor { return identity.ActorFrom(c.Request.Context()) }

func (h *HTTP) templates(c *gin.Context) error {
	v, err := h.svc.Templates(actor(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": v})
	return nil
}

func (h *HTTP) template(c *gin.Context) error {
	v, err := h.svc.Template(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) createTemplate(c *gin.Context) error {
	if !canPlan(actor(c)) {
		return apperr.Forbidden("forbidden", "only quality & safety (support services) and administrators change templates")
	}
	var in TemplateInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.CreateTemplateVersion(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, v)
	return nil
}

func (h *HTTP) auditors(c *gin.Context) error {
	v, err := h.svc.Auditors(actor(c))
	if err != nil {
		return err
	}
	if err := h.access.Record(c, "read", "audits:auditors"); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": v})
	return nil
}

func (h *HTTP) setAuditor(c *gin.Context) error {
	if !canPlan(actor(c)) {
		return apperr.Forbidden("forbidden", "only planners set auditors' regions")
	}
	var in AuditorInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.SetAuditorRegion(c.Request.Context(), actor(c), c.Param("userId"), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) rounds(c *gin.Context) error {
	v, err := h.svc.Rounds(actor(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": v})
	return nil
}

func (h *HTTP) createRound(c *gin.Context) error {
	if !canPlan(actor(c)) {
		return apperr.Forbidden("forbidden", "only quality & safety (support services) and administrators plan rounds")
	}
	var in RoundInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.CreateRound(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, v)
	return nil
}

func (h *HTTP) round(c *gin.Context) error {
	v, err := h.svc.GetRound(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if err := h.access.Record(c, "read", "audits:round:"+v.ID+" assignment"); err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) setAssignments(c *gin.Context) error {
	if !canPlan(actor(c)) {
		return apperr.Forbidden("forbidden", "only planners adjust an assignment")
	}
	var in AssignmentsInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.SetAssignments(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) openRound(c *gin.Context) error {
	v, err := h.svc.OpenRound(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) mine(c *gin.Context) error {
	v, err := h.svc.Mine(actor(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) list(c *gin.Context) error {
	v, err := h.svc.List(actor(c), AuditQuery{RoundID: c.Query("round"), TeamID: c.Query("team"), RegionID: c.Query("region"), Status: c.Query("status")})
	if err != nil {
		return err
	}
	if err := h.access.Record(c, "search", "audits"); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": v})
	return nil
}

func (h *HTTP) get(c *gin.Context) error {
	v, err := h.svc.Get(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if err := h.access.Record(c, "read", "audits:audit:"+v.ID); err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) answer(c *gin.Context) error {
	var in AnswersInput
	au, _, err := h.svc.lookup(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if au.AuditorID != actor(c).UserID {
		return apperr.Forbidden("forbidden", "only the auditor answers")
	}
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.Answer(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) addPhoto(c *gin.Context) error {
	au, _, err := h.svc.lookup(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if au.AuditorID != actor(c).UserID {
		return apperr.Forbidden("forbidden", "only the auditor adds evidence")
	}
	up, vals, ok := httpapi.ReadMultipart(c, MaxPhotoBytes, "criterion", "clientId")
	if !ok {
		return nil
	}
	p, err := h.svc.AddPhoto(c.Request.Context(), actor(c), c.Param("id"), PhotoInput{Criterion: vals["criterion"], ClientID: vals["clientId"], Name: up.Name, Data: up.Data})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, p)
	return nil
}

func (h *HTTP) photo(c *gin.Context) error {
	p, f, body, err := h.svc.Photo(c.Request.Context(), actor(c), c.Param("id"), c.Param("photoId"))
	if err != nil {
		return err
	}
	defer body.Close()
	if err := h.access.Record(c, "read", "audits:audit:"+c.Param("id")+" photo "+p.ID); err != nil {
		return err
	}
	httpapi.SendFile(c, p.Name, p.ContentType, f.UploadDate, body)
	return nil
}

func (h *HTTP) finish(c *gin.Context) error {
	var in FinishInput
	au, _, err := h.svc.lookup(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if au.AuditorID != actor(c).UserID {
		return apperr.Forbidden("forbidden", "only the auditor finishes the audit")
	}
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.Finish(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) correct(c *gin.Context) error {
	var in CorrectionInput
	au, _, err := h.svc.lookup(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if au.AuditorID != actor(c).UserID && !seesAll(actor(c)) {
		return apperr.Forbidden("forbidden", "only the auditor, quality & safety or an administrator corrects an audit")
	}
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.Correct(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, v)
	return nil
}

func (h *HTTP) createAction(c *gin.Context) error {
	var in ActionInput
	au, vw, err := h.svc.lookup(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if !h.svc.canAddAction(vw, au) {
		return apperr.Forbidden("forbidden", "only the auditor, the team, the region and quality & safety add actions")
	}
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, created, err := h.svc.CreateAction(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, v)
	return nil
}

func (h *HTTP) actions(c *gin.Context) error {
	v, err := h.svc.Actions(actor(c), ActionQuery{TeamID: c.Query("team"), RegionID: c.Query("region"), Status: c.Query("status"),
		Overdue: c.Query("overdue") == "true", Mine: c.Query("mine") == "true"})
	if err != nil {
		return err
	}
	if err := h.access.Record(c, "search", "audits:actions"); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": v})
	return nil
}

func (h *HTTP) action(c *gin.Context) error {
	v, err := h.svc.GetAction(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if err := h.access.Record(c, "read", "audits:action:"+v.ID); err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) updateAction(c *gin.Context) error {
	var in ActionUpdate
	if _, _, err := h.svc.lookupAction(actor(c), c.Param("id")); err != nil {
		return err
	}
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.UpdateAction(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) team(c *gin.Context) error {
	v, err := h.svc.Team(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if err := h.access.Record(c, "read", "audits:team:"+v.TeamID); err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) region(c *gin.Context) error {
	v, err := h.svc.Region(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if err := h.access.Record(c, "read", "audits:region:"+v.RegionID); err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) roundsReport(c *gin.Context) error {
	v, themes, err := h.svc.RoundsReport(actor(c), c.Query("region"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": v, "themes": themes})
	return nil
}

func (h *HTTP) heatmap(c *gin.Context) error {
	v, err := h.svc.HeatmapFor(actor(c), c.Query("round"), c.Query("region"))
	if err != nil {
		return err
	}
	if err := h.access.Record(c, "read", "audits:heatmap:"+v.Round.ID); err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) criterion(c *gin.Context) error {
	v, err := h.svc.CriterionOverTime(actor(c), c.Param("key"), c.Query("region"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) exportCSV(c *gin.Context) error {
	round := c.Query("round")
	b, err := h.svc.ExportCSV(actor(c), round)
	if err != nil {
		return err
	}
	if err := h.access.Record(c, "export", "audits:answers "+round); err != nil {
		return err
	}
	name := "audits.csv"
	if round != "" {
		name = "audits-" + round + ".csv"
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", b)
	return nil
}
