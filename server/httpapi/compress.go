package httpapi

import (
	"bufio"
	"net"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/gzip"
)

// compressMinBytes: smaller JSON responses are sent as they are (a gzip
// header and a packet's worth of bytes gain nothing).
const compressMinBytes = 1024

// noCompressPaths answer with a secret (the session's CSRF token) and are
// never compressed, so no attacker can learn it by the response's length
// (BREACH); see docs/security.md, "Compression".
var noCompressPaths = map[string]bool{"/api/v1/session": true}

// compressAPI gzips JSON and problem+json responses under /api/ of at least
// compressMinBytes when the request accepts gzip (klauspost/compress/gzhttp).
// Never compressed: websocket upgrades, other content types (images, PDFs,
// CSV: they are compressed already or downloads), a response with
// Content-Disposition or its own Content-Encoding, and noCompressPaths.
// The static app has its own precompressed copies (static.go).
func compressAPI() (gin.HandlerFunc, error) {
	wrap, err := gzhttp.NewWrapper(
		gzhttp.MinSize(compressMinBytes),
		gzhttp.CompressionLevel(gzip.DefaultCompression),
		gzhttp.EnableZstd(false),
		gzhttp.ContentTypes([]string{"application/json", "application/problem+json"}),
		gzhttp.SuffixETag("-gzip"),
	)
	if err != nil {
		return nil, err
	}
	return func(c *gin.Context) {
		r := c.Request
		if !strings.HasPrefix(r.URL.Path, "/api/") || noCompressPaths[r.URL.Path] || r.Header.Get("Upgrade") != "" {
			c.Next()
			return
		}
		orig := c.Writer
		defer func() { c.Writer = orig }()
		wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			c.Writer = &compressWriter{ResponseWriter: orig, w: w, status: orig.Status(), size: -1}
			c.Next()
		})).ServeHTTP(orig, r)
	}, nil
}

// compressWriter is gin's writer with the body going through gzhttp's. It
// keeps gin's rule that the status is only sent with the first byte (or
// WriteHeaderNow), so a handler may still change it until then.
type compressWriter struct {
	gin.ResponseWriter // the real one: Header, CloseNotify
	w                  http.ResponseWriter
	status             int
	size               int
	sent               bool
}

func (cw *compressWriter) WriteHeader(code int) {
	if code > 0 && !cw.sent {
		cw.status = code
		// Recorded (not sent) in gin's writer too: a handler that writes no
		// body (204) leaves the sending to gin, after the chain.
		cw.ResponseWriter.WriteHeader(code)
	}
}

func (cw *compressWriter) WriteHeaderNow() {
	if cw.sent {
		return
	}
	cw.sent = true
	if cw.w.Header().Get("Content-Disposition") != "" {
		cw.w.Header().Set(gzhttp.HeaderNoCompression, "1") // a download stays as it is
	}
	cw.size = 0
	cw.w.WriteHeader(cw.status)
}

func (cw *compressWriter) Write(b []byte) (int, error) {
	cw.WriteHeaderNow()
	n, err := cw.w.Write(b)
	cw.size += n
	return n, err
}

func (cw *compressWriter) WriteString(s string) (int, error) { return cw.Write([]byte(s)) }
func (cw *compressWriter) Status() int                       { return cw.status }
func (cw *compressWriter) Size() int                         { return cw.size }
func (cw *compressWriter) Written() bool                     { return cw.sent }
func (cw *compressWriter) Pusher() http.Pusher               { return nil }
func (cw *compressWriter) Unwrap() http.ResponseWriter       { return cw.w }

func (cw *compressWriter) Flush() {
	cw.WriteHeaderNow()
	if f, ok := cw.w.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack is refused: upgrades never get here (compressAPI passes them by).
func (cw *compressWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return nil, nil, http.ErrNotSupported
}
