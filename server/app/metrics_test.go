package app_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/plein/plein/server/app/apptest"
)

// TestMetricsCanLeaveThePublicPort: with PLEIN_METRICS_LISTEN the public
// listener does not serve the metrics (cmd/plein serves App.Metrics on the
// internal address); without it, it does (one machine behind a proxy).
func TestMetricsCanLeaveThePublicPort(t *testing.T) {
	t.Parallel()
	const metric = "plein_http_request_duration_seconds"
	for _, moved := range []bool{false, true} {
		var env []string
		if moved {
			env = []string{"PLEIN_METRICS_LISTEN", "127.0.0.1:1"}
		}
		srv := apptest.Start(t, env...)
		c := srv.NewClient(t)
		c.Do("GET", "/healthz", nil) // one request, so the histogram has a line
		_, body := c.Do("GET", "/metrics", nil)
		if public := strings.Contains(string(body), metric); public == moved {
			t.Errorf("PLEIN_METRICS_LISTEN set: %v; metrics on the public port: %v", moved, public)
		}
		w := httptest.NewRecorder()
		srv.App.Metrics.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
		if !strings.Contains(w.Body.String(), metric) || !strings.Contains(w.Body.String(), "plein_store_scans_total") {
			t.Errorf("the metrics handler lacks %s or the store's scans:\n%.300s", metric, w.Body.String())
		}
	}
}
