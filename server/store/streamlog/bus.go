package streamlog

import (
	"context"
	"log/slog"
	"sync"
)

// Bus carries "log K has a new entry" between instances, so that followers
// apply it at once instead of at their next poll. The app wires publish to
// the broker and calls Signal for every message it delivers (and SignalAll
// after a broker outage). A signal is a hint: losing one delays the change
// to the next poll, never loses it. A nil *Bus does nothing.
type Bus struct {
	publish func(ctx context.Context, key string) error

	mu       sync.Mutex
	wakers   map[string][]chan struct{}
	watchers map[chan Applied]bool
}

// Applied says a follower on this Bus has applied log Key up to Seq.
type Applied struct {
	Key string
	Seq int64
}

// Watch reports every entry applied by this process's followers on the
// Bus, so a test waits on the event instead of polling. Events that find
// the channel full are dropped (a waiter re-checks what it waits for at
// each event and at its deadline). stop ends the watch.
func (b *Bus) Watch() (events <-chan Applied, stop func()) {
	ch := make(chan Applied, 256)
	b.mu.Lock()
	if b.watchers == nil {
		b.watchers = map[chan Applied]bool{}
	}
	b.watchers[ch] = true
	b.mu.Unlock()
	return ch, func() {
		b.mu.Lock()
		delete(b.watchers, ch)
		b.mu.Unlock()
	}
}

func (b *Bus) applied(key string, seq int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for w := range b.watchers {
		select {
		case w <- Applied{Key: key, Seq: seq}:
		default:
		}
	}
}

// NewBus makes a Bus that announces appends with publish; a nil publish
// wakes only this process's followers (one instance, or tests).
func NewBus(publish func(ctx context.Context, key string) error) *Bus {
	return &Bus{publish: publish, wakers: map[string][]chan struct{}{}}
}

func (b *Bus) register(key string, wake chan struct{}) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.wakers[key] = append(b.wakers[key], wake)
}

// Signal wakes this process's followers of the log key (a message from
// another instance, or this one's own).
func (b *Bus) Signal(key string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, w := range b.wakers[key] {
		select {
		case w <- struct{}{}:
		default:
		}
	}
}

// SignalAll wakes every follower (after a broker outage, when signals may
// have been lost).
func (b *Bus) SignalAll() {
	if b == nil {
		return
	}
	b.mu.Lock()
	keys := make([]string, 0, len(b.wakers))
	for k := range b.wakers {
		keys = append(keys, k)
	}
	b.mu.Unlock()
	for _, k := range keys {
		b.Signal(k)
	}
}

// Announce tells every instance that the log key has a new entry (a
// Follower's Append does it; call it after appending through Log.Append).
func (b *Bus) Announce(ctx context.Context, key string, log *slog.Logger) {
	if b == nil {
		return
	}
	if b.publish == nil {
		b.Signal(key)
		return
	}
	if err := b.publish(ctx, key); err != nil {
		// Not lost: the other instances' polls find the entry.
		log.WarnContext(ctx, "announce log entry", "log", key, "err", err)
	}
}
