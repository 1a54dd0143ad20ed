package chat

import (
	"sync"
	"time"
)

const (
	presenceBeat = 30 * time.Second // each instance re-announces its users
	presenceTTL  = 75 * time.Second // an instance silent this long is gone
)

type presenceMsg struct {
	Instance string            `json:"instance"`
	Users    map[string]string `json:"users"` // user → online | away | offline
}

type presenceEntry struct {
	status string
	exp    time.Time
}

// presence aggregates every instance's announcements: a user is online when
// any instance says so, away when some say away and none online. Entries
// expire, so a crashed instance's users go offline by themselves (the same
// role Redis key expiry plays in other systems, over either broker).
type presence struct {
	mu   sync.Mutex
	m    map[string]map[string]presenceEntry // user → instance → entry
	seen map[string]time.Time                // user → when they were last seen online or away (this process's memory)
}

func newPresence() *presence {
	return &presence{m: map[string]map[string]presenceEntry{}, seen: map[string]time.Time{}}
}

// lastSeen is when the user was last seen (zero: not since this process started).
func (p *presence) lastSeen(u string) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seen[u]
}

func (p *presence) statusLocked(u string) string {
	st := "offline"
	for _, e := range p.m[u] {
		switch e.status {
		case "online":
			return "online"
		case "away":
			st = "away"
		}
	}
	return st
}

func (p *presence) status(u string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.statusLocked(u)
}

// set records an instance's announcement and reports whether the user's
// aggregate status changed.
func (p *presence) set(u, inst, status string, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	before := p.statusLocked(u)
	if before != "offline" || status != "offline" {
		p.seen[u] = now
	}
	if status == "offline" {
		delete(p.m[u], inst)
		if len(p.m[u]) == 0 {
			delete(p.m, u)
		}
	} else {
		if p.m[u] == nil {
			p.m[u] = map[string]presenceEntry{}
		}
		p.m[u][inst] = presenceEntry{status, now.Add(presenceTTL)}
	}
	return p.statusLocked(u) != before
}

// expire drops stale announcements and returns users who went offline.
func (p *presence) expire(now time.Time) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var gone []string
	for u, insts := range p.m {
		for i, e := range insts {
			if now.After(e.exp) {
				delete(insts, i)
			}
		}
		if len(insts) == 0 {
			delete(p.m, u)
			gone = append(gone, u)
			p.seen[u] = now
		}
	}
	return gone
}

// online lists which of the users are online or away.
func (p *presence) online(users []string) map[string]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]string{}
	for _, u := range users {
		if st := p.statusLocked(u); st != "offline" {
			out[u] = st
		}
	}
	return out
}

// setPresence announces a local user's status to every instance. A user
// who hides their presence is announced offline, whatever they do.
func (h *Hub) setPresence(user, status string) {
	if h.svc.PresenceHidden(user) {
		status = "offline"
	}
	h.publishPresence(map[string]string{user: status})
}

// visibleLastSeen is when a partner was last seen, unless they hide their
// presence (zero then, and when unknown).
func (h *Hub) visibleLastSeen(user string) time.Time {
	if h.svc.PresenceHidden(user) {
		return time.Time{}
	}
	return h.pres.lastSeen(user)
}

// presenceFrame tells a partner's status, with "last seen" when offline and
// the person allows it.
func (h *Hub) presenceFrame(user, status string) []byte {
	f := PresenceFrame{User: user, Status: status}
	if status == "offline" {
		if t := h.visibleLastSeen(user); !t.IsZero() {
			f.LastSeen = t.UTC().Truncate(time.Second)
		}
	}
	return f.encode()
}

// publishPresence announces the given users, or (nil) every local user: the heartbeat.
func (h *Hub) publishPresence(users map[string]string) {
	if users == nil {
		users = map[string]string{}
		h.mu.RLock()
		for u, cs := range h.byUser {
			st := "away"
			for c := range cs {
				if c.status.Load() != "away" {
					st = "online"
				}
			}
			if h.svc.PresenceHidden(u) {
				st = "offline" // the server enforces the setting: others see offline
			}
			users[u] = st
		}
		h.mu.RUnlock()
		if len(users) == 0 {
			return
		}
	}
	payload := mustJSON(presenceMsg{Instance: h.opts.Instance, Users: users})
	ctx, cancel := contextTimeout(5 * time.Second)
	defer cancel()
	if err := h.br.Publish(ctx, topicPresence, payload); err != nil {
		h.onBroker(topicPresence, payload) // at least this instance knows
	}
}

// deliverPresence tells the user's team, direct and group partners connected here.
func (h *Hub) deliverPresence(user, status string) {
	f := h.presenceFrame(user, status)
	sent := map[*Conn]bool{}
	chans := h.svc.ChannelsOf(user)
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, ch := range chans {
		if k, ok := h.svc.ChannelKind(ch); !ok || (k != KindTeam && k != KindDM && k != KindGroup) {
			continue
		}
		for c := range h.byChan[ch] {
			if c.user != user && !sent[c] {
				sent[c] = true
				c.enqueueShed(f)
			}
		}
	}
}
