package httpapi

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
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
		SendFile(c, `rapport "q1".pdf`, tc.ct, []byte("data"))
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
