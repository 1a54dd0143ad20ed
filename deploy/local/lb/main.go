// Command lb is a tiny round-robin HTTP load balancer for running several
// Plein instances on one machine (deploy/local). It is a development and
// test tool, not a production proxy: use nginx, Caddy, HAProxy or your
// platform's ingress there (see deploy/local/nginx.conf).
//
//	lb -listen 127.0.0.1:8080 -backends 127.0.0.1:8081,127.0.0.1:8082
//
// It
//   - spreads requests round-robin over the backends (no sticky sessions:
//     Plein keeps sessions in the shared store);
//   - health-checks every backend's /readyz and skips those that fail;
//   - retries idempotent requests without a body on the next backend when a
//     backend cannot be reached (like nginx's proxy_next_upstream error);
//   - passes websocket upgrades through (httputil.ReverseProxy does);
//   - sets X-Forwarded-For, X-Forwarded-Host and X-Forwarded-Proto, keeps the
//     Host header, and adds X-Plein-Backend: <addr> to every response so you
//     (and deploy tests) can see which instance answered.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// BackendHeader names the response header that tells which backend answered.
const BackendHeader = "X-Plein-Backend"

type backend struct {
	addr    string
	url     *url.URL
	healthy atomic.Bool
	proxy   *httputil.ReverseProxy
}

type balancer struct {
	backends []*backend
	next     atomic.Uint64
	health   string
	client   *http.Client
	log      *slog.Logger
}

type attemptKey struct{}

// attempts records the backends a request has tried and the request as it
// arrived, for retries (the ReverseProxy hands its error handler the
// rewritten outbound request).
type attempts struct {
	in    *http.Request
	tried map[*backend]bool
}

func newBalancer(addrs []string, healthPath string, log *slog.Logger) (*balancer, error) {
	if len(addrs) == 0 {
		return nil, errors.New("no backends")
	}
	b := &balancer{health: healthPath, log: log,
		client: &http.Client{Timeout: 2 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
	}
	for _, a := range addrs {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if !strings.Contains(a, "://") {
			a = "http://" + a
		}
		u, err := url.Parse(a)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("backend %q: not host:port or URL", a)
		}
		be := &backend{addr: u.Host, url: u}
		be.healthy.Store(true) // optimistic until the first check; retries cover the gap
		be.proxy = &httputil.ReverseProxy{
			Transport: transport,
			Rewrite: func(pr *httputil.ProxyRequest) {
				pr.SetURL(be.url)
				pr.Out.Host = pr.In.Host // like nginx "proxy_set_header Host $host"
				pr.SetXForwarded()
			},
			ModifyResponse: func(r *http.Response) error {
				r.Header.Set(BackendHeader, be.addr)
				return nil
			},
			ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) { b.failed(w, r, be, err) },
			ErrorLog:     slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		}
		b.backends = append(b.backends, be)
	}
	if len(b.backends) == 0 {
		return nil, errors.New("no backends")
	}
	return b, nil
}

// pick returns the next backend in round-robin order that is healthy and not
// yet tried; when none is healthy, any untried one (the checks may lag).
func (b *balancer) pick(tried map[*backend]bool) *backend {
	n := uint64(len(b.backends))
	start := b.next.Add(1) - 1
	var fallback *backend
	for i := range n {
		be := b.backends[(start+i)%n]
		if tried[be] {
			continue
		}
		if be.healthy.Load() {
			return be
		}
		if fallback == nil {
			fallback = be
		}
	}
	return fallback
}

func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	at := &attempts{tried: map[*backend]bool{}}
	at.in = r.WithContext(context.WithValue(r.Context(), attemptKey{}, at))
	b.serve(w, at.in, at)
}

func (b *balancer) serve(w http.ResponseWriter, r *http.Request, at *attempts) {
	be := b.pick(at.tried)
	if be == nil {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "no backend available", http.StatusBadGateway)
		return
	}
	at.tried[be] = true
	be.proxy.ServeHTTP(w, r)
}

// failed handles a backend that could not be reached or did not answer. The
// ReverseProxy calls it before writing anything to w, so a retry is safe for
// requests that can be replayed.
func (b *balancer) failed(w http.ResponseWriter, r *http.Request, be *backend, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return // the client went away
	}
	var dialErr *net.OpError
	unreachable := errors.As(err, &dialErr) && dialErr.Op == "dial"
	if unreachable && be.healthy.Swap(false) {
		b.log.Warn("backend down", "backend", be.addr, "err", err)
	}
	at, _ := r.Context().Value(attemptKey{}).(*attempts)
	if at != nil && unreachable && replayable(at.in) && len(at.tried) < len(b.backends) {
		b.serve(w, at.in, at)
		return
	}
	b.log.Warn("proxy error", "backend", be.addr, "method", r.Method, "path", r.URL.Path, "err", err)
	w.Header().Set(BackendHeader, be.addr)
	http.Error(w, "bad gateway", http.StatusBadGateway)
}

func replayable(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return r.ContentLength == 0 && len(r.TransferEncoding) == 0
	}
	return false
}

// check probes every backend's health path once.
func (b *balancer) check(ctx context.Context) {
	for _, be := range b.backends {
		ok := false
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, be.url.JoinPath(b.health).String(), nil)
		if err == nil {
			if resp, err := b.client.Do(req); err == nil {
				ok = resp.StatusCode == http.StatusOK
				resp.Body.Close()
			}
		}
		if ctx.Err() != nil {
			return
		}
		if was := be.healthy.Swap(ok); was != ok {
			if ok {
				b.log.Info("backend up", "backend", be.addr)
			} else {
				b.log.Warn("backend down", "backend", be.addr)
			}
		}
	}
}

func (b *balancer) checkLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		b.check(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "lb:", err)
		os.Exit(1)
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("lb", flag.ContinueOnError)
	listen := fs.String("listen", env("LB_LISTEN", "127.0.0.1:8080"), "address to listen on ($LB_LISTEN)")
	backends := fs.String("backends", env("LB_BACKENDS", "127.0.0.1:8081,127.0.0.1:8082,127.0.0.1:8083"), "comma-separated backend host:port or URLs ($LB_BACKENDS)")
	health := fs.String("health", "/readyz", "health check path")
	interval := fs.Duration("health-interval", 2*time.Second, "time between health checks")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil)).With("component", "lb")
	b, err := newBalancer(strings.Split(*backends, ","), *health, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go b.checkLoop(cctx, *interval)
	srv := &http.Server{Handler: b, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	addrs := make([]string, len(b.backends))
	for i, be := range b.backends {
		addrs[i] = be.addr
	}
	log.Info("load balancer ready", "listen", ln.Addr().String(), "backends", addrs)
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer scancel()
	_ = srv.Shutdown(sctx)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
