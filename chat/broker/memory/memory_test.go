package memory_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/plein/plein/chat/broker"
	"github.com/plein/plein/chat/broker/brokertest"
	"github.com/plein/plein/chat/broker/memory"
)

func TestContract(t *testing.T) {
	brokertest.Run(t, func(t *testing.T) (broker.Broker, broker.Broker) {
		b := memory.New()
		t.Cleanup(func() { b.Close() })
		return b, b // one process: both "instances" are the same broker
	})
}

func TestFullQueueDropsAndCounts(t *testing.T) {
	b := memory.New(memory.WithQueueSize(4))
	t.Cleanup(func() { b.Close() })
	ctx := context.Background()

	release := make(chan struct{})
	started := make(chan struct{}, 1)
	slow := brokertest.NewRecorder()
	_, err := b.Subscribe(ctx, []string{"t"}, func(topic string, p []byte) {
		select {
		case started <- struct{}{}:
		default:
		}
		<-release
		slow.Handle(topic, p)
	})
	if err != nil {
		t.Fatal(err)
	}

	// The first message is taken by the handler, which blocks; wait for that
	// so the queue state is known.
	if err := b.Publish(ctx, "t", []byte("0")); err != nil {
		t.Fatal(err)
	}
	<-started
	for i := 1; i <= 10; i++ { // 4 fit in the queue, 6 are dropped
		if err := b.Publish(ctx, "t", []byte(strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	if got := b.Dropped(); got != 6 {
		t.Errorf("Dropped() = %d, want 6", got)
	}
	close(release)
	got := slow.WaitN(t, 5)
	want := []string{"0", "1", "2", "3", "4"}
	for i, m := range got {
		if string(m.Payload) != want[i] {
			t.Errorf("message %d = %q, want %q", i, m.Payload, want[i])
		}
	}
}

func TestPublishCancelledContext(t *testing.T) {
	b := memory.New()
	t.Cleanup(func() { b.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.Publish(ctx, "t", nil); err == nil {
		t.Error("Publish with cancelled context: no error")
	}
}

func BenchmarkPublishDeliver(b *testing.B) {
	brokertest.BenchPublishDeliver(b, func(b *testing.B) broker.Broker {
		m := memory.New()
		b.Cleanup(func() { m.Close() })
		return m
	})
}
