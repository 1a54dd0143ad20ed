package changelog

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
)

// AccessLogger records access to personal data: the change log names
// people and what was done to their accounts.
type AccessLogger = httpapi.AccessLogger

// HTTP exposes the change log to administrators.
type HTTP struct {
	log    *Log
	access AccessLogger
}

// NewHTTP builds the handler.
func NewHTTP(l *Log, access AccessLogger) *HTTP { return &HTTP{log: l, access: access} }

// Routes registers GET /admin/changes on a group that requires a user.
func (h *HTTP) Routes(api *gin.RouterGroup) { api.GET("/admin/changes", httpapi.Handle(h.list)) }

// Limits of a page.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

func (h *HTTP) list(c *gin.Context) error {
	if !identity.ActorFrom(c.Request.Context()).Has(identity.RoleBeheerder) {
		return apperr.Forbidden("admin_only", "only administrators read the change log")
	}
	var v apperr.Validator
	before := c.Query("before")
	v.Check(before == "" || ValidID(before), "before", "invalid", "use the next value of the previous page")
	limit := DefaultLimit
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		v.Check(err == nil && n >= 1 && n <= MaxLimit, "limit", "out_of_range", "use a number from 1 to 200", apperr.Params{"min": 1, "max": MaxLimit})
		limit = n
	}
	if err := v.Err(); err != nil {
		return err
	}
	page, err := h.log.List(c.Request.Context(), before, limit)
	if err != nil {
		return err
	}
	if err := h.access.Record(c.Request.Context(), "read", "admin change log"); err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, page)
	return nil
}
