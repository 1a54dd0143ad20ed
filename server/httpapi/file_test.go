package httpapi

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

func TestSendFile(t *testing.T) {
	cases := []struct {
		ct, disp, csp, frame string
	}{
		{"application/pdf", "inline", PDFCSP, "SAMEORIGIN"},
		{"image/png", "inline", FileCSP, "DENY"},
		{"image/svg+xml", "attachment", FileCSP, "DENY"}, // never accepted at upload; refused inline all the same
		{"text/html", "attachment", FileCSP, "DENY"},
		{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "attachment", FileCSP, "DENY"},
	}
	for _, tc := range cases {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest("GET", "/f", nil)
		SendFile(c, `rapport "q1".pdf`, tc.ct, time.Time{}, strings.NewReader("data"))
		h := w.Header()
		if !strings.HasPrefix(h.Get("Content-Disposition"), tc.disp+";") || !strings.Contains(h.Get("Content-Disposition"), `filename="rapport \"q1\".pdf"`) {
			t.Errorf("%s: Content-Disposition %q", tc.ct, h.Get("Content-Disposition"))
		}
		if h.Get("Content-Security-Policy") != tc.csp || h.Get("X-Frame-Options") != tc.frame || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Cache-Control") != "private, no-store" || h.Get("Content-Type") != tc.ct {
			t.Errorf("%s: headers %v", tc.ct, h)
		}
	}
	// Only PDF may be framed, and only by Plein itself; nothing is ever
	// script-capable in Plein's origin.
	if !strings.Contains(PDFCSP, "frame-ancestors 'self'") || !strings.Contains(PDFCSP, "default-src 'none'") || strings.Contains(PDFCSP, "script-src") {
		t.Errorf("PDF policy %q", PDFCSP)
	}
	if !strings.HasPrefix(FileCSP, "sandbox;") || !strings.Contains(FileCSP, "frame-ancestors 'none'") {
		t.Errorf("file policy %q", FileCSP)
	}
}

// Range requests: 206 with the asked bytes, the security headers kept.
func TestSendFileRange(t *testing.T) {
	body := strings.Repeat("0123456789", 100)
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest("GET", "/f", nil)
	c.Request.Header.Set("Range", "bytes=10-19")
	SendFile(c, "x.bin", "application/octet-stream", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), strings.NewReader(body))
	h := w.Header()
	if w.Code != 206 || w.Body.String() != body[10:20] || h.Get("Content-Range") != "bytes 10-19/1000" {
		t.Fatalf("range: %d %q %v", w.Code, w.Body.String(), h)
	}
	if h.Get("Content-Type") != "application/octet-stream" || h.Get("X-Content-Type-Options") != "nosniff" ||
		h.Get("Cache-Control") != "private, no-store" || h.Get("Content-Security-Policy") != FileCSP ||
		!strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") || h.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("range headers: %v", h)
	}
	// A whole download: 200, every byte, its length.
	w = httptest.NewRecorder()
	c, _ = gin.CreateTestContext(w)
	c.Request = httptest.NewRequest("GET", "/f", nil)
	SendFile(c, "x.bin", "application/octet-stream", time.Time{}, strings.NewReader(body))
	if w.Code != 200 || w.Body.String() != body || w.Header().Get("Content-Length") != "1000" {
		t.Fatalf("whole: %d %d %v", w.Code, w.Body.Len(), w.Header())
	}
}

type damaged struct{}

func (damaged) Error() string { return "digest mismatch" }
func (damaged) Damaged() bool { return true }

// failingEnd reads like strings.Reader but fails instead of handing out the
// last 100 bytes, as blob's digest check does with a damaged file.
type failingEnd struct {
	*strings.Reader
	size int64
}

func (f *failingEnd) Read(p []byte) (int, error) {
	pos := f.size - int64(f.Len())
	if pos+int64(len(p)) > f.size-100 {
		if pos >= f.size-100 {
			return 0, damaged{}
		}
		p = p[:f.size-100-pos]
	}
	return f.Reader.Read(p)
}

// A download whose bytes turn out damaged half-way is cut off: the client
// gets an error, never a complete body; the abort is counted and logged.
func TestSendFileAbortsOnDamage(t *testing.T) {
	var logs bytes.Buffer
	reg := prometheus.NewRegistry()
	e, err := NewEngine(Options{Registry: reg, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("x", 200_000)
	e.GET("/f", func(c *gin.Context) {
		SendFile(c, "x.bin", "application/octet-stream", time.Time{}, &failingEnd{strings.NewReader(body), int64(len(body))})
	})
	srv := httptest.NewServer(e)
	defer srv.Close()
	before := abortsCounted(t, reg, "damaged")
	resp, err := http.Get(srv.URL + "/f")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil || len(got) == len(body) {
		t.Fatalf("damaged download: %d of %d bytes, err %v", len(got), len(body), err)
	}
	// Close waits for the handler to finish: it has counted and logged by then.
	srv.Close()
	if n := abortsCounted(t, reg, "damaged") - before; n != 1 {
		t.Fatalf("aborts counted: %v", n)
	}
	if !strings.Contains(logs.String(), "digest mismatch") {
		t.Fatalf("abort not logged: %s", logs.String())
	}
}

func abortsCounted(t *testing.T, reg *prometheus.Registry, reason string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "plein_download_aborts_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "reason" && l.GetValue() == reason {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}
