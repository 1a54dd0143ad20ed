package redisbroker_test

import (
	"context"
	"testing"

	"github.com/plein/plein/chat/broker/redistest"
)

// TestTakeSharedAcrossInstances (issue 16): two brokers (two instances) on
// one Redis take from the same bucket: a burst of 3 allows 3 requests in
// all, not 3 each; the refusal says how long to wait; another key has its
// own bucket.
func TestTakeSharedAcrossInstances(t *testing.T) {
	srv := redistest.Start(t)
	a, b := newBroker(t, srv.URL()), newBroker(t, srv.URL())
	ctx := context.Background()
	allowed := 0
	for i := range 8 {
		x := a
		if i%2 == 1 {
			x = b
		}
		ok, wait, err := x.Take(ctx, "login:10.0.0.1", 0.01, 3)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			allowed++
		} else if wait <= 0 {
			t.Fatalf("refused without a wait")
		}
	}
	if allowed != 3 {
		t.Fatalf("%d of 8 requests allowed across two instances, want the burst of 3", allowed)
	}
	if ok, _, err := b.Take(ctx, "login:10.0.0.2", 0.01, 3); err != nil || !ok {
		t.Fatalf("another client: %v %v", ok, err)
	}
}
