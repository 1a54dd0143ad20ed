package redisbroker_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/plein/plein/chat/broker"
	"github.com/plein/plein/chat/broker/brokertest"
	redisbroker "github.com/plein/plein/chat/broker/redis"
	"github.com/plein/plein/chat/broker/redistest"
)

const wait = 10 * time.Second

func newBroker(t testing.TB, url string, opts ...redisbroker.Option) *redisbroker.Broker {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	b, err := redisbroker.New(ctx, url, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return b
}

func TestContract(t *testing.T) {
	srv := redistest.Start(t)
	var n atomic.Int64
	brokertest.Run(t, func(t *testing.T) (broker.Broker, broker.Broker) {
		// Two brokers = two server instances; a prefix of their own keeps
		// subtests apart on the shared Redis.
		prefix := redisbroker.WithPrefix(fmt.Sprintf("contract%d:", n.Add(1)))
		return newBroker(t, srv.URL(), prefix), newBroker(t, srv.URL(), prefix)
	})
}

// events records link events and lets a test wait for them.
type events struct{ ch chan broker.Event }

func watch(b broker.Broker) *events {
	e := &events{ch: make(chan broker.Event, 100)}
	b.OnEvent(func(ev broker.Event) { e.ch <- ev })
	return e
}

func (e *events) await(t *testing.T, name string, want broker.Event) {
	t.Helper()
	select {
	case got := <-e.ch:
		if got != want {
			t.Fatalf("%s: event %v, want %v", name, got, want)
		}
	case <-time.After(wait):
		t.Fatalf("%s: no %v event within %v", name, want, wait)
	}
}

func (e *events) none(t *testing.T, name string) {
	t.Helper()
	select {
	case got := <-e.ch:
		t.Fatalf("%s: unexpected event %v", name, got)
	default:
	}
}

func subscribe(t *testing.T, b broker.Broker, topic string) *brokertest.Recorder {
	t.Helper()
	r := brokertest.NewRecorder()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	unsub, err := b.Subscribe(ctx, []string{topic}, r.Handle)
	if err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	t.Cleanup(unsub)
	return r
}

func publish(t *testing.T, b broker.Broker, topic, payload string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := b.Publish(ctx, topic, []byte(payload)); err != nil {
		t.Fatalf("Publish %q: %v", payload, err)
	}
}

// fast makes failures show quickly in tests.
var fast = []redisbroker.Option{
	redisbroker.WithPublishTimeout(500 * time.Millisecond),
	redisbroker.WithHealthCheck(200*time.Millisecond, 300*time.Millisecond),
	redisbroker.WithReconnectBackoff(20*time.Millisecond, 200*time.Millisecond),
}

func TestKillAndRestart(t *testing.T) {
	srv := redistest.Start(t)
	a, b := newBroker(t, srv.URL(), fast...), newBroker(t, srv.URL(), fast...)
	ea, eb := watch(a), watch(b)
	topic := "room.kill"
	ra, rb := subscribe(t, a, topic), subscribe(t, b, topic)
	publish(t, a, topic, "before")
	ra.WaitPayload(t, "before")
	rb.WaitPayload(t, "before")
	ea.none(t, "a")
	eb.none(t, "b")

	srv.Kill()
	ea.await(t, "a", broker.Disconnected)
	eb.await(t, "b", broker.Disconnected)

	// Publish while Redis is down fails within its timeout instead of hanging.
	start := time.Now()
	err := a.Publish(context.Background(), topic, []byte("while down"))
	if err == nil {
		t.Fatal("Publish while Redis is down: no error")
	}
	if d := time.Since(start); d > 500*time.Millisecond+time.Second {
		t.Errorf("Publish while down took %v, want about its 500ms timeout at most", d)
	}
	t.Logf("Publish while down: %v after %v", err, time.Since(start).Round(time.Millisecond))

	// Subscribe while down fails too, and leaves nothing behind.
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if _, err := b.Subscribe(ctx, []string{"room.other"}, brokertest.NewRecorder().Handle); err == nil {
		t.Error("Subscribe while Redis is down: no error")
	}

	srv.Restart()
	ea.await(t, "a", broker.Reconnected)
	eb.await(t, "b", broker.Reconnected)

	// Both brokers subscribed again by themselves.
	publish(t, a, topic, "after from a")
	publish(t, b, topic, "after from b")
	for name, r := range map[string]*brokertest.Recorder{"a": ra, "b": rb} {
		got := r.WaitN(t, 3)
		if p := string(got[0].Payload); p != "before" || len(got) != 3 {
			t.Errorf("%s got %d messages starting with %q", name, len(got), p)
		}
		for _, m := range got {
			if string(m.Payload) == "while down" {
				t.Errorf("%s got the message published while Redis was down", name)
			}
		}
	}
	// New subscriptions work again.
	rb2 := subscribe(t, b, "room.new")
	publish(t, a, "room.new", "hello")
	rb2.WaitPayload(t, "hello")
}

func TestKillWithoutSubscriptions(t *testing.T) {
	// No topic to resubscribe, so no confirmation arrives after reconnect:
	// the broker must still notice the link is back.
	srv := redistest.Start(t)
	a := newBroker(t, srv.URL(), fast...)
	ea := watch(a)
	srv.Kill()
	ea.await(t, "a", broker.Disconnected)
	srv.Restart()
	ea.await(t, "a", broker.Reconnected)
	r := subscribe(t, a, "room.late")
	publish(t, a, "room.late", "x")
	r.WaitPayload(t, "x")
}

func TestFrozenRedis(t *testing.T) {
	srv := redistest.Start(t)
	a, b := newBroker(t, srv.URL(), fast...), newBroker(t, srv.URL(), fast...)
	ea, eb := watch(a), watch(b)
	topic := "room.frozen"
	ra, rb := subscribe(t, a, topic), subscribe(t, b, topic)
	publish(t, a, topic, "before")
	ra.WaitPayload(t, "before")
	rb.WaitPayload(t, "before")

	srv.Stop()
	t.Cleanup(func() {
		if t.Failed() {
			srv.Cont() // let the cleanup's Close finish quickly
		}
	})

	// The connection stays open but nothing answers: Publish gives up after
	// its timeout instead of hanging.
	start := time.Now()
	if err := a.Publish(context.Background(), topic, []byte("while frozen")); err == nil {
		t.Error("Publish to a frozen Redis: no error")
	} else if d := time.Since(start); d > 500*time.Millisecond+time.Second {
		t.Errorf("Publish to a frozen Redis took %v, want about its 500ms timeout", d)
	}

	// The health check notices the silence.
	ea.await(t, "a", broker.Disconnected)
	eb.await(t, "b", broker.Disconnected)

	srv.Cont()
	ea.await(t, "a", broker.Reconnected)
	eb.await(t, "b", broker.Reconnected)

	publish(t, b, topic, "after")
	ra.WaitPayload(t, "after")
	rb.WaitPayload(t, "after")
}

func TestShortFreezeKeepsLink(t *testing.T) {
	// A freeze shorter than the health check: no event, nothing lost —
	// Redis answers everything once it runs again.
	srv := redistest.Start(t)
	slow := redisbroker.WithHealthCheck(5*time.Second, 5*time.Second)
	a := newBroker(t, srv.URL(), redisbroker.WithPublishTimeout(wait))
	b := newBroker(t, srv.URL(), slow)
	eb := watch(b)
	topic := "room.blink"
	rb := subscribe(t, b, topic)

	srv.Stop()
	published := make(chan error, 1)
	go func() {
		published <- a.Publish(context.Background(), topic, []byte("during freeze"))
	}()
	select {
	case err := <-published:
		t.Fatalf("Publish returned (%v) while Redis was frozen", err)
	default:
	}
	srv.Cont()
	select {
	case err := <-published:
		if err != nil {
			t.Fatalf("Publish across a short freeze: %v", err)
		}
	case <-time.After(wait):
		t.Fatal("Publish still blocked after SIGCONT")
	}
	rb.WaitPayload(t, "during freeze")
	eb.none(t, "b")
}

func TestPrefixSeparatesDeployments(t *testing.T) {
	srv := redistest.Start(t)
	prod1 := newBroker(t, srv.URL(), redisbroker.WithPrefix("plein:"))
	prod2 := newBroker(t, srv.URL(), redisbroker.WithPrefix("plein:"))
	staging := newBroker(t, srv.URL(), redisbroker.WithPrefix("staging:"))

	// What goes over the wire is prefix+topic.
	raw := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	t.Cleanup(func() { raw.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	rawSub := raw.Subscribe(ctx, "plein:room.1")
	t.Cleanup(func() { rawSub.Close() })
	if _, err := rawSub.Receive(ctx); err != nil { // subscription confirmed
		t.Fatal(err)
	}

	r2, rs := subscribe(t, prod2, "room.1"), subscribe(t, staging, "room.1")
	publish(t, staging, "room.1", "staging only")
	publish(t, prod1, "room.1", "production")
	got := r2.WaitPayload(t, "production")
	if len(got) != 1 {
		t.Errorf("production subscriber got %d messages, want 1", len(got))
	}
	m, err := rawSub.ReceiveMessage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m.Channel != "plein:room.1" || m.Payload != "production" {
		t.Errorf("raw Redis subscriber got %s %q", m.Channel, m.Payload)
	}
	got = rs.WaitPayload(t, "staging only")
	if len(got) != 1 {
		t.Errorf("staging subscriber got %d messages, want 1", len(got))
	}
}

func TestNewFailsWithoutRedis(t *testing.T) {
	srv := redistest.Start(t)
	url := srv.URL()
	srv.Kill()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	start := time.Now()
	b, err := redisbroker.New(ctx, url)
	if err == nil {
		b.Close()
		t.Fatal("New without Redis: no error")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("New took %v to fail", d)
	}
	if _, err := redisbroker.New(ctx, "http://nope"); err == nil {
		t.Error("New with a bad URL: no error")
	}
}

func TestCloseWhileRedisDown(t *testing.T) {
	srv := redistest.Start(t)
	a := newBroker(t, srv.URL(), fast...)
	ea := watch(a)
	subscribe(t, a, "room.x")
	srv.Kill()
	ea.await(t, "a", broker.Disconnected)
	done := make(chan error, 1)
	go func() { done <- a.Close() }()
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatal("Close hangs while Redis is down")
	}
	if err := a.Publish(context.Background(), "room.x", nil); !errors.Is(err, broker.ErrClosed) {
		t.Errorf("Publish after Close = %v, want ErrClosed", err)
	}
}

func TestSubscribeCancelledContextKeepsLink(t *testing.T) {
	// A caller's cancelled context must not break the shared connection.
	srv := redistest.Start(t)
	a := newBroker(t, srv.URL(), fast...)
	ea := watch(a)
	r := subscribe(t, a, "room.keep")
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	if _, err := a.Subscribe(ctx, []string{"room.other"}, r.Handle); err == nil {
		t.Fatal("Subscribe with expired context: no error")
	}
	publish(t, a, "room.keep", "still")
	r.WaitPayload(t, "still")
	ea.none(t, "a")
	if s := fmt.Sprint(r.Msgs()); strings.Contains(s, "room.other") {
		t.Errorf("got messages for room.other: %s", s)
	}
}

func BenchmarkPublishDeliver(b *testing.B) {
	srv := redistest.Start(b)
	brokertest.BenchPublishDeliver(b, func(b *testing.B) broker.Broker {
		return newBroker(b, srv.URL())
	})
}

func TestEventCallbackMaySubscribe(t *testing.T) {
	// The Hub may react to Reconnected by subscribing; that must not
	// deadlock the broker that is calling it.
	srv := redistest.Start(t)
	a := newBroker(t, srv.URL(), fast...)
	r := brokertest.NewRecorder()
	subscribed := make(chan error, 1)
	a.OnEvent(func(ev broker.Event) {
		if ev != broker.Reconnected {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		unsub, err := a.Subscribe(ctx, []string{"room.fresh"}, r.Handle)
		if err == nil {
			t.Cleanup(unsub)
		}
		subscribed <- err
	})
	srv.Kill()
	srv.Restart()
	select {
	case err := <-subscribed:
		if err != nil {
			t.Fatalf("Subscribe from the Reconnected callback: %v", err)
		}
	case <-time.After(wait):
		t.Fatal("Subscribe from the Reconnected callback did not return")
	}
	publish(t, a, "room.fresh", "x")
	r.WaitPayload(t, "x")
}
