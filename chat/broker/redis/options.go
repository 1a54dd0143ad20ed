package redisbroker

import (
	"log/slog"
	"time"

	"github.com/plein/plein/chat/broker/internal/fanout"
)

// Option configures a Broker.
type Option func(*config)

type config struct {
	prefix         string
	publishTimeout time.Duration
	opTimeout      time.Duration
	queueSize      int
	healthInterval time.Duration
	pingTimeout    time.Duration
	minBackoff     time.Duration
	maxBackoff     time.Duration
	logger         *slog.Logger
}

func defaults() config {
	return config{
		publishTimeout: 2 * time.Second,
		opTimeout:      5 * time.Second,
		queueSize:      fanout.DefaultQueueSize,
		healthInterval: 3 * time.Second,
		pingTimeout:    3 * time.Second,
		minBackoff:     100 * time.Millisecond,
		maxBackoff:     2 * time.Second,
		logger:         slog.New(slog.DiscardHandler),
	}
}

// WithPrefix puts prefix before every topic to form the Redis channel name
// (e.g. "plein:"), so that several deployments can share one Redis. Brokers
// must use the same prefix to see each other's messages.
func WithPrefix(prefix string) Option { return func(c *config) { c.prefix = prefix } }

// WithPublishTimeout bounds Publish (default 2s), including its retries on a
// broken connection.
func WithPublishTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.publishTimeout = d
		}
	}
}

// WithQueueSize sets how many messages a subscription may have waiting
// before further ones are dropped (default 4096).
func WithQueueSize(n int) Option { return func(c *config) { c.queueSize = n } }

// WithHealthCheck sets how long the subscriber connection may be silent
// before the broker sends a PING (default 3s), and how long it then waits for
// any reply before it declares the link lost, fires Disconnected and
// reconnects (default 3s). This is what notices a Redis that hangs rather than
// closes the connection.
func WithHealthCheck(interval, timeout time.Duration) Option {
	return func(c *config) {
		if interval > 0 {
			c.healthInterval = interval
		}
		if timeout > 0 {
			c.pingTimeout = timeout
		}
	}
}

// WithReconnectBackoff sets the first and the longest wait between attempts
// to re-establish the subscriber connection (default 100ms, doubling up to 2s).
func WithReconnectBackoff(first, longest time.Duration) Option {
	return func(c *config) {
		if first > 0 {
			c.minBackoff = first
		}
		if longest > 0 {
			c.maxBackoff = max(longest, c.minBackoff)
		}
	}
}

// WithLogger sets where the broker logs link changes and failed upstream
// commands (default: nowhere).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger = l
		}
	}
}
