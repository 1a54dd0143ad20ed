package accesslog

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
)

// People names users in the review.
type People interface {
	Get(id string) (identity.User, bool)
}

// HTTP exposes GET /access-log to administrators: the NEN 7513 review of
// who accessed which personal data. Reviewing is itself recorded.
type HTTP struct {
	log    *Log
	people People
	now    func() time.Time
}

// NewHTTP builds the handler.
func NewHTTP(l *Log, people People) *HTTP { return &HTTP{log: l, people: people, now: time.Now} }

// Routes registers the route on a group that requires a user.
func (h *HTTP) Routes(api *gin.RouterGroup) { api.GET("/access-log", httpapi.Handle(h.list)) }

// EntryView is an entry as the review shows it.
type EntryView struct {
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	UserID     string    `json:"userId"`
	UserName   string    `json:"userName"`
	Session    string    `json:"session"`
	OnBehalfOf string    `json:"onBehalfOf,omitempty"`
	Action     string    `json:"action"`
	Subject    string    `json:"subject"`
	Route      string    `json:"route"`
	RequestID  string    `json:"requestId"`
	IP         string    `json:"ip"`
}

func (h *HTTP) list(c *gin.Context) error {
	a := identity.ActorFrom(c.Request.Context())
	if a == nil {
		return apperr.ErrUnauthenticated
	}
	if !a.Has(identity.RoleBeheerder) {
		return apperr.Forbidden("admin_only", "only administrators review the access log")
	}
	q, err := h.parse(c)
	if err != nil {
		return err
	}
	page, err := h.log.List(c.Request.Context(), q)
	if err != nil {
		return err
	}
	subject := "access-log " + q.From.Format(time.DateOnly) + ".." + q.To.Format(time.DateOnly)
	if q.UserID != "" {
		subject += " user:" + q.UserID
	}
	if err := h.log.Record(c.Request.Context(), "read", subject); err != nil {
		return err
	}
	out := make([]EntryView, len(page.Items))
	for i, e := range page.Items {
		name := ""
		if u, ok := h.people.Get(e.UserID); ok {
			name = u.Name
		}
		out[i] = EntryView{ID: e.ID, At: e.At, UserID: e.UserID, UserName: name, Session: e.Session, OnBehalfOf: e.OnBehalfOf,
			Action: e.Action, Subject: e.Subject, Route: e.Route, RequestID: e.RequestID, IP: e.IP}
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"items": out, "next": page.Next})
	return nil
}

// parse checks the query string: from and to are dates (YYYY-MM-DD, to
// inclusive; default the last 7 days), at most 31 days apart.
func (h *HTTP) parse(c *gin.Context) (Query, error) {
	var v apperr.Validator
	today := h.now().UTC().Truncate(24 * time.Hour)
	q := Query{To: today.Add(24 * time.Hour), Limit: 50}
	q.From = q.To.Add(-7 * 24 * time.Hour)
	date := func(field string, dst *time.Time, add time.Duration) {
		if s := c.Query(field); s != "" {
			t, err := time.Parse(time.DateOnly, s)
			if v.Check(err == nil, field, "invalid_date", "use a date like 2026-11-23"); err == nil {
				*dst = t.Add(add)
			}
		}
	}
	date("from", &q.From, 0)
	date("to", &q.To, 24*time.Hour)
	if v.Err() == nil {
		v.Check(q.From.Before(q.To), "to", "before_start", "the end comes before the start")
		v.Check(q.To.Sub(q.From) <= MaxSpan, "to", "span_too_long", "choose at most 31 days", apperr.Params{"max": 31})
	}
	if s := c.Query("user"); s != "" {
		v.Check(userRE.MatchString(s), "user", "invalid", "use a user id")
		q.UserID = s
	}
	if s := c.Query("action"); s != "" {
		v.Check(slices.Contains(Actions, s), "action", "invalid", "use "+strings.Join(Actions, ", "))
		q.Action = s
	}
	if s := c.Query("subject"); s != "" {
		v.Check(utf8.RuneCountInString(s) <= 300 && utf8.ValidString(s), "subject", "too_long", "use at most 300 characters", apperr.Params{"max": 300})
		q.Subject = s
	}
	if s := c.Query("before"); s != "" {
		v.Check(idRE.MatchString(s), "before", "invalid", "use the next value of the previous page")
		q.Before = s
	}
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		v.Check(err == nil && n >= 1 && n <= 200, "limit", "out_of_range", "use a number from 1 to 200", apperr.Params{"min": 1, "max": 200})
		q.Limit = n
	}
	return q, v.Err()
}
