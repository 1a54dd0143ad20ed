package accesslog

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
)

// Actions are the recorded kinds of access.
var Actions = []string{"read", "search", "export", "change", "delete", "print", "copy"}

// Query selects entries for review: a period (at most MaxSpan), optionally
// one user, one action, one subject; newest first, paged by Before.
type Query struct {
	From, To time.Time // [From, To)
	UserID   string
	Action   string
	Subject  string
	Before   string // an entry id: only older entries
	Limit    int
}

// MaxSpan bounds a query's period, so a review reads a bounded part of the log.
const MaxSpan = 31 * 24 * time.Hour

// Page is a page of entries, newest first; Next is the Before of the next page.
type Page struct {
	Items []Entry
	Next  string
}

var (
	idRE   = regexp.MustCompile(`^\d{8}T\d{6}\.\d{9}Z-[0-9a-f]{8}$`)
	userRE = regexp.MustCompile(`^u[0-9a-f]{24}$`)
)

func idAt(t time.Time) string { return t.UTC().Format("20060102T150405.000000000Z") }

// List returns entries matching q, newest first. The filter is built here
// from checked values, never from client JSON. It reads the day collections
// from the newest day of the period back, each with the period as an _id
// range (ids start with the time), and stops when the page is full.
func (l *Log) List(ctx context.Context, q Query) (*Page, error) {
	upper := idAt(q.To)
	if q.Before != "" && q.Before < upper {
		upper = q.Before
	}
	filter := bson.D{{Key: "_id", Value: bson.D{{Key: "$gte", Value: idAt(q.From)}, {Key: "$lt", Value: upper}}}}
	if q.UserID != "" {
		filter = append(filter, bson.E{Key: "userId", Value: q.UserID})
	}
	if q.Action != "" {
		filter = append(filter, bson.E{Key: "action", Value: q.Action})
	}
	if q.Subject != "" {
		filter = append(filter, bson.E{Key: "subject", Value: q.Subject})
	}
	var items []Entry
	first := q.From.UTC().Truncate(24 * time.Hour)
	for day := q.To.UTC().Add(-time.Nanosecond).Truncate(24 * time.Hour); !day.Before(first) && len(items) <= q.Limit; day = day.Add(-24 * time.Hour) {
		if idAt(day) >= upper {
			continue // the whole day is after the page's upper bound
		}
		cur, err := l.dayOf(day).Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(q.Limit+1-len(items))))
		if err != nil {
			return nil, fmt.Errorf("%w: access log: %v", apperr.ErrUnavailable, err)
		}
		var got []Entry
		if err := cur.All(ctx, &got); err != nil {
			return nil, fmt.Errorf("%w: access log: %v", apperr.ErrUnavailable, err)
		}
		items = append(items, got...)
	}
	p := &Page{Items: items}
	if len(items) > q.Limit {
		p.Items = items[:q.Limit]
		p.Next = p.Items[q.Limit-1].ID
	}
	return p, nil
}

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
func (h *HTTP) Routes(api *gin.RouterGroup) { api.GET("/access-log", h.list) }

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

func (h *HTTP) list(c *gin.Context) {
	a := identity.ActorFrom(c.Request.Context())
	if a == nil {
		httpapi.Error(c, apperr.ErrUnauthenticated)
		return
	}
	if !a.Has(identity.RoleBeheerder) {
		httpapi.Error(c, apperr.Forbidden("admin_only", "only administrators review the access log"))
		return
	}
	q, err := h.parse(c)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	page, err := h.log.List(c.Request.Context(), q)
	if err != nil {
		httpapi.Error(c, err)
		return
	}
	subject := "access-log " + q.From.Format(time.DateOnly) + ".." + q.To.Format(time.DateOnly)
	if q.UserID != "" {
		subject += " user:" + q.UserID
	}
	if err := h.log.Record(c, "read", subject); err != nil {
		httpapi.Error(c, err)
		return
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
