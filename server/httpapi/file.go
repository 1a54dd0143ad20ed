package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// Policies for stored files (uploads): whatever a file holds, it runs no
// script in Plein's origin and is never sniffed into another type.
const (
	// FileCSP: downloads and images. A sandboxed, unique origin.
	FileCSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"
	// PDFCSP: PDF shown in the browser's own viewer, framed by Plein's
	// pages only. Browsers refuse to show a PDF in a sandboxed document, so
	// no sandbox here; the viewer runs no script of the page's origin and
	// default-src 'none' forbids the document any other load. object-src
	// 'self' lets the viewer embed the file itself.
	PDFCSP = "default-src 'none'; object-src 'self'; frame-ancestors 'self'"
)

// SendFile answers with a stored file: images and PDF inline (a preview),
// anything else as a download; never cached by shared caches, never sniffed.
// contentType must be the one decided from the bytes at upload (blob.Sniff).
// The body is streamed with http.ServeContent, so Range and If-Range
// requests work and the file is never held in memory; modtime (zero: none)
// is its Last-Modified. The caller closes body.
//
// A read error once the answer has begun (a damaged file: blob's reader
// checks the SHA-256 and fails before its last bytes; a chunk gone; the
// store lost) aborts the answer: the connection is cut, so the client never
// holds a complete-looking file (the body is shorter than its
// Content-Length, or a chunked body has no final chunk). It is counted in
// plein_download_aborts_total{reason} and logged by the engine.
func SendFile(c *gin.Context, name, contentType string, modtime time.Time, body io.ReadSeeker) {
	disp, csp, frame := "attachment", FileCSP, "DENY"
	switch {
	case strings.HasPrefix(contentType, "image/") && contentType != "image/svg+xml":
		disp = "inline"
	case contentType == "application/pdf":
		disp, csp, frame = "inline", PDFCSP, "SAMEORIGIN"
	}
	if v := mime.FormatMediaType(disp, map[string]string{"filename": name}); v != "" {
		disp = v
	}
	h := c.Writer.Header()
	h.Set("Content-Disposition", disp)
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Frame-Options", frame)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Type", contentType) // ServeContent sniffs none when set
	r := &errReader{ReadSeeker: body}
	http.ServeContent(c.Writer, c.Request, "", modtime, r)
	if r.err != nil {
		reason := "read_error"
		var d interface{ Damaged() bool }
		if errors.As(r.err, &d) && d.Damaged() {
			reason = "damaged"
		}
		downloadAborts.WithLabelValues(reason).Inc()
		_ = c.Error(fmt.Errorf("download aborted (%s): %w", reason, r.err))
		panic(http.ErrAbortHandler) // the recoverer logs c.Errors and lets net/http cut the connection
	}
}

// downloadAborts counts downloads cut off by a read error (NewEngine
// registers it).
var downloadAborts = prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "plein_download_aborts_total",
	Help: "File downloads cut off after the answer began: damaged (digest or length mismatch) or read_error.",
}, []string{"reason"})

// errReader keeps the first read error other than io.EOF.
type errReader struct {
	io.ReadSeeker
	err error
}

func (r *errReader) Read(p []byte) (int, error) {
	n, err := r.ReadSeeker.Read(p)
	if err != nil && err != io.EOF && r.err == nil {
		r.err = err
	}
	return n, err
}
