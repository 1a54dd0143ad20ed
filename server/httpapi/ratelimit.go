package httpapi

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// ClientLimiter limits requests per client address: a token bucket per
// address (Gin's ClientIP, which believes X-Forwarded-For only from
// PLEIN_TRUSTED_PROXIES), refilled at Rate per second up to Burst. Buckets of
// clients quiet for idleAfter are dropped, so memory stays bounded by the
// clients of the last few minutes.
//
// With Redis (UseSharedLimits with the Redis broker) the buckets live in
// Redis, shared by every instance: N instances allow the limit once, not N
// times. The key is the limit (rate and burst) and the client address, so
// the routes of one limiter share a bucket (as do limiters with the same
// rate and burst). When Redis does not answer, the instance's own bucket
// decides (never fail open).
type ClientLimiter struct {
	Rate  rate.Limit
	Burst int

	mu      sync.Mutex
	clients map[string]*clientBucket
	swept   time.Time
	now     func() time.Time
}

type clientBucket struct {
	lim  *rate.Limiter
	seen time.Time
}

const idleAfter = 10 * time.Minute

// NewClientLimiter allows each client perSecond requests a second, with
// bursts of burst.
func NewClientLimiter(perSecond float64, burst int) *ClientLimiter {
	return &ClientLimiter{Rate: rate.Limit(perSecond), Burst: burst, clients: map[string]*clientBucket{}, now: time.Now}
}

// Allow takes a token for the client; when none is left it returns how long
// until one is.
func (l *ClientLimiter) Allow(client string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.clients {
			if now.Sub(b.seen) > idleAfter {
				delete(l.clients, k)
			}
		}
		l.swept = now
	}
	b, ok := l.clients[client]
	if !ok {
		b = &clientBucket{lim: rate.NewLimiter(l.Rate, l.Burst)}
		l.clients[client] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// SharedLimits takes tokens from buckets every instance shares (the Redis
// broker implements it).
type SharedLimits interface {
	Take(ctx context.Context, key string, perSecond float64, burst int) (ok bool, wait time.Duration, err error)
}

const sharedLimitsKey = "plein.sharedLimits"

// UseSharedLimits makes every ClientLimiter on the routes registered after
// it take its tokens from s (Redis), so that the limits hold across
// instances. Call it before registering routes.
func UseSharedLimits(e *gin.Engine, s SharedLimits) {
	e.Use(func(c *gin.Context) { c.Set(sharedLimitsKey, s) })
}

// allow asks the shared buckets when the engine has them, else (or when they
// fail) this instance's.
func (l *ClientLimiter) allow(c *gin.Context) (bool, time.Duration) {
	client := c.ClientIP()
	if v, ok := c.Get(sharedLimitsKey); ok {
		key := fmt.Sprintf("%g/%d:%s", float64(l.Rate), l.Burst, client)
		if ok, wait, err := v.(SharedLimits).Take(c.Request.Context(), key, float64(l.Rate), l.Burst); err == nil {
			return ok, wait
		}
	}
	return l.Allow(client)
}

// Middleware answers 429 with a problem document and Retry-After when the
// client has no token left.
func (l *ClientLimiter) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		ok, wait := l.allow(c)
		if ok {
			c.Next()
			return
		}
		secs := int(math.Ceil(wait.Seconds()))
		c.Header("Retry-After", fmt.Sprint(secs))
		WriteProblem(c, Problem{Type: "/problems/too-many-requests", Code: "too_many_requests", Title: "Too many requests", Status: http.StatusTooManyRequests,
			Detail: fmt.Sprintf("Too many requests from this address; try again in %d s.", secs)})
	}
}
