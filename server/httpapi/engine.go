package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// CSP is the Content-Security-Policy of every response: no inline script or
// style, nothing from other origins, no framing.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
	"connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// Options configure the engine.
type Options struct {
	Logger       *slog.Logger
	Registry     *prometheus.Registry
	MaxBodyBytes int64
	// LargeBodies raises the body limit for some routes ("POST /api/v1/…/:id/attachments"): uploads.
	LargeBodies    map[string]int64
	TrustedProxies []string
	HSTS           bool
	// MetricsElsewhere: /metrics is served on its own internal listener
	// (PLEIN_METRICS_LISTEN), not on this engine's public port.
	MetricsElsewhere bool
}

// NewEngine builds the Gin engine with Plein's middleware, /healthz and /metrics.
func NewEngine(o Options) (*gin.Engine, error) {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.RedirectTrailingSlash = false
	e.RedirectFixedPath = false
	if err := e.SetTrustedProxies(o.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	if o.Registry == nil {
		o.Registry = prometheus.NewRegistry()
	}
	reqDur := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "plein_http_request_duration_seconds",
		Help:    "HTTP request latency by route and status.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"method", "route", "status"})
	o.Registry.MustRegister(reqDur, downloadAborts, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	compress, err := compressAPI()
	if err != nil {
		return nil, fmt.Errorf("compression: %w", err)
	}
	e.Use(requestID(), accessLog(o.Logger, reqDur), recoverer(o.Logger), securityHeaders(o.HSTS), bodyLimit(o.MaxBodyBytes, o.LargeBodies), compress)
	e.NoRoute(func(c *gin.Context) {
		WriteProblem(c, Problem{Type: "/problems/not-found", Code: "not_found", Title: "Not found", Status: http.StatusNotFound})
	})
	e.NoMethod(func(c *gin.Context) {
		WriteProblem(c, Problem{Type: "/problems/method-not-allowed", Code: "method_not_allowed", Title: "Method not allowed", Status: http.StatusMethodNotAllowed})
	})
	e.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	if !o.MetricsElsewhere {
		e.GET("/metrics", gin.WrapH(promhttp.HandlerFor(o.Registry, promhttp.HandlerOpts{})))
	}
	return e, nil
}

// ErrWarmingUp is what a readiness check returns while the instance still
// loads its in-memory state: it works, but would answer slowly.
var ErrWarmingUp = errors.New("warming up")

// Readyz registers /readyz: ready when check returns nil within 2 s.
func Readyz(e *gin.Engine, check func(context.Context) error) {
	e.GET("/readyz", func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		if err := check(ctx); errors.Is(err, ErrWarmingUp) {
			WriteProblem(c, Problem{Type: "/problems/not-ready", Code: "warming_up", Title: "Not ready", Status: http.StatusServiceUnavailable, Detail: "The instance is still loading its in-memory state."})
			return
		} else if err != nil {
			WriteProblem(c, Problem{Type: "/problems/not-ready", Code: "not_ready", Title: "Not ready", Status: http.StatusServiceUnavailable, Detail: "The store does not answer."})
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ready"})
	})
}

type ridKey struct{}

// Request is what the access log records of an HTTP request, put in the
// request's context by the engine's first middleware, so code below the
// HTTP layer reads it from a context.Context, not from gin.
type Request struct {
	ID    string // the request id (X-Request-ID)
	Route string // the route pattern, e.g. /api/v1/teams/:id
	IP    string // the client address (trusted proxies honoured)
}

type requestKey struct{}

// RequestFrom returns the request facts stored in ctx (zero outside a request).
func RequestFrom(ctx context.Context) Request { r, _ := ctx.Value(requestKey{}).(Request); return r }

var validRID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// RequestID returns the request's id.
func RequestID(c *gin.Context) string { return c.GetString("rid") }

// RequestIDFrom returns the request id stored in ctx.
func RequestIDFrom(ctx context.Context) string { s, _ := ctx.Value(ridKey{}).(string); return s }

func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		rid := c.GetHeader("X-Request-ID")
		if !validRID.MatchString(rid) {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			rid = hex.EncodeToString(b)
		}
		c.Set("rid", rid)
		ctx := context.WithValue(c.Request.Context(), ridKey{}, rid)
		ctx = context.WithValue(ctx, requestKey{}, Request{ID: rid, Route: c.FullPath(), IP: c.ClientIP()})
		c.Request = c.Request.WithContext(ctx)
		c.Header("X-Request-ID", rid)
		c.Next()
	}
}

func accessLog(log *slog.Logger, h *prometheus.HistogramVec) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		d := time.Since(start)
		status := c.Writer.Status()
		h.WithLabelValues(c.Request.Method, route, strconv.Itoa(status)).Observe(d.Seconds())
		if log != nil && route != "/healthz" && route != "/metrics" {
			// The path, never the query string: it may carry codes or tokens.
			log.LogAttrs(c.Request.Context(), slog.LevelInfo, "http",
				slog.String("method", c.Request.Method), slog.String("route", route),
				slog.Int("status", status), slog.Duration("dur", d), slog.String("ip", c.ClientIP()))
		}
	}
}

func recoverer(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					if log != nil && len(c.Errors) > 0 { // e.g. SendFile's aborted download
						log.ErrorContext(c.Request.Context(), "answer aborted", "route", c.FullPath(), "err", c.Errors.Last().Err)
					}
					panic(r)
				}
				if log != nil {
					log.ErrorContext(c.Request.Context(), "panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				}
				if !c.Writer.Written() {
					WriteProblem(c, Problem{Type: "/problems/internal", Code: "internal", Title: "Internal error", Status: http.StatusInternalServerError})
				} else {
					c.Abort()
				}
			}
		}()
		c.Next()
	}
}

func securityHeaders(hsts bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		c.Next()
	}
}

func bodyLimit(def int64, large map[string]int64) gin.HandlerFunc {
	if def <= 0 {
		def = 1 << 20
	}
	return func(c *gin.Context) {
		n := def
		if l, ok := large[c.Request.Method+" "+c.FullPath()]; ok && l > n {
			n = l
		}
		if c.Request.Body != nil {
			if c.Request.ContentLength > n {
				WriteProblem(c, Problem{Type: "/problems/too-large", Code: "too_large", Title: "Request body too large",
					Status: http.StatusRequestEntityTooLarge, Detail: fmt.Sprintf("The body may be at most %d bytes.", n)})
				return
			}
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		}
		c.Next()
	}
}

// LogHandler wraps a slog handler so that records logged with a request's
// context carry its request id.
type LogHandler struct{ slog.Handler }

func (h LogHandler) Handle(ctx context.Context, r slog.Record) error {
	if rid := RequestIDFrom(ctx); rid != "" {
		r.AddAttrs(slog.String("request_id", rid))
	}
	return h.Handler.Handle(ctx, r)
}
func (h LogHandler) WithAttrs(a []slog.Attr) slog.Handler { return LogHandler{h.Handler.WithAttrs(a)} }
func (h LogHandler) WithGroup(n string) slog.Handler      { return LogHandler{h.Handler.WithGroup(n)} }
