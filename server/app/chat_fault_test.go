package app_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/chat"
	"github.com/plein/plein/chat/broker"
	"github.com/plein/plein/chat/broker/redistest"
	"github.com/plein/plein/server/app/apptest"
)

// teamPeople are the demo members of den-helder-centrum.
var teamPeople = []string{"anouk.devries", "sanne.bakker", "fatima.elamrani"}

// spread connects 2×len(teamPeople) clients of the team: every person twice
// (two devices), on two different instances, so that every instance has
// clients and no person's two clients share an instance (the send rate limit
// is per person per instance).
func (cl *cluster) spread() []*apptest.ChatClient {
	cl.t.Helper()
	n := len(cl.srvs)
	var out []*apptest.ChatClient
	for i := range 2 * len(teamPeople) {
		sub := teamPeople[i%len(teamPeople)]
		inst := (i + i/len(teamPeople)) % n
		out = append(out, cl.connect(sub, inst, fmt.Sprintf("%s#%d@%d", strings.Split(sub, ".")[0], i/len(teamPeople), inst)))
	}
	return out
}

// traffic is every client sending count messages to the team channel from
// its own goroutine, one every few milliseconds, at most a few unacknowledged
// at a time (and retrying refusals, as the client does).
type traffic struct {
	clients []*apptest.ChatClient
	count   int
	mu      sync.Mutex
	sent    map[*apptest.ChatClient][]string // clientIds, in order
	errs    chan error
	wg      sync.WaitGroup
}

func startTraffic(clients []*apptest.ChatClient, count int) *traffic {
	tr := &traffic{clients: clients, count: count, sent: map[*apptest.ChatClient][]string{}, errs: make(chan error, len(clients))}
	for _, c := range clients {
		tr.wg.Add(1)
		go func() {
			defer tr.wg.Done()
			tick := time.NewTicker(3 * time.Millisecond) // pacing, not synchronisation
			defer tick.Stop()
			for i := range count {
				<-tick.C
				if err := c.WaitUntil(syncWait, "room for another send", func() bool { return c.Pending() < 4 }); err != nil {
					tr.errs <- fmt.Errorf("%w (%s)", err, c.Describe(teamCh))
					return
				}
				id := c.Send(teamCh, fmt.Sprintf("%s: bericht %d", c.Name(), i+1))
				tr.mu.Lock()
				tr.sent[c] = append(tr.sent[c], id)
				tr.mu.Unlock()
			}
			if err := c.WaitIdle(syncWait); err != nil {
				tr.errs <- fmt.Errorf("%w (%s)", err, c.Describe(teamCh))
			}
		}()
	}
	return tr
}

// acked counts the acks received by all clients so far.
func (tr *traffic) acked() int {
	n := 0
	for _, c := range tr.clients {
		n += len(c.Acks())
	}
	return n
}

func (tr *traffic) wait(t *testing.T) {
	t.Helper()
	tr.wg.Wait()
	close(tr.errs)
	for err := range tr.errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}
}

// checkLog compares the stored log with what every client holds and with
// every ack: the store has 1..N without gaps, each sent clientId exactly
// once, nothing else; every ack names a stored entry of that send; every
// client holds exactly 1..N, each message once. It returns N.
func (cl *cluster) checkLog(t *testing.T, tr *traffic, at int) int64 {
	t.Helper()
	// A fresh client syncs the whole log from the store.
	fresh := cl.connect("anouk.devries", at, "fresh")
	if err := fresh.WaitSynced(teamCh, syncWait); err != nil {
		t.Fatal(err)
	}
	log := fresh.Entries(teamCh)
	n := int64(len(log))
	if got := fresh.Delivered(teamCh); !slices.Equal(got, seqs(n)) {
		t.Fatalf("stored seqs are not 1..%d: %v", n, got)
	}
	// The store itself, to be sure the sync answer is complete.
	var stored []chat.Entry
	cur, err := cl.srvs[at].App.Store.DB.Collection("chat_entries").Find(context.Background(), bson.D{{Key: "ch", Value: teamCh}})
	if err == nil {
		err = cur.All(context.Background(), &stored)
	}
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(stored)) != n {
		t.Fatalf("the store holds %d entries, a fresh client synced %d", len(stored), n)
	}

	bySeq := map[int64]apptest.ChatEntry{}
	byClientID := map[string][]int64{}
	for _, e := range log {
		bySeq[e.Seq] = e
		byClientID[e.By+"/"+e.ClientID] = append(byClientID[e.By+"/"+e.ClientID], e.Seq)
	}
	total := 0
	acked := map[string]bool{}
	for _, c := range tr.clients {
		total += len(tr.sent[c])
		for _, id := range tr.sent[c] {
			if got := byClientID[c.UserID()+"/"+id]; len(got) != 1 {
				t.Errorf("%s's send %s is stored at seqs %v, want exactly once", c.Name(), id, got)
			}
		}
		for _, a := range c.Acks() {
			if e, ok := bySeq[a.Seq]; !ok || e.ClientID != a.ClientID || e.By != c.UserID() {
				t.Errorf("%s: ack %+v, but the log has %+v at that seq", c.Name(), a, e)
			}
			acked[c.UserID()+"/"+a.ClientID] = true
		}
	}
	if int64(total) != n {
		t.Errorf("%d sends, %d entries stored", total, n)
	}
	// Without reconnections every send is acknowledged. A client that lost
	// its connection may instead find its message in the log (a sync after
	// reconnecting) before it resends it; like the web app, it stops there.
	reconnected := false
	for _, c := range tr.clients {
		reconnected = reconnected || len(c.Closes()) > 0
	}
	if len(acked) != total && !reconnected {
		t.Errorf("%d sends, %d of them acknowledged", total, len(acked))
	}
	if len(acked) != total {
		t.Logf("%d of %d sends acknowledged; their clients found the others in the log after reconnecting", len(acked), total)
	}

	all := append(slices.Clone(tr.clients), fresh)
	if err := cl.watch.Until(syncWait, fmt.Sprintf("every client to hold 1..%d", n), func() bool {
		for _, c := range all {
			if c.High(teamCh) < n {
				return false
			}
		}
		return true
	}); err != nil {
		t.Error(err)
		for _, c := range all {
			if c.High(teamCh) < n {
				t.Error(c.Describe(teamCh))
			}
		}
		t.FailNow()
	}
	for _, c := range all {
		if got := c.Delivered(teamCh); !slices.Equal(got, seqs(n)) {
			t.Errorf("%s holds %d seqs, want exactly 1..%d (%s)", c.Name(), len(got), n, c.Describe(teamCh))
		}
		if d := c.Duplicates(); d != 0 {
			t.Errorf("%s shows %d messages twice", c.Name(), d)
		}
		if r := c.Refused(); len(r) != 0 {
			t.Errorf("%s: refused %v", c.Name(), r)
		}
	}
	return n
}

// TestChatFaultRedisKilled: Redis dies and comes back (same port, no data)
// while every client keeps sending. Nothing acknowledged is lost, nothing is
// stored twice, and every client ends with the whole log.
func TestChatFaultRedisKilled(t *testing.T) {
	t.Parallel()
	// Sends go on while Redis is down: the store is the truth.
	redisOutage(t, "down", "every instance to lose Redis and 15 more acks", 15,
		(*redistest.Server).Kill, (*redistest.Server).Restart)
}

// TestChatFaultRedisFrozen: Redis hangs (SIGSTOP) long enough for every
// instance to notice, then resumes (SIGCONT) while clients keep sending.
func TestChatFaultRedisFrozen(t *testing.T) {
	t.Parallel()
	redisOutage(t, "frozen", "every instance to give up on the frozen Redis, and 10 more acks", 10,
		(*redistest.Server).Stop, (*redistest.Server).Cont)
}

// redisOutage runs traffic over three instances while Redis goes away
// (away) until every instance has noticed and at least more sends were
// acknowledged meanwhile, then comes back (back) until every instance is on
// it again; the log ends whole.
func redisOutage(t *testing.T, state, waitFor string, more int, away, back func(*redistest.Server)) {
	cl := startCluster(t, 3)
	events := cl.watchBrokers()
	clients := cl.spread()
	tr := startTraffic(clients, 25)

	if err := cl.watch.Until(syncWait, "40 acks", func() bool { return tr.acked() >= 40 }); err != nil {
		t.Fatal(err)
	}
	away(cl.redis)
	before := tr.acked()
	if err := cl.watch.Until(syncWait, waitFor, func() bool {
		return events.all(broker.Disconnected, 1) && tr.acked() >= before+more
	}); err != nil {
		back(cl.redis)
		t.Fatalf("%v (broker events %s)", err, events)
	}
	t.Logf("Redis %s: %d acks before, %d while %s", state, before, tr.acked()-before, state)
	back(cl.redis)
	if err := cl.watch.Until(syncWait, "every instance back on Redis", func() bool { return events.all(broker.Reconnected, 1) }); err != nil {
		t.Fatalf("%v (broker events %s)", err, events)
	}
	tr.wait(t)
	n := cl.checkLog(t, tr, 0)
	t.Logf("%d entries; redelivered per client: %v", n, redelivered(clients))
}

// TestChatFaultInstanceKilled: an instance dies mid-traffic (its listener
// and websockets close without a word). Its clients reconnect to another
// instance, resend what was not acknowledged with the same clientId, and
// catch up; nothing is stored twice.
func TestChatFaultInstanceKilled(t *testing.T) {
	t.Parallel()
	cl := startCluster(t, 3)
	clients := cl.spread()
	tr := startTraffic(clients, 25)

	if err := cl.watch.Until(syncWait, "50 acks", func() bool { return tr.acked() >= 50 }); err != nil {
		t.Fatal(err)
	}
	victim := cl.srvs[1]
	victim.Kill(t)
	var moved []*apptest.ChatClient
	for _, c := range clients {
		if r := c.Readies(); r[0] == victim.URL {
			moved = append(moved, c)
		}
	}
	if len(moved) == 0 {
		t.Fatal("no client on the killed instance")
	}
	tr.wait(t)
	cl.checkLog(t, tr, 0)

	dups := 0
	for _, c := range moved {
		cs := c.Closes()
		if len(cs) == 0 || cs[0].URL != victim.URL || cs[0].Code != websocket.CloseAbnormalClosure {
			t.Errorf("%s: closes %v, want an abnormal closure (1006) from the killed instance first", c.Name(), cs)
		}
		if r := c.Readies(); r[len(r)-1] == victim.URL {
			t.Errorf("%s: still on the killed instance (%v)", c.Name(), r)
		}
		for _, a := range c.Acks() {
			if a.Duplicate {
				dups++
			}
		}
	}
	for _, c := range clients {
		if !slices.Contains(moved, c) && len(c.Closes()) != 0 {
			t.Errorf("%s was not on the killed instance but lost its connection: %v", c.Name(), c.Closes())
		}
	}
	t.Logf("%d clients moved; %d resends answered as duplicates; redelivered per client: %v", len(moved), dups, redelivered(clients))
}

// TestChatFaultSlowConsumer: a connection that never reads is dropped once
// its queue overflows, within bounded time, and the other connections of
// the same instance get every message meanwhile.
func TestChatFaultSlowConsumer(t *testing.T) {
	t.Parallel()
	cl := startCluster(t, 2)
	a := cl.srvs[0]
	fast := cl.connect("sanne.bakker", 0, "sanne@A")
	sender := cl.connect("anouk.devries", 1, "anouk@B")

	// The slow client: a small receive buffer, and it never reads.
	dialer := websocket.Dialer{HandshakeTimeout: 5 * time.Second, NetDial: func(network, addr string) (net.Conn, error) {
		d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
			var serr error
			err := rc.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
			})
			if err != nil {
				return err
			}
			return serr
		}}
		return d.Dial(network, addr)
	}}
	h := http.Header{"Cookie": {cl.login("fatima.elamrani").Cookie()}, "Origin": {a.URL}}
	slow, _, err := dialer.Dial("ws"+strings.TrimPrefix(a.URL, "http")+"/api/v1/ws", h)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	// It reads its `ready` (so it is registered), then never reads again.
	_ = slow.SetReadDeadline(time.Now().Add(readyWait))
	if _, _, err := slow.ReadMessage(); err != nil {
		t.Fatal(err)
	}
	conns := a.App.Hub.Connections()

	// Large messages (about 14 KB per entry frame with its HTML).
	big := strings.Repeat("Client heeft vandaag goed gegeten en gedronken. ", 150)[:7000]
	const first, second = 20, 20
	for i := range first {
		sender.Send(teamCh, fmt.Sprintf("%d %s", i+1, big))
	}
	if err := fast.WaitSeqs(teamCh, first, syncWait); err != nil {
		t.Fatal(err)
	}

	// The slow client asks for the whole log again and again (about 280 KB
	// an answer) and pings in between. Once the socket buffers are full
	// (about 2.8 MB on Linux loopback with this receive buffer) the
	// server's writes block, and the small pongs fill its queue until it
	// overflows. 80 rounds (22 MB of answers) are far more than needed; the
	// server stops reading them once it has dropped the connection.
	start := time.Now()
	_ = slow.SetWriteDeadline(time.Now().Add(10 * time.Second))
flood:
	for i := range 80 {
		if err := slow.WriteJSON(map[string]any{"type": "sync", "id": fmt.Sprint("s", i), "ch": teamCh, "after": 0, "limit": 200}); err != nil {
			break // the server has closed it
		}
		for j := range 40 {
			if err := slow.WriteJSON(map[string]any{"type": "ping", "id": fmt.Sprint("p", i, "-", j)}); err != nil {
				break flood
			}
		}
	}
	// Meanwhile the others' messages keep flowing.
	for i := range second {
		sender.Send(teamCh, fmt.Sprintf("%d kort bericht", first+i+1))
	}

	// The hub has no event for a dropped connection: watch its count.
	deadline := time.Now().Add(20 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for a.App.Hub.Connections() >= conns {
		if time.Now().After(deadline) {
			t.Fatalf("the slow connection is still open after %v", time.Since(start))
		}
		<-tick.C
	}
	t.Logf("slow connection dropped %v after it stopped reading", time.Since(start).Round(time.Millisecond))

	if err := fast.WaitSeqs(teamCh, first+second, syncWait); err != nil {
		t.Fatal(err)
	}
	if live := fast.Live(teamCh); !slices.Equal(live, seqs(first+second)) || fast.FromSync(teamCh) != 0 {
		t.Fatalf("fast client received live %v (from sync %d), want 1..%d", live, fast.FromSync(teamCh), first+second)
	}
	if cs := fast.Closes(); len(cs) != 0 {
		t.Fatalf("fast client lost its connection: %v", cs)
	}

	// Reading now, the slow client finds what was buffered, then the end:
	// close 4008 if the close frame got through, else the dropped socket.
	_ = slow.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		if _, _, err = slow.ReadMessage(); err != nil {
			break
		}
	}
	if ce, ok := err.(*websocket.CloseError); ok {
		if ce.Code != chat.CloseTooSlow {
			t.Fatalf("slow client closed with %d %q, want %d", ce.Code, ce.Text, chat.CloseTooSlow)
		}
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("slow client's connection is still open: %v", err)
	}
	t.Logf("slow client: %v", err)
}

// TestChatFaultGracefulDrain: an instance that shuts down closes its
// websockets with 1012 "reconnect"; its clients reconnect to another
// instance, resend what was pending and catch up.
func TestChatFaultGracefulDrain(t *testing.T) {
	t.Parallel()
	cl := startCluster(t, 3)
	clients := cl.spread()
	tr := startTraffic(clients, 20)
	if err := cl.watch.Until(syncWait, "40 acks", func() bool { return tr.acked() >= 40 }); err != nil {
		t.Fatal(err)
	}
	victim := cl.srvs[2]
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	victim.App.Drain(ctx)
	cancel()
	if n := victim.App.Hub.Connections(); n != 0 {
		t.Fatalf("%d connections left after Drain", n)
	}
	tr.wait(t)
	cl.checkLog(t, tr, 0)
	moved := 0
	for _, c := range clients {
		r := c.Readies()
		if r[0] != victim.URL {
			if cs := c.Closes(); len(cs) != 0 {
				t.Errorf("%s was not on the drained instance but lost its connection: %v", c.Name(), cs)
			}
			continue
		}
		moved++
		cs := c.Closes()
		if len(cs) == 0 || cs[0].Code != chat.CloseServiceRestart || cs[0].Text != "reconnect" {
			t.Errorf("%s: closes %v, want 1012 \"reconnect\" first", c.Name(), cs)
		}
		if r[len(r)-1] == victim.URL {
			t.Errorf("%s: reconnected to the drained instance (%v)", c.Name(), r)
		}
	}
	if moved == 0 {
		t.Fatal("no client was on the drained instance")
	}
}

func redelivered(cs []*apptest.ChatClient) []int {
	var out []int
	for _, c := range cs {
		out = append(out, c.Redelivered())
	}
	return out
}
