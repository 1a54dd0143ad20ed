package broker

import (
	"context"
	"errors"
	"fmt"
)

// Handler receives a message published on a topic. It must not block for
// long; it is called from the broker's delivery goroutine for its
// subscription, in publish order per topic per publisher.
//
// payload is read-only: it may be shared with other subscribers. A handler may
// keep it after returning.
type Handler func(topic string, payload []byte)

// Event tells subscribers about the broker's link state.
type Event int

const (
	// Disconnected: messages may have been lost from now on.
	Disconnected Event = iota + 1
	// Reconnected: the link is back and every subscription is active again.
	// Anything published between Disconnected and now may be lost: catch up
	// from the store.
	Reconnected
)

func (e Event) String() string {
	switch e {
	case Disconnected:
		return "disconnected"
	case Reconnected:
		return "reconnected"
	default:
		return fmt.Sprintf("broker.Event(%d)", int(e))
	}
}

// Broker publishes messages to, and delivers messages from, every instance.
// All methods are safe for concurrent use.
type Broker interface {
	// Publish sends payload to every subscriber of topic on every instance,
	// including this one. It returns an error when the broker cannot accept it
	// (e.g. Redis down); the caller has already stored the message, so this is
	// not data loss. Publish never waits for subscribers, and the caller may
	// reuse payload once it returns.
	Publish(ctx context.Context, topic string, payload []byte) error

	// Subscribe registers h for the topics (exact names). It returns when the
	// subscription is active: a Publish that starts after Subscribe returns is
	// delivered (barring link loss, which is announced by events). The
	// returned func unsubscribes; it is idempotent, and once it has returned h
	// is not called again except for a call already in progress.
	Subscribe(ctx context.Context, topics []string, h Handler) (unsubscribe func(), err error)

	// OnEvent registers a callback for link events. Callbacks are called one
	// at a time, in the order of the events, and should return quickly. The
	// memory broker never fires them.
	OnEvent(func(Event))

	// Close stops the broker. It is idempotent. After Close, Publish and
	// Subscribe return ErrClosed and no handler is called again except for a
	// call already in progress.
	Close() error
}

var (
	// ErrClosed is returned by Publish and Subscribe after Close.
	ErrClosed = errors.New("broker: closed")
	// ErrNoTopics is returned by Subscribe when no topic is given.
	ErrNoTopics = errors.New("broker: subscribe: no topics")
	// ErrNilHandler is returned by Subscribe when the handler is nil.
	ErrNilHandler = errors.New("broker: subscribe: nil handler")
)
