package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
)

// TestErrorCarriesCodes: every problem names a stable code, the specific one
// a call site gave or the generic one of its kind, and every field error
// its own code and params; the English title and detail stay for API clients.
func TestErrorCarriesCodes(t *testing.T) {
	gin.SetMode(gin.TestMode)
	var v apperr.Validator
	v.Check(false, "title", "too_long", "at most 200 characters", apperr.Params{"max": 200})
	v.Check(true, "body", "required", "is required")
	v.Add("visibility", "invalid_choice", "use team or organisation")
	for _, tc := range []struct {
		err        error
		status     int
		code       string
		detail     string
		fieldCodes string
	}{
		{v.Err(), 422, "validation", "One or more fields are invalid.", "[title:too_long map[max:200] visibility:invalid_choice map[]]"},
		{apperr.Invalid("file", "file_type_refused", "this kind of file is not accepted"), 422, "validation", "One or more fields are invalid.", "[file:file_type_refused map[]]"},
		{apperr.Forbidden("self_approval", "you cannot approve your own change"), 403, "self_approval", "you cannot approve your own change", "[]"},
		{fmt.Errorf("wrapped: %w", apperr.Conflict("stale_version", "reload")), 409, "stale_version", "reload", "[]"},
		{apperr.ErrForbidden, 403, "forbidden", "", "[]"},
		{apperr.ErrNotFound, 404, "not_found", "", "[]"},
		{apperr.ErrUnauthenticated, 401, "unauthenticated", "Log in to continue.", "[]"},
		{errors.New("boom"), 500, "internal", "", "[]"},
	} {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest("POST", "/", nil)
		Error(c, tc.err)
		var p struct {
			Code, Title, Detail string
			Errors              []struct {
				Field, Code, Message string
				Params               map[string]any
			}
		}
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		fields := "["
		for i, fe := range p.Errors {
			if i > 0 {
				fields += " "
			}
			if fe.Message == "" {
				t.Errorf("%v: field %s lost its English message", tc.err, fe.Field)
			}
			fields += fmt.Sprintf("%s:%s %v", fe.Field, fe.Code, fe.Params)
		}
		fields += "]"
		if w.Code != tc.status || p.Code != tc.code || p.Detail != tc.detail || p.Title == "" || fields != tc.fieldCodes {
			t.Errorf("%v: %d %q %q %q %s, want %d %q %q %s", tc.err, w.Code, p.Code, p.Title, p.Detail, fields, tc.status, tc.code, tc.detail, tc.fieldCodes)
		}
	}
}
