package chat

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	redisbroker "github.com/plein/plein/chat/broker/redis"
	"github.com/plein/plein/chat/broker/redistest"
	"github.com/plein/plein/server/httpapi"
)

// limitHub is the part of a hub that decides the send limit.
func limitHub(limits httpapi.SharedLimits) *Hub {
	return &Hub{opts: HubOptions{Limits: limits}, sends: httpapi.NewClientLimiter(SendRatePerSecond, SendBurst)}
}

// TestSendLimitSharedAcrossInstances (issue 16): two instances on one Redis
// take a user's sends from one bucket, so sending by turns through both
// allows the burst once, not once per instance; another user has their own.
func TestSendLimitSharedAcrossInstances(t *testing.T) {
	srv := redistest.Start(t)
	var hubs []*Hub
	for range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		b, err := redisbroker.New(ctx, srv.URL())
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = b.Close() })
		hubs = append(hubs, limitHub(b))
	}
	ctx := context.Background()
	allowed := 0
	start := time.Now()
	for i := range 4 * SendBurst {
		if hubs[i%2].allow(ctx, "u1") {
			allowed++
		}
	}
	refilled := int(time.Since(start).Seconds()*SendRatePerSecond) + 1
	if allowed < SendBurst || allowed > SendBurst+refilled {
		t.Fatalf("%d of %d sends allowed by two instances (burst %d, %d refilled): the limit is not shared", allowed, 4*SendBurst, SendBurst, refilled)
	}
	if !hubs[1].allow(ctx, "u2") {
		t.Fatal("another user shares the first one's bucket")
	}
}

type failingLimits struct{ calls int }

func (f *failingLimits) Take(context.Context, string, float64, int) (bool, time.Duration, error) {
	f.calls++
	return false, 0, errors.New("redis down")
}

// TestSendLimitFallsBackToTheInstance: when the shared limits fail, the
// instance's own bucket decides (the burst, then refusals): never open.
func TestSendLimitFallsBackToTheInstance(t *testing.T) {
	shared := &failingLimits{}
	h := limitHub(shared)
	allowed := 0
	start := time.Now()
	for range 3 * SendBurst {
		if h.allow(context.Background(), "u1") {
			allowed++
		}
	}
	refilled := int(time.Since(start).Seconds()*SendRatePerSecond) + 1
	if shared.calls != 3*SendBurst || allowed < SendBurst || allowed > SendBurst+refilled {
		t.Fatalf("%d allowed (burst %d, %d refilled), shared limits asked %d times", allowed, SendBurst, refilled, shared.calls)
	}
}

// BenchmarkSendLimit: what the send limit costs a write, with this
// instance's buckets and with the shared ones (one Redis round trip).
func BenchmarkSendLimit(b *testing.B) {
	b.Run("instance", func(b *testing.B) {
		h := limitHub(nil)
		for i := 0; b.Loop(); i++ {
			h.allow(context.Background(), fmt.Sprint("u", i%1000))
		}
	})
	b.Run("shared", func(b *testing.B) {
		srv := redistest.Start(b)
		br, err := redisbroker.New(context.Background(), srv.URL())
		if err != nil {
			b.Fatal(err)
		}
		defer br.Close()
		h := limitHub(br)
		for i := 0; b.Loop(); i++ {
			h.allow(context.Background(), fmt.Sprint("u", i%1000))
		}
	})
}
