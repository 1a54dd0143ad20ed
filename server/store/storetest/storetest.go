// Package storetest gives tests a real embedded store over the wire.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"sync"
	"testing"

	"github.com/plein/plein/server/store"
)

var (
	once     sync.Once
	shared   *store.Embedded
	startErr error
)

// URI returns the connection string of one embedded FerretDB shared by the
// tests of a package (started on first use, in a temporary directory), or the
// store named by PLEIN_TEST_MONGODB_URI: MongoDB, or the embedded store in a
// process of its own (`plein store`), which `make test` uses so that the race
// detector instruments Plein and not SQLite (.ci/with-store.sh). Every test
// uses a database of its own, so several packages' tests share one store.
func URI(t testing.TB) string {
	t.Helper()
	if u := os.Getenv("PLEIN_TEST_MONGODB_URI"); u != "" {
		return u
	}
	once.Do(func() {
		dir, err := os.MkdirTemp("", "plein-store-")
		if err != nil {
			startErr = err
			return
		}
		shared, startErr = store.StartEmbedded(dir, "", slog.New(slog.DiscardHandler))
	})
	if startErr != nil {
		t.Fatalf("start embedded store: %v", startErr)
	}
	return shared.URI
}

// New opens a store on a fresh database that is dropped when the test ends.
func New(t testing.TB) *store.Store {
	t.Helper()
	uri := URI(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	s, err := store.Open(context.Background(), store.Options{URI: uri, Database: "t" + hex.EncodeToString(b)})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		_ = s.DB.Drop(context.Background())
		s.Close(context.Background())
	})
	return s
}
