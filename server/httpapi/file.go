package httpapi

import (
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
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
	http.ServeContent(c.Writer, c.Request, "", modtime, body)
}
