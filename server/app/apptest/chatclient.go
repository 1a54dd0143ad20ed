package apptest

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// ChatClient is the client side of docs/protocol.md, done the way the web app
// does it (frontend/src/features/chat/connection.ts), for tests against one
// or several instances:
//
//   - it keeps, per channel, the entries it holds by seq (deduplicated) and
//     the highest seq up to which it holds everything;
//   - an entry beyond that (a gap), a `resync` frame, or an `ack` whose entry
//     does not follow, makes it `sync` from the last seq it holds;
//   - after every `ready` (first connection and every reconnection) it syncs
//     every channel from its last seq and resends every unacknowledged send
//     with the same clientId;
//   - a connection that ends is replaced by one to the next URL of its list
//     (a load balancer's view of the cluster), with backoff; close code 4001
//     ends the client;
//   - `rate_limited` and `unavailable` refusals of a send are retried with
//     the same clientId after a delay, until the client is closed.
//
// Everything it learns is recorded for assertions: entries held, entries
// received again (Redelivered), messages shown twice (Duplicates), acks,
// close codes. Wait* methods block until a condition holds or a deadline
// passes; they never poll.
type ChatClient struct {
	t      testing.TB
	name   string
	urls   []string
	cookie string
	opts   ChatOptions
	prefix string // clientId prefix, unique per ChatClient

	wmu sync.Mutex // one writer per websocket

	mu          sync.Mutex
	changed     chan struct{} // closed and replaced on every state change
	ws          *websocket.Conn
	url         string
	ready       bool
	user        string
	chans       map[string]*ccChan
	ops         map[string]*ccOp
	opOrder     []string
	nextOp      int
	acks        []Ack
	refused     []Refusal
	closes      []Close
	readies     []string // URL of every `ready`
	live        map[string][]int64
	redelivered int
	pongs       map[string]bool
	reqs        map[string]string // sync request id → channel
	reqN        int
	closed      bool
	ended       bool // session ended (4001)

	done chan struct{}
	wg   sync.WaitGroup
}

// ChatOptions tune a ChatClient.
type ChatOptions struct {
	// Name labels the client in failure messages (default: "client-" and its
	// clientId prefix).
	Name string
	// Start is the index in the URL list of the first instance to dial.
	Start int
	// Backoff is the wait before the attempt-th reconnection (0-based) after
	// a connection ended with code (1006 when it ended without a close frame,
	// 0 when dialling failed). Default: 1012 waits 10–60 ms (the web app:
	// 0.5–3 s), others 20 ms doubling to 500 ms with ±50 % jitter (the web
	// app: 0.5 s doubling to 30 s).
	Backoff func(attempt, code int) time.Duration
	// AckFetch is how long an acknowledged entry may take to arrive before the
	// client syncs to fetch it (default 2 s, as the web app).
	AckFetch time.Duration
	// RetryDelay is the wait before resending a refused (rate_limited,
	// unavailable) send, by attempt (default 100 ms × attempt, at most 1 s).
	RetryDelay func(attempt int) time.Duration
	// Watch, when set, is signalled on every change of the client's state,
	// so that a test can wait for a condition over several clients.
	Watch *Watch
}

// Watch lets a test wait for a condition over several ChatClients.
type Watch struct{ ch chan struct{} }

// NewWatch returns a Watch to put in the ChatOptions of the clients watched.
func NewWatch() *Watch { return &Watch{ch: make(chan struct{}, 1)} }

// Signal wakes Until (e.g. after a change the test itself made).
func (w *Watch) Signal() {
	select {
	case w.ch <- struct{}{}:
	default:
	}
}

// Until blocks until cond() is true, checked after every change of a
// watched client, or timeout passes. One goroutine at a time may wait.
func (w *Watch) Until(timeout time.Duration, what string, cond func() bool) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		// A change after this check leaves a signal in the buffer.
		if cond() {
			return nil
		}
		select {
		case <-w.ch:
		case <-deadline.C:
			return fmt.Errorf("no %s within %v", what, timeout)
		}
	}
}

// ChatEntry is an entry as the client holds it.
type ChatEntry struct {
	Ch       string `json:"ch"`
	Seq      int64  `json:"seq"`
	Kind     string `json:"kind"`
	By       string `json:"by"`
	ByName   string `json:"byName"`
	ClientID string `json:"clientId"`
	Body     string `json:"body"`
	Target   int64  `json:"target"`
	Reply    int64  `json:"reply"`
}

// Ack is an `ack` frame.
type Ack struct {
	ClientID  string
	Ch        string
	Seq       int64
	Duplicate bool
	At        string // URL of the instance that answered
}

// Refusal is an `error` frame for a send that the client gave up on, or an
// error frame it did not expect.
type Refusal struct {
	ClientID, Code, Message string
}

// Close is how a connection ended.
type Close struct {
	URL  string
	Code int // 1006: no close frame
	Text string
}

type ccChan struct {
	held     map[int64]*ChatEntry
	high     int64 // every seq 1..high is held
	max      int64 // highest seq held
	lastSeq  int64 // highest seq the server mentioned (summary, ack)
	syncing  bool
	again    bool            // sync again when the current one answers
	byClient map[string]bool // "<by>\x00<clientId>" of messages held
	dupShown int             // messages held under two seqs (same author and clientId)
	fromSync int             // entries first learned from a sync answer
	fromLive int             // entries first learned from an entry frame
}

type ccOp struct {
	clientID string
	frame    map[string]any
	status   string // queued | inflight
	retries  int
	timer    *time.Timer
}

// NewChatClient connects a chat client for the logged-in client c to the
// first of urls (instance base URLs; c's session cookie is sent to each).
// It is closed when the test ends.
func NewChatClient(t testing.TB, c *Client, urls []string, opts ...ChatOptions) *ChatClient {
	t.Helper()
	var o ChatOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if len(urls) == 0 {
		urls = []string{c.srv.URL}
	}
	if o.Backoff == nil {
		o.Backoff = defaultBackoff
	}
	if o.AckFetch <= 0 {
		o.AckFetch = 2 * time.Second
	}
	if o.RetryDelay == nil {
		o.RetryDelay = func(n int) time.Duration { return min(time.Second, time.Duration(n)*100*time.Millisecond) }
	}
	b := make([]byte, 4)
	_, _ = crand.Read(b)
	cc := &ChatClient{t: t, name: o.Name, urls: slices.Clone(urls), cookie: c.Cookie(), opts: o,
		prefix: hex.EncodeToString(b), changed: make(chan struct{}),
		chans: map[string]*ccChan{}, ops: map[string]*ccOp{}, live: map[string][]int64{},
		pongs: map[string]bool{}, reqs: map[string]string{}, done: make(chan struct{})}
	if cc.name == "" {
		cc.name = "client-" + cc.prefix
	}
	cc.wg.Add(1)
	go cc.run(o.Start)
	t.Cleanup(cc.Close)
	return cc
}

func defaultBackoff(attempt, code int) time.Duration {
	if code == 1012 {
		return 10*time.Millisecond + rand.N(50*time.Millisecond)
	}
	base := min(500*time.Millisecond, 20*time.Millisecond<<min(attempt, 10))
	return base/2 + rand.N(base)
}

// Name is the client's label.
func (c *ChatClient) Name() string { return c.name }

// Close stops the client: it closes the connection and stops reconnecting.
func (c *ChatClient) Close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	close(c.done)
	ws := c.ws
	for _, op := range c.ops {
		if op.timer != nil {
			op.timer.Stop()
		}
	}
	c.notifyLocked()
	c.mu.Unlock()
	if ws != nil {
		_ = ws.Close()
	}
	c.wg.Wait()
}

// ---------- connection ----------

func (c *ChatClient) run(start int) {
	defer c.wg.Done()
	idx := start
	attempt, code := 0, -1
	for {
		if code >= 0 {
			t := time.NewTimer(c.opts.Backoff(attempt, code))
			select {
			case <-c.done:
				t.Stop()
				return
			case <-t.C:
			}
		}
		url := c.urls[idx%len(c.urls)]
		idx++
		ws, err := c.dial(url)
		if err != nil {
			select {
			case <-c.done:
				return
			default:
			}
			attempt++
			code = 0
			continue
		}
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			_ = ws.Close()
			return
		}
		c.ws, c.url = ws, url
		c.mu.Unlock()

		cl, hadReady := c.readLoop(ws, url)
		_ = ws.Close()
		c.mu.Lock()
		c.gone(cl)
		stop := c.closed || c.ended
		c.mu.Unlock()
		if stop {
			return
		}
		if hadReady {
			attempt = 0
		} else {
			attempt++
		}
		code = cl.Code
	}
}

func (c *ChatClient) dial(url string) (*websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() {
		select {
		case <-c.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	h := http.Header{}
	h.Set("Cookie", c.cookie)
	h.Set("Origin", url)
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	ws, _, err := d.DialContext(ctx, "ws"+strings.TrimPrefix(url, "http")+"/api/v1/ws", h)
	return ws, err
}

// readLoop reads until the connection ends and reports how.
func (c *ChatClient) readLoop(ws *websocket.Conn, url string) (Close, bool) {
	hadReady := false
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			cl := Close{URL: url, Code: websocket.CloseAbnormalClosure}
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				cl.Code, cl.Text = ce.Code, ce.Text
			}
			return cl, hadReady
		}
		var frames []map[string]json.RawMessage
		if len(data) > 0 && data[0] == '[' {
			if err := json.Unmarshal(data, &frames); err != nil {
				c.t.Errorf("%s: undecodable batch from %s: %v: %.200s", c.name, url, err, data)
				continue
			}
		} else {
			var f map[string]json.RawMessage
			if err := json.Unmarshal(data, &f); err != nil {
				c.t.Errorf("%s: undecodable frame from %s: %v: %.200s", c.name, url, err, data)
				continue
			}
			frames = append(frames, f)
		}
		var out []map[string]any
		c.mu.Lock()
		if c.ws == ws {
			for _, f := range frames {
				if str(f["type"]) == "ready" {
					hadReady = true
				}
				out = c.handle(f, url, out)
			}
			c.notifyLocked()
		}
		c.mu.Unlock()
		c.write(ws, out)
	}
}

// gone records the end of the connection; unacknowledged sends are resent
// after the next `ready`.
func (c *ChatClient) gone(cl Close) {
	c.ws, c.ready = nil, false
	c.closes = append(c.closes, cl)
	clear(c.reqs)
	for _, ch := range c.chans {
		ch.syncing, ch.again = false, false
	}
	for _, op := range c.ops {
		if op.status == "inflight" {
			op.status = "queued"
		}
	}
	if cl.Code == 4001 {
		c.ended = true
	}
	c.notifyLocked()
}

// write sends frames on ws (not holding c.mu); a failed write is left to the
// reader, which sees the connection end.
func (c *ChatClient) write(ws *websocket.Conn, frames []map[string]any) {
	if len(frames) == 0 || ws == nil {
		return
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	for _, f := range frames {
		if err := ws.WriteJSON(f); err != nil {
			return
		}
	}
}

// ---------- frames ----------

func str(raw json.RawMessage) string {
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}

func (c *ChatClient) handle(f map[string]json.RawMessage, url string, out []map[string]any) []map[string]any {
	switch str(f["type"]) {
	case "ready":
		out = c.onReady(f, url, out)
	case "entry":
		out = c.onEntry(f, url, out)
	case "entries":
		out = c.onEntries(f, url, out)
	case "resync":
		out = c.requestSync(str(f["ch"]), out)
	case "ack":
		out = c.onAck(f, url, out)
	case "error":
		out = c.onError(f, url, out)
	case "pong":
		c.pongs[str(f["id"])] = true
	case "channel":
		out = c.onChannel(f, url, out)
	case "channel_removed":
		delete(c.chans, str(f["ch"]))
	}
	return out
}

// onReady takes the state the server holds for us: channels kept, syncs asked for, unacknowledged sends sent again.
func (c *ChatClient) onReady(f map[string]json.RawMessage, url string, out []map[string]any) []map[string]any {
	var user struct{ ID string }
	var sums []struct {
		ID      string `json:"id"`
		LastSeq int64  `json:"lastSeq"`
	}
	_ = json.Unmarshal(f["user"], &user)
	_ = json.Unmarshal(f["channels"], &sums)
	c.user, c.ready = user.ID, true
	c.readies = append(c.readies, url)
	have := map[string]bool{}
	for _, s := range sums {
		ch := c.channel(s.ID)
		ch.lastSeq = max(ch.lastSeq, s.LastSeq)
		have[s.ID] = true
	}
	for id := range c.chans {
		if !have[id] { // access lost while away
			delete(c.chans, id)
		}
	}
	// Everything after the last seq held, in every channel: the broker
	// may have dropped entries while this client was away.
	for id := range c.chans {
		out = c.requestSync(id, out)
	}
	// Unacknowledged sends, oldest first, with the same clientId.
	for _, id := range c.opOrder {
		if op := c.ops[id]; op != nil && op.status == "queued" && op.timer == nil {
			out = c.dispatch(op, out)
		}
	}
	return out
}

// onEntry applies a live entry and asks for a sync on a gap.
func (c *ChatClient) onEntry(f map[string]json.RawMessage, url string, out []map[string]any) []map[string]any {
	var e ChatEntry
	if err := json.Unmarshal(f["entry"], &e); err != nil || e.Seq <= 0 {
		c.t.Errorf("%s: bad entry frame %s", c.name, f["entry"])
		return out
	}
	c.live[e.Ch] = append(c.live[e.Ch], e.Seq)
	ch := c.chans[e.Ch]
	if ch == nil {
		return out // not a channel of ours; Live records it
	}
	if c.apply(ch, &e, true) && ch.max > ch.high {
		out = c.requestSync(e.Ch, out) // a gap
	}
	return out
}

// onEntries applies a sync answer and asks again while something is missing.
func (c *ChatClient) onEntries(f map[string]json.RawMessage, url string, out []map[string]any) []map[string]any {
	var r struct {
		ID      string       `json:"id"`
		Ch      string       `json:"ch"`
		Entries []*ChatEntry `json:"entries"`
		More    bool         `json:"more"`
	}
	if err := json.Unmarshal(mustRaw(f), &r); err != nil {
		c.t.Errorf("%s: bad entries frame: %v", c.name, err)
		return out
	}
	chID, ok := c.reqs[r.ID]
	if !ok {
		return out
	}
	delete(c.reqs, r.ID)
	ch := c.chans[chID]
	if ch == nil {
		return out
	}
	for _, e := range r.Entries {
		c.apply(ch, e, false)
	}
	ch.syncing = false
	if r.More || ch.again || ch.max > ch.high || ch.lastSeq > ch.high {
		ch.again = false
		out = c.requestSync(chID, out)
	}
	return out
}

// onAck records an acknowledged send and fetches its entry if it does not follow.
func (c *ChatClient) onAck(f map[string]json.RawMessage, url string, out []map[string]any) []map[string]any {
	var a Ack
	var raw struct {
		ClientID  string `json:"clientId"`
		Ch        string `json:"ch"`
		Seq       int64  `json:"seq"`
		Duplicate bool   `json:"duplicate"`
	}
	_ = json.Unmarshal(mustRaw(f), &raw)
	a = Ack{ClientID: raw.ClientID, Ch: raw.Ch, Seq: raw.Seq, Duplicate: raw.Duplicate, At: url}
	c.acks = append(c.acks, a)
	if op := c.ops[a.ClientID]; op != nil {
		c.dropOp(op)
	}
	if ch := c.chans[a.Ch]; ch != nil && ch.held[a.Seq] == nil {
		ch.lastSeq = max(ch.lastSeq, a.Seq)
		// The entry normally follows; if it does not, fetch it.
		chID, seq := a.Ch, a.Seq
		time.AfterFunc(c.opts.AckFetch, func() {
			c.mu.Lock()
			var out []map[string]any
			ws := c.ws
			if ch := c.chans[chID]; ch != nil && ch.held[seq] == nil && !c.closed {
				out = c.requestSync(chID, out)
			}
			c.mu.Unlock()
			c.write(ws, out)
		})
	}
	return out
}

// onError handles a refused sync or send: retried, dropped or recorded as refused.
func (c *ChatClient) onError(f map[string]json.RawMessage, url string, out []map[string]any) []map[string]any {
	var e struct {
		ID       string `json:"id"`
		Code     string `json:"code"`
		Message  string `json:"message"`
		ClientID string `json:"clientId"`
	}
	_ = json.Unmarshal(mustRaw(f), &e)
	if chID, ok := c.reqs[e.ID]; ok { // a sync was refused
		delete(c.reqs, e.ID)
		if e.Code == "not_found" { // access lost
			delete(c.chans, chID)
			return out
		}
		if ch := c.chans[chID]; ch != nil { // try again shortly
			ch.syncing = false
			time.AfterFunc(c.opts.RetryDelay(1), func() {
				c.mu.Lock()
				ws := c.ws
				out := c.requestSync(chID, nil)
				c.mu.Unlock()
				c.write(ws, out)
			})
		}
		return out
	}
	op := c.ops[e.ClientID]
	if op == nil {
		if e.ClientID == "" {
			c.refused = append(c.refused, Refusal{Code: e.Code, Message: e.Message})
		}
		// Else the send is no longer pending: its entry or ack came
		// (e.g. from an attempt on another connection).
		return out
	}
	if e.Code == "rate_limited" || e.Code == "unavailable" {
		op.retries++
		op.status = "queued"
		op.timer = time.AfterFunc(c.opts.RetryDelay(op.retries), func() {
			c.mu.Lock()
			op.timer = nil
			var out []map[string]any
			ws := c.ws
			if c.ops[op.clientID] == op && op.status == "queued" && c.ready && !c.closed {
				out = c.dispatch(op, out)
			}
			c.mu.Unlock()
			c.write(ws, out)
		})
		return out
	}
	c.refused = append(c.refused, Refusal{ClientID: e.ClientID, Code: e.Code, Message: e.Message})
	c.dropOp(op)
	return out
}

// onChannel follows a channel we were added to.
func (c *ChatClient) onChannel(f map[string]json.RawMessage, url string, out []map[string]any) []map[string]any {
	var s struct {
		Channel struct {
			ID      string `json:"id"`
			LastSeq int64  `json:"lastSeq"`
		} `json:"channel"`
	}
	_ = json.Unmarshal(mustRaw(f), &s)
	if s.Channel.ID != "" {
		c.channel(s.Channel.ID).lastSeq = s.Channel.LastSeq
		out = c.requestSync(s.Channel.ID, out)
	}
	return out
}

func mustRaw(f map[string]json.RawMessage) []byte {
	b, _ := json.Marshal(f)
	return b
}

func (c *ChatClient) channel(id string) *ccChan {
	ch := c.chans[id]
	if ch == nil {
		ch = &ccChan{held: map[int64]*ChatEntry{}, byClient: map[string]bool{}}
		c.chans[id] = ch
	}
	return ch
}

// apply holds e; it reports whether e was new.
func (c *ChatClient) apply(ch *ccChan, e *ChatEntry, live bool) bool {
	if ch.held[e.Seq] != nil {
		c.redelivered++
		return false
	}
	ch.held[e.Seq] = e
	if live {
		ch.fromLive++
	} else {
		ch.fromSync++
	}
	ch.max = max(ch.max, e.Seq)
	for ch.held[ch.high+1] != nil {
		ch.high++
	}
	if e.Kind == "msg" && e.ClientID != "" {
		k := e.By + "\x00" + e.ClientID
		if ch.byClient[k] {
			ch.dupShown++ // the same message under a second seq: the UI shows it twice
		}
		ch.byClient[k] = true
	}
	// Our own message is in the log: nothing is pending any more.
	if op := c.ops[e.ClientID]; op != nil && e.By == c.user {
		c.dropOp(op)
	}
	return true
}

func (c *ChatClient) requestSync(chID string, out []map[string]any) []map[string]any {
	ch := c.chans[chID]
	if ch == nil || !c.ready || c.closed {
		return out
	}
	if ch.syncing {
		ch.again = true
		return out
	}
	c.reqN++
	id := fmt.Sprintf("s%d", c.reqN)
	c.reqs[id] = chID
	ch.syncing = true
	return append(out, map[string]any{"type": "sync", "id": id, "ch": chID, "after": ch.high, "limit": 200})
}

func (c *ChatClient) dispatch(op *ccOp, out []map[string]any) []map[string]any {
	if !c.ready {
		op.status = "queued"
		return out
	}
	op.status = "inflight"
	return append(out, op.frame)
}

func (c *ChatClient) dropOp(op *ccOp) {
	if op.timer != nil {
		op.timer.Stop()
		op.timer = nil
	}
	delete(c.ops, op.clientID)
	if i := slices.Index(c.opOrder, op.clientID); i >= 0 {
		c.opOrder = slices.Delete(c.opOrder, i, i+1)
	}
}

func (c *ChatClient) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
	if c.opts.Watch != nil {
		c.opts.Watch.Signal()
	}
}

// ---------- actions ----------

// Send queues a message and returns its clientId. It is written at once when
// the client is connected, else after the next `ready`.
func (c *ChatClient) Send(ch, body string) string {
	c.mu.Lock()
	c.nextOp++
	id := fmt.Sprintf("%s-%d", c.prefix, c.nextOp)
	c.mu.Unlock()
	c.SendWithID(ch, id, body)
	return id
}

// SendWithID is Send with a clientId of the caller's choosing (e.g. the same
// one on two devices of one person, to race two attempts of one send).
func (c *ChatClient) SendWithID(ch, id, body string) {
	c.mu.Lock()
	op := &ccOp{clientID: id, status: "queued",
		frame: map[string]any{"type": "send", "id": id, "ch": ch, "clientId": id, "body": body}}
	c.ops[id] = op
	c.opOrder = append(c.opOrder, id)
	out := c.dispatch(op, nil)
	ws := c.ws
	c.notifyLocked()
	c.mu.Unlock()
	c.write(ws, out)
}

// SendRaw writes a frame as is on the current connection (no bookkeeping);
// it reports whether there was a connection.
func (c *ChatClient) SendRaw(frame map[string]any) bool {
	c.mu.Lock()
	ws := c.ws
	c.mu.Unlock()
	c.write(ws, []map[string]any{frame})
	return ws != nil
}

// Ping sends `ping` and waits for its `pong`: every frame the server queued
// for this connection before it read the ping has been handled by then.
func (c *ChatClient) Ping(timeout time.Duration) error {
	c.mu.Lock()
	c.reqN++
	id := fmt.Sprintf("p%d", c.reqN)
	ws := c.ws
	c.mu.Unlock()
	if ws == nil {
		return fmt.Errorf("%s: ping: not connected", c.name)
	}
	c.write(ws, []map[string]any{{"type": "ping", "id": id}})
	return c.WaitUntil(timeout, "pong "+id, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.pongs[id]
	})
}

// ---------- waiting ----------

// WaitUntil blocks until cond() is true (checked after every change of the
// client's state) or timeout passes. cond may call the client's methods.
func (c *ChatClient) WaitUntil(timeout time.Duration, what string, cond func() bool) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		changed, closed := c.changed, c.closed
		c.mu.Unlock()
		if cond() {
			return nil
		}
		if closed {
			return fmt.Errorf("%s: closed while waiting for %s", c.name, what)
		}
		select {
		case <-changed:
		case <-deadline.C:
			return fmt.Errorf("%s: no %s within %v", c.name, what, timeout)
		}
	}
}

// WaitReady waits for a `ready` on the current connection.
func (c *ChatClient) WaitReady(timeout time.Duration) error {
	return c.WaitUntil(timeout, "ready", func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.ready
	})
}

// WaitSettled waits until the client is connected with no sync under way
// and no send unacknowledged: after WaitReady, its first syncs are answered.
func (c *ChatClient) WaitSettled(timeout time.Duration) error {
	return c.WaitUntil(timeout, "settled", func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		if !c.ready || len(c.ops) > 0 {
			return false
		}
		for _, cs := range c.chans {
			if cs.syncing {
				return false
			}
		}
		return true
	})
}

// WaitSeqs waits until the client holds every seq 1..n of the channel.
func (c *ChatClient) WaitSeqs(ch string, n int64, timeout time.Duration) error {
	err := c.WaitUntil(timeout, fmt.Sprintf("seqs 1..%d in %s", n, ch), func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		cs := c.chans[ch]
		return cs != nil && cs.high >= n
	})
	if err != nil {
		return fmt.Errorf("%w (%s)", err, c.Describe(ch))
	}
	return nil
}

// WaitIdle waits until no send is unacknowledged.
func (c *ChatClient) WaitIdle(timeout time.Duration) error {
	return c.WaitUntil(timeout, "acks for every send", func() bool { return c.Pending() == 0 })
}

// ---------- observations ----------

// Delivered lists the seqs held in the channel, ascending, each once.
func (c *ChatClient) Delivered(ch string) []int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	cs := c.chans[ch]
	if cs == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(cs.held))
}

// Entries lists the entries held in the channel, ascending seq.
func (c *ChatClient) Entries(ch string) []ChatEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	cs := c.chans[ch]
	if cs == nil {
		return nil
	}
	out := make([]ChatEntry, 0, len(cs.held))
	for _, e := range cs.held {
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b ChatEntry) int { return int(a.Seq - b.Seq) })
	return out
}

// High is the seq up to which the client holds every entry of the channel.
func (c *ChatClient) High(ch string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cs := c.chans[ch]; cs != nil {
		return cs.high
	}
	return 0
}

// Live lists the seqs of the `entry` frames received for a channel, in the
// order received, redeliveries included, also for channels the client does
// not have.
func (c *ChatClient) Live(ch string) []int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.live[ch])
}

// FromSync counts the entries of a channel the client first got from a
// `sync` answer rather than live.
func (c *ChatClient) FromSync(ch string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cs := c.chans[ch]; cs != nil {
		return cs.fromSync
	}
	return 0
}

// Duplicates counts messages the UI would show twice: one author's clientId
// held under two different seqs (a send stored twice). Receiving the same
// seq again does not count here (see Redelivered): it is deduplicated.
func (c *ChatClient) Duplicates() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, cs := range c.chans {
		n += cs.dupShown
	}
	return n
}

// Redelivered counts entries received again (live or by sync) under a seq
// already held, before deduplication.
func (c *ChatClient) Redelivered() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.redelivered
}

// HasChannel reports whether the client knows the channel.
func (c *ChatClient) HasChannel(ch string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.chans[ch] != nil
}

// Pending counts sends without an ack (or their entry) yet.
func (c *ChatClient) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.ops)
}

// Acks lists every ack received, in order.
func (c *ChatClient) Acks() []Ack {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.acks)
}

// Refused lists the sends refused for good and unexpected error frames.
func (c *ChatClient) Refused() []Refusal {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.refused)
}

// Closes lists how connections ended so far.
func (c *ChatClient) Closes() []Close {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.closes)
}

// Readies lists the URL of the instance of every `ready` received.
func (c *ChatClient) Readies() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.readies)
}

// URL is the instance of the current connection ("" when disconnected).
func (c *ChatClient) URL() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ws == nil {
		return ""
	}
	return c.url
}

// UserID is the user id from the last `ready`.
func (c *ChatClient) UserID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.user
}

// Describe summarises the client's view of a channel for failure messages.
func (c *ChatClient) Describe(ch string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	cs := c.chans[ch]
	if cs == nil {
		return c.name + ": no channel " + ch
	}
	var missing []int64
	for s := int64(1); s <= cs.max && len(missing) < 20; s++ {
		if cs.held[s] == nil {
			missing = append(missing, s)
		}
	}
	return fmt.Sprintf("%s on %q: held %d, high %d, max %d, lastSeq %d, missing %v, syncing %v, pending sends %d, connected %v, closes %v",
		c.name, c.url, len(cs.held), cs.high, cs.max, cs.lastSeq, missing, cs.syncing, len(c.ops), c.ready, c.closes)
}

// WaitSynced waits until the client, connected, holds every entry of the
// channel up to the highest seq it has heard of, with no sync under way.
// For a client that has just connected this is the whole stored log.
func (c *ChatClient) WaitSynced(ch string, timeout time.Duration) error {
	err := c.WaitUntil(timeout, "complete "+ch, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		cs := c.chans[ch]
		return c.ready && cs != nil && !cs.syncing && cs.high >= cs.lastSeq && cs.high == cs.max
	})
	if err != nil {
		return fmt.Errorf("%w (%s)", err, c.Describe(ch))
	}
	return nil
}
