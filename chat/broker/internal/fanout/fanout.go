// Package fanout is the local half of every broker: a registry of
// subscriptions, each with a bounded queue and its own delivery goroutine, so
// that a slow handler never blocks a publisher or another subscription.
package fanout

import (
	"sync"
	"sync/atomic"

	"github.com/plein/plein/chat/broker"
)

// DefaultQueueSize is the number of messages a subscription may have waiting
// before further messages for it are dropped.
const DefaultQueueSize = 4096

type message struct {
	topic   string
	payload []byte
}

// Registry holds the subscriptions of one broker.
type Registry struct {
	queueSize int
	dropped   atomic.Uint64

	mu     sync.RWMutex
	topics map[string]map[*Sub]struct{}
	subs   map[*Sub]struct{}
	closed bool
}

// Sub is one subscription: a handler for a set of topics.
type Sub struct {
	topics []string
	h      broker.Handler
	q      chan message
	done   chan struct{} // closed by Remove; guarded by Registry.mu
}

// New returns an empty registry whose subscriptions queue up to queueSize
// messages (DefaultQueueSize if queueSize <= 0).
func New(queueSize int) *Registry {
	if queueSize <= 0 {
		queueSize = DefaultQueueSize
	}
	return &Registry{
		queueSize: queueSize,
		topics:    make(map[string]map[*Sub]struct{}),
		subs:      make(map[*Sub]struct{}),
	}
}

// Add registers h for topics and starts its delivery goroutine. It returns
// the topics that had no subscriber before (deduplicated), which a networked
// broker must subscribe to upstream.
func (r *Registry) Add(topics []string, h broker.Handler) (*Sub, []string, error) {
	if len(topics) == 0 {
		return nil, nil, broker.ErrNoTopics
	}
	if h == nil {
		return nil, nil, broker.ErrNilHandler
	}
	s := &Sub{
		h:    h,
		q:    make(chan message, r.queueSize),
		done: make(chan struct{}),
	}
	seen := make(map[string]struct{}, len(topics))
	for _, t := range topics {
		if _, dup := seen[t]; dup {
			continue
		}
		seen[t] = struct{}{}
		s.topics = append(s.topics, t)
	}

	var fresh []string
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, nil, broker.ErrClosed
	}
	for _, t := range s.topics {
		set := r.topics[t]
		if set == nil {
			set = make(map[*Sub]struct{})
			r.topics[t] = set
			fresh = append(fresh, t)
		}
		set[s] = struct{}{}
	}
	r.subs[s] = struct{}{}
	r.mu.Unlock()

	go s.run()
	return s, fresh, nil
}

// Remove unregisters s and stops its goroutine; messages still queued for it
// are discarded. It is idempotent. It returns the topics that have no
// subscriber left, which a networked broker must unsubscribe from upstream.
func (r *Registry) Remove(s *Sub) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.subs[s]; !ok {
		return nil
	}
	delete(r.subs, s)
	close(s.done)
	var gone []string
	for _, t := range s.topics {
		set := r.topics[t]
		delete(set, s)
		if len(set) == 0 {
			delete(r.topics, t)
			gone = append(gone, t)
		}
	}
	return gone
}

// Deliver queues payload for every subscription of topic without blocking;
// a subscription whose queue is full misses it (counted in Dropped). payload
// is shared between the subscriptions and must not be modified afterwards.
// It returns the number of subscriptions the message was queued for.
func (r *Registry) Deliver(topic string, payload []byte) int {
	m := message{topic: topic, payload: payload}
	n := 0
	r.mu.RLock()
	for s := range r.topics[topic] {
		select {
		case s.q <- m:
			n++
		default:
			r.dropped.Add(1)
		}
	}
	r.mu.RUnlock()
	return n
}

// HasTopic reports whether topic has at least one subscription.
func (r *Registry) HasTopic(topic string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.topics[topic]) > 0
}

// Close removes every subscription and refuses new ones. It does not wait
// for handlers in progress. It is idempotent.
func (r *Registry) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	r.closed = true
	for s := range r.subs {
		close(s.done)
	}
	clear(r.subs)
	clear(r.topics)
}

// Dropped returns how many messages were dropped because a subscription's
// queue was full.
func (r *Registry) Dropped() uint64 { return r.dropped.Load() }

func (s *Sub) run() {
	for {
		select {
		case <-s.done:
			return
		case m := <-s.q:
			// Prefer stopping over delivering once unsubscribed.
			select {
			case <-s.done:
				return
			default:
			}
			s.h(m.topic, m.payload)
		}
	}
}
