package httpapi

import (
	"context"
	"errors"
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

type fakeShared struct {
	allow bool
	err   error
	keys  []string
}

func (f *fakeShared) Take(_ context.Context, key string, _ float64, _ int) (bool, time.Duration, error) {
	f.keys = append(f.keys, key)
	return f.allow, 2 * time.Second, f.err
}

// With shared limits (Redis) the shared bucket decides, keyed by the limit
// and the client; when it fails, the instance's own bucket does.
func TestClientLimiterShared(t *testing.T) {
	shared := &fakeShared{}
	e := gin.New()
	UseSharedLimits(e, shared)
	e.GET("/x", NewClientLimiter(1, 1).Middleware(), func(c *gin.Context) { c.Status(204) })
	get := func() *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		e.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
		return w
	}
	if w := get(); w.Code != 429 || w.Header().Get("Retry-After") != "2" {
		t.Fatalf("shared bucket empty: %d %v", w.Code, w.Header())
	}
	if len(shared.keys) != 1 || shared.keys[0] != "1/1:192.0.2.1" {
		t.Fatalf("keys %v", shared.keys)
	}
	shared.allow = true
	if w := get(); w.Code != 204 {
		t.Fatalf("shared bucket allows: %d", w.Code)
	}
	// Redis gone: the local bucket (burst 1) allows one, then refuses.
	shared.err = errors.New("redis down")
	if w := get(); w.Code != 204 {
		t.Fatalf("fallback, first: %d", w.Code)
	}
	if w := get(); w.Code != 429 {
		t.Fatalf("fallback, second: %d", w.Code)
	}
}
