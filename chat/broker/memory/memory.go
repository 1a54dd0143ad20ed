// Package memory is the in-process Broker, for a single instance and tests.
//
// Every subscription has a bounded queue and its own delivery goroutine, so a
// slow handler never blocks Publish or another subscription. When a queue is
// full the message is dropped for that subscription and counted (Dropped):
// like Redis pub/sub, delivery is at-most-once and the store is the truth.
package memory

import (
	"context"
	"sync"

	"github.com/plein/plein/chat/broker"
	"github.com/plein/plein/chat/broker/internal/fanout"
)

// Option configures a Broker.
type Option func(*config)

type config struct{ queueSize int }

// WithQueueSize sets how many messages a subscription may have waiting
// before further ones are dropped (default 4096).
func WithQueueSize(n int) Option { return func(c *config) { c.queueSize = n } }

// Broker is an in-process broker.Broker.
type Broker struct {
	reg *fanout.Registry

	mu     sync.RWMutex // guards closed against concurrent Publish
	closed bool
}

var _ broker.Broker = (*Broker)(nil)

// New returns a ready in-process broker.
func New(opts ...Option) *Broker {
	c := config{queueSize: fanout.DefaultQueueSize}
	for _, o := range opts {
		o(&c)
	}
	return &Broker{reg: fanout.New(c.queueSize)}
}

// Publish queues a copy of payload for every subscriber of topic. It never
// blocks on subscribers.
func (b *Broker) Publish(ctx context.Context, topic string, payload []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return broker.ErrClosed
	}
	if !b.reg.HasTopic(topic) {
		return nil
	}
	// One copy shared by all subscribers: the caller may reuse payload.
	b.reg.Deliver(topic, append(make([]byte, 0, len(payload)), payload...))
	return nil
}

// Subscribe registers h for topics; the subscription is active when it returns.
func (b *Broker) Subscribe(ctx context.Context, topics []string, h broker.Handler) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s, _, err := b.reg.Add(topics, h)
	if err != nil {
		return nil, err
	}
	var once sync.Once
	return func() { once.Do(func() { b.reg.Remove(s) }) }, nil
}

// OnEvent accepts a callback and never calls it: an in-process link cannot
// break.
func (b *Broker) OnEvent(func(broker.Event)) {}

// Dropped returns how many messages were dropped because a subscription's
// queue was full.
func (b *Broker) Dropped() uint64 { return b.reg.Dropped() }

// Close stops every subscription. It is idempotent.
func (b *Broker) Close() error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.reg.Close()
	return nil
}
