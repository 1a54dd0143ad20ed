package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gorilla/websocket"
)

type fakeBackend struct {
	srv   *httptest.Server
	ready atomic.Bool
	last  atomic.Pointer[http.Request]
}

func newFake(t *testing.T) *fakeBackend {
	t.Helper()
	f := &fakeBackend{}
	f.ready.Store(true)
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	mux := http.NewServeMux()
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if !f.ready.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			mt, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			_ = c.WriteMessage(mt, append([]byte(f.srv.Listener.Addr().String()+" "), msg...))
		}
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		f.last.Store(r.Clone(context.Background()))
		_, _ = io.WriteString(w, r.Method+" "+r.URL.RequestURI())
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeBackend) addr() string { return f.srv.Listener.Addr().String() }

func startLB(t *testing.T, backends ...string) (*balancer, string) {
	t.Helper()
	b, err := newBalancer(backends, "/readyz", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	s := httptest.NewServer(b)
	t.Cleanup(s.Close)
	return b, s.URL
}

func get(t *testing.T, url string) (status int, backend, body string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	bb, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get(BackendHeader), string(bb)
}

func TestRoundRobinAndForwardedHeaders(t *testing.T) {
	a, b := newFake(t), newFake(t)
	_, lb := startLB(t, a.addr(), "http://"+b.addr())
	seen := map[string]int{}
	for range 6 {
		st, be, body := get(t, lb+"/api/v1/session?x=1")
		if st != 200 || body != "GET /api/v1/session?x=1" {
			t.Fatalf("%d %q", st, body)
		}
		seen[be]++
	}
	if seen[a.addr()] != 3 || seen[b.addr()] != 3 {
		t.Fatalf("not round-robin: %v", seen)
	}
	r := a.last.Load()
	lbHost := strings.TrimPrefix(lb, "http://")
	if r.Host != lbHost || r.Header.Get("X-Forwarded-For") != "127.0.0.1" || r.Header.Get("X-Forwarded-Proto") != "http" || r.Header.Get("X-Forwarded-Host") != lbHost {
		t.Fatalf("host %q headers %v", r.Host, r.Header)
	}
}

func TestUnreachableBackendIsSkipped(t *testing.T) {
	a, dead := newFake(t), newFake(t)
	deadAddr := dead.addr()
	dead.srv.Close()
	b, lb := startLB(t, deadAddr, a.addr())
	for range 4 {
		if st, be, _ := get(t, lb+"/x"); st != 200 || be != a.addr() {
			t.Fatalf("%d from %q", st, be)
		}
	}
	if b.backends[0].healthy.Load() {
		t.Fatal("dead backend still marked healthy")
	}
	// A request with a body is never replayed on another backend; with the
	// dead one marked down it is not sent there either.
	resp, err := http.Post(lb+"/x", "text/plain", strings.NewReader("hi"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("POST %d", resp.StatusCode)
	}
	// With every backend gone the client gets 502, not a hang.
	a.srv.Close()
	if st, _, _ := get(t, lb+"/x"); st != http.StatusBadGateway {
		t.Fatalf("all down: %d", st)
	}
}

func TestHealthCheckTakesBackendOutAndBack(t *testing.T) {
	a, b := newFake(t), newFake(t)
	bal, lb := startLB(t, a.addr(), b.addr())
	b.ready.Store(false)
	bal.check(context.Background())
	for range 4 {
		if _, be, _ := get(t, lb+"/"); be != a.addr() {
			t.Fatalf("served by unready backend %q", be)
		}
	}
	b.ready.Store(true)
	bal.check(context.Background())
	seen := map[string]bool{}
	for range 4 {
		_, be, _ := get(t, lb+"/")
		seen[be] = true
	}
	if !seen[b.addr()] {
		t.Fatal("recovered backend not used")
	}
}

func TestWebsocketPassesThrough(t *testing.T) {
	a, b := newFake(t), newFake(t)
	_, lb := startLB(t, a.addr(), b.addr())
	for range 2 {
		c, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(lb, "http")+"/ws", nil)
		if err != nil {
			t.Fatal(err)
		}
		be := resp.Header.Get(BackendHeader)
		if err := c.WriteMessage(websocket.TextMessage, []byte("hallo")); err != nil {
			t.Fatal(err)
		}
		_, msg, err := c.ReadMessage()
		c.Close()
		if err != nil || string(msg) != be+" hallo" {
			t.Fatalf("echo %q from %q: %v", msg, be, err)
		}
	}
}
