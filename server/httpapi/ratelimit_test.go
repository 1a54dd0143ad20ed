package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// TestClientLimiter: a client gets its burst, then 429 problem documents
// with Retry-After; another client is not affected; tokens come back with
// time; quiet clients are forgotten.
func TestClientLimiter(t *testing.T) {
	gin.SetMode(gin.TestMode)
	l := NewClientLimiter(1, 3)
	now := time.Date(2030, 1, 1, 8, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	e := gin.New()
	e.GET("/x", l.Middleware(), func(c *gin.Context) { c.Status(http.StatusNoContent) })
	do := func(addr string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/x", nil)
		r.RemoteAddr = addr + ":1234"
		e.ServeHTTP(w, r)
		return w
	}
	for i := range 3 {
		if w := do("192.0.2.1"); w.Code != http.StatusNoContent {
			t.Fatalf("request %d within the burst: %d", i+1, w.Code)
		}
	}
	w := do("192.0.2.1")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1" || w.Header().Get("Content-Type") != ProblemContentType {
		t.Fatalf("past the burst: %d, Retry-After %q, %s", w.Code, w.Header().Get("Retry-After"), w.Header().Get("Content-Type"))
	}
	if w := do("192.0.2.2"); w.Code != http.StatusNoContent {
		t.Fatalf("another client: %d", w.Code)
	}
	now = now.Add(time.Second)
	if w := do("192.0.2.1"); w.Code != http.StatusNoContent {
		t.Fatalf("a second later: %d", w.Code)
	}
	now = now.Add(idleAfter + 2*time.Minute)
	do("192.0.2.3")
	if n := len(l.clients); n != 1 {
		t.Fatalf("%d buckets kept after the others went quiet, want 1", n)
	}
}
