// Command refhub is the reference for chat/loadgen: a bare gorilla/websocket
// broadcast hub with nothing else — no authentication, no persistence, no
// JSON. A client joins one channel with /ws?ch=<id>; every text message it
// sends is broadcast, as one prepared message, to every connection of that
// channel (the sender included, as Plein does). Each connection has one
// bounded queue and one writer goroutine; a connection whose queue is full is
// dropped, as Plein drops a too-slow client.
//
//	go run ./chat/loadgen/refhub -listen 127.0.0.1:9100 [-pprof 127.0.0.1:9101]
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

const queueSize = 256 // as Plein's default send queue

type conn struct {
	ws   *websocket.Conn
	send chan *websocket.PreparedMessage
	once sync.Once
	done chan struct{}
}

type hub struct {
	mu    sync.RWMutex
	chans map[string]map[*conn]struct{}
}

func (h *hub) serve(w http.ResponseWriter, r *http.Request) {
	ch := r.URL.Query().Get("ch")
	if ch == "" {
		http.Error(w, "ch required", http.StatusBadRequest)
		return
	}
	up := websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096, CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &conn{ws: ws, send: make(chan *websocket.PreparedMessage, queueSize), done: make(chan struct{})}
	h.mu.Lock()
	if h.chans[ch] == nil {
		h.chans[ch] = map[*conn]struct{}{}
	}
	h.chans[ch][c] = struct{}{}
	h.mu.Unlock()
	go c.writeLoop()
	ws.SetReadLimit(16 << 10)
	for {
		mt, data, err := ws.ReadMessage()
		if err != nil {
			break
		}
		if mt != websocket.TextMessage {
			continue
		}
		pm, err := websocket.NewPreparedMessage(websocket.TextMessage, data)
		if err != nil {
			continue
		}
		h.mu.RLock()
		for o := range h.chans[ch] {
			select {
			case o.send <- pm:
			default:
				o.close() // too slow
			}
		}
		h.mu.RUnlock()
	}
	h.mu.Lock()
	delete(h.chans[ch], c)
	h.mu.Unlock()
	c.close()
}

func (c *conn) close() { c.once.Do(func() { close(c.done) }) }

func (c *conn) writeLoop() {
	defer c.ws.Close()
	for {
		select {
		case pm := <-c.send:
			_ = c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if err := c.ws.WritePreparedMessage(pm); err != nil {
				c.close()
				return
			}
		case <-c.done:
			return
		}
	}
}

func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	ip := net.ParseIP(host)
	return err == nil && ip != nil && ip.IsLoopback()
}

func main() {
	listen := flag.String("listen", "127.0.0.1:9100", "loopback address for /ws")
	pp := flag.String("pprof", "", "loopback address for net/http/pprof (empty: none)")
	flag.Parse()
	if !loopback(*listen) || (*pp != "" && !loopback(*pp)) {
		fmt.Fprintln(os.Stderr, "refhub: loopback addresses only")
		os.Exit(2)
	}
	h := &hub{chans: map[string]map[*conn]struct{}{}}
	if *pp != "" {
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		go func() { log.Println(http.ListenAndServe(*pp, mux)) }()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", h.serve)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("refhub ready", ln.Addr())
	log.Fatal((&http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}).Serve(ln))
}
