// Command loadgen measures Plein's chat under load against a reference: a
// bare gorilla/websocket broadcast hub (chat/loadgen/refhub). Both run as
// separate processes on loopback, are driven by this same generator with the
// same clients and the same send pattern, and are measured the same way:
//
//   - memory per idle connection: VmRSS of the server process before and after
//     connecting every client (and Go heap+stack in use after a GC, from pprof),
//     divided by the connections;
//   - connections held at the end;
//   - deliveries per second;
//   - p50/p99/p99.9 send-to-receive latency (the sender stamps the body with a
//     monotonic timestamp, receivers in this process subtract it).
//
// Scenarios: "teams" (many team channels of a dozen members, realistic send
// rate) and "org" (one organisation-wide channel of thousands of members).
// Plein's users, teams, sessions and channel are written straight into a
// separate `plein store` process before the server starts (package fixture);
// a few demo users also log in through the real OIDC development provider.
//
//	go run ./chat/loadgen -scenario teams,org
//	go run ./chat/loadgen -scenario teams -teams 84 -duration 10s   # short
//	go run ./chat/loadgen -scenario org -target reference           # reference only
//	go run ./chat/loadgen -scenario teams -pprof /tmp/plein-teams.pprof
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"github.com/plein/plein/chat"
	"github.com/plein/plein/chat/loadgen/fixture"
	"github.com/plein/plein/server/benchkit"
)

type options struct {
	scenarios   []string
	targets     []string
	teams       int
	teamSize    int
	rate        float64
	orgMembers  int
	orgRate     float64
	warmup      time.Duration
	duration    time.Duration
	drain       time.Duration
	settle      time.Duration
	concurrency int
	bodySize    int
	logins      int
	pleinBin    string
	refBin      string
	pprofOut    string
	jsonOut     string
	keep        bool
	touch       bool
	connectMax  time.Duration
}

func main() {
	var o options
	var scen, targ string
	flag.StringVar(&scen, "scenario", "teams,org", "comma-separated: teams, org (\"reference\" alone = both scenarios, reference only)")
	flag.StringVar(&targ, "target", "plein,reference", "comma-separated: plein, reference")
	flag.IntVar(&o.teams, "teams", 1000, "teams scenario: team channels")
	flag.IntVar(&o.teamSize, "team-size", 12, "teams scenario: members per team")
	flag.Float64Var(&o.rate, "rate", 0, "teams scenario: messages per second over all channels (default: teams/2, one message per channel every ~2 s)")
	flag.IntVar(&o.orgMembers, "org-members", 5000, "org scenario: members of the organisation-wide channel")
	flag.Float64Var(&o.orgRate, "org-rate", 20, "org scenario: messages per second in that channel")
	flag.DurationVar(&o.warmup, "warmup", 5*time.Second, "sending before the measurement window")
	flag.DurationVar(&o.duration, "duration", 20*time.Second, "measurement window")
	flag.DurationVar(&o.drain, "drain", 3*time.Second, "wait after the last send for late deliveries")
	flag.DurationVar(&o.settle, "settle", 3*time.Second, "wait after connecting before measuring memory")
	flag.IntVar(&o.concurrency, "connect-concurrency", 32, "connections dialled in parallel")
	flag.IntVar(&o.bodySize, "body", 100, "message body size in bytes")
	flag.IntVar(&o.logins, "logins", 3, "demo users logged in through the OIDC development provider (Plein)")
	flag.StringVar(&o.pleinBin, "plein-bin", "", "plein binary (default: go build ./server/cmd/plein)")
	flag.StringVar(&o.refBin, "refhub-bin", "", "refhub binary (default: go build ./chat/loadgen/refhub)")
	flag.StringVar(&o.pprofOut, "pprof", "", "write Plein CPU profiles of each measurement window to this path (scenario name appended)")
	flag.StringVar(&o.jsonOut, "json", "", "also write the results as JSON to this file")
	flag.BoolVar(&o.touch, "touch-sessions", false, "Plein: sessions last seen 2 min ago, so every connect updates its session (see fixture.Spec)")
	flag.DurationVar(&o.connectMax, "connect-timeout", 100*time.Second, "give up when connecting everyone takes longer")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary directory (logs, store files)")
	flag.Parse()
	o.scenarios, o.targets = split(scen), split(targ)
	if slices.Equal(o.scenarios, []string{"reference"}) {
		o.scenarios, o.targets = []string{"teams", "org"}, []string{"reference"}
	}
	if o.rate == 0 {
		o.rate = float64(o.teams) / 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, &o); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// result is one target under one scenario.
type result struct {
	Scenario, Target                string
	Conns, Held                     int
	ConnectSecs                     float64
	RSSBefore, RSSAfter             int64
	HeapStackBefore, HeapStackAfter int64
	MemPerConnRSS, MemPerConnHeap   float64 // bytes
	ServerFDs                       int
	Sent                            int64 // sends in the window
	SendRate, OfferedDeliveries     float64
	DeliveredPerSec                 float64 // receipts during the window / window
	Completion                      float64 // deliveries of window messages / expected
	P50, P99, P999, Max             time.Duration
	AckP50, AckP99                  time.Duration // Plein only: send → ack (stored before fan-out)
	ErrFrames, Closed, SendFailed   int64
	SendSkipped                     int64
	CloseCodes                      map[int]int64
	ServerCPU                       float64 // CPU seconds per second during the window
	GenCPU                          float64 // the generator's own, same window
	FirstErr                        string
	Profile                         string `json:",omitempty"`
}

func run(ctx context.Context, o *options) error {
	nofile, err := raiseNoFile()
	if err != nil {
		return fmt.Errorf("RLIMIT_NOFILE: %w", err)
	}
	maxConns := int(nofile) - 256
	fmt.Printf("loadgen: RLIMIT_NOFILE %d (generator and each server process have their own; Go raises a child's soft limit to its hard limit)\n", nofile)
	tmp, err := os.MkdirTemp("", "plein-loadgen-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Println("loadgen: temporary directory", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	if err := buildTargets(ctx, o, tmp); err != nil {
		return err
	}
	var results []*result
	for _, sc := range o.scenarios {
		var sp fixture.Spec
		var rate float64
		switch sc {
		case "teams":
			sp = fixture.Spec{Teams: o.teams, TeamSize: o.teamSize, TouchSessions: o.touch}
			rate = o.rate
		case "org":
			sp = fixture.Spec{OrgMembers: o.orgMembers, OrgOnly: true, TouchSessions: o.touch}
			rate = o.orgRate
		default:
			return fmt.Errorf("unknown scenario %q (teams, org)", sc)
		}
		if n := sp.Teams*sp.TeamSize + sp.OrgMembers; n > maxConns {
			return fmt.Errorf("%s: %d connections exceed the open-file limit %d of this process; lower the counts", sc, n, nofile)
		}
		for _, tg := range o.targets {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			dir := filepath.Join(tmp, sc+"-"+tg)
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return err
			}
			fmt.Printf("\n== scenario %s, target %s ==\n", sc, tg)
			var r *result
			switch tg {
			case "plein":
				r, err = runPlein(ctx, o, sc, sp, rate, dir)
			case "reference":
				r, err = runReference(ctx, o, sc, sp, rate, dir)
			default:
				return fmt.Errorf("unknown target %q (plein, reference)", tg)
			}
			if err != nil {
				return fmt.Errorf("%s/%s: %w", sc, tg, err)
			}
			results = append(results, r)
			runtime.GC()
		}
	}
	printTable(os.Stdout, o, results)
	if o.jsonOut != "" {
		b, _ := json.MarshalIndent(results, "", "  ")
		if err := os.WriteFile(o.jsonOut, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// buildTargets builds the binaries of the targets that were not given.
func buildTargets(ctx context.Context, o *options, tmp string) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	if o.pleinBin == "" && slices.Contains(o.targets, "plein") {
		if o.pleinBin, err = build(ctx, root, "./server/cmd/plein", filepath.Join(tmp, "plein")); err != nil {
			return err
		}
	}
	if o.refBin == "" && slices.Contains(o.targets, "reference") {
		if o.refBin, err = build(ctx, root, "./chat/loadgen/refhub", filepath.Join(tmp, "refhub")); err != nil {
			return err
		}
	}
	return nil
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" || strings.TrimSpace(string(out)) == os.DevNull {
		return "", fmt.Errorf("run loadgen inside the module (go env GOMOD: %v)", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out))), nil
}

func build(ctx context.Context, root, pkg, out string) (string, error) {
	fmt.Printf("loadgen: go build %s\n", pkg)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build %s: %w", pkg, err)
	}
	return out, nil
}

// runPlein: store process, fixture, server process, OIDC check, load.
func runPlein(ctx context.Context, o *options, sc string, sp fixture.Spec, rate float64, dir string) (*result, error) {
	storePort, _ := freePort()
	storeAddr := fmt.Sprintf("127.0.0.1:%d", storePort)
	store, err := benchkit.Start("store", o.pleinBin, []string{"store", "-listen", storeAddr, "-dir", filepath.Join(dir, "store")}, nil, dir)
	if err != nil {
		return nil, err
	}
	defer store.Stop(20 * time.Second)
	if err := benchkit.WaitFor(ctx, store, 60*time.Second, "store", func() bool { return benchkit.TCPOpen(storeAddr) }); err != nil {
		return nil, err
	}
	port, _ := freePort()
	pport, _ := freePort()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	sp.Issuer = base + "/dev-idp"
	uri := "mongodb://" + storeAddr + "/"
	fx, err := fixture.Build(ctx, uri, "plein", sp)
	if err != nil {
		return nil, fmt.Errorf("fixture: %w", err)
	}
	fmt.Printf("fixture: %d users with sessions, %d channels, %d documents in %.1fs\n", len(fx.Users), len(fx.Channels), fx.Docs, fx.Took.Seconds())

	pprofAddr := fmt.Sprintf("127.0.0.1:%d", pport)
	srv, err := benchkit.Start("plein", o.pleinBin, nil, []string{
		"PLEIN_MODE=development", "PLEIN_LISTEN=" + fmt.Sprintf("127.0.0.1:%d", port), "PLEIN_BASE_URL=" + base,
		"MONGODB_URI=" + uri, "MONGODB_DATABASE=plein", "PLEIN_SEED_DEMO=true", "PLEIN_LOG_LEVEL=warn",
		"PLEIN_PPROF_LISTEN=" + pprofAddr, "OIDC_ISSUER=", "REDIS_URL=",
	}, dir)
	if err != nil {
		return nil, err
	}
	started := time.Now()
	defer srv.Stop(30 * time.Second)
	if err := benchkit.WaitFor(ctx, srv, 120*time.Second, "/readyz", func() bool { return benchkit.HTTPOK(base + "/readyz") }); err != nil {
		return nil, err
	}
	fmt.Printf("plein: ready in %.1fs (pid %d, demo seed + %d synthetic users loaded)\n", time.Since(started).Seconds(), srv.PID(), len(fx.Users))

	if o.logins > 0 {
		if err := oidcCheck(base, o.logins); err != nil {
			return nil, fmt.Errorf("OIDC login check: %w", err)
		}
	}
	ws := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/ws"
	dialOne := func(u fixture.User) (*websocket.Conn, error) {
		h := http.Header{}
		h.Set("Origin", base)
		h.Set("Cookie", "plein_session="+u.Token)
		return dial(ws, h, true)
	}
	return measure(ctx, o, sc, "plein", srv, pprofAddr, fx, rate, dialOne)
}

func runReference(ctx context.Context, o *options, sc string, sp fixture.Spec, rate float64, dir string) (*result, error) {
	// The same users and channels as Plein's fixture, without a store.
	fx := plan(sp)
	port, _ := freePort()
	pport, _ := freePort()
	addr, pprofAddr := fmt.Sprintf("127.0.0.1:%d", port), fmt.Sprintf("127.0.0.1:%d", pport)
	srv, err := benchkit.Start("refhub", o.refBin, []string{"-listen", addr, "-pprof", pprofAddr}, nil, dir)
	if err != nil {
		return nil, err
	}
	defer srv.Stop(10 * time.Second)
	if err := benchkit.WaitFor(ctx, srv, 30*time.Second, "/healthz", func() bool { return benchkit.HTTPOK("http://" + addr + "/healthz") }); err != nil {
		return nil, err
	}
	dialOne := func(u fixture.User) (*websocket.Conn, error) {
		h := http.Header{}
		h.Set("Origin", "http://"+addr)
		return dial("ws://"+addr+"/ws?ch="+url.QueryEscape(u.Channel), h, false)
	}
	return measure(ctx, o, sc, "reference", srv, pprofAddr, fx, rate, dialOne)
}

// plan is the fixture's user/channel layout without writing anything.
func plan(sp fixture.Spec) *fixture.Result {
	res := &fixture.Result{Channels: map[string][]int{}}
	for t := 0; t < sp.Teams; t++ {
		ch := chat.TeamChannelID(fmt.Sprintf("lg-team-%04d", t))
		for m := 0; m < sp.TeamSize; m++ {
			res.Users = append(res.Users, fixture.User{Channel: ch})
			res.Channels[ch] = append(res.Channels[ch], len(res.Users)-1)
		}
	}
	for m := 0; m < sp.OrgMembers; m++ {
		res.Users = append(res.Users, fixture.User{Channel: fixture.OrgChannelID})
		res.Channels[fixture.OrgChannelID] = append(res.Channels[fixture.OrgChannelID], len(res.Users)-1)
	}
	return res
}

func measure(ctx context.Context, o *options, sc, target string, srv *proc, pprofAddr string, fx *fixture.Result, rate float64,
	dialOne func(fixture.User) (*websocket.Conn, error)) (*result, error) {
	r := &result{Scenario: sc, Target: target, Conns: len(fx.Users), CloseCodes: map[int]int64{}}
	time.Sleep(time.Second)
	r.RSSBefore = procStatus(srv.PID(), "VmRSS")
	h, s := memStats(pprofAddr)
	r.HeapStackBefore = h + s
	st := newStats()
	clients, err := connectAll(ctx, o, target, fx, dialOne, st, r)
	defer func() {
		st.closing.Store(true)
		for _, c := range clients {
			if c != nil {
				_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
				c.ws.Close()
			}
		}
	}()
	if err != nil {
		return nil, err
	}
	fmt.Printf("%s: %d connections in %.1fs (%.0f/s); frames received before ready: %d\n", target, len(clients), r.ConnectSecs,
		float64(len(clients))/r.ConnectSecs, framesBeforeReady.Swap(0))
	time.Sleep(o.settle)
	r.RSSAfter = procStatus(srv.PID(), "VmRSS")
	h, s = memStats(pprofAddr)
	r.HeapStackAfter = h + s
	r.ServerFDs = fdCount(srv.PID())
	r.MemPerConnRSS = float64(r.RSSAfter-r.RSSBefore) / float64(len(clients))
	r.MemPerConnHeap = float64(r.HeapStackAfter-r.HeapStackBefore) / float64(len(clients))
	fmt.Printf("%s: RSS %.1f → %.1f MB (%.1f KB/conn); Go heap+stacks %.1f → %.1f MB (%.1f KB/conn); server fds %d\n", target,
		mb(r.RSSBefore), mb(r.RSSAfter), r.MemPerConnRSS/1024, mb(r.HeapStackBefore), mb(r.HeapStackAfter), r.MemPerConnHeap/1024, r.ServerFDs)
	sw, err := sendLoad(ctx, o, sc, target, srv, pprofAddr, fx, rate, clients, st, r)
	if err != nil {
		return nil, err
	}
	time.Sleep(o.drain)
	summarise(r, st, sw, o)
	return r, nil
}

// connectAll connects every fixture user, o.concurrency at a time, within
// o.connectMax; the clients it returns (nil where a dial failed) are open
// even when it returns an error.
func connectAll(ctx context.Context, o *options, target string, fx *fixture.Result, dialOne func(fixture.User) (*websocket.Conn, error),
	st *stats, r *result) ([]*client, error) {
	clients := make([]*client, len(fx.Users))
	var next atomic.Int64
	var failed atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	cctx, ccancel := context.WithTimeout(ctx, o.connectMax)
	defer ccancel()
	go func() { // progress
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-cctx.Done():
				return
			case <-t.C:
				fmt.Printf("%s: %d/%d connected after %.0fs\n", target, st.open.Load(), len(clients), time.Since(start).Seconds())
			}
		}
	}()
	for w := 0; w < o.concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for cctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(fx.Users) {
					return
				}
				ws, err := dialOne(fx.Users[i])
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					if failed.Load() > 50 {
						return
					}
					continue
				}
				c := &client{idx: i, ch: fx.Users[i].Channel, ws: ws}
				clients[i] = c
				st.open.Add(1)
				go c.readLoop(st)
			}
		}()
	}
	wg.Wait()
	ccancel()
	r.ConnectSecs = time.Since(start).Seconds()
	if n := failed.Load(); n > 0 {
		return clients, fmt.Errorf("%d connections failed, first: %v", n, firstErr.Load())
	}
	if ctx.Err() != nil {
		return clients, ctx.Err()
	}
	if n := int(st.open.Load()); n < len(clients) {
		return clients, fmt.Errorf("only %d of %d connections after %.0fs (%.1f/s); raise -connect-timeout or lower the counts", n, len(clients), r.ConnectSecs, float64(n)/r.ConnectSecs)
	}
	return clients, nil
}

// sendWindow counts the sends of a measurement window.
type sendWindow struct {
	failed, skipped, sent, offered int64
	prof                           chan string
}

// sendLoad sends at a fixed rate (open loop: a slow server does not slow
// the senders), evenly spaced, from a random member of a random channel,
// through the warm-up and the measurement window.
func sendLoad(ctx context.Context, o *options, sc, target string, srv *proc, pprofAddr string, fx *fixture.Result, rate float64,
	clients []*client, st *stats, r *result) (*sendWindow, error) {
	chans := make([]string, 0, len(fx.Channels))
	for ch := range fx.Channels {
		chans = append(chans, ch)
	}
	slices.Sort(chans)
	body := []byte(strings.Repeat("x", max(o.bodySize-25, 1)))
	jobs := make(chan *client, 4096)
	var sendFailed, skipped, sentWin, offeredWin atomic.Int64
	var swg sync.WaitGroup
	for w := 0; w < 8; w++ {
		swg.Add(1)
		go func() {
			defer swg.Done()
			for c := range jobs {
				ts, err := c.send(body, st)
				if err != nil {
					sendFailed.Add(1)
					continue
				}
				if st.inWindow(ts) {
					sentWin.Add(1)
					offeredWin.Add(int64(len(fx.Channels[c.ch])))
				}
			}
		}()
	}
	var prof chan string
	total := o.warmup + o.duration
	rng := rand.New(rand.NewPCG(1, 2))
	tick := time.NewTicker(time.Millisecond)
	sendStart := time.Now()
	sent := 0
	var cpu0, gen0 time.Duration
	inWin := false
	for ctx.Err() == nil {
		t := <-tick.C
		el := t.Sub(sendStart)
		if !inWin && el >= o.warmup {
			inWin = true
			st.winStart.Store(now())
			cpu0, gen0 = benchkit.CPUTime(srv.PID()), benchkit.CPUTime(os.Getpid())
			if o.pprofOut != "" && target == "plein" {
				prof = make(chan string, 1)
				go func() { prof <- cpuProfile(pprofAddr, o.duration, o.pprofOut+"."+sc) }()
			}
		}
		if el >= total {
			break
		}
		due := int(el.Seconds()*rate) - sent
		for ; due > 0; due-- {
			members := fx.Channels[chans[rng.IntN(len(chans))]]
			c := clients[members[rng.IntN(len(members))]]
			select {
			case jobs <- c:
			default:
				skipped.Add(1)
			}
			sent++
		}
	}
	tick.Stop()
	st.winEnd.Store(now())
	r.ServerCPU = (benchkit.CPUTime(srv.PID()) - cpu0).Seconds() / o.duration.Seconds()
	r.GenCPU = (benchkit.CPUTime(os.Getpid()) - gen0).Seconds() / o.duration.Seconds()
	close(jobs)
	swg.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return &sendWindow{failed: sendFailed.Load(), skipped: skipped.Load(), sent: sentWin.Load(), offered: offeredWin.Load(), prof: prof}, nil
}

// summarise fills in the window's figures and prints them.
func summarise(r *result, st *stats, sw *sendWindow, o *options) {
	target := r.Target
	snap := st.lat.Snapshot()
	r.Sent = sw.sent
	r.SendRate = float64(r.Sent) / o.duration.Seconds()
	r.OfferedDeliveries = float64(sw.offered) / o.duration.Seconds()
	r.DeliveredPerSec = float64(st.recvInWin.Load()) / o.duration.Seconds()
	if sw.offered > 0 {
		r.Completion = float64(st.deliveredWinMsgs.Load()) / float64(sw.offered)
	}
	r.P50, r.P99, r.P999, r.Max = snap.Quantile(0.5), snap.Quantile(0.99), snap.Quantile(0.999), snap.Max
	ack := st.ackLat.Snapshot()
	r.AckP50, r.AckP99 = ack.Quantile(0.5), ack.Quantile(0.99)
	r.ErrFrames, r.Closed, r.SendFailed, r.SendSkipped = st.errFrames.Load(), st.closedByServer.Load(), sw.failed, sw.skipped
	st.closeCodes.Range(func(k, v any) bool { r.CloseCodes[k.(int)] = v.(*atomic.Int64).Load(); return true })
	r.Held = int(st.open.Load())
	if v := st.firstErr.Load(); v != nil {
		r.FirstErr = v.(string)
	}
	if sw.prof != nil {
		r.Profile = <-sw.prof
	}
	fmt.Printf("%s: sent %.0f msg/s, delivered %.0f/s of %.0f offered (%.2f%% of window messages delivered), p50 %s p99 %s p99.9 %s max %s, server CPU %.2f cores (generator %.2f), held %d/%d, error frames %d, closed by server %d %v\n",
		target, r.SendRate, r.DeliveredPerSec, r.OfferedDeliveries, 100*r.Completion, ms(r.P50), ms(r.P99), ms(r.P999), ms(r.Max), r.ServerCPU, r.GenCPU,
		r.Held, r.Conns, r.ErrFrames, r.Closed, r.CloseCodes)
	if ack.N > 0 {
		fmt.Printf("%s: send → ack (stored): p50 %s p99 %s\n", target, ms(r.AckP50), ms(r.AckP99))
	}
	if r.FirstErr != "" {
		fmt.Printf("%s: first error: %s\n", target, r.FirstErr)
	}
}

func cpuProfile(pprofAddr string, d time.Duration, out string) string {
	resp, err := benchkit.HTTP.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", pprofAddr, int(d.Seconds())))
	if err != nil {
		return "error: " + err.Error()
	}
	defer resp.Body.Close()
	f, err := os.Create(out)
	if err != nil {
		return "error: " + err.Error()
	}
	defer f.Close()
	if _, err := io.Copy(f, resp.Body); err != nil {
		return "error: " + err.Error()
	}
	return out
}

var (
	reqIDRE  = regexp.MustCompile(`name="id" value="([^"]+)"`)
	actionRE = regexp.MustCompile(`<form method="post" action="([^"]+)"`)
	subRE    = regexp.MustCompile(`name="sub" value="([^"]+)"`)
)

// demoLogin is one demo user logged in through the development provider.
type demoLogin struct {
	sub   string
	conn  *websocket.Conn
	teams []string
}

// oidcCheck logs demo users in through the whole development-provider flow
// (/auth/login → provider page → choose user → callback), connects their
// websockets with the resulting cookie, and sends one message between two
// of them who share a team: the end-to-end path the fixture's sessions skip.
// The demo people are the ones the provider's page offers, in its order,
// and their teams come from /api/v1/session: the load generator knows
// nothing of the server's seed.
func oidcCheck(base string, n int) error {
	start := time.Now()
	subs, err := demoSubs(base)
	if err != nil {
		return err
	}
	var logins []*demoLogin
	defer func() {
		for _, l := range logins {
			l.conn.Close()
		}
	}()
	var pair [2]*demoLogin
	for _, sub := range subs {
		if len(logins) >= n && (pair[0] != nil || len(logins) >= 4*n) {
			break
		}
		l, err := demoLoginAs(base, sub)
		if err != nil {
			return err
		}
		for _, o := range logins {
			if pair[0] == nil && len(o.teams) > 0 && slices.Contains(l.teams, o.teams[0]) {
				pair = [2]*demoLogin{o, l}
			}
		}
		logins = append(logins, l)
	}
	if pair[0] == nil {
		return fmt.Errorf("oidc: no two of the %d demo users logged in share a team", len(logins))
	}
	if err := teamMessage(pair[0], pair[1]); err != nil {
		return err
	}
	fmt.Printf("oidc: %d demo users logged in through the development provider, websockets ready, team message delivered (%.1fs)\n",
		len(logins), time.Since(start).Seconds())
	return nil
}

// demoSubs are the demo users the development provider's page offers.
func demoSubs(base string) ([]string, error) {
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{Proxy: nil}}
	resp, err := hc.Get(base + "/auth/login")
	if err != nil {
		return nil, err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var subs []string
	for _, m := range subRE.FindAllSubmatch(page, -1) {
		subs = append(subs, html.UnescapeString(string(m[1])))
	}
	if resp.StatusCode != 200 || len(subs) == 0 {
		return nil, fmt.Errorf("login page: %d, %d demo users: %.200s", resp.StatusCode, len(subs), page)
	}
	return subs, nil
}

// demoLoginAs logs one demo user in, reads their teams and connects their
// websocket.
func demoLoginAs(base, sub string) (*demoLogin, error) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &http.Transport{Proxy: nil}}
	resp, err := hc.Get(base + "/auth/login")
	if err != nil {
		return nil, err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id, action := reqIDRE.FindSubmatch(page), actionRE.FindSubmatch(page)
	if resp.StatusCode != 200 || id == nil || action == nil {
		return nil, fmt.Errorf("login page: %d %.200s", resp.StatusCode, page)
	}
	resp, err = hc.PostForm(base+html.UnescapeString(string(action[1])), url.Values{"id": {string(id[1])}, "sub": {sub}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	u, _ := url.Parse(base)
	var cookie string
	for _, c := range jar.Cookies(u) {
		if c.Name == "plein_session" {
			cookie = c.Value
		}
	}
	if resp.StatusCode != 200 || cookie == "" {
		return nil, fmt.Errorf("%s: after login %d at %s, session cookie %v", sub, resp.StatusCode, resp.Request.URL, cookie != "")
	}
	var sess struct {
		User struct {
			Teams []struct {
				ID string `json:"id"`
			} `json:"teams"`
		} `json:"user"`
	}
	resp, err = hc.Get(base + "/api/v1/session")
	if err != nil {
		return nil, err
	}
	err = json.NewDecoder(resp.Body).Decode(&sess)
	resp.Body.Close()
	if resp.StatusCode != 200 || err != nil {
		return nil, fmt.Errorf("%s: session %d: %v", sub, resp.StatusCode, err)
	}
	l := &demoLogin{sub: sub}
	for _, t := range sess.User.Teams {
		l.teams = append(l.teams, t.ID)
	}
	h := http.Header{}
	h.Set("Origin", base)
	h.Set("Cookie", "plein_session="+cookie)
	if l.conn, err = dial("ws"+strings.TrimPrefix(base, "http")+"/api/v1/ws", h, true); err != nil {
		return nil, fmt.Errorf("%s: websocket: %w", sub, err)
	}
	return l, nil
}

// teamMessage sends a message from a to their first team's channel and
// waits until b, who shares that team, receives it.
func teamMessage(a, b *demoLogin) error {
	ch := chat.TeamChannelID(a.teams[0])
	msg := fmt.Sprintf(`{"type":"send","ch":%q,"clientId":"oidc-check-%d","body":"hallo vanuit de load test"}`, ch, time.Now().UnixNano())
	if err := a.conn.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		return err
	}
	_ = b.conn.SetReadDeadline(time.Now().Add(15 * time.Second))
	for {
		_, m, err := b.conn.ReadMessage()
		if err != nil {
			return fmt.Errorf("%s did not receive %s's message: %w", b.sub, a.sub, err)
		}
		if strings.Contains(string(m), "hallo vanuit de load test") {
			return nil
		}
	}
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/1e6) }

func printTable(w io.Writer, o *options, rs []*result) {
	fmt.Fprintf(w, "\n## Summary (%d CPUs, %s)\n\n", runtime.NumCPU(), runtime.Version())
	fmt.Fprintln(w, "| scenario | target | conns (held) | connect | mem/conn RSS | mem/conn heap+stack | sent msg/s | delivered/s | complete | p50 | p99 | p99.9 | ack p50/p99 | server CPU | gen CPU | errors |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rs {
		errs := fmt.Sprintf("%d err frames, %d closed", r.ErrFrames, r.Closed)
		if r.SendSkipped > 0 || r.SendFailed > 0 {
			errs += fmt.Sprintf(", %d sends skipped, %d failed", r.SendSkipped, r.SendFailed)
		}
		fmt.Fprintf(w, "| %s | %s | %d (%d) | %.1fs | %.1f KB | %.1f KB | %.0f | %.0f | %.2f%% | %s | %s | %s | %s | %.2f | %.2f | %s |\n",
			r.Scenario, r.Target, r.Conns, r.Held, r.ConnectSecs, r.MemPerConnRSS/1024, r.MemPerConnHeap/1024, r.SendRate, r.DeliveredPerSec,
			100*r.Completion, ms(r.P50), ms(r.P99), ms(r.P999), ackCol(r), r.ServerCPU, r.GenCPU, errs)
	}
	var ratios []string
	for _, sc := range o.scenarios {
		var p, ref *result
		for _, r := range rs {
			if r.Scenario == sc && r.Target == "plein" {
				p = r
			}
			if r.Scenario == sc && r.Target == "reference" {
				ref = r
			}
		}
		if p == nil || ref == nil {
			continue
		}
		ratios = append(ratios, fmt.Sprintf("| %s | %.2f× | %.2f× | %.2f× | %.2f× |", sc,
			ratio(p.DeliveredPerSec, ref.DeliveredPerSec), ratio(float64(p.P99), float64(ref.P99)),
			ratio(p.MemPerConnRSS, ref.MemPerConnRSS), ratio(p.MemPerConnHeap, ref.MemPerConnHeap)))
	}
	if len(ratios) > 0 {
		fmt.Fprintln(w, "\nPlein ÷ reference (targets: delivery ≥ 0.8×, p99 ≤ 1.5×, memory/conn ≤ 2×):")
		fmt.Fprintln(w, "\n| scenario | delivery rate | p99 | mem/conn RSS | mem/conn heap+stack |")
		fmt.Fprintln(w, "|---|---|---|---|---|")
		for _, l := range ratios {
			fmt.Fprintln(w, l)
		}
	}
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func ackCol(r *result) string {
	if r.AckP50 == 0 {
		return "–"
	}
	return ms(r.AckP50) + " / " + ms(r.AckP99)
}
