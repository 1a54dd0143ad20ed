package deploy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestMultiInstanceOnLoopback runs what deploy/local/run.sh runs, for real:
// the shared embedded store (`plein store`), the standalone development
// provider (`plein devidp`), two Plein instances and the round-robin load
// balancer, each on a free loopback port. It logs in through the load
// balancer, checks that both instances serve the same session, stops one
// instance and checks that the other carries on.
func TestMultiInstanceOnLoopback(t *testing.T) {
	cl := startCluster(t, true)
	c := cl.login(t, "anouk.devries")

	// The same session works on every instance: requests alternate between them.
	served := map[string]int{}
	for range 8 {
		be := sessionAs(t, c, cl.lbURL, "Anouk de Vries")
		served[be]++
	}
	if served[cl.inst[0]] == 0 || served[cl.inst[1]] == 0 || len(served) != 2 {
		t.Fatalf("session requests landed on %v, want both %v", served, cl.inst)
	}
	t.Logf("8 session requests through the load balancer: %v", served)

	// Stop instance 1 gracefully; the session lives on in the shared store.
	p := cl.procs[0]
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("instance 1 did not stop cleanly: %v", p.err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("instance 1 did not stop within 30 s of SIGTERM")
	}
	for range 4 {
		if be := sessionAs(t, c, cl.lbURL, "Anouk de Vries"); be != cl.inst[1] {
			t.Fatalf("after stopping instance 1 the session was served by %q", be)
		}
	}
}

// TestMultiInstanceFirstLogin is the case every production user meets once:
// a person unknown to Plein logs in (no demo seed here), the callback creates
// the account on one instance, and the next request lands on another.
// Each instance's user directory misses the new user until it reloads, so
// identity falls back to the store on a miss.
func TestMultiInstanceFirstLogin(t *testing.T) {
	cl := startCluster(t, false)
	c := cl.login(t, "anouk.devries")
	served := map[string]int{}
	for range 4 {
		served[sessionAs(t, c, cl.lbURL, "Anouk de Vries")]++
	}
	if len(served) != 2 {
		t.Fatalf("session requests landed on %v, want both %v", served, cl.inst)
	}
}

type cluster struct {
	lbURL, idpAddr string
	inst           []string
	procs          []*proc
}

// startCluster runs what deploy/local/run.sh runs, for real, on free
// loopback ports: the shared embedded store (`plein store`), the standalone
// development provider (`plein devidp`), two Plein instances and the
// round-robin load balancer.
func startCluster(t *testing.T, seed bool) *cluster {
	t.Helper()
	root := repoRoot(t)
	bin := t.TempDir()
	plein, lb := filepath.Join(bin, "plein"), filepath.Join(bin, "lb")
	buildAll(t, root, map[string]string{plein: "./server/cmd/plein", lb: "./deploy/local/lb"})

	work := t.TempDir()
	storeAddr, lbAddr := freeAddr(t), freeAddr(t)
	cl := &cluster{idpAddr: freeAddr(t), inst: []string{freeAddr(t), freeAddr(t)}}
	cl.lbURL = "http://" + lbAddr
	issuer := "http://" + cl.idpAddr + "/dev-idp"
	secret := "multi-instance-test-secret"

	store := start(t, work, "store", plein, nil, "store", "-listen", storeAddr, "-dir", filepath.Join(work, "store"))
	waitFor(t, store, "store accepts connections", 60*time.Second, func() error {
		c, err := net.DialTimeout("tcp", storeAddr, time.Second)
		if err == nil {
			c.Close()
		}
		return err
	})

	idp := start(t, work, "devidp", plein, map[string]string{"OIDC_CLIENT_SECRET": secret},
		"devidp", "-listen", cl.idpAddr, "-redirect", cl.lbURL+"/auth/callback", "-post-logout", cl.lbURL+"/")
	waitFor(t, idp, "dev provider discovery", 30*time.Second, httpOK(issuer+"/.well-known/openid-configuration"))

	// Instance 1 starts alone (it migrates and seeds); the second after it is ready.
	for i, addr := range cl.inst {
		p := start(t, work, fmt.Sprintf("plein%d", i+1), plein, map[string]string{
			"PLEIN_MODE":            "development",
			"PLEIN_LISTEN":          addr,
			"PLEIN_BASE_URL":        cl.lbURL,
			"PLEIN_DATA_DIR":        filepath.Join(work, fmt.Sprintf("data%d", i+1)),
			"MONGODB_URI":           "mongodb://" + storeAddr + "/",
			"OIDC_ISSUER":           issuer,
			"OIDC_CLIENT_SECRET":    secret,
			"PLEIN_TRUSTED_PROXIES": "127.0.0.1",
			"PLEIN_SEED_DEMO":       fmt.Sprint(seed),
		}, "serve")
		waitFor(t, p, "instance readyz", 90*time.Second, httpOK("http://"+addr+"/readyz"))
		cl.procs = append(cl.procs, p)
	}

	lbProc := start(t, work, "lb", lb, nil, "-listen", lbAddr, "-backends", strings.Join(cl.inst, ","), "-health-interval", "250ms")
	waitFor(t, lbProc, "load balancer", 30*time.Second, httpOK(cl.lbURL+"/readyz"))
	return cl
}

// login runs the browser's login through the load balancer and returns a
// client with the session cookie: GET /auth/login → the provider's login
// page → POST the chosen user → /auth/callback → /.
func (cl *cluster) login(t *testing.T, sub string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 20 * time.Second}
	resp, err := c.Get(cl.lbURL + "/auth/login")
	if err != nil {
		t.Fatal(err)
	}
	page := readAll(t, resp)
	if resp.StatusCode != 200 || resp.Request.URL.Host != cl.idpAddr {
		t.Fatalf("login ended at %s with %d:\n%s", resp.Request.URL, resp.StatusCode, page)
	}
	action := submatch(t, page, `<form method="post" action="([^"]+)"`)
	id := submatch(t, page, `name="id" value="([^"]+)"`)
	if !strings.Contains(page, `name="sub" value="`+sub+`"`) {
		t.Fatalf("no %s on the login page:\n%s", sub, page)
	}
	// The action is a path on the provider's origin, not the load balancer's.
	target, err := resp.Request.URL.Parse(action)
	if err != nil || target.Host != cl.idpAddr {
		t.Fatalf("form action %q resolves to %v (%v)", action, target, err)
	}
	resp, err = c.PostForm(target.String(), url.Values{"id": {id}, "sub": {sub}})
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	if resp.StatusCode != 200 || resp.Request.URL.String() != cl.lbURL+"/" {
		t.Fatalf("login completed at %s with %d:\n%s", resp.Request.URL, resp.StatusCode, body)
	}
	lbu, _ := url.Parse(cl.lbURL)
	for _, ck := range jar.Cookies(lbu) {
		if ck.Name == "plein_session" {
			return c
		}
	}
	t.Fatal("no plein_session cookie after login")
	return nil
}

// sessionAs GETs /api/v1/session through the load balancer, checks the
// user, and returns the backend that answered.
func sessionAs(t *testing.T, c *http.Client, lbURL, name string) string {
	t.Helper()
	resp, err := c.Get(lbURL + "/api/v1/session")
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	be := resp.Header.Get("X-Plein-Backend")
	if resp.StatusCode != 200 {
		t.Fatalf("session via %s: %d %s", be, resp.StatusCode, body)
	}
	var s struct {
		User struct{ Name string } `json:"user"`
	}
	if err := json.Unmarshal([]byte(body), &s); err != nil || s.User.Name != name {
		t.Fatalf("session via %s: %s (%v)", be, body, err)
	}
	return be
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func submatch(t *testing.T, s, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s in:\n%s", re, s)
	}
	return m[1]
}

// buildAll builds the packages (relative to root) into the given outputs, in
// parallel. Without -race: the binaries are programs under test, not tests.
func buildAll(t *testing.T, root string, outs map[string]string) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(outs))
	for out, pkg := range outs {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
			cmd.Dir = root
			if b, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	err  error // valid after done is closed
}

// start runs a program with a minimal environment plus env; its output goes
// to a log file that is shown when the test fails. Cleanup stops it with
// SIGTERM, then SIGKILL.
func start(t *testing.T, dir, name, bin string, env map[string]string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, log: filepath.Join(dir, name+".log"), done: make(chan struct{})}
	f, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Dir = dir
	p.cmd.Stdout, p.cmd.Stderr = f, f
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TMPDIR=" + os.TempDir()}
	for k, v := range env {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	if err := p.cmd.Start(); err != nil {
		f.Close()
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		f.Close()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-p.done:
			case <-time.After(15 * time.Second):
				_ = p.cmd.Process.Kill()
				<-p.done
			}
		}
		if t.Failed() {
			b, _ := os.ReadFile(p.log)
			if len(b) > 6000 {
				b = append([]byte("…"), b[len(b)-6000:]...)
			}
			t.Logf("--- %s log:\n%s", name, bytes.TrimSpace(b))
		}
	})
	return p
}

func httpOK(u string) func() error {
	c := &http.Client{Timeout: 2 * time.Second}
	return func() error {
		resp, err := c.Get(u)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("%s: %s", u, resp.Status)
		}
		return nil
	}
}

// waitFor polls check with a short, growing backoff until it succeeds, the
// process exits or the deadline passes. This is readiness polling: the
// processes have no other way to say they are ready.
func waitFor(t *testing.T, p *proc, what string, limit time.Duration, check func() error) {
	t.Helper()
	deadline := time.Now().Add(limit)
	backoff := 20 * time.Millisecond
	for {
		err := check()
		if err == nil {
			return
		}
		select {
		case <-p.done:
			t.Fatalf("%s: %s exited (%v) before it was ready", what, p.name, p.err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not ready after %s: %v", what, limit, err)
		}
		select {
		case <-p.done:
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 500*time.Millisecond)
	}
}
