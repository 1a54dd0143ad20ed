package chat

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/plein/plein/chat/broker"
	"github.com/plein/plein/server/httpapi"
)

// Broker topics. Every instance subscribes to all of them; payloads are small.
const (
	topicEntry    = "chat.entry"    // "<ch>\x00<encoded entry frame>"
	topicMembers  = "chat.members"  // {"ch": "..."} or {"all": true}: re-check who may see what
	topicTyping   = "chat.typing"   // {"ch","user","name"}
	topicRead     = "chat.read"     // {"user","ch","seq"}
	topicPresence = "chat.presence" // {"instance","users":{id:status}} or a single change
	topicKick     = "chat.kick"     // {"user","session"}: end connections
	topicUser     = "chat.user"     // "<user>\x00<frame>": a frame for every connection of one user
	topicPrefs    = "chat.prefs"    // "<user>": re-read the user's chat settings
)

// SessionCheck reports whether a session (by id) is still valid.
type SessionCheck func(ctx context.Context, sessionID string) bool

// HubOptions tune the hub.
type HubOptions struct {
	Instance       string        // this instance's name, for logs and presence
	SendQueue      int           // frames queued per connection before it is dropped as too slow (256)
	PerUserConns   int           // connections per user on one instance (10)
	SessionRecheck time.Duration // how often open connections re-check their session (60 s)
	Logger         *slog.Logger
	SessionValid   SessionCheck
	OnChange       func() // called after a membership re-check (tests)
	// NoReceipts switches read receipts off for the organisation (some works
	// councils require it): no `receipts` frames, and clients are told.
	NoReceipts bool
	// BeforeResync runs before a full re-check triggered by another instance,
	// so this instance reloads the organisation first.
	BeforeResync func()
	// Limits, when set (the Redis broker), hold each user's send limit
	// across instances: N instances allow it once, not N times. Without
	// them, or when they fail, this instance's buckets decide.
	Limits httpapi.SharedLimits
}

// A user may send (send, edit, delete, react) SendRatePerSecond writes a
// second, in bursts of SendBurst, over all their connections and instances.
const (
	SendRatePerSecond = 10
	SendBurst         = 20
)

// Hub keeps this instance's connections and what each may receive.
type Hub struct {
	svc  *Service
	br   broker.Broker
	opts HubOptions
	log  *slog.Logger

	mu      sync.RWMutex
	byUser  map[string]map[*Conn]struct{}
	byChan  map[string]map[*Conn]struct{}
	closing bool

	sends *httpapi.ClientLimiter // per user, when the shared limits fail or are not set

	checkMu   sync.Mutex
	checkedAt map[string]time.Time // session → last re-check

	pres     *presence
	receipts receiptBatch

	unsub   func()
	stop    chan struct{}
	stopped chan struct{}
	wg      sync.WaitGroup // open connections
}

// NewHub subscribes the hub to the broker.
func NewHub(ctx context.Context, svc *Service, br broker.Broker, o HubOptions) (*Hub, error) {
	if o.SendQueue <= 0 {
		o.SendQueue = 256
	}
	if o.PerUserConns <= 0 {
		o.PerUserConns = 10
	}
	if o.SessionRecheck <= 0 {
		o.SessionRecheck = time.Minute
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Instance == "" {
		o.Instance = randomID()
	}
	h := &Hub{svc: svc, br: br, opts: o, log: o.Logger,
		byUser: map[string]map[*Conn]struct{}{}, byChan: map[string]map[*Conn]struct{}{},
		sends: httpapi.NewClientLimiter(SendRatePerSecond, SendBurst), pres: newPresence(), checkedAt: map[string]time.Time{},
		stop: make(chan struct{}), stopped: make(chan struct{})}
	unsub, err := br.Subscribe(ctx, []string{topicEntry, topicMembers, topicTyping, topicRead, topicPresence, topicKick, topicUser, topicPrefs}, h.onBroker)
	if err != nil {
		return nil, err
	}
	h.unsub = unsub
	br.OnEvent(h.onBrokerEvent)
	go h.loop()
	return h, nil
}

// channelReload bounds how long a membership change whose broker event was
// lost stays unseen on another instance.
const channelReload = time.Minute

// loop re-checks sessions, sends presence heartbeats, expires presence and
// re-reads the channels.
func (h *Hub) loop() {
	defer close(h.stopped)
	recheck := time.NewTicker(h.opts.SessionRecheck)
	beat := time.NewTicker(presenceBeat)
	reload := time.NewTicker(channelReload)
	receipts := time.NewTicker(receiptEvery)
	defer receipts.Stop()
	defer recheck.Stop()
	defer beat.Stop()
	defer reload.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-recheck.C:
			h.recheckSessions()
		case <-reload.C:
			h.reloadChannels()
		case <-receipts.C:
			h.flushReceipts()
		case <-beat.C:
			h.publishPresence(nil)
			for _, u := range h.pres.expire(time.Now()) {
				h.deliverPresence(u, "offline")
			}
		}
	}
}

// recheckSessions closes connections whose session ended without a kick
// (expiry, a session deleted by an operator). Logout is immediate through
// the kick topic; this sweep only has to be eventually right, so it checks
// at most recheckBatch sessions a tick, least recently checked first, to
// keep the store's load flat with many connections.
func (h *Hub) recheckSessions() {
	if h.opts.SessionValid == nil {
		return
	}
	conns := h.allConns()
	bySession := map[string][]*Conn{}
	for _, c := range conns {
		bySession[c.session] = append(bySession[c.session], c)
	}
	sessions := make([]string, 0, len(bySession))
	for s := range bySession {
		sessions = append(sessions, s)
	}
	h.checkMu.Lock()
	slices.SortFunc(sessions, func(a, b string) int { return h.checkedAt[a].Compare(h.checkedAt[b]) })
	if len(sessions) > recheckBatch {
		sessions = sessions[:recheckBatch]
	}
	now := time.Now()
	for _, s := range sessions {
		h.checkedAt[s] = now
	}
	for s := range h.checkedAt { // forget sessions with no connection here
		if _, ok := bySession[s]; !ok {
			delete(h.checkedAt, s)
		}
	}
	h.checkMu.Unlock()
	for _, s := range sessions {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		ok := h.opts.SessionValid(ctx, s)
		cancel()
		if !ok {
			for _, c := range bySession[s] {
				c.closeWith(CloseSessionEnded, "session ended")
			}
		}
	}
}

// recheckBatch is how many sessions one re-check tick looks up.
const recheckBatch = 500

// allConns lists this instance's connections.
func (h *Hub) allConns() []*Conn {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var conns []*Conn
	for _, cs := range h.byUser {
		for c := range cs {
			conns = append(conns, c)
		}
	}
	return conns
}

// register adds a connection, queues its first frame and subscribes it to
// the user's channels, all under the lock, so nothing can be queued before first.
func (h *Hub) register(c *Conn, first []byte) bool {
	chans := h.svc.ChannelsOf(c.user)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closing || len(h.byUser[c.user]) >= h.opts.PerUserConns {
		return false
	}
	if h.byUser[c.user] == nil {
		h.byUser[c.user] = map[*Conn]struct{}{}
	}
	h.byUser[c.user][c] = struct{}{}
	c.enqueue(first) // the queue is empty: the first frame
	for _, ch := range chans {
		h.subscribeLocked(c, ch)
	}
	h.wg.Add(1)
	return true
}

func (h *Hub) subscribeLocked(c *Conn, ch string) {
	if h.byChan[ch] == nil {
		h.byChan[ch] = map[*Conn]struct{}{}
	}
	h.byChan[ch][c] = struct{}{}
	c.chans[ch] = true
}

func (h *Hub) unsubscribeLocked(c *Conn, ch string) {
	delete(h.byChan[ch], c)
	if len(h.byChan[ch]) == 0 {
		delete(h.byChan, ch)
	}
	delete(c.chans, ch)
}

func (h *Hub) unregister(c *Conn) {
	h.mu.Lock()
	for ch := range c.chans {
		h.unsubscribeLocked(c, ch)
	}
	delete(h.byUser[c.user], c)
	last := len(h.byUser[c.user]) == 0
	if last {
		delete(h.byUser, c.user)
	}
	h.mu.Unlock()
	if last {
		h.svc.ForgetReads(c.user)
		h.setPresence(c.user, "offline")
	}
	h.wg.Done()
}

// onBroker handles a message from any instance (including this one).
func (h *Hub) onBroker(topic string, payload []byte) {
	switch topic {
	case topicEntry:
		i := bytes.IndexByte(payload, 0)
		if i < 0 {
			return
		}
		var f EntryFrame
		frame := payload[i+1:]
		if err := json.Unmarshal(frame, &f); err != nil || f.Entry == nil {
			return
		}
		h.svc.Observe(f.Entry)
		h.deliverEntry(f.Entry, frame)
	case topicMembers:
		var m struct {
			Ch  string `json:"ch"`
			All bool   `json:"all"`
		}
		if json.Unmarshal(payload, &m) == nil {
			if m.All && h.opts.BeforeResync != nil {
				h.opts.BeforeResync()
			}
			h.resync(m.Ch, m.All)
		}
	case topicTyping:
		var t struct{ Ch, User, Name string }
		if json.Unmarshal(payload, &t) == nil {
			h.deliverTyping(t.Ch, t.User, t.Name)
		}
	case topicRead:
		var r struct {
			User, Ch string
			Seq      int64
		}
		if json.Unmarshal(payload, &r) == nil {
			h.svc.ObserveRead(r.User, r.Ch, r.Seq)
			if !h.opts.NoReceipts {
				h.receipts.add(r.Ch, r.User, r.Seq)
			}
			h.toUser(r.User, ReadFrame{Ch: r.Ch, Seq: r.Seq}.encode(), nil)
		}
	case topicPresence:
		var p presenceMsg
		if json.Unmarshal(payload, &p) == nil {
			for u, st := range p.Users {
				if h.pres.set(u, p.Instance, st, time.Now()) {
					h.deliverPresence(u, h.pres.status(u))
				}
			}
		}
	case topicUser:
		if i := bytes.IndexByte(payload, 0); i > 0 {
			h.toUser(string(payload[:i]), payload[i+1:], nil)
		}
	case topicPrefs:
		h.prefsChanged(string(payload))
	case topicKick:
		var k struct{ User, Session string }
		if json.Unmarshal(payload, &k) == nil {
			h.kickLocal(k.User, k.Session)
		}
	}
}

// onBrokerEvent: after a broker outage, tell every client to sync: messages
// published meanwhile may be lost to this instance but are in the store.
func (h *Hub) onBrokerEvent(ev broker.Event) {
	if ev != broker.Reconnected {
		return
	}
	go h.reloadChannels() // membership events published during the outage are lost
	h.mu.RLock()
	defer h.mu.RUnlock()
	for ch, cs := range h.byChan {
		f := ResyncFrame{Ch: ch}.encode()
		for c := range cs {
			c.enqueue(f)
		}
	}
}

// deliverEntry writes the encoded frame to every local member of the
// channel, checking membership again at send time.
func (h *Hub) deliverEntry(e *Entry, frame []byte) {
	h.mu.RLock()
	conns := make([]*Conn, 0, len(h.byChan[e.Ch]))
	for c := range h.byChan[e.Ch] {
		conns = append(conns, c)
	}
	h.mu.RUnlock()
	if len(conns) == 0 {
		return
	}
	kind, _ := h.svc.ChannelKind(e.Ch)
	stale := false
	var text string                     // the masked excerpt, made once
	notifyFrames := map[string][]byte{} // one encoded notify frame per kind
	for _, c := range conns {
		if !h.svc.IsMember(c.user, e.Ch) {
			stale = true
			continue
		}
		c.enqueue(frame)
		if e.Kind == EntryMsg && e.By != c.user {
			var nk string
			named := slices.Contains(e.Mentions, c.user)
			muted := h.svc.Muted(c.user, e.Ch)
			switch {
			case named || (e.MentionsTeam && !muted):
				nk = "mention"
			case (kind == KindDM || kind == KindGroup) && !muted:
				nk = "dm"
			}
			if nk != "" {
				f := notifyFrames[nk]
				if f == nil {
					if text == "" {
						text = h.svc.Excerpt(e)
					}
					f = NotifyFrame{Kind: nk, Ch: e.Ch, Seq: e.Seq, By: e.By, ByName: e.ByName, Excerpt: text}.encode()
					notifyFrames[nk] = f
				}
				c.enqueue(f)
			}
		}
	}
	if stale {
		h.resync(e.Ch, false)
	}
}

func (h *Hub) deliverTyping(ch, user, name string) {
	f := TypingFrame{Ch: ch, User: user, Name: name}.encode()
	h.mu.RLock()
	defer h.mu.RUnlock()
	for c := range h.byChan[ch] {
		if c.user != user && h.svc.IsMember(c.user, ch) {
			c.enqueueShed(f)
		}
	}
}

// resync re-checks every local connection's channels (of one channel, or
// all): lost access closes the channel on that connection at once, new
// access opens it.
func (h *Hub) resync(ch string, all bool) {
	if ch != "" && !isTeamChannel(ch) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if _, err := h.svc.ReloadChannels(ctx); err != nil {
			h.log.Warn("reload channels", "err", err)
		}
		cancel()
	}
	h.recheck(ch, all)
}

// reloadChannels re-reads every channel and re-checks the local connections
// of those whose members changed: after a broker outage (membership events
// may have been lost) and every channelReload, so a missed event is
// repaired within that bound.
func (h *Hub) reloadChannels() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	changed, err := h.svc.ReloadChannels(ctx)
	if err == nil {
		err = h.svc.ReloadPrefs(ctx) // a settings change whose broker event was lost
	}
	cancel()
	if err != nil {
		h.log.Warn("reload channels", "err", err)
		return
	}
	for _, ch := range changed {
		h.recheck(ch, false)
	}
}

// recheck is resync without reading the store first.
func (h *Hub) recheck(ch string, all bool) {
	h.mu.Lock()
	var added []struct {
		c  *Conn
		ch string
	}
	for _, cs := range h.byUser {
		for c := range cs {
			want := h.svc.ChannelsOf(c.user)
			for have := range c.chans {
				if (all || have == ch) && !slices.Contains(want, have) {
					h.unsubscribeLocked(c, have)
					c.enqueue(ChannelRemovedFrame{Ch: have}.encode())
				}
			}
			for _, w := range want {
				if (all || w == ch) && !c.chans[w] {
					h.subscribeLocked(c, w)
					added = append(added, struct {
						c  *Conn
						ch string
					}{c, w})
				}
			}
		}
	}
	h.mu.Unlock()
	for _, a := range added {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if sum, err := h.svc.Summary(ctx, a.c.user, a.ch); err == nil {
			a.c.enqueue(ChannelFrame{Channel: sum}.encode())
		}
		cancel()
	}
	if h.opts.OnChange != nil {
		h.opts.OnChange()
	}
}

func isTeamChannel(ch string) bool { return len(ch) > 2 && ch[:2] == "t-" }

func (h *Hub) toUser(user string, frame []byte, except *Conn) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for c := range h.byUser[user] {
		if c != except {
			c.enqueue(frame)
		}
	}
}

// Publish helpers used by connections and HTTP handlers.

func (h *Hub) publishEntry(ctx context.Context, e *Entry) {
	frame := EntryFrame{Entry: e}.encode()
	payload := make([]byte, 0, len(e.Ch)+1+len(frame))
	payload = append(append(append(payload, e.Ch...), 0), frame...)
	if err := h.br.Publish(ctx, topicEntry, payload); err != nil {
		// Stored already: local members still get it, others catch up by sync.
		h.log.Warn("publish entry", "ch", e.Ch, "seq", e.Seq, "err", err)
		h.svc.Observe(e)
		h.deliverEntry(e, frame)
	}
}

// MembersChanged tells every instance to re-check access to a channel ("" and
// all=true: everything, e.g. after a team membership changed).
func (h *Hub) MembersChanged(ctx context.Context, ch string, all bool) {
	if err := h.br.Publish(ctx, topicMembers, mustJSON(map[string]any{"ch": ch, "all": all})); err != nil {
		h.log.Warn("publish membership change", "err", err)
		h.resync(ch, all)
	}
}

// SendToUser sends a frame (e.g. a notification) to every connection of
// the user, on every instance.
func (h *Hub) SendToUser(ctx context.Context, user string, f ServerFrame) {
	frame := f.encode()
	payload := make([]byte, 0, len(user)+1+len(frame))
	payload = append(append(append(payload, user...), 0), frame...)
	if err := h.br.Publish(ctx, topicUser, payload); err != nil {
		h.log.Warn("publish user frame", "err", err)
		h.toUser(user, frame, nil)
	}
}

// Kick closes the connections of a session (or every session of the user
// when session is empty) on every instance.
func (h *Hub) Kick(ctx context.Context, user, session string) {
	if err := h.br.Publish(ctx, topicKick, mustJSON(map[string]string{"user": user, "session": session})); err != nil {
		h.log.Warn("publish kick", "err", err)
		h.kickLocal(user, session)
	}
}

func (h *Hub) kickLocal(user, session string) {
	h.mu.RLock()
	var conns []*Conn
	for c := range h.byUser[user] {
		if session == "" || c.session == session {
			conns = append(conns, c)
		}
	}
	h.mu.RUnlock()
	for _, c := range conns {
		c.closeWith(CloseSessionEnded, "session ended")
	}
}

// Shutdown refuses new connections, tells every client to reconnect to
// another instance (close code 1012) and waits for the connections to end.
func (h *Hub) Shutdown(ctx context.Context) {
	h.mu.Lock()
	if h.closing {
		h.mu.Unlock()
		return
	}
	h.closing = true
	h.mu.Unlock()
	conns := h.allConns()
	for _, c := range conns {
		c.closeWith(CloseServiceRestart, "reconnect")
	}
	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	close(h.stop)
	<-h.stopped
	h.unsub()
}

// Abort drops every open connection's network connection at once, without a
// close frame, as a crash of this instance would (clients see 1006). It is a
// test hook for fault tests; production code uses Shutdown.
func (h *Hub) Abort() {
	for _, c := range h.allConns() {
		_ = c.ws.UnderlyingConn().Close()
	}
}

// Connections counts open connections on this instance.
func (h *Hub) Connections() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	n := 0
	for _, cs := range h.byUser {
		n += len(cs)
	}
	return n
}

// allow takes a token from the user's send bucket: the shared one when
// there are shared limits, else (or when they fail: never open) this
// instance's.
func (h *Hub) allow(ctx context.Context, user string) bool {
	if h.opts.Limits != nil {
		if ok, _, err := h.opts.Limits.Take(ctx, "chat-send:"+user, SendRatePerSecond, SendBurst); err == nil {
			return ok
		}
	}
	ok, _ := h.sends.Allow(user)
	return ok
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own types are encoded
	}
	return b
}
