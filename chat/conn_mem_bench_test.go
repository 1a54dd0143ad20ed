package chat

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/chat/broker/memory"
	"github.com/plein/plein/server/store/storetest"
)

// soloDir puts every person in a team of their own: no presence traffic
// between the benchmark's connections.
type soloDir struct{ fakeDir }

func (soloDir) TeamsOf(u string) []string      { return []string{u} }
func (soloDir) TeamMembers(t string) []string  { return []string{t} }
func (soloDir) Team(t string) (string, bool)   { return t, true }
func (soloDir) Person(u string) (string, bool) { return u, true }

// BenchmarkIdleConnMemory reports the Go heap and stacks an idle websocket
// connection holds on the server (B/conn; docs/performance.md): n
// connections are opened with a raw handshake (the client side keeps only
// its socket, a few hundred bytes, included in the figure), each reads its
// `ready`, then the heap is measured after a forced GC. It asserts nothing.
func BenchmarkIdleConnMemory(b *testing.B) {
	const n = 1000
	ctx := context.Background()
	svc, err := NewService(ctx, NewStore(storetest.New(b)), soloDir{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	h, err := NewHub(ctx, svc, memory.New(), HubOptions{})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := r.URL.Query().Get("u")
		h.Serve(w, r, u, u, "s-"+u, func(*http.Request) bool { return true })
	}))
	b.Cleanup(srv.Close)
	b.Cleanup(h.Abort)
	for range b.N {
		beforeHeap, beforeStack := heapAndStacks()
		conns := make([]net.Conn, 0, n)
		for i := range n {
			conns = append(conns, rawWebsocket(b, srv.Listener.Addr().String(), fmt.Sprintf("u%d-%d", len(conns), i)))
		}
		deadline := time.Now().Add(30 * time.Second)
		for h.Connections() < n && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		afterHeap, afterStack := heapAndStacks()
		b.ReportMetric(float64(afterHeap-beforeHeap+afterStack-beforeStack)/n, "B/conn")
		b.ReportMetric(float64(afterStack-beforeStack)/n, "stack-B/conn")
		for _, c := range conns {
			_ = c.Close()
		}
		for h.Connections() > 0 && time.Now().Before(deadline.Add(30*time.Second)) {
			time.Sleep(10 * time.Millisecond)
		}
	}
}

func heapAndStacks() (heap, stacks int64) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapInuse), int64(ms.StackInuse)
}

// rawWebsocket upgrades a plain TCP connection and reads up to the end of
// the `ready` frame's header line; the connection is then left idle.
func rawWebsocket(b *testing.B, addr, user string) net.Conn {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	fmt.Fprintf(c, "GET /ws?u=%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", user, addr)
	r := bufio.NewReaderSize(c, 64)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			b.Fatal(err)
		}
		if strings.TrimSpace(line) == "" {
			break
		}
	}
	// The ready frame: read until its type shows, so the connection is registered.
	buf := make([]byte, 0, 256)
	for !strings.Contains(string(buf), `"ready"`) {
		ch, err := r.ReadByte()
		if err != nil {
			b.Fatal(err)
		}
		buf = append(buf, ch)
		if len(buf) == cap(buf) {
			buf = buf[128:]
		}
	}
	return c
}
