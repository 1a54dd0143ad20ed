package chat

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
)

// Close codes (docs/protocol.md).
const (
	CloseServiceRestart = 1012
	CloseSessionEnded   = 4001
	CloseTooSlow        = 4008
)

const (
	maxFrame     = 16 << 10
	writeWait    = 10 * time.Second
	pongWait     = 60 * time.Second
	pingEvery    = 25 * time.Second
	maxBatch     = 64
	maxBadFrames = 10
	typingEvery  = 2 * time.Second
)

// Conn is one websocket connection. One goroutine reads; a writer goroutine
// runs only while frames are queued (writeOut), so an idle connection costs
// one goroutine, one 4 KB read buffer and no write buffer (issue 10 §6).
// Everything else talks to it through its bounded send queue.
type Conn struct {
	hub     *Hub
	ws      *websocket.Conn
	user    string
	name    string
	session string
	status  atomic.Value // "online" | "away"

	mu      sync.Mutex
	queue   [][]byte // frames to write; nil when idle, at most SendQueue
	writing bool     // a writer runs (or the connection is done)
	pingDue bool
	ping    *time.Timer

	closed    chan struct{}
	closeOnce sync.Once
	closeCode int
	closeText string

	chans map[string]bool // guarded by hub.mu
}

// wsWriteBuffers lends write buffers to connections while they write: an
// idle connection holds none. Reads reuse the 4 KB reader net/http made
// for the request (ReadBufferSize 0).
var wsWriteBuffers sync.Pool

// Serve upgrades the request, registers the connection and returns; the
// connection runs on its own reader goroutine until it ends. checkOrigin
// must compare the Origin header with the site's exact origin.
func (h *Hub) Serve(w http.ResponseWriter, r *http.Request, user, name, session string, checkOrigin func(*http.Request) bool) {
	up := websocket.Upgrader{
		WriteBufferSize: 4096, WriteBufferPool: &wsWriteBuffers,
		HandshakeTimeout: 10 * time.Second,
		CheckOrigin:      checkOrigin,
	}
	h.mu.RLock()
	closing, n := h.closing, len(h.byUser[user])
	h.mu.RUnlock()
	if closing {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	if n >= h.opts.PerUserConns {
		http.Error(w, "too many connections", http.StatusTooManyRequests)
		return
	}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	c := &Conn{hub: h, ws: ws, user: user, name: name, session: session,
		closed: make(chan struct{}), chans: map[string]bool{}}
	c.status.Store("online")
	ready, err := c.readyFrame()
	if err != nil {
		_ = ws.WriteMessage(websocket.TextMessage, errorFrame("", "unavailable", "could not load channels; reconnect", ""))
	}
	if err != nil || !h.register(c, ready) {
		_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(CloseServiceRestart, "reconnect"), time.Now().Add(time.Second))
		_ = ws.Close()
		return
	}
	c.mu.Lock()
	c.ping = time.AfterFunc(pingEvery, c.pingSoon)
	c.mu.Unlock()
	h.setPresence(user, "online")
	// The reader runs on its own goroutine and the handler returns, so the
	// request, its Gin context and the handler's stack are not kept for
	// the connection's lifetime.
	go func() {
		c.readLoop()
		h.unregister(c)
	}()
}

// readyFrame builds the first frame. It is built before the connection is
// registered and queued as registration's first act, so no other frame can
// precede it; an entry stored in between shows up as a seq gap the client syncs.
func (c *Conn) readyFrame() ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	sums, err := c.hub.svc.Summaries(ctx, c.user)
	if err != nil {
		return nil, err
	}
	var partners []string
	for _, s := range sums {
		if s.Kind == KindTeam || s.Kind == KindDM || s.Kind == KindGroup {
			partners = append(partners, c.hub.svc.Members(s.ID)...)
		}
	}
	online := c.hub.pres.online(partners)
	lastSeen := map[string]time.Time{}
	for _, u := range partners {
		if _, on := online[u]; !on && u != c.user {
			if t := c.hub.visibleLastSeen(u); !t.IsZero() {
				lastSeen[u] = t.UTC().Truncate(time.Second)
			}
		}
	}
	return ReadyFrame{User: FrameUser{ID: c.user, Name: c.name},
		Channels: sums, Online: online, LastSeen: lastSeen, Instance: c.hub.opts.Instance,
		Receipts: !c.hub.opts.NoReceipts,
		Prefs:    c.hub.svc.Prefs(c.user)}.encode(), nil
}

// enqueue queues a frame; a connection whose queue is full is too slow and
// is closed (it reconnects and syncs) rather than slowing anyone else.
func (c *Conn) enqueue(b []byte) {
	c.mu.Lock()
	if c.isClosed() {
		c.mu.Unlock()
		return
	}
	if len(c.queue) >= c.hub.opts.SendQueue {
		c.mu.Unlock()
		c.closeWith(CloseTooSlow, "too slow")
		return
	}
	c.queue = append(c.queue, b)
	start := c.claimWriter()
	c.mu.Unlock()
	if start {
		go c.writeOut()
	}
}

// enqueueShed queues a frame that may be dropped (typing, presence) when the
// queue is half full.
func (c *Conn) enqueueShed(b []byte) {
	c.mu.Lock()
	full := len(c.queue) > c.hub.opts.SendQueue/2
	c.mu.Unlock()
	if !full {
		c.enqueue(b)
	}
}

// pingSoon runs on the ping timer: the writer sends a ping.
func (c *Conn) pingSoon() {
	c.mu.Lock()
	if c.isClosed() {
		c.mu.Unlock()
		return
	}
	c.pingDue = true
	start := c.claimWriter()
	c.ping.Reset(pingEvery)
	c.mu.Unlock()
	if start {
		go c.writeOut()
	}
}

// isClosed reports whether the connection is closed (closeWith).
func (c *Conn) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

// claimWriter marks the writer as running and reports whether it has to
// be started (go c.writeOut(), after unlocking): none was running. The
// caller holds c.mu and has just given the writer something to do.
func (c *Conn) claimWriter() bool {
	start := !c.writing
	c.writing = true
	return start
}

func (c *Conn) closeWith(code int, text string) {
	c.closeOnce.Do(func() {
		c.closeCode, c.closeText = code, text
		close(c.closed)
		if code == CloseTooSlow {
			// The writer is most likely blocked on a full socket: end that
			// write now rather than after writeWait, so the connection is
			// dropped (and unregistered) at once.
			_ = c.ws.UnderlyingConn().SetWriteDeadline(time.Now())
		}
		c.mu.Lock()
		start := c.claimWriter() // for good: the last writer closes the socket
		c.mu.Unlock()
		if start {
			go c.writeOut()
		}
	})
}

// writeOut writes what is queued and returns when the queue is empty; the
// next enqueue starts another. Only one runs at a time (Conn.writing). Once
// the connection is closed it sends the close frame and closes the socket,
// which ends the reader.
func (c *Conn) writeOut() {
	for {
		c.mu.Lock()
		select {
		case <-c.closed:
			c.queue = nil
			if c.ping != nil {
				c.ping.Stop()
			}
			c.mu.Unlock()
			if c.closeCode != websocket.CloseAbnormalClosure {
				_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(c.closeCode, c.closeText), time.Now().Add(time.Second))
			}
			_ = c.ws.Close()
			return
		default:
		}
		ping := c.pingDue
		n := min(len(c.queue), maxBatch)
		batch := c.queue[:n:n]
		if c.queue = c.queue[n:]; len(c.queue) == 0 {
			c.queue = nil // let an idle connection hold no queue
		}
		c.pingDue = false
		if n == 0 && !ping {
			c.writing = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		var err error
		if ping {
			err = c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait))
		}
		if err == nil && n > 0 {
			err = c.writeBatch(batch)
		}
		if err != nil {
			c.closeWith(websocket.CloseAbnormalClosure, "")
		}
	}
}

// writeBatch writes the queued frames as one websocket message: a single
// frame as is, several as a JSON array. Frames are encoded once, before
// they are queued, and shared by every recipient.
func (c *Conn) writeBatch(frames [][]byte) error {
	_ = c.ws.SetWriteDeadline(time.Now().Add(writeWait))
	w, err := c.ws.NextWriter(websocket.TextMessage)
	if err != nil {
		return err
	}
	if len(frames) == 1 {
		_, _ = w.Write(frames[0])
		return w.Close()
	}
	for i, f := range frames {
		if i == 0 {
			_, _ = w.Write([]byte{'['})
		} else {
			_, _ = w.Write([]byte{','})
		}
		_, _ = w.Write(f)
	}
	_, _ = w.Write([]byte{']'})
	return w.Close()
}

func (c *Conn) readLoop() {
	defer c.closeWith(websocket.CloseNormalClosure, "")
	c.ws.SetReadLimit(maxFrame)
	_ = c.ws.SetReadDeadline(time.Now().Add(pongWait))
	c.ws.SetPongHandler(func(string) error { return c.ws.SetReadDeadline(time.Now().Add(pongWait)) })
	bad := 0
	typing := map[string]time.Time{}
	for {
		mt, data, err := c.ws.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				c.closeWith(websocket.CloseMessageTooBig, "frame too large")
			}
			return
		}
		_ = c.ws.SetReadDeadline(time.Now().Add(pongWait))
		if c.isClosed() {
			return
		}
		if mt != websocket.TextMessage || !utf8.Valid(data) {
			c.closeWith(websocket.ClosePolicyViolation, "frames are UTF-8 JSON text")
			return
		}
		f, err := DecodeFrame(data)
		if err != nil {
			bad++
			var fe *FrameError
			errors.As(err, &fe)
			c.enqueue(errorFrame("", fe.Code, fe.Message, ""))
			if bad >= maxBadFrames {
				c.closeWith(websocket.ClosePolicyViolation, "too many bad frames")
				return
			}
			continue
		}
		c.handle(f, typing)
	}
}

func (c *Conn) handle(f *ClientFrame, typing map[string]time.Time) {
	h := c.hub
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	switch f.Type {
	case "ping":
		c.enqueue(PongFrame{ID: f.ID}.encode())
	case "send", "edit", "delete", "react":
		c.write(ctx, f)
	case "sync", "history":
		var es []*Entry
		var more bool
		var err error
		if f.Type == "sync" {
			es, more, err = h.svc.Sync(ctx, c.user, f.Ch, f.After, f.Limit)
		} else {
			es, more, err = h.svc.History(ctx, c.user, f.Ch, f.Before, f.Limit)
		}
		if err != nil {
			c.enqueue(errorFrameFor(f.ID, err, ""))
			return
		}
		if es == nil {
			es = []*Entry{}
		}
		c.enqueue(EntriesFrame{ID: f.ID, Ch: f.Ch, Entries: es, More: more}.encode())
	case "read":
		moved, err := h.svc.MarkRead(ctx, c.user, f.Ch, f.Seq)
		if err != nil {
			c.enqueue(errorFrameFor(f.ID, err, ""))
			return
		}
		if moved {
			if err := h.br.Publish(ctx, topicRead, mustJSON(map[string]any{"user": c.user, "ch": f.Ch, "seq": f.Seq})); err != nil {
				h.toUser(c.user, ReadFrame{Ch: f.Ch, Seq: f.Seq}.encode(), c)
			}
		}
	case "receipts":
		r, err := h.svc.ReceiptsOf(ctx, c.user, f.Ch, !h.opts.NoReceipts)
		if err != nil {
			c.enqueue(errorFrameFor(f.ID, err, ""))
			return
		}
		c.enqueue(ReceiptsFrame{ID: f.ID, Ch: r.Ch, Reads: r.Reads, Names: r.Names, Off: r.Off}.encode())
	case "typing":
		if !h.svc.IsMember(c.user, f.Ch) {
			c.enqueue(errorFrame(f.ID, "not_found", "channel not found", ""))
			return
		}
		if time.Since(typing[f.Ch]) < typingEvery {
			return
		}
		typing[f.Ch] = time.Now()
		_ = h.br.Publish(ctx, topicTyping, mustJSON(map[string]string{"ch": f.Ch, "user": c.user, "name": c.name}))
	case "presence":
		c.status.Store(f.Status)
		h.publishPresence(nil)
	}
}

// write handles send, edit, delete and react: limited per user, stored, then
// acknowledged and fanned out.
func (c *Conn) write(ctx context.Context, f *ClientFrame) {
	h := c.hub
	if !h.allow(ctx, c.user) {
		c.enqueue(errorFrame(f.ID, "rate_limited", "too many messages; slow down", f.ClientID))
		return
	}
	in := Input{Ch: f.Ch, ClientID: f.ClientID, Body: f.Body, Reply: f.Reply, Target: f.Target, Emoji: f.Emoji, Attachments: f.Attachments,
		AcknowledgeIdentifiers: f.AcknowledgeIdentifiers}
	switch f.Type {
	case "send":
		in.Kind = EntryMsg
	case "edit":
		in.Kind = EntryEdit
	case "delete":
		in.Kind = EntryDelete
	case "react":
		in.Kind = EntryReact
		if !*f.On {
			in.Kind = EntryUnreact
		}
	}
	res, err := h.svc.Append(ctx, c.user, in)
	if err != nil {
		c.enqueue(errorFrameFor(f.ID, err, f.ClientID))
		return
	}
	c.enqueue(AckFrame{ID: f.ID, ClientID: f.ClientID, Ch: res.Entry.Ch, Seq: res.Entry.Seq, Duplicate: res.Duplicate}.encode())
	if !res.Duplicate {
		h.publishEntry(ctx, res.Entry)
		h.svc.NotifyMentions(ctx, res.Entry)
		h.svc.NotifyMessage(ctx, res.Entry)
	} else if e, err := h.svc.EntryAt(ctx, c.user, res.Entry.Ch, res.Entry.Seq); err == nil && e != nil {
		// The first attempt may have ended (its instance crashed) after
		// storing the entry but before publishing it: publish it again,
		// or the others only see it once a later entry shows the gap.
		// Clients drop an entry they hold. Mentions likewise (at most
		// once per person: the notice has a key).
		h.publishEntry(ctx, e)
		h.svc.NotifyMentions(ctx, e)
	}
}

// errorFrame is a refused frame. code is one of the codes in
// docs/protocol.md, translated by the app like a problem's code.
func errorFrame(id string, code apperr.Code, msg, clientID string) []byte {
	return ErrorFrame{ID: id, Code: code, Message: msg, ClientID: clientID}.encode()
}

// errorFrameFor maps a domain error the way httpapi.Error does for HTTP:
// the same codes, a validation error's field errors under "errors".
func errorFrameFor(id string, err error, clientID string) []byte {
	var ve *apperr.ValidationError
	var se *identifiers.SuspectedError
	switch {
	case errors.As(err, &se):
		// The findings by field and kind, never the text.
		return ErrorFrame{ID: id, Code: identifiers.Code,
			Message:  "the body looks like client data; send again with acknowledgeIdentifiers to store it",
			ClientID: clientID, Findings: se.Findings}.encode()
	case errors.As(err, &ve):
		return ErrorFrame{ID: id, Code: "invalid", Message: ve.Error(),
			ClientID: clientID, Errors: ve.Fields}.encode()
	case errors.Is(err, apperr.ErrNotFound):
		return errorFrame(id, apperr.CodeOf(err, "not_found"), "channel or message not found", clientID)
	case errors.Is(err, apperr.ErrForbidden):
		return errorFrame(id, apperr.CodeOf(err, "forbidden"), apperr.Detail(err), clientID)
	default:
		return errorFrame(id, "unavailable", "not stored; retry with the same clientId", clientID)
	}
}

func contextTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}
