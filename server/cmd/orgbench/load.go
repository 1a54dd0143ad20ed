package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/plein/plein/chat/loadgen/hist"
	"github.com/plein/plein/server/benchkit"
)

// client is one logged-in browser.
type client struct {
	who   string
	team  string // the team page it opens (its own team)
	http  *http.Client
	token string // session cookie, when inserted by the fixture
}

func (c *client) get(base, path string) (int, []byte, error) {
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	if c.token != "" {
		req.Header.Set("Cookie", "plein_session="+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func serveAndMeasure(ctx context.Context, o *benchOptions, uri string, g *org, toks []string) error {
	base := fmt.Sprintf("http://127.0.0.1:%d", o.port)
	pprofAddr := fmt.Sprintf("127.0.0.1:%d", o.port+2)
	srv, err := benchkit.Start("plein", o.pleinBin, nil, []string{
		"PLEIN_MODE=development", "PLEIN_LISTEN=127.0.0.1:" + fmt.Sprint(o.port), "PLEIN_BASE_URL=" + base,
		"MONGODB_URI=" + uri, "MONGODB_DATABASE=plein", "PLEIN_SEED_DEMO=true", "PLEIN_LOG_LEVEL=warn",
		"PLEIN_PPROF_LISTEN=" + pprofAddr, "OIDC_ISSUER=", "REDIS_URL=",
	}, o.dir)
	if err != nil {
		return err
	}
	defer srv.Stop(30 * time.Second)
	t0 := time.Now()
	if err := benchkit.WaitFor(ctx, srv, 10*time.Minute, "/readyz", func() bool { return benchkit.HTTPOK(base + "/readyz") }); err != nil {
		return err
	}
	fmt.Printf("plein: ready in %.1fs (pid %d)\n", time.Since(t0).Seconds(), srv.PID())
	clients, err := logIn(base, g, toks)
	if err != nil {
		return err
	}
	article, err := checkFixture(base, clients[0])
	if err != nil {
		return err
	}
	var prof chan error
	if o.pprofOut != "" {
		prof = startProfile(pprofAddr, o.pprofOut, time.Duration(len(pages))*(o.duration+o.warmup)+2*time.Second)
	}
	cpu0 := benchkit.CPUTime(srv.PID())
	w0 := time.Now()
	var results []pageResult
	for _, p := range pages {
		results = append(results, measurePage(base, p, clients, article, o, srv.PID()))
	}
	cpu := benchkit.CPUTime(srv.PID()) - cpu0
	report(results, cpu, time.Since(w0))
	if prof != nil {
		if err := <-prof; err != nil {
			return err
		}
		fmt.Println("cpu profile:", o.pprofOut)
	}
	return nil
}

// logIn returns the measured clients: one per role with an inserted
// session, and a demo person through the development OIDC provider.
func logIn(base string, g *org, toks []string) ([]*client, error) {
	var out []*client
	for i, p := range g.measured {
		out = append(out, &client{who: string(p.Roles[0]), team: p.Team, token: toks[i], http: newHTTP()})
	}
	c := &client{who: "demo (OIDC)", http: newHTTP()}
	if err := oidcLogin(base, c, "anouk.devries"); err != nil {
		return nil, fmt.Errorf("OIDC login: %w", err)
	}
	var sess struct {
		User struct {
			Teams []struct {
				ID string `json:"id"`
			} `json:"teams"`
		} `json:"user"`
	}
	if st, b, err := c.get(base, "/api/v1/session"); err != nil || st != 200 || json.Unmarshal(b, &sess) != nil || len(sess.User.Teams) == 0 {
		return nil, fmt.Errorf("session after OIDC login: %d %v %.200s", st, err, b)
	}
	c.team = sess.User.Teams[0].ID
	return append(out, c), nil
}

func newHTTP() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 60 * time.Second,
		Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 8, DisableCompression: true}}
}

var (
	reqIDRE  = regexp.MustCompile(`name="id" value="([^"]+)"`)
	actionRE = regexp.MustCompile(`<form method="post" action="([^"]+)"`)
)

// oidcLogin walks /auth/login → the provider's page → choose the person →
// callback, as apptest.LoginAs does.
func oidcLogin(base string, c *client, sub string) error {
	resp, err := c.http.Get(base + "/auth/login")
	if err != nil {
		return err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id, action := reqIDRE.FindSubmatch(page), actionRE.FindSubmatch(page)
	if resp.StatusCode != 200 || id == nil || action == nil {
		return fmt.Errorf("login page: status %d", resp.StatusCode)
	}
	resp, err = c.http.PostForm(base+string(action[1]), url.Values{"id": {string(id[1])}, "sub": {sub}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/" {
		return fmt.Errorf("after login: status %d at %s", resp.StatusCode, resp.Request.URL)
	}
	return nil
}

// checkFixture fails the run when the server does not read what the
// fixture wrote (a drifted stored shape), and finds an article to read.
func checkFixture(base string, c *client) (string, error) {
	var posts struct {
		Items []json.RawMessage `json:"items"`
	}
	if st, b, err := c.get(base, "/api/v1/spaces/"+c.team+"/posts?limit=20"); err != nil || st != 200 || json.Unmarshal(b, &posts) != nil || len(posts.Items) < 20 {
		return "", fmt.Errorf("the fixture's team stream is not read back (%d posts, status %d, %v): has a stored shape changed?", len(posts.Items), st, err)
	}
	var page struct {
		Items  []json.RawMessage `json:"items"`
		Unread int               `json:"unread"`
	}
	if st, b, err := c.get(base, "/api/v1/notifications?limit=30"); err != nil || st != 200 || json.Unmarshal(b, &page) != nil || len(page.Items) < 30 {
		return "", fmt.Errorf("the fixture's notifications are not read back (%d, status %d, %v): has a stored shape changed?", len(page.Items), st, err)
	}
	var arts struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if st, b, err := c.get(base, "/api/v1/knowledge/articles?limit=1"); err != nil || st != 200 || json.Unmarshal(b, &arts) != nil || len(arts.Items) == 0 {
		return "", fmt.Errorf("no knowledge-base article to read (status %d, %v)", st, err)
	}
	fmt.Printf("fixture check: team stream and notification centre read back; article %s\n", arts.Items[0].ID)
	return arts.Items[0].ID, nil
}

// page is a screen and the API calls the frontend makes for it
// (frontend/src/features/home, org/TeamLayout+TeamOverview,
// notifications/NotificationsPage, knowledge/ArticlePage).
type page struct {
	name  string
	calls func(c *client, article string, from, to string) []string
}

var pages = []page{
	{"home", func(c *client, _ string, from, to string) []string {
		return []string{"/session", "/regions", "/notifications?limit=1", "/knowledge/confirmations/pending",
			"/announcements?limit=50", "/knowledge/meta", "/audits/mine", "/spaces",
			"/spaces/" + c.team + "/events?from=" + from + "&to=" + to, "/spaces/" + c.team + "/posts?limit=20"}
	}},
	{"team", func(c *client, _ string, from, to string) []string {
		return []string{"/session", "/notifications?limit=1", "/spaces/" + c.team, "/teams/" + c.team, "/regions",
			"/announcements?limit=50", "/knowledge/confirmations/pending", "/spaces/" + c.team + "/posts?limit=20",
			"/spaces/" + c.team + "/posts?pinned=true&limit=20", "/spaces/" + c.team + "/events?from=" + from + "&to=" + to,
			"/dashboard/teams/" + c.team + "?months=12"}
	}},
	{"notifications", func(*client, string, string, string) []string {
		return []string{"/session", "/notifications?limit=30", "/notifications/preferences"}
	}},
	{"article", func(_ *client, article string, _, _ string) []string {
		return []string{"/session", "/notifications?limit=1", "/knowledge/articles/" + article, "/knowledge/articles/" + article + "/feedback"}
	}},
}

type pageResult struct {
	name     string
	all      *hist.Snapshot
	calls    map[string]*hist.Snapshot // by call, ids replaced by ":id"
	errors   map[string]int
	requests int64
	took     time.Duration
	cpu      time.Duration // the server's CPU time in the window
	storeCPU time.Duration // the store process's
}

// callKey names a call for the report: the team and article as
// placeholders, the dates left out.
func callKey(c *client, article, path string) string {
	k := strings.ReplaceAll(path, "/"+c.team, "/:team")
	if article != "" {
		k = strings.ReplaceAll(k, "/"+article, "/:article")
	}
	if i := strings.Index(k, "from="); i >= 0 {
		k = k[:i] + "from&to"
	}
	return k
}

// measurePage runs the workers over the clients: each loads the page's
// calls one after the other, as fast as the server answers, for the
// warm-up (not recorded) and then the window.
func measurePage(base string, p page, clients []*client, article string, o *benchOptions, pid int) pageResult {
	now := time.Now()
	from, to := now.Format(time.DateOnly), now.AddDate(0, 0, 7).Format(time.DateOnly)
	all := hist.New()
	var mu sync.Mutex
	calls := map[string]*hist.H{}
	errs := map[string]int{}
	var n atomic.Int64
	var recording atomic.Bool
	stop := time.Now().Add(o.warmup + o.duration)
	cpu0 := make(chan [2]time.Duration, 1)
	time.AfterFunc(o.warmup, func() {
		cpu0 <- [2]time.Duration{benchkit.CPUTime(pid), benchkit.CPUTime(o.storePID)}
		recording.Store(true)
	})
	var wg sync.WaitGroup
	for w := range o.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; time.Now().Before(stop); i++ {
				c := clients[i%len(clients)]
				for _, path := range p.calls(c, article, from, to) {
					t0 := time.Now()
					st, _, err := c.get(base, "/api/v1"+path)
					d := time.Since(t0)
					if !recording.Load() {
						continue
					}
					k := callKey(c, article, path)
					mu.Lock()
					if err != nil || st != 200 {
						errs[fmt.Sprintf("%s → %d %v", k, st, err)]++
					}
					h := calls[k]
					if h == nil {
						h = hist.New()
						calls[k] = h
					}
					mu.Unlock()
					h.Record(d, w)
					all.Record(d, w)
					n.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	r := pageResult{name: p.name, all: all.Snapshot(), calls: map[string]*hist.Snapshot{}, errors: errs, requests: n.Load(), took: o.duration}
	c0 := <-cpu0
	r.cpu, r.storeCPU = benchkit.CPUTime(pid)-c0[0], benchkit.CPUTime(o.storePID)-c0[1]
	for k, h := range calls {
		r.calls[k] = h.Snapshot()
	}
	return r
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

func report(rs []pageResult, cpu, wall time.Duration) {
	fmt.Printf("\nserver CPU over the windows: %.1fs in %.1fs wall (%.0f%% of one core)\n", cpu.Seconds(), wall.Seconds(), 100*cpu.Seconds()/wall.Seconds())
	fmt.Println("\n| page | requests | req/s | CPU ms/request (plein + store) | p50 ms | p99 ms | max ms | p99 < 20 ms |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for _, r := range rs {
		ok := "yes"
		if r.all.Quantile(0.99) >= 20*time.Millisecond {
			ok = "**no**"
		}
		perReq := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(max(r.requests, 1)) }
		fmt.Printf("| %s | %d | %.0f | %.2f + %.2f | %s | %s | %s | %s |\n", r.name, r.requests, float64(r.requests)/r.took.Seconds(),
			perReq(r.cpu), perReq(r.storeCPU), ms(r.all.Quantile(0.5)), ms(r.all.Quantile(0.99)), ms(r.all.Max), ok)
	}
	fmt.Println("\n| page | call | n | p50 ms | p99 ms | max ms |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, r := range rs {
		keys := make([]string, 0, len(r.calls))
		for k := range r.calls {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return r.calls[keys[i]].Quantile(0.99) > r.calls[keys[j]].Quantile(0.99) })
		for _, k := range keys {
			s := r.calls[k]
			fmt.Printf("| %s | `%s` | %d | %s | %s | %s |\n", r.name, k, s.N, ms(s.Quantile(0.5)), ms(s.Quantile(0.99)), ms(s.Max))
		}
		for e, n := range r.errors {
			fmt.Fprintf(os.Stderr, "%s: %d × %s\n", r.name, n, e)
		}
	}
}

// startProfile fetches a CPU profile of the server over d into path.
func startProfile(addr, path string, d time.Duration) chan error {
	done := make(chan error, 1)
	go func() {
		c := &http.Client{Timeout: d + time.Minute}
		resp, err := c.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", addr, int(d.Seconds())))
		if err != nil {
			done <- err
			return
		}
		defer resp.Body.Close()
		f, err := os.Create(path)
		if err != nil {
			done <- err
			return
		}
		_, err = io.Copy(f, resp.Body)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		done <- err
	}()
	return done
}
