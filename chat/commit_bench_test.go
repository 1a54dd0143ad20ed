package chat

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/plein/plein/server/store"
)

// BenchmarkStoredChat measures stored chat throughput on the embedded store:
// 64 senders in two team channels, each send answered only once its entry
// is stored (the ack's condition), under both durability settings. It
// reports messages per second (docs/performance.md).
func BenchmarkStoredChat(b *testing.B) {
	for _, sync := range []store.Synchronous{store.SyncFull, store.SyncNormal} {
		b.Run(string(sync), func(b *testing.B) {
			e, err := store.StartEmbedded(b.TempDir(), "", slog.New(slog.DiscardHandler), store.WithSynchronous(sync))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(e.Close)
			benchStoredChat(b, e.URI)
		})
	}
}

func benchStoredChat(b *testing.B, uri string) {
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{URI: uri, Database: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close(ctx) })
	svc, err := NewService(ctx, NewStore(st), fakeDir{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	const senders = 64
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for w := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user, ch := fmt.Sprintf("a%d", w), "t-alpha" // fakeDir: "a…" are in alpha, the others in beta
			if w%2 == 1 {
				user, ch = fmt.Sprintf("b%d", w), "t-beta"
			}
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				if _, err := svc.Append(ctx, user, Input{Ch: ch, ClientID: fmt.Sprintf("c%d", i), Kind: EntryMsg, Body: "bericht"}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
