package brokertest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plein/plein/chat/broker"
)

// BenchPublishDeliver measures one publisher and one subscriber with a
// 256-byte payload, from Publish until the handler has run.
//
//   - window=1: one message in flight at a time (round-trip latency).
//   - window=1024: up to 1024 in flight (throughput); the window stays below
//     the subscription queue so nothing is dropped.
func BenchPublishDeliver(b *testing.B, newBroker func(b *testing.B) broker.Broker) {
	br := newBroker(b)
	payload := make([]byte, 256)
	for i := range payload {
		payload[i] = byte(i)
	}
	for _, window := range []int{1, 1024} {
		b.Run(fmt.Sprintf("window=%d", window), func(b *testing.B) {
			ctx := context.Background()
			topic := fmt.Sprintf("bench.%d.%d", window, rand.Uint64())
			inFlight := make(chan struct{}, window)
			done := make(chan struct{})
			var received atomic.Int64
			n := int64(b.N)
			unsub, err := br.Subscribe(ctx, []string{topic}, func(string, []byte) {
				<-inFlight
				if received.Add(1) == n {
					close(done)
				}
			})
			if err != nil {
				b.Fatal(err)
			}
			defer unsub()

			b.SetBytes(int64(len(payload)))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				inFlight <- struct{}{}
				if err := br.Publish(ctx, topic, payload); err != nil {
					b.Fatal(err)
				}
			}
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				b.Fatalf("delivered %d of %d messages", received.Load(), n)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
