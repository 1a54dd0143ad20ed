// Package redisbroker is the Broker for several server instances: Redis
// pub/sub, through go-redis.
//
// Each Broker holds one pub/sub connection. Topics are subscribed upstream
// when their first local subscription appears and unsubscribed when their last
// one goes (reference counts), and every message read from Redis is handed to
// the local subscriptions through bounded queues, one delivery goroutine per
// subscription.
//
// Delivery is at-most-once. Redis forgets what it could not send; a message
// published while the link is down is lost; a subscription whose queue is full
// drops (Dropped counts it). The broker therefore reports its link: it fires
// Disconnected when the pub/sub connection fails (an error, or no answer to a
// health-check PING in time) and Reconnected when a new connection is up with
// every topic subscribed again. On Reconnected the Hub makes its clients catch
// up from the store.
package redisbroker

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/plein/plein/chat/broker"
	"github.com/plein/plein/chat/broker/internal/fanout"
)

// barrierPrefix marks the PINGs that Subscribe uses to know that Redis has
// processed its SUBSCRIBE.
const barrierPrefix = "plein-broker-barrier:"

// Broker is a broker.Broker on Redis pub/sub.
type Broker struct {
	cfg    config
	client *redis.Client // PUBLISH
	ps     *redis.PubSub // the one subscriber connection
	reg    *fanout.Registry

	// subMu makes a change of the registry's reference counts and the
	// queueing of its upstream command one step, so that SUBSCRIBE and
	// UNSUBSCRIBE reach Redis in the order the counts changed.
	subMu sync.Mutex

	// Upstream commands, applied in order by the worker goroutine, so that
	// unsubscribe never waits for the network.
	opsMu    sync.Mutex
	ops      []op
	opsReady chan struct{}

	mu       sync.Mutex
	handlers []func(broker.Event)
	barriers map[string]chan struct{} // PING token -> closed when its PONG arrives
	relink   chan struct{}            // closed (and replaced) on every Reconnected

	evMu    sync.Mutex
	evQueue []broker.Event
	evReady chan struct{}

	barrierSeq atomic.Uint64
	suspect    atomic.Bool // an upstream command failed: the connection may have been replaced
	closed     atomic.Bool

	closeOnce  sync.Once
	closeErr   error
	done       chan struct{}
	runDone    chan struct{}
	workerDone chan struct{}
}

var _ broker.Broker = (*Broker)(nil)

type op struct {
	subscribe   []string // Redis channels
	unsubscribe []string
	pingToken   string
	result      chan error // buffered; nil when nobody waits
}

// New connects to Redis at redisURL (redis://[user:password@]host:port/db or
// rediss://…) and returns a ready broker. It fails if Redis does not answer.
func New(ctx context.Context, redisURL string, opts ...Option) (*Broker, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	ropt, err := redis.ParseURL(redisURL)
	if err != nil {
		return nil, fmt.Errorf("redisbroker: %w", err)
	}
	ropt.DisableIdentity = true       // no CLIENT SETINFO noise on older servers
	ropt.ContextTimeoutEnabled = true // Publish's timeout bounds the socket I/O too
	client := redis.NewClient(ropt)

	b := &Broker{
		cfg:        cfg,
		client:     client,
		reg:        fanout.New(cfg.queueSize),
		opsReady:   make(chan struct{}, 1),
		barriers:   make(map[string]chan struct{}),
		relink:     make(chan struct{}),
		done:       make(chan struct{}),
		runDone:    make(chan struct{}),
		workerDone: make(chan struct{}),
		evReady:    make(chan struct{}, 1),
	}

	pctx, cancel := context.WithTimeout(ctx, cfg.opTimeout)
	defer cancel()
	if err := client.Ping(pctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("redisbroker: connect to %s: %w", ropt.Addr, err)
	}
	b.ps = client.Subscribe(pctx) // no channels yet: no connection yet
	// Open the subscriber connection now, so that New fails if it cannot be.
	if err := b.ps.Ping(pctx); err != nil {
		_ = b.ps.Close()
		_ = client.Close()
		return nil, fmt.Errorf("redisbroker: open subscriber connection to %s: %w", ropt.Addr, err)
	}
	go b.run()
	go b.worker()
	go b.notifier()
	return b, nil
}

// Publish sends payload to every subscriber of topic on every instance. It
// gives up after the publish timeout (WithPublishTimeout).
func (b *Broker) Publish(ctx context.Context, topic string, payload []byte) error {
	if b.closed.Load() {
		return broker.ErrClosed
	}
	ctx, cancel := context.WithTimeout(ctx, b.cfg.publishTimeout)
	defer cancel()
	if err := b.client.Publish(ctx, b.cfg.prefix+topic, payload).Err(); err != nil {
		if b.closed.Load() {
			return broker.ErrClosed
		}
		return fmt.Errorf("redisbroker: publish %q: %w", topic, err)
	}
	return nil
}

// Subscribe registers h for topics and returns once Redis has confirmed the
// subscription (a PING sent after the SUBSCRIBE has been answered). It fails
// if Redis cannot be reached or ctx ends first.
func (b *Broker) Subscribe(ctx context.Context, topics []string, h broker.Handler) (func(), error) {
	if b.closed.Load() {
		return nil, broker.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	b.subMu.Lock()
	s, fresh, err := b.reg.Add(topics, h)
	if err != nil {
		b.subMu.Unlock()
		return nil, err
	}
	token, pong, relink := b.newBarrier()
	res := make(chan error, 1)
	b.enqueue(op{subscribe: b.channels(fresh), pingToken: token, result: res})
	b.subMu.Unlock()

	if err := b.awaitBarrier(ctx, token, pong, relink, res); err != nil {
		b.unsubscribe(s)
		if b.closed.Load() {
			return nil, broker.ErrClosed
		}
		return nil, fmt.Errorf("redisbroker: subscribe %q: %w", topics, err)
	}
	var once sync.Once
	return func() { once.Do(func() { b.unsubscribe(s) }) }, nil
}

// OnEvent registers f for link events. Callbacks run one at a time, in
// order, on a goroutine of their own; a slow callback delays later events but
// not message delivery. After Close no further event is delivered.
func (b *Broker) OnEvent(f func(broker.Event)) {
	if f == nil {
		return
	}
	b.mu.Lock()
	b.handlers = append(b.handlers, f)
	b.mu.Unlock()
}

// Dropped returns how many messages were dropped because a subscription's
// queue was full.
func (b *Broker) Dropped() uint64 { return b.reg.Dropped() }

// Close stops delivery and closes the connections. It is idempotent; only the
// first call can return an error.
func (b *Broker) Close() error {
	b.closeOnce.Do(func() {
		b.closed.Store(true)
		close(b.done)
		b.reg.Close()
		psErr := b.ps.Close() // unblocks the reader
		<-b.runDone
		<-b.workerDone
		// Not waiting for the notifier: Close may be called from a callback.
		b.closeErr = errors.Join(psErr, b.client.Close())
		if b.closeErr != nil {
			b.closeErr = fmt.Errorf("redisbroker: close: %w", b.closeErr)
		}
	})
	return b.closeErr
}

func (b *Broker) channels(topics []string) []string {
	if len(topics) == 0 {
		return nil
	}
	out := make([]string, len(topics))
	for i, t := range topics {
		out[i] = b.cfg.prefix + t
	}
	return out
}

func (b *Broker) unsubscribe(s *fanout.Sub) {
	b.subMu.Lock()
	defer b.subMu.Unlock()
	if gone := b.reg.Remove(s); len(gone) > 0 && !b.closed.Load() {
		b.enqueue(op{unsubscribe: b.channels(gone)})
	}
}

// newBarrier registers a PING token. It also returns the current relink
// channel: if the link is re-established before the PONG arrives, the PING
// may have been lost with the old connection.
func (b *Broker) newBarrier() (token string, pong, relink chan struct{}) {
	token = barrierPrefix + strconv.FormatUint(b.barrierSeq.Add(1), 10)
	pong = make(chan struct{})
	b.mu.Lock()
	b.barriers[token] = pong
	relink = b.relink
	b.mu.Unlock()
	return token, pong, relink
}

func (b *Broker) dropBarrier(token string) {
	b.mu.Lock()
	delete(b.barriers, token)
	b.mu.Unlock()
}

func (b *Broker) awaitBarrier(ctx context.Context, token string, pong, relink chan struct{}, res chan error) error {
	for {
		select {
		case err := <-res:
			if err != nil {
				b.dropBarrier(token)
				return err
			}
			res = nil // written; now wait for the PONG
		case <-pong:
			return nil
		case <-relink:
			// Reconnected: go-redis has subscribed every topic again on the
			// new connection, but our PING may have gone down with the old
			// one. Ask again.
			b.dropBarrier(token)
			token, pong, relink = b.newBarrier()
			res = make(chan error, 1)
			b.enqueue(op{pingToken: token, result: res})
		case <-ctx.Done():
			b.dropBarrier(token)
			return ctx.Err()
		case <-b.done:
			b.dropBarrier(token)
			return broker.ErrClosed
		}
	}
}

func (b *Broker) enqueue(o op) {
	b.opsMu.Lock()
	b.ops = append(b.ops, o)
	b.opsMu.Unlock()
	select {
	case b.opsReady <- struct{}{}:
	default:
	}
}

// worker applies upstream commands in order.
func (b *Broker) worker() {
	defer close(b.workerDone)
	for {
		select {
		case <-b.done:
			b.failPending()
			return
		case <-b.opsReady:
		}
		for {
			b.opsMu.Lock()
			ops := b.ops
			b.ops = nil
			b.opsMu.Unlock()
			if len(ops) == 0 {
				break
			}
			for _, o := range ops {
				err := b.apply(o)
				if o.result != nil {
					o.result <- err
				}
			}
		}
	}
}

func (b *Broker) failPending() {
	b.opsMu.Lock()
	ops := b.ops
	b.ops = nil
	b.opsMu.Unlock()
	for _, o := range ops {
		if o.result != nil {
			o.result <- broker.ErrClosed
		}
	}
}

func (b *Broker) apply(o op) error {
	if b.closed.Load() {
		return broker.ErrClosed
	}
	// Never the caller's context: go-redis drops the connection when a
	// write's deadline passes, so a short or cancelled caller context would
	// break the link for everyone.
	ctx, cancel := context.WithTimeout(context.Background(), b.cfg.opTimeout)
	defer cancel()
	var err error
	if len(o.unsubscribe) > 0 {
		err = b.ps.Unsubscribe(ctx, o.unsubscribe...)
	}
	if len(o.subscribe) > 0 {
		// Redis processes the commands of one connection in order, so the
		// PONG to the following PING means these channels are active.
		err = errors.Join(err, b.ps.Subscribe(ctx, o.subscribe...))
	}
	if o.pingToken != "" && err == nil {
		err = b.ps.Ping(ctx, o.pingToken)
	}
	if err != nil && !b.closed.Load() {
		// A failed write makes go-redis replace the connection, possibly
		// without the reader ever seeing an error: let it report the gap.
		b.suspect.Store(true)
		b.cfg.logger.Warn("redisbroker: upstream command failed",
			"subscribe", o.subscribe, "unsubscribe", o.unsubscribe, "err", err)
	}
	return err
}

// emit queues e for the event goroutine, so that callbacks never hold up
// the reader (and may even call Subscribe).
func (b *Broker) emit(e broker.Event) {
	if e == broker.Disconnected {
		b.cfg.logger.Warn("redisbroker: link to Redis lost; messages may be lost until it is back")
	} else {
		b.cfg.logger.Info("redisbroker: link to Redis re-established")
	}
	b.evMu.Lock()
	b.evQueue = append(b.evQueue, e)
	b.evMu.Unlock()
	select {
	case b.evReady <- struct{}{}:
	default:
	}
}

// notifier calls the OnEvent callbacks, in order, one event at a time.
func (b *Broker) notifier() {
	for {
		select {
		case <-b.done:
			return
		case <-b.evReady:
		}
		for {
			b.evMu.Lock()
			evs := b.evQueue
			b.evQueue = nil
			b.evMu.Unlock()
			if len(evs) == 0 {
				break
			}
			b.mu.Lock()
			hs := slices.Clone(b.handlers)
			b.mu.Unlock()
			for _, e := range evs {
				for _, h := range hs {
					h(e)
				}
			}
		}
	}
}

// run is the reader: it receives from the pub/sub connection, dispatches
// messages, answers barriers, checks the link's health and re-establishes it.
func (b *Broker) run() {
	defer close(b.runDone)
	l := &subscriberLink{b: b, up: true, backoff: b.cfg.minBackoff}
	for {
		if b.closed.Load() {
			return
		}
		if b.suspect.Swap(false) && l.up {
			if !l.lost(errors.New("upstream command failed")) {
				return
			}
			continue
		}
		msg, err := l.receive()
		if b.closed.Load() {
			return
		}
		if err != nil {
			if !l.failed(err) {
				return
			}
			continue
		}
		l.works()
		b.dispatch(msg)
	}
}

// subscriberLink is the state of the subscriber connection as run sees it.
type subscriberLink struct {
	b        *Broker
	up       bool      // as far as the hub has been told
	pingSent time.Time // zero: no health-check PING outstanding
	backoff  time.Duration
}

// receive waits for the next message: up to the health interval when no
// PING is outstanding, else until the PING's deadline.
func (l *subscriberLink) receive() (any, error) {
	if l.pingSent.IsZero() {
		return l.b.ps.ReceiveTimeout(context.Background(), l.b.cfg.healthInterval)
	}
	// A PING is outstanding. Receive with a context deadline: if nothing
	// arrives by then, go-redis treats the timeout as a broken connection
	// and drops it.
	ctx, cancel := context.WithDeadline(context.Background(), l.pingSent.Add(l.b.cfg.pingTimeout))
	defer cancel()
	return l.b.ps.Receive(ctx)
}

// failed handles a receive error: silence sends a health-check PING, any
// other error loses the link. It returns false when the broker is closed.
func (l *subscriberLink) failed(err error) bool {
	if l.pingSent.IsZero() && isTimeout(err) {
		// Silence: is the link still there?
		if perr := l.b.healthPing(); perr != nil {
			return l.lost(perr)
		}
		l.pingSent = time.Now()
		return true
	}
	return l.lost(err)
}

// lost tells the hub and waits, with backoff, until a PING can be written
// again (which makes go-redis reconnect and resubscribe). It returns false
// when the broker is closed.
func (l *subscriberLink) lost(err error) bool {
	b := l.b
	l.pingSent = time.Time{}
	if l.up {
		l.up = false
		b.cfg.logger.Warn("redisbroker: subscriber connection failed", "err", err)
		b.emit(broker.Disconnected)
	}
	for {
		t := time.NewTimer(l.backoff)
		select {
		case <-b.done:
			t.Stop()
			return false
		case <-t.C:
		}
		l.backoff = min(2*l.backoff, b.cfg.maxBackoff)
		if err := b.healthPing(); err == nil {
			l.pingSent = time.Now()
			return true
		} else if b.closed.Load() {
			return false
		}
	}
}

// works records that the link works: anything received proves it.
func (l *subscriberLink) works() {
	l.pingSent = time.Time{}
	l.backoff = l.b.cfg.minBackoff
	if !l.up {
		// go-redis wrote SUBSCRIBE for every topic first thing on the new
		// connection and Redis answers in order, so all subscriptions are
		// active now.
		l.up = true
		l.b.emit(broker.Reconnected)
		l.b.mu.Lock()
		close(l.b.relink)
		l.b.relink = make(chan struct{})
		l.b.mu.Unlock()
	}
}

// dispatch delivers a message to the hub or releases a barrier.
func (b *Broker) dispatch(msg any) {
	switch m := msg.(type) {
	case *redis.Message:
		if topic, ok := b.topicOf(m.Channel); ok {
			b.reg.Deliver(topic, []byte(m.Payload))
		}
	case *redis.Pong:
		b.mu.Lock()
		ch, ok := b.barriers[m.Payload]
		delete(b.barriers, m.Payload)
		b.mu.Unlock()
		if ok {
			close(ch)
		}
	case *redis.Subscription:
		// Confirmations carry no extra information: barriers do the
		// waiting.
	}
}

func (b *Broker) topicOf(channel string) (string, bool) {
	if len(channel) < len(b.cfg.prefix) || channel[:len(b.cfg.prefix)] != b.cfg.prefix {
		return "", false
	}
	return channel[len(b.cfg.prefix):], true
}

func (b *Broker) healthPing() error {
	ctx, cancel := context.WithTimeout(context.Background(), b.cfg.pingTimeout)
	defer cancel()
	return b.ps.Ping(ctx)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
