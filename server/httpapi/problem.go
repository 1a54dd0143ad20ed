// Package httpapi holds what every HTTP handler shares: the Gin engine and its
// middleware, strict JSON decoding, and the one place where domain errors
// become RFC 9457 problem documents. It knows no domain.
package httpapi

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
)

// ProblemContentType is the media type of error responses.
const ProblemContentType = "application/problem+json"

// Problem is an RFC 9457 problem document. Code is the stable refusal code
// the app translates (problem.<code>); Title and Detail are English, for API
// clients and logs. Each field error carries its own code (field.<code>).
type Problem struct {
	Type     string              `json:"type"`
	Code     apperr.Code         `json:"code"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Params   apperr.Params       `json:"params,omitempty"`
	Detail   string              `json:"detail,omitempty"`
	Instance string              `json:"instance,omitempty"`
	Errors   []apperr.FieldError `json:"errors,omitempty"`
	// Findings lists likely client identifiers by field and kind (never
	// the text) for the code "identifier_suspected".
	Findings []identifiers.FieldFinding `json:"findings,omitempty"`
}

// WriteProblem writes p and aborts the request.
func WriteProblem(c *gin.Context, p Problem) {
	if p.Type == "" {
		p.Type = "about:blank"
	}
	if p.Code == "" {
		p.Code = "internal"
	}
	if p.Instance == "" {
		p.Instance = RequestID(c)
	}
	c.Header("Content-Type", ProblemContentType)
	c.Header("Cache-Control", "no-store")
	c.AbortWithStatusJSON(p.Status, p)
}

// Error maps a domain error to a problem response and aborts.
func Error(c *gin.Context, err error) {
	var ve *apperr.ValidationError
	var se *identifiers.SuspectedError
	switch {
	case errors.As(err, &se):
		WriteProblem(c, Problem{Type: "/problems/identifier-suspected", Title: "Possible client identifier", Status: http.StatusUnprocessableEntity,
			Detail: "The text looks like it holds client data (a BSN, a date of birth or an address). Client data belongs in the care record. Change the text, or send it again with acknowledgeIdentifiers set.",
			Code:   "identifier_suspected", Findings: se.Findings})
	case errors.As(err, &ve):
		WriteProblem(c, Problem{Type: "/problems/validation", Code: "validation", Title: "Invalid input", Status: http.StatusUnprocessableEntity,
			Detail: "One or more fields are invalid.", Errors: ve.Fields})
	case errors.Is(err, apperr.ErrUnauthenticated):
		WriteProblem(c, Problem{Type: "/problems/unauthenticated", Code: "unauthenticated", Title: "Not logged in", Status: http.StatusUnauthorized,
			Detail: "Log in to continue."})
	case errors.Is(err, apperr.ErrForbidden):
		WriteProblem(c, Problem{Type: "/problems/forbidden", Title: "Not allowed", Status: http.StatusForbidden,
			Code: apperr.CodeOf(err, "forbidden"), Detail: apperr.Detail(err)})
	case errors.Is(err, apperr.ErrNotFound):
		WriteProblem(c, Problem{Type: "/problems/not-found", Title: "Not found", Status: http.StatusNotFound,
			Code: apperr.CodeOf(err, "not_found"), Detail: apperr.Detail(err)})
	case errors.Is(err, apperr.ErrConflict):
		WriteProblem(c, Problem{Type: "/problems/conflict", Title: "Conflict", Status: http.StatusConflict,
			Code: apperr.CodeOf(err, "conflict"), Detail: apperr.Detail(err)})
	case errors.Is(err, apperr.ErrUnavailable):
		slog.ErrorContext(c.Request.Context(), "dependency unavailable", "err", err)
		WriteProblem(c, Problem{Type: "/problems/unavailable", Code: "unavailable", Title: "Service unavailable", Status: http.StatusServiceUnavailable,
			Detail: "A dependency did not answer. Nothing was changed; try again shortly."})
	default:
		slog.ErrorContext(c.Request.Context(), "internal error", "err", err)
		WriteProblem(c, Problem{Type: "/problems/internal", Code: "internal", Title: "Internal error", Status: http.StatusInternalServerError})
	}
}

// Handle adapts a handler that returns an error: a nil error means the
// handler wrote its response; any other error is mapped by Error, in this one
// place, so no handler repeats the mapping call.
func Handle(h func(c *gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			Error(c, err)
		}
	}
}
