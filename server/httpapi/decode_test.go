package httpapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

type decodeReq struct {
	Name string `json:"name"`
}

// TestDecodeRefusesWhatIsNotAnObject: null, arrays and scalars are refused
// with a field error instead of being taken as an empty request.
func TestDecodeRefusesWhatIsNotAnObject(t *testing.T) {
	gin.SetMode(gin.TestMode)
	for body, want := range map[string]int{
		`{"name":"x"}`: 200, ` {"name":"x"} `: 200,
		`null`: 422, ` null `: 422, `[]`: 422, `"x"`: 422, `1`: 422, `true`: 422,
		`{"name":"x","extra":1}`: 422, `{"name":1}`: 422,
		``: 400, `{`: 400, `{"name":"x"}]`: 400, `not json`: 400, `[1,`: 400,
	} {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		c.Request.Header.Set("Content-Type", "application/json")
		var r decodeReq
		if Decode(c, &r) {
			c.Status(200)
		}
		if w.Code != want {
			t.Errorf("%q: %d, want %d (%s)", body, w.Code, want, w.Body)
			continue
		}
		if want == 422 {
			var p Problem
			if json.Unmarshal(w.Body.Bytes(), &p) != nil || len(p.Errors) != 1 || w.Header().Get("Content-Type") != ProblemContentType {
				t.Errorf("%q: not a problem with one field error: %s", body, w.Body)
			}
		}
	}
}

// FuzzDecode: whatever the body, Decode either accepts it (writing nothing)
// or answers with a problem document of a client-error status; never a
// panic, never a 5xx.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"name":"x"}`, `null`, `[]`, `{"name":1}`, `{"a":{"b":[1,2,{}]}}`, `{"name":"x"}{}`, "\xff", `{"NAME":"x","name":"y"}`} {
		f.Add(s)
	}
	gin.SetMode(gin.TestMode)
	f.Fuzz(func(t *testing.T, body string) {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		c.Request.Header.Set("Content-Type", "application/json")
		var r decodeReq
		if Decode(c, &r) {
			if w.Body.Len() != 0 {
				t.Fatalf("accepted %q but wrote %s", body, w.Body)
			}
			return
		}
		if w.Code < 400 || w.Code >= 500 || w.Header().Get("Content-Type") != ProblemContentType {
			t.Fatalf("%q: status %d, content type %q", body, w.Code, w.Header().Get("Content-Type"))
		}
	})
}
