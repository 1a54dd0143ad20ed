package globalsearch

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
)

// AccessLogger records access to personal data.
type AccessLogger = httpapi.AccessLogger

// HTTP exposes GET /search.
type HTTP struct {
	svc    *Service
	access AccessLogger
}

// NewHTTP builds the handler.
func NewHTTP(svc *Service, access AccessLogger) *HTTP { return &HTTP{svc: svc, access: access} }

// Routes registers the route on a group that requires a user.
func (h *HTTP) Routes(api *gin.RouterGroup) { api.GET("/search", httpapi.Handle(h.search)) }

func (h *HTTP) search(c *gin.Context) error {
	q := Query{Text: c.Query("q"), Limit: 5}
	var v apperr.Validator
	if t := c.Query("types"); t != "" {
		q.Types = strings.Split(t, ",")
	}
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		v.Check(err == nil && n >= 1 && n <= 50, "limit", "out_of_range", "use a number from 1 to 50", apperr.Params{"min": 1, "max": 50})
		q.Limit = n
	}
	if s := c.Query("offset"); s != "" {
		n, err := strconv.Atoi(s)
		v.Check(err == nil && n >= 0 && n <= 10_000, "offset", "out_of_range", "use a number from 0 to 10000", apperr.Params{"min": 0, "max": 10000})
		q.Offset = n
	}
	if err := v.Err(); err != nil {
		return err
	}
	groups, err := h.svc.Search(c.Request.Context(), identity.ActorFrom(c.Request.Context()), q)
	if err != nil {
		return err
	}
	// Searching people, posts and chat messages is a search of personal
	// data: record that it happened and what was searched for (NEN 7513).
	if err := h.access.Record(c.Request.Context(), "search", "global:"+strings.Join(q.Types, ",")+" q="+strconv.Quote(q.Text)); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"query": q.Text, "groups": groups})
	return nil
}
