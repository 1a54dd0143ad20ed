package learning

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
)

// AccessLogger records access to personal data (NEN 7513).
type AccessLogger interface {
	Record(ctx context.Context, action, subject string) error
}

// HTTP exposes the learning programme under /api/v1/learning.
type HTTP struct {
	svc    *Service
	access AccessLogger
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, access AccessLogger) *HTTP { return &HTTP{svc: svc, access: access} }

// Routes registers the routes on a group that already requires a user.
func (h *HTTP) Routes(api *gin.RouterGroup) {
	g := api.Group("/learning")
	g.GET("/me", httpapi.Handle(h.me))
	g.GET("/settings", httpapi.Handle(h.getSettings))
	g.PUT("/settings", httpapi.Handle(h.putSettings))
	g.GET("/programmes", httpapi.Handle(h.programmes))
	g.POST("/programmes", httpapi.Handle(h.createProgramme))
	g.GET("/programmes/:id", httpapi.Handle(h.programme))
	g.PUT("/programmes/:id", httpapi.Handle(h.updateProgramme))
	g.GET("/cohorts", httpapi.Handle(h.cohorts))
	g.POST("/cohorts", httpapi.Handle(h.createCohort))
	g.GET("/cohorts/:id", httpapi.Handle(h.cohort))
	g.GET("/teams/:id", httpapi.Handle(h.team))
	g.GET("/teams/:id/panel", httpapi.Handle(h.panel))
	g.PUT("/teams/:id/coach", httpapi.Handle(h.setCoach))
	g.PUT("/teams/:id/modules/:module", httpapi.Handle(h.updateModule))
	g.GET("/teams/:id/reflections", httpapi.Handle(h.reflections))
	g.PUT("/teams/:id/reflections/:module", httpapi.Handle(h.reflect))
	g.PUT("/teams/:id/reflections/:module/reply", httpapi.Handle(h.reply))
	g.GET("/teams/:id/scans", httpapi.Handle(h.scans))
	g.POST("/teams/:id/scans", httpapi.Handle(h.openScan))
	g.GET("/scan-questions", httpapi.Handle(h.questions))
	g.POST("/scans/:id/answers", httpapi.Handle(h.answer))
	g.PUT("/scans/:id/observation", httpapi.Handle(h.observe))
	g.POST("/scans/:id/close", httpapi.Handle(h.closeScan))
	g.GET("/sessions", httpapi.Handle(h.sessions))
	g.POST("/sessions", httpapi.Handle(h.createSession))
	g.GET("/sessions/:id", httpapi.Handle(h.session))
	g.PUT("/sessions/:id/attendance", httpapi.Handle(h.attendance))
	g.POST("/sessions/:id/checkin", httpapi.Handle(h.checkIn))
	g.GET("/board", httpapi.Handle(h.board))
	g.GET("/yield", httpapi.Handle(h.yield))
	g.GET("/yield.csv", httpapi.Handle(h.yieldCSV))
}

func actor(c *gin.Context) *identity.Actor { return identity.ActorFrom(c.Request.Context()) }

func ok(c *gin.Context, v any) error {
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) me(c *gin.Context) error {
	v, err := h.svc.Me(actor(c))
	if err != nil {
		return err
	}
	return ok(c, v)
}

func (h *HTTP) getSettings(c *gin.Context) error {
	v, err := h.svc.Settings(actor(c))
	if err != nil {
		return err
	}
	return ok(c, v)
}

func (h *HTTP) putSettings(c *gin.Context) error {
	var in SettingsInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.UpdateSettings(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	return ok(c, v)
}

func (h *HTTP) programmes(c *gin.Context) error {
	items, err := h.svc.Programmes(actor(c))
	if err != nil {
		return err
	}
	return ok(c, gin.H{"items": items})
}

func (h *HTTP) programme(c *gin.Context) error {
	version := 0
	if s := c.Query("version"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			var v apperr.Validator
			v.Add("version", "invalid", "use a version number from 1")
			return v.Err()
		}
		version = n
	}
	p, err := h.svc.Programme(actor(c), c.Param("id"), version)
	if err != nil {
		return err
	}
	return ok(c, p)
}

func (h *HTTP) createProgramme(c *gin.Context) error {
	var in ProgrammeInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	p, err := h.svc.CreateProgramme(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, p)
	return nil
}

func (h *HTTP) updateProgramme(c *gin.Context) error {
	var in ProgrammeInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	p, err := h.svc.UpdateProgramme(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return ok(c, p)
}

func (h *HTTP) cohorts(c *gin.Context) error {
	items, err := h.svc.Cohorts(actor(c))
	if err != nil {
		return err
	}
	return ok(c, gin.H{"items": items})
}

func (h *HTTP) cohort(c *gin.Context) error {
	v, err := h.svc.CohortByID(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, v)
}

func (h *HTTP) createCohort(c *gin.Context) error {
	var in CohortInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.CreateCohort(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, v)
	return nil
}

func (h *HTTP) team(c *gin.Context) error {
	v, err := h.svc.Team(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if v.SeesPrivate {
		// The attendance rate and scan respondents are about the team's people.
		if err := h.access.Record(c.Request.Context(), "read", "learning:team:"+v.Team.ID+" attendance and scans"); err != nil {
			return err
		}
	}
	return ok(c, v)
}

func (h *HTTP) panel(c *gin.Context) error {
	v, err := h.svc.Panel(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, v)
}

func (h *HTTP) setCoach(c *gin.Context) error {
	var in CoachInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.SetCoach(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return ok(c, v)
}

func (h *HTTP) updateModule(c *gin.Context) error {
	var in ModuleInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.UpdateModule(c.Request.Context(), actor(c), c.Param("id"), c.Param("module"), in)
	if err != nil {
		return err
	}
	return ok(c, v)
}

func (h *HTTP) reflections(c *gin.Context) error {
	items, err := h.svc.Reflections(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if err := h.access.Record(c.Request.Context(), "read", "learning:team:"+c.Param("id")+" reflections"); err != nil {
		return err
	}
	return ok(c, gin.H{"items": items})
}

func (h *HTTP) reflect(c *gin.Context) error { return h.writeReflection(c, false) }
func (h *HTTP) reply(c *gin.Context) error   { return h.writeReflection(c, true) }

func (h *HTTP) writeReflection(c *gin.Context, reply bool) error {
	var in TextInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.Reflect(c.Request.Context(), actor(c), c.Param("id"), c.Param("module"), in, reply)
	if err != nil {
		return err
	}
	return ok(c, v)
}

func (h *HTTP) questions(c *gin.Context) error {
	items, err := h.svc.Questionnaire(actor(c))
	if err != nil {
		return err
	}
	return ok(c, gin.H{"themes": items, "phases": PhaseNames[1:], "minRespondents": MinRespondents})
}

func (h *HTTP) scans(c *gin.Context) error {
	items, err := h.svc.Scans(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if err := h.access.Record(c.Request.Context(), "read", "learning:team:"+c.Param("id")+" scans"); err != nil {
		return err
	}
	return ok(c, gin.H{"items": items})
}

func (h *HTTP) openScan(c *gin.Context) error {
	var in OpenScanInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.OpenScan(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, v)
	return nil
}

func (h *HTTP) answer(c *gin.Context) error {
	var in AnswerInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.Answer(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return ok(c, v)
}

func (h *HTTP) observe(c *gin.Context) error {
	var in ObservationInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.Observe(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return ok(c, v)
}

func (h *HTTP) closeScan(c *gin.Context) error {
	v, err := h.svc.Close(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, v)
}

func (h *HTTP) sessions(c *gin.Context) error {
	var v apperr.Validator
	now := h.svc.now()
	q := SessionQuery{TeamID: c.Query("team"), From: now.AddDate(0, 0, -90), To: now.AddDate(0, 6, 0)}
	if s := c.Query("from"); s != "" {
		t, err := time.Parse("2006-01-02", s)
		v.Check(err == nil, "from", "invalid_date", "use a date such as 2026-12-01")
		q.From = t
	}
	if s := c.Query("to"); s != "" {
		t, err := time.Parse("2006-01-02", s)
		v.Check(err == nil, "to", "invalid_date", "use a date such as 2026-12-31")
		q.To = t.AddDate(0, 0, 1)
	}
	if v.Err() == nil {
		v.Check(!q.To.Before(q.From), "to", "before_start", "cannot be before from")
		v.Check(q.To.Sub(q.From) <= 800*24*time.Hour, "to", "span_too_long", "ask for at most 800 days at once", apperr.Params{"max": 800})
	}
	if err := v.Err(); err != nil {
		return err
	}
	items, err := h.svc.Sessions(actor(c), q)
	if err != nil {
		return err
	}
	return ok(c, gin.H{"items": items})
}

func (h *HTTP) session(c *gin.Context) error {
	v, err := h.svc.SessionByID(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	if v.Attendees != nil {
		if err := h.access.Record(c.Request.Context(), "read", "learning:session:"+v.ID+" attendance"); err != nil {
			return err
		}
	}
	return ok(c, v)
}

func (h *HTTP) createSession(c *gin.Context) error {
	var in SessionInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.CreateSession(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, v)
	return nil
}

func (h *HTTP) attendance(c *gin.Context) error {
	var in AttendanceInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.RecordAttendance(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	if err := h.access.Record(c.Request.Context(), "change", "learning:session:"+v.ID+" attendance"); err != nil {
		return err
	}
	return ok(c, v)
}

func (h *HTTP) checkIn(c *gin.Context) error {
	v, err := h.svc.CheckIn(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return ok(c, v)
}

func (h *HTTP) board(c *gin.Context) error {
	q := BoardQuery{CoachID: c.Query("coach"), Sort: c.Query("sort"), Order: c.Query("order"), Filter: c.Query("filter"), Q: c.Query("q")}
	v, err := h.svc.Board(actor(c), q)
	if err != nil {
		return err
	}
	if err := h.access.Record(c.Request.Context(), "read", "learning:board:"+v.Coach.ID+" attendance and scan status"); err != nil {
		return err
	}
	return ok(c, v)
}

func (h *HTTP) yieldQuery(c *gin.Context) (*Yield, error) {
	return h.svc.Yield(actor(c), YieldQuery{Level: c.Query("level"), ID: c.Query("id")})
}

func (h *HTTP) yield(c *gin.Context) error {
	v, err := h.yieldQuery(c)
	if err != nil {
		return err
	}
	if v.Level != LevelOrganisation {
		// Per-team figures (absence, productivity) are personal data in a small team.
		if err := h.access.Record(c.Request.Context(), "read", "learning:yield:"+v.Level+":"+v.ID+" team figures"); err != nil {
			return err
		}
	}
	return ok(c, v)
}

func (h *HTTP) yieldCSV(c *gin.Context) error {
	v, err := h.yieldQuery(c)
	if err != nil {
		return err
	}
	// Team figures (absence, productivity) count as personal data in a small team.
	if err := h.access.Record(c.Request.Context(), "export", "learning:yield:"+v.Level+":"+v.ID); err != nil {
		return err
	}
	name := "opbrengst-" + v.Level
	if v.ID != "" {
		name += "-" + v.ID
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", YieldCSV(v))
	return nil
}
