package main

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/plein/plein/chat/loadgen/hist"
)

// t0 is the generator's clock origin: send timestamps are monotonic
// nanoseconds since t0, so sender and receiver (same process) agree exactly.
var t0 = time.Now()

func now() int64 { return int64(time.Since(t0)) }

var (
	bodyMarker  = []byte(`"body":"lg `)
	errorMarker = []byte(`"type":"error"`)
	ackMarker   = []byte(`"clientId":"lg-`) // Plein's ack: keys sorted, clientId then duplicate
	ackNext     = []byte(`","duplicate"`)
	readyMarker = []byte(`"type":"ready"`)
)

var framesBeforeReady atomic.Int64

var dialer = &websocket.Dialer{HandshakeTimeout: 20 * time.Second, ReadBufferSize: 4096, WriteBufferSize: 4096}

type client struct {
	idx int
	ch  string
	ws  *websocket.Conn
	mu  sync.Mutex // one writer at a time
	buf bytes.Buffer
	seq int
}

// stats are shared by every client of one run.
type stats struct {
	winStart, winEnd atomic.Int64 // measurement window (now() units); 0 = not yet
	lat              *hist.H
	ackLat           *hist.H      // Plein: send → ack (stored), window sends only
	recvAll          atomic.Int64 // deliveries received
	recvInWin        atomic.Int64 // deliveries received during the window
	deliveredWinMsgs atomic.Int64 // deliveries of messages sent during the window
	errFrames        atomic.Int64
	closedByServer   atomic.Int64
	closeCodes       sync.Map // code → *atomic.Int64
	firstErr         atomic.Value
	closing          atomic.Bool
	open             atomic.Int64
}

func newStats() *stats { return &stats{lat: hist.New(), ackLat: hist.New()} }

func (s *stats) inWindow(t int64) bool {
	ws, we := s.winStart.Load(), s.winEnd.Load()
	return ws != 0 && t >= ws && (we == 0 || t < we)
}

func dial(url string, h http.Header, waitReady bool) (*websocket.Conn, error) {
	ws, resp, err := dialer.Dial(url, h)
	if err != nil {
		if resp != nil {
			return nil, errors.New(err.Error() + " (HTTP " + resp.Status + ")")
		}
		return nil, err
	}
	if waitReady {
		// docs/protocol.md says ready is the first frame; Plein can queue a
		// presence frame of a team mate before it (register subscribes the
		// connection before ready is built). Count those and wait for ready.
		_ = ws.SetReadDeadline(time.Now().Add(30 * time.Second))
		for {
			_, b, err := ws.ReadMessage()
			if err != nil {
				ws.Close()
				return nil, err
			}
			if bytes.Contains(b, readyMarker) {
				break
			}
			framesBeforeReady.Add(1)
		}
		_ = ws.SetReadDeadline(time.Time{})
	}
	return ws, nil
}

// readLoop receives until the connection ends, timing every load-test
// message it finds (a batch may carry several).
func (c *client) readLoop(st *stats) {
	defer st.open.Add(-1)
	for {
		_, r, err := c.ws.NextReader()
		if err != nil {
			if !st.closing.Load() {
				st.closedByServer.Add(1)
				code := -1
				var ce *websocket.CloseError
				if errors.As(err, &ce) {
					code = ce.Code
				}
				v, _ := st.closeCodes.LoadOrStore(code, new(atomic.Int64))
				v.(*atomic.Int64).Add(1)
				st.firstErr.CompareAndSwap(nil, err.Error())
			}
			return
		}
		c.buf.Reset()
		if _, err := c.buf.ReadFrom(r); err != nil {
			continue
		}
		at := now()
		b := c.buf.Bytes()
		for {
			i := bytes.Index(b, bodyMarker)
			if i < 0 {
				break
			}
			b = b[i+len(bodyMarker):]
			j := bytes.IndexByte(b, ' ')
			if j < 0 {
				break
			}
			ts, err := strconv.ParseInt(string(b[:j]), 10, 64)
			if err != nil {
				continue
			}
			st.recvAll.Add(1)
			if st.inWindow(at) {
				st.recvInWin.Add(1)
			}
			if st.inWindow(ts) {
				st.deliveredWinMsgs.Add(1)
				st.lat.Record(time.Duration(at-ts), c.idx)
			}
		}
		for b := c.buf.Bytes(); ; {
			i := bytes.Index(b, ackMarker)
			if i < 0 {
				break
			}
			b = b[i+len(ackMarker):]
			j := bytes.IndexByte(b, '"')
			if j < 0 || !bytes.HasPrefix(b[j:], ackNext) {
				continue
			}
			// clientId is lg-<idx>-<seq>-<send timestamp>
			id := b[:j]
			k := bytes.LastIndexByte(id, '-')
			if ts, err := strconv.ParseInt(string(id[k+1:]), 10, 64); err == nil && st.inWindow(ts) {
				st.ackLat.Record(time.Duration(at-ts), c.idx)
			}
		}
		if bytes.Contains(c.buf.Bytes(), errorMarker) {
			if st.errFrames.Add(1) <= 3 {
				st.firstErr.CompareAndSwap(nil, string(c.buf.Bytes()[:min(c.buf.Len(), 300)]))
			}
		}
	}
}

// send writes one load-test message stamped with the current time. The same
// frame goes to Plein and to the reference (which ignores its structure).
func (c *client) send(body []byte, st *stats) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	ts := now()
	var b []byte
	b = append(b, `{"type":"send","ch":"`...)
	b = append(b, c.ch...)
	b = append(b, `","clientId":"lg-`...)
	b = strconv.AppendInt(b, int64(c.idx), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(c.seq), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, ts, 10)
	b = append(b, `","body":"lg `...)
	b = strconv.AppendInt(b, ts, 10)
	b = append(b, ' ')
	b = append(b, body...)
	b = append(b, `"}`...)
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return ts, c.ws.WriteMessage(websocket.TextMessage, b)
}
