// Command plein runs the Plein server.
//
//	plein            serve (configuration from the environment, see docs/operations.md)
//	plein store      run only the embedded store on a loopback TCP port, so that
//	                 several server instances on one machine can share it
//	plein devidp     run only the development identity provider on a loopback
//	                 port, so that several instances share one (development)
//	plein version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/plein/plein/server/app"
	"github.com/plein/plein/server/config"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/store"
)

var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "plein:", err)
		os.Exit(1)
	}
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(httpapi.LogHandler{Handler: slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})})
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "version":
			fmt.Fprintln(stdout, "plein", version)
			return nil
		case "store":
			return runStore(ctx, args[1:], getenv, stdout)
		case "devidp":
			return runDevIdP(ctx, args[1:], getenv, stdout)
		case "serve":
			args = args[1:]
		default:
			return fmt.Errorf("unknown command %q (use serve, store, devidp or version)", args[0])
		}
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := newLogger(stdout, cfg.LogLevel)
	slog.SetDefault(log)
	started := time.Now()
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		ln.Close()
		return err
	}
	a.StartBackground()
	stopSide, err := startSideListeners(cfg, a, getenv("PLEIN_PPROF_LISTEN"), log)
	if err != nil {
		a.Close(context.Background())
		ln.Close()
		return err
	}
	defer stopSide()
	srv := newHTTPServer(a.Handler(), log)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("plein ready", "url", cfg.BaseURL.String(), "listen", ln.Addr().String(), "mode", cfg.Mode,
		"store", map[bool]string{true: "embedded", false: "mongodb"}[a.Store.Embedded],
		"devIdP", cfg.DevIdP(), "startup", time.Since(started).String())
	if cfg.DevIdP() {
		printDemoLogins(stdout, cfg)
	}
	select {
	case err = <-errc:
	case <-ctx.Done():
		log.Info("shutting down")
	}
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a.Drain(sctx)
	if serr := srv.Shutdown(sctx); serr != nil {
		log.Warn("shutdown", "err", serr)
	}
	a.Close(sctx)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// startSideListeners serves pprof (on pprofAddr, when set) and the metrics
// (on cfg.MetricsListen, when set); stop closes both.
func startSideListeners(cfg *config.Config, a *app.App, pprofAddr string, log *slog.Logger) (stop func(), err error) {
	var stops []func()
	stop = func() {
		for _, f := range stops {
			f()
		}
	}
	if pprofAddr != "" {
		f, err := servePprof(pprofAddr, log)
		if err != nil {
			return nil, err
		}
		stops = append(stops, f)
	}
	if cfg.MetricsListen != "" {
		f, err := serveMetrics(cfg.MetricsListen, a.Metrics, log)
		if err != nil {
			stop()
			return nil, err
		}
		stops = append(stops, f)
	}
	return stop, nil
}

// printDemoLogins tells a newcomer on `make run` which demo accounts log in.
func printDemoLogins(stdout io.Writer, cfg *config.Config) {
	fmt.Fprintf(stdout, "\n  Plein runs at %s — log in with a demo account:\n", cfg.BaseURL)
	for _, u := range app.DemoUsers(cfg) {
		fmt.Fprintf(stdout, "    %-22s %s\n", u.Name, u.Description)
	}
	fmt.Fprintln(stdout)
}

// servePprof serves net/http/pprof on a loopback address (PLEIN_PPROF_LISTEN,
// for load tests and profiling; never on a public interface: profiles expose
// memory contents).
func servePprof(addr string, log *slog.Logger) (func(), error) {
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("PLEIN_PPROF_LISTEN must be a loopback address (e.g. 127.0.0.1:6060)")
	}
	pln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	psrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = psrv.Serve(pln) }()
	log.Info("pprof listening", "addr", pln.Addr().String())
	return func() { _ = psrv.Close() }, nil
}

// serveMetrics serves /metrics alone on its own listener (PLEIN_METRICS_LISTEN),
// so the public port never shows it whatever the proxy in front does.
func serveMetrics(addr string, h http.Handler, log *slog.Logger) (func(), error) {
	mln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("PLEIN_METRICS_LISTEN: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	msrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = msrv.Serve(mln) }()
	log.Info("metrics listening", "addr", mln.Addr().String())
	return func() { _ = msrv.Close() }, nil
}

// newHTTPServer is an http.Server with timeouts on every phase of a request
// and its errors logged through slog.
func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// runStore serves the embedded store alone on a loopback address.
func runStore(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("store", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:27017", "loopback address to listen on")
	dir := fs.String("dir", "./data", "data directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*listen)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-listen must be a loopback address: the embedded store has no authentication")
	}
	log := newLogger(stdout, "info")
	e, err := store.StartEmbedded(*dir, *listen, log)
	if err != nil {
		return err
	}
	log.Info("embedded store ready", "uri", e.URI)
	<-ctx.Done()
	e.Close()
	return nil
}
