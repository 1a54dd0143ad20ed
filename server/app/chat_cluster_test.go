package app_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/plein/plein/chat"
	"github.com/plein/plein/chat/broker"
	"github.com/plein/plein/chat/broker/redistest"
	"github.com/plein/plein/server/app/apptest"
)

// Bounds for waiting on conditions. They are generous: CI runs with -race on
// two cores, and nothing here waits for them unless something is wrong.
const (
	readyWait = 20 * time.Second
	syncWait  = 30 * time.Second
)

// cluster is n instances on one database and one real Redis.
type cluster struct {
	t     *testing.T
	redis *redistest.Server
	srvs  []*apptest.Server
	urls  []string
	// One login per person, made through instance 0 (its identity provider
	// issued the seeded users); the session cookie works on every instance.
	logins map[string]*apptest.Client
	watch  *apptest.Watch
}

func startCluster(t *testing.T, n int) *cluster {
	t.Helper()
	rs := redistest.Start(t)
	srvs := apptest.StartCluster(t, n, rs.URL())
	return &cluster{t: t, redis: rs, srvs: srvs, urls: apptest.URLs(srvs), logins: map[string]*apptest.Client{}, watch: apptest.NewWatch()}
}

func (cl *cluster) login(sub string) *apptest.Client {
	cl.t.Helper()
	if c, ok := cl.logins[sub]; ok {
		return c
	}
	c := cl.srvs[0].Login(cl.t, sub)
	cl.logins[sub] = c
	return c
}

// connect opens a chat client for sub on instance i (the other instances
// follow in its reconnect list) and waits for its `ready`.
func (cl *cluster) connect(sub string, i int, name string) *apptest.ChatClient {
	cl.t.Helper()
	c := apptest.NewChatClient(cl.t, cl.login(sub), cl.urls, apptest.ChatOptions{Name: name, Start: i, Watch: cl.watch})
	if err := c.WaitReady(readyWait); err != nil {
		cl.t.Fatal(err)
	}
	if err := c.WaitSettled(readyWait); err != nil { // its first syncs answered
		cl.t.Fatal(err)
	}
	if got := c.URL(); got != cl.urls[i] {
		cl.t.Fatalf("%s connected to %s, want instance %d (%s)", name, got, i, cl.urls[i])
	}
	return c
}

// brokerEvents records the link events of every instance's broker.
type brokerEvents struct {
	mu     sync.Mutex
	counts []map[broker.Event]int
	watch  *apptest.Watch
}

func (cl *cluster) watchBrokers() *brokerEvents {
	be := &brokerEvents{watch: cl.watch}
	for i, s := range cl.srvs {
		be.counts = append(be.counts, map[broker.Event]int{})
		s.App.Broker.OnEvent(func(ev broker.Event) {
			be.mu.Lock()
			be.counts[i][ev]++
			be.mu.Unlock()
			be.watch.Signal()
		})
	}
	return be
}

// all reports whether every instance has seen the event at least n times.
func (be *brokerEvents) all(ev broker.Event, n int) bool {
	be.mu.Lock()
	defer be.mu.Unlock()
	for _, c := range be.counts {
		if c[ev] < n {
			return false
		}
	}
	return true
}

func (be *brokerEvents) String() string {
	be.mu.Lock()
	defer be.mu.Unlock()
	return fmt.Sprint(be.counts)
}

func seqs(n int64) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(i + 1)
	}
	return out
}

// TestChatClusterFanOut: members of one team on different instances get
// every message live, in order, whichever instance it was sent to; a person
// of another team gets nothing.
func TestChatClusterFanOut(t *testing.T) {
	t.Parallel()
	for _, n := range []int{2, 3} {
		t.Run(fmt.Sprintf("%d instances", n), func(t *testing.T) {
			cl := startCluster(t, n)
			a, b, c := 0, 1, 2%n
			anouk := cl.connect("anouk.devries", a, "anouk@A")
			sanne := cl.connect("sanne.bakker", b, "sanne@B")
			fatima := cl.connect("fatima.elamrani", c, "fatima@C")
			daan := cl.connect("daan.visser", c, "daan@C")
			if daan.HasChannel(teamCh) {
				t.Fatal("daan (other team) has den-helder-centrum's channel")
			}

			const count = 50
			for i := range count {
				anouk.Send(teamCh, fmt.Sprintf("Bericht %d van Anouk", i+1))
			}
			for _, m := range []*apptest.ChatClient{anouk, sanne, fatima} {
				if err := m.WaitSeqs(teamCh, count, syncWait); err != nil {
					t.Fatal(err)
				}
			}
			for _, m := range []*apptest.ChatClient{sanne, fatima} {
				if live := m.Live(teamCh); !slices.Equal(live, seqs(count)) {
					t.Errorf("%s received live %v, want 1..%d in order", m.Name(), live, count)
				}
				if got := m.Entries(teamCh); got[0].Body != "Bericht 1 van Anouk" || got[count-1].ByName != "Anouk de Vries" {
					t.Errorf("%s holds %+v … %+v", m.Name(), got[0], got[count-1])
				}
			}
			acks := anouk.Acks()
			if len(acks) != count {
				t.Fatalf("anouk got %d acks, want %d", len(acks), count)
			}
			for i, ack := range acks {
				if ack.Seq != int64(i+1) || ack.Duplicate {
					t.Fatalf("ack %d: %+v", i, ack)
				}
			}

			// And the other way round: sent on B, received on A and C.
			for i := range 10 {
				sanne.Send(teamCh, fmt.Sprintf("Antwoord %d van Sanne", i+1))
			}
			for _, m := range []*apptest.ChatClient{anouk, sanne, fatima} {
				if err := m.WaitSeqs(teamCh, count+10, syncWait); err != nil {
					t.Fatal(err)
				}
				if live := m.Live(teamCh); m != sanne && !slices.Equal(live, seqs(count+10)) {
					t.Errorf("%s received live %v, want 1..%d in order", m.Name(), live, count+10)
				}
				if m.Duplicates() != 0 {
					t.Errorf("%s shows %d messages twice", m.Name(), m.Duplicates())
				}
				// The senders may sync an entry that takes long to follow its
				// ack; the others get everything once, live.
				if m != anouk && m != sanne && (m.Redelivered() != 0 || m.FromSync(teamCh) != 0) {
					t.Errorf("%s: duplicates %d, redelivered %d, from sync %d: want everything once, live",
						m.Name(), m.Duplicates(), m.Redelivered(), m.FromSync(teamCh))
				}
			}

			// Daan's connection is on the same instance as Fatima's, which
			// has delivered everything; whatever was queued for Daan before
			// his pong has been read.
			if err := daan.Ping(readyWait); err != nil {
				t.Fatal(err)
			}
			if live := daan.Live(teamCh); len(live) != 0 {
				t.Fatalf("daan (other team) received entries %v of %s", live, teamCh)
			}
			if daan.HasChannel(teamCh) || len(daan.Delivered(teamCh)) != 0 {
				t.Fatal("daan holds den-helder-centrum's channel")
			}
			for _, m := range []*apptest.ChatClient{anouk, sanne, fatima, daan} {
				if r := m.Refused(); len(r) != 0 {
					t.Errorf("%s: refused %v", m.Name(), r)
				}
				if cs := m.Closes(); len(cs) != 0 {
					t.Errorf("%s: connection ended: %v", m.Name(), cs)
				}
			}
		})
	}
}

// TestChatClusterSameSendTwice: one person's two devices, on two instances,
// send the same clientId at the same moment (what a resend after a
// reconnect does while the first attempt is still being stored). The
// message is stored once and both get an ack with its seq.
func TestChatClusterSameSendTwice(t *testing.T) {
	t.Parallel()
	cl := startCluster(t, 2)
	one := cl.connect("anouk.devries", 0, "anouk@A")
	two := cl.connect("anouk.devries", 1, "anouk@B")
	const count = 30
	for i := range count {
		id := fmt.Sprintf("twice-%d", i)
		one.SendWithID(teamCh, id, "Tweemaal verstuurd "+id)
		two.SendWithID(teamCh, id, "Tweemaal verstuurd "+id)
	}
	for _, c := range []*apptest.ChatClient{one, two} {
		if err := c.WaitIdle(syncWait); err != nil {
			t.Fatalf("%v (%s)", err, c.Describe(teamCh))
		}
	}
	fresh := cl.connect("sanne.bakker", 0, "sanne@A")
	if err := fresh.WaitSynced(teamCh, syncWait); err != nil {
		t.Fatal(err)
	}
	log := fresh.Entries(teamCh)
	seqOf := map[string]int64{}
	for _, e := range log {
		if prev, ok := seqOf[e.ClientID]; ok {
			t.Errorf("%s stored twice: seqs %d and %d", e.ClientID, prev, e.Seq)
		}
		seqOf[e.ClientID] = e.Seq
	}
	if len(log) != count {
		t.Errorf("%d entries stored for %d sends", len(log), count)
	}
	for _, c := range []*apptest.ChatClient{one, two} {
		for _, a := range c.Acks() {
			if seqOf[a.ClientID] != a.Seq {
				t.Errorf("%s: ack %+v, but %s is stored at seq %d", c.Name(), a, a.ClientID, seqOf[a.ClientID])
			}
		}
		if r := c.Refused(); len(r) != 0 {
			t.Errorf("%s: refused %v", c.Name(), r)
		}
	}
}

// TestChatSendLimitAcrossInstances (issue 16): one person sending by turns
// through two instances gets the send burst once, not once per instance.
// The sends go to a channel that does not exist for them: each still takes
// a token (answered not_found) or is refused (rate_limited), and nothing is
// stored, so the loop is quick and little refills meanwhile.
func TestChatSendLimitAcrossInstances(t *testing.T) {
	t.Parallel()
	cl := startCluster(t, 2)
	c := cl.login("anouk.devries")
	var ws [2]*apptest.WS
	for i := range ws {
		ws[i] = c.On(cl.srvs[i]).DialWS(t)
		ws[i].Until("ready", nil)
	}
	const n = 3 * chat.SendBurst
	start := time.Now()
	for i := range n {
		ws[i%2].Send(map[string]any{"type": "send", "id": fmt.Sprint(i), "ch": "c-nope", "clientId": fmt.Sprint("limit-", i), "body": "Snel"})
	}
	codes := map[any]int{}
	for i := range n {
		f, _ := ws[i%2].Until("error", func(f map[string]any) bool { return f["id"] == fmt.Sprint(i) })
		codes[f["code"]]++
	}
	refilled := int(time.Since(start).Seconds()*chat.SendRatePerSecond) + 1
	if allowed := codes["not_found"]; allowed < chat.SendBurst || allowed > chat.SendBurst+refilled || allowed+codes["rate_limited"] != n {
		t.Fatalf("answers %v to %d sends through two instances (burst %d, %d refilled): the limit is per instance", codes, n, chat.SendBurst, refilled)
	}
}
