// Package brokertest holds the contract every broker.Broker implementation
// passes. An implementation's test calls Run with a constructor for a pair of
// brokers:
//
//   - an in-process broker returns the same instance twice (one process);
//   - a networked broker returns two separate brokers on the same backend
//     (two server instances).
//
// The tests synchronise on events only: every wait is bounded (Timeout) and
// none sleeps.
package brokertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plein/plein/chat/broker"
)

// Timeout bounds every wait in the contract tests.
var Timeout = 10 * time.Second

// Run runs the contract tests. newPair is called once per subtest; it must
// register the brokers' Close (and any backend teardown) with t.Cleanup. Close
// may be called by the tests too, so it must be idempotent.
func Run(t *testing.T, newPair func(t *testing.T) (a, b broker.Broker)) {
	tests := []struct {
		name string
		fn   func(t *testing.T, a, b broker.Broker)
	}{
		{"ReachesSubscribersOnEveryInstance", testFanout},
		{"PublishWithoutSubscribers", testNoSubscribers},
		{"OnlySubscribedTopics", testTopicIsolation},
		{"SeveralTopicsOneSubscription", testSeveralTopics},
		{"OrderPerPublisher", testOrder},
		{"PayloadIntact", testPayload},
		{"UnsubscribeStopsDelivery", testUnsubscribe},
		{"ResubscribeAfterUnsubscribe", testResubscribe},
		{"UnsubscribeFromHandler", testUnsubscribeFromHandler},
		{"TwoSubscribersSameTopic", testTwoSubscribers},
		{"SlowHandlerDoesNotDelayOthers", testSlowHandler},
		{"ConcurrentPublishers", testConcurrentPublishers},
		{"SubscribeRejectsBadArguments", testBadArguments},
		{"Close", testClose},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := newPair(t)
			tc.fn(t, a, b)
		})
	}
}

// Msg is one delivered message.
type Msg struct {
	Topic   string
	Payload []byte
}

// Recorder is a Handler that records what it receives and lets a test wait
// for it.
type Recorder struct {
	mu     sync.Mutex
	msgs   []Msg
	notify chan struct{}
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder { return &Recorder{notify: make(chan struct{}, 1)} }

// Handle is the broker.Handler.
func (r *Recorder) Handle(topic string, payload []byte) {
	r.mu.Lock()
	r.msgs = append(r.msgs, Msg{Topic: topic, Payload: payload})
	r.mu.Unlock()
	select {
	case r.notify <- struct{}{}:
	default:
	}
}

// Msgs returns a copy of what has been received so far.
func (r *Recorder) Msgs() []Msg {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.msgs)
}

// WaitN waits (at most Timeout) until at least n messages have arrived and
// returns them all.
func (r *Recorder) WaitN(t testing.TB, n int) []Msg {
	t.Helper()
	return r.WaitUntil(t, fmt.Sprintf("%d messages", n), func(m []Msg) bool { return len(m) >= n })
}

// WaitPayload waits (at most Timeout) until a message with payload p has
// arrived and returns everything received so far.
func (r *Recorder) WaitPayload(t testing.TB, p string) []Msg {
	t.Helper()
	return r.WaitUntil(t, fmt.Sprintf("payload %q", p), func(ms []Msg) bool {
		return slices.ContainsFunc(ms, func(m Msg) bool { return string(m.Payload) == p })
	})
}

// WaitUntil waits (at most Timeout) until cond holds for the messages
// received so far.
func (r *Recorder) WaitUntil(t testing.TB, what string, cond func([]Msg) bool) []Msg {
	t.Helper()
	deadline := time.NewTimer(Timeout)
	defer deadline.Stop()
	for {
		if m := r.Msgs(); cond(m) {
			return m
		}
		select {
		case <-r.notify:
		case <-deadline.C:
			m := r.Msgs()
			t.Fatalf("timed out after %v waiting for %s; have %d messages: %s", Timeout, what, len(m), summary(m))
		}
	}
}

func summary(ms []Msg) string {
	var sb strings.Builder
	for i, m := range ms {
		if i == 10 {
			fmt.Fprintf(&sb, " … (%d more)", len(ms)-10)
			break
		}
		p := m.Payload
		if len(p) > 32 {
			p = p[:32]
		}
		fmt.Fprintf(&sb, " %s:%q", m.Topic, p)
	}
	return sb.String()
}

func payloads(ms []Msg) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = string(m.Payload)
	}
	return out
}

// Topic returns a topic name unique to this test.
func Topic(t testing.TB, name string) string {
	r := strings.NewReplacer("/", ".", " ", "_")
	return fmt.Sprintf("test.%s.%s.%d", r.Replace(t.Name()), name, rand.Uint32())
}

func subscribe(t testing.TB, b broker.Broker, h broker.Handler, topics ...string) func() {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	unsub, err := b.Subscribe(ctx, topics, h)
	if err != nil {
		t.Fatalf("Subscribe(%v): %v", topics, err)
	}
	t.Cleanup(unsub)
	return unsub
}

func publish(t testing.TB, b broker.Broker, topic, payload string) {
	t.Helper()
	publishBytes(t, b, topic, []byte(payload))
}

func publishBytes(t testing.TB, b broker.Broker, topic string, payload []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if err := b.Publish(ctx, topic, payload); err != nil {
		t.Fatalf("Publish(%s): %v", topic, err)
	}
}

func testFanout(t *testing.T, a, b broker.Broker) {
	topic := Topic(t, "room")
	ra, rb := NewRecorder(), NewRecorder()
	subscribe(t, a, ra.Handle, topic)
	subscribe(t, b, rb.Handle, topic)

	publish(t, a, topic, "from a")
	publish(t, b, topic, "from b")
	for name, r := range map[string]*Recorder{"a": ra, "b": rb} {
		got := r.WaitN(t, 2)
		slices.Sort(payloads(got))
		for _, m := range got {
			if m.Topic != topic {
				t.Errorf("subscriber on %s: topic = %q, want %q", name, m.Topic, topic)
			}
		}
		ps := payloads(got)
		slices.Sort(ps)
		if want := []string{"from a", "from b"}; !slices.Equal(ps, want) {
			t.Errorf("subscriber on %s got %q, want %q", name, ps, want)
		}
	}
}

func testNoSubscribers(t *testing.T, a, b broker.Broker) {
	publish(t, a, Topic(t, "nobody"), "lost in space")
	publish(t, b, Topic(t, "nobody"), "lost in space")
}

func testTopicIsolation(t *testing.T, a, b broker.Broker) {
	mine, other := Topic(t, "mine"), Topic(t, "other")
	r := NewRecorder()
	subscribe(t, b, r.Handle, mine)

	publish(t, a, other, "not for me")
	publish(t, a, mine, "for me")
	got := r.WaitPayload(t, "for me")
	// "not for me" was published first by the same publisher: had it been
	// delivered, it would be here already.
	if len(got) != 1 || got[0].Topic != mine {
		t.Fatalf("got %s, want only %s:\"for me\"", summary(got), mine)
	}
}

func testSeveralTopics(t *testing.T, a, b broker.Broker) {
	t1, t2 := Topic(t, "one"), Topic(t, "two")
	r := NewRecorder()
	subscribe(t, b, r.Handle, t1, t2, t1) // the duplicate counts once

	publish(t, a, t1, "1")
	publish(t, a, t2, "2")
	publish(t, a, t1, "end")
	got := r.WaitPayload(t, "end")
	want := []Msg{{t1, []byte("1")}, {t2, []byte("2")}, {t1, []byte("end")}}
	if len(got) != len(want) {
		t.Fatalf("got %s, want 3 messages", summary(got))
	}
	for i := range want {
		if got[i].Topic != want[i].Topic || !bytes.Equal(got[i].Payload, want[i].Payload) {
			t.Errorf("message %d = %s:%q, want %s:%q", i, got[i].Topic, got[i].Payload, want[i].Topic, want[i].Payload)
		}
	}
}

func testOrder(t *testing.T, a, b broker.Broker) {
	const n = 1000
	topic := Topic(t, "ordered")
	ra, rb := NewRecorder(), NewRecorder()
	subscribe(t, a, ra.Handle, topic)
	subscribe(t, b, rb.Handle, topic)

	for i := range n {
		publish(t, a, topic, strconv.Itoa(i))
	}
	for name, r := range map[string]*Recorder{"a": ra, "b": rb} {
		got := r.WaitN(t, n)
		if len(got) != n {
			t.Fatalf("subscriber on %s got %d messages, want %d", name, len(got), n)
		}
		for i, m := range got {
			if string(m.Payload) != strconv.Itoa(i) {
				t.Fatalf("subscriber on %s: message %d = %q, want %q", name, i, m.Payload, strconv.Itoa(i))
			}
		}
	}
}

func testPayload(t *testing.T, a, b broker.Broker) {
	allBytes := make([]byte, 512)
	for i := range allBytes {
		allBytes[i] = byte(i) // every byte value, zeros included
	}
	big := make([]byte, 64<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range big {
		big[i] = byte(rng.UintN(256))
	}
	big[0], big[len(big)-1] = 0, 0
	cases := [][]byte{
		{},
		{0},
		[]byte("\x00\x00\r\n$3\r\n*1\r\n"), // looks like RESP framing
		[]byte("Hallo 👋 wijkteam"),
		allBytes,
		big,
	}

	topic := Topic(t, "bytes")
	r := NewRecorder()
	subscribe(t, b, r.Handle, topic)

	buf := make([]byte, 0, len(big))
	for _, p := range cases {
		// Publish from a reused buffer that is scribbled over afterwards: the
		// broker must not keep a reference to the caller's memory.
		buf = append(buf[:0], p...)
		publishBytes(t, a, topic, buf)
		for i := range buf {
			buf[i] = 0xAA
		}
	}
	got := r.WaitN(t, len(cases))
	if len(got) != len(cases) {
		t.Fatalf("got %d messages, want %d", len(got), len(cases))
	}
	for i, want := range cases {
		if !bytes.Equal(got[i].Payload, want) {
			t.Errorf("payload %d: got %d bytes, want %d bytes (first diff at %d)", i, len(got[i].Payload), len(want), firstDiff(got[i].Payload, want))
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func testUnsubscribe(t *testing.T, a, b broker.Broker) {
	gone, sentinel := Topic(t, "gone"), Topic(t, "sentinel")
	rg, rs := NewRecorder(), NewRecorder()
	unsub := subscribe(t, b, rg.Handle, gone)
	subscribe(t, b, rs.Handle, sentinel)

	publish(t, a, gone, "before")
	rg.WaitPayload(t, "before")

	unsub()
	unsub() // idempotent

	publish(t, a, gone, "after")
	publish(t, a, sentinel, "sentinel")
	rs.WaitPayload(t, "sentinel")
	if got := rg.Msgs(); len(got) != 1 {
		t.Fatalf("unsubscribed handler got %s, want only \"before\"", summary(got))
	}
}

func testResubscribe(t *testing.T, a, b broker.Broker) {
	topic := Topic(t, "again")
	first := NewRecorder()
	unsub := subscribe(t, b, first.Handle, topic)
	publish(t, a, topic, "one")
	first.WaitPayload(t, "one")
	unsub()

	second := NewRecorder()
	subscribe(t, b, second.Handle, topic)
	publish(t, a, topic, "two")
	got := second.WaitPayload(t, "two")
	if len(got) != 1 {
		t.Fatalf("second subscription got %s, want only \"two\"", summary(got))
	}
	if got := first.Msgs(); len(got) != 1 {
		t.Fatalf("first subscription got %s after unsubscribing", summary(got))
	}
}

func testUnsubscribeFromHandler(t *testing.T, a, b broker.Broker) {
	topic, sentinel := Topic(t, "once"), Topic(t, "sentinel")
	r, rs := NewRecorder(), NewRecorder()
	unsubCh := make(chan func(), 1)
	h := func(topic string, payload []byte) {
		r.Handle(topic, payload)
		(<-unsubCh)() // unsubscribe from inside the handler: must not deadlock
	}
	unsub := subscribe(t, b, h, topic)
	unsubCh <- unsub
	subscribe(t, b, rs.Handle, sentinel)

	publish(t, a, topic, "first")
	r.WaitPayload(t, "first")
	publish(t, a, topic, "second")
	publish(t, a, sentinel, "sentinel")
	rs.WaitPayload(t, "sentinel")
	if got := r.Msgs(); len(got) != 1 {
		t.Fatalf("handler got %s, want only \"first\"", summary(got))
	}
}

func testTwoSubscribers(t *testing.T, a, b broker.Broker) {
	topic := Topic(t, "shared")
	r1, r2 := NewRecorder(), NewRecorder()
	unsub1 := subscribe(t, b, r1.Handle, topic)
	subscribe(t, b, r2.Handle, topic)

	publish(t, a, topic, "both")
	r1.WaitPayload(t, "both")
	r2.WaitPayload(t, "both")

	unsub1()
	publish(t, a, topic, "only two")
	got := r2.WaitPayload(t, "only two")
	if len(got) != 2 {
		t.Errorf("remaining subscriber got %s, want \"both\", \"only two\"", summary(got))
	}
	if got := r1.Msgs(); len(got) != 1 {
		t.Errorf("unsubscribed subscriber got %s, want only \"both\"", summary(got))
	}
}

func testSlowHandler(t *testing.T, a, b broker.Broker) {
	const n = 100
	topic := Topic(t, "slow")
	release := make(chan struct{})
	var releaseOnce sync.Once
	unblock := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(unblock) // never leave the handler stuck

	slow, fast := NewRecorder(), NewRecorder()
	subscribe(t, b, func(topic string, payload []byte) {
		<-release
		slow.Handle(topic, payload)
	}, topic)
	subscribe(t, b, fast.Handle, topic)

	for i := range n {
		publish(t, a, topic, strconv.Itoa(i)) // must not block on the slow handler
	}
	fast.WaitN(t, n)
	if got := slow.Msgs(); len(got) != 0 {
		t.Fatalf("blocked handler returned %d times", len(got))
	}
	unblock()
	got := slow.WaitN(t, n)
	for i, m := range got {
		if string(m.Payload) != strconv.Itoa(i) {
			t.Fatalf("slow handler: message %d = %q, want %d", i, m.Payload, i)
		}
	}
}

func testConcurrentPublishers(t *testing.T, a, b broker.Broker) {
	const publishers, each = 8, 125
	topic := Topic(t, "busy")
	ra, rb := NewRecorder(), NewRecorder()
	subscribe(t, a, ra.Handle, topic)
	subscribe(t, b, rb.Handle, topic)

	var wg sync.WaitGroup
	for g := range publishers {
		pub := a
		if g%2 == 1 {
			pub = b
		}
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), Timeout)
			defer cancel()
			for i := range each {
				if err := pub.Publish(ctx, topic, fmt.Appendf(nil, "%d/%d", g, i)); err != nil {
					t.Errorf("publisher %d: Publish: %v", g, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}

	for name, r := range map[string]*Recorder{"a": ra, "b": rb} {
		got := r.WaitN(t, publishers*each)
		next := make([]int, publishers)
		for _, m := range got {
			var g, i int
			if _, err := fmt.Sscanf(string(m.Payload), "%d/%d", &g, &i); err != nil || g < 0 || g >= publishers {
				t.Fatalf("subscriber on %s: bad payload %q", name, m.Payload)
			}
			if i != next[g] {
				t.Fatalf("subscriber on %s: publisher %d: got message %d, want %d", name, g, i, next[g])
			}
			next[g]++
		}
		if len(got) != publishers*each {
			t.Fatalf("subscriber on %s got %d messages, want %d", name, len(got), publishers*each)
		}
	}
}

func testBadArguments(t *testing.T, a, _ broker.Broker) {
	ctx := context.Background()
	if _, err := a.Subscribe(ctx, nil, NewRecorder().Handle); err == nil {
		t.Error("Subscribe without topics: no error")
	}
	if _, err := a.Subscribe(ctx, []string{Topic(t, "x")}, nil); err == nil {
		t.Error("Subscribe with nil handler: no error")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if unsub, err := a.Subscribe(cancelled, []string{Topic(t, "x")}, NewRecorder().Handle); err == nil {
		unsub()
		t.Error("Subscribe with cancelled context: no error")
	}
	// The broker still works.
	topic := Topic(t, "still")
	r := NewRecorder()
	subscribe(t, a, r.Handle, topic)
	publish(t, a, topic, "ok")
	r.WaitPayload(t, "ok")
}

func testClose(t *testing.T, a, b broker.Broker) {
	topic := Topic(t, "closing")
	r := NewRecorder()
	unsub := subscribe(t, a, r.Handle, topic)

	if err := a.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := a.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	unsub() // after Close: no panic, no hang

	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if err := a.Publish(ctx, topic, []byte("x")); !errors.Is(err, broker.ErrClosed) {
		t.Errorf("Publish after Close = %v, want ErrClosed", err)
	}
	if _, err := a.Subscribe(ctx, []string{topic}, r.Handle); !errors.Is(err, broker.ErrClosed) {
		t.Errorf("Subscribe after Close = %v, want ErrClosed", err)
	}
	if a != b {
		// A separate instance is not affected; publishing to a's old topic
		// is fine.
		publish(t, b, topic, "still here")
	}
}
