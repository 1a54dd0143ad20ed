package apptest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/plein/plein/server/app"
	"github.com/plein/plein/server/config"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/storetest"
)

// instance is what StartCluster keeps of a server beyond Server's fields:
// the HTTP server, so that Kill can close the listener.
type instance struct {
	http *http.Server
	once sync.Once
}

var instances sync.Map // *Server → *instance

// StartCluster starts n instances that share one database (on the package's
// shared embedded store) and one Redis (redisURL), like several Plein
// instances behind a load balancer. Instance 0 starts first (it migrates and
// seeds the demo organisation); the others start after it, side by side (as
// instances of a deployment do), which saves a start's wait per instance.
//
// Every instance runs its own development identity provider, so log in
// through instance 0 (srvs[0].Login): users are seeded with instance 0's
// issuer. Sessions live in the shared store, so the session cookie works on
// every instance (see ChatClient).
func StartCluster(t testing.TB, n int, redisURL string) []*Server {
	t.Helper()
	if n < 1 {
		t.Fatalf("StartCluster: n = %d", n)
	}
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	db := "cluster" + hex.EncodeToString(b)
	uri := storetest.URI(t)
	// Registered first, so it runs last: after every instance has closed.
	t.Cleanup(func() {
		s, err := store.Open(context.Background(), store.Options{URI: uri, Database: db})
		if err != nil {
			t.Logf("drop cluster database: %v", err)
			return
		}
		_ = s.DB.Drop(context.Background())
		s.Close(context.Background())
	})
	out := make([]*Server, n)
	errs := make([]error, n)
	env := []string{"MONGODB_DATABASE", db, "REDIS_URL", redisURL}
	out[0], errs[0] = startInstance(t, env...)
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	var wg sync.WaitGroup
	for i := 1; i < n; i++ {
		wg.Go(func() {
			out[i], errs[i] = startInstance(t, slices.Concat(env, []string{"PLEIN_SEED_DEMO", "false"})...)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// startInstance is Start for cluster members: the same defaults, but the
// database is not dropped when the test ends (StartCluster does that once)
// and the HTTP server is kept for Kill. It reports instead of failing, so
// that instances can start on goroutines of their own.
func startInstance(t testing.TB, env ...string) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	base := "http://" + ln.Addr().String()
	vars := map[string]string{
		"PLEIN_MODE": "development", "PLEIN_BASE_URL": base, "PLEIN_LISTEN": ln.Addr().String(),
		"MONGODB_URI": storetest.URI(t),
	}
	for i := 0; i+1 < len(env); i += 2 {
		vars[env[i]] = env[i+1]
	}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	log := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(&tbWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})).With("instance", base)
	}
	a, err := app.New(context.Background(), cfg, log)
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	hs := &http.Server{Handler: a.Handler()}
	go func() { _ = hs.Serve(ln) }()
	srv := &Server{URL: base, App: a}
	instances.Store(srv, &instance{http: hs})
	t.Cleanup(func() {
		_ = hs.Close()
		a.Close(context.Background())
		instances.Delete(srv)
	})
	return srv, nil
}

// Kill stops a cluster instance abruptly, as a crash would: the listener
// closes (new connections are refused), every websocket is dropped without
// a close frame, and the instance leaves the broker. Requests being handled
// run to their end, but their answers go nowhere. The store and the rest of
// the app are closed when the test ends. Kill is idempotent; it works only on
// servers from StartCluster.
func (s *Server) Kill(t testing.TB) {
	t.Helper()
	v, ok := instances.Load(s)
	if !ok {
		t.Fatal("Kill: not a StartCluster instance")
	}
	in := v.(*instance)
	in.once.Do(func() {
		_ = in.http.Close() // listener and non-hijacked connections
		s.App.Hub.Abort()   // hijacked websockets
		_ = s.App.Broker.Close()
	})
}

// Cookie returns the client's cookies for its server as a Cookie header
// value. Cookies on 127.0.0.1 do not depend on the port, so the same header
// authenticates on every cluster instance.
func (c *Client) Cookie() string {
	u, _ := url.Parse(c.srv.URL)
	var cookies []string
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	return strings.Join(cookies, "; ")
}

// URLs lists the servers' base URLs.
func URLs(srvs []*Server) []string {
	out := make([]string, len(srvs))
	for i, s := range srvs {
		out[i] = s.URL
	}
	return out
}
