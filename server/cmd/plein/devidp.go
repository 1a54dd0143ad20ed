package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/plein/plein/server/app"
	"github.com/plein/plein/server/config"
	"github.com/plein/plein/server/identity/devidp"
)

// listFlag is a repeatable flag whose values may also be comma-separated.
// The first use replaces the default.
type listFlag struct {
	vals []string
	set  bool
}

func (l *listFlag) String() string { return strings.Join(l.vals, ",") }

func (l *listFlag) Set(s string) error {
	if !l.set {
		l.vals, l.set = nil, true
	}
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			l.vals = append(l.vals, v)
		}
	}
	return nil
}

// devIdPOptions is the parsed command line of `plein devidp`.
type devIdPOptions struct {
	Listen       string
	Issuer       string // empty: http://<listen address>/dev-idp
	ClientID     string
	ClientSecret string
	Redirects    []string
	PostLogout   []string
}

// parseDevIdP reads the flags of `plein devidp`. Defaults come from the same
// variables the server instances read, so one environment serves both:
// OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and PLEIN_BASE_URL.
func parseDevIdP(args []string, getenv func(string) string, cfg *config.Config, output io.Writer) (*devIdPOptions, error) {
	fs := flag.NewFlagSet("devidp", flag.ContinueOnError)
	fs.SetOutput(output)
	base := cfg.BaseURL.String()
	o := &devIdPOptions{}
	redirects := &listFlag{vals: []string{base + "/auth/callback"}}
	postLogout := &listFlag{vals: []string{base + "/"}}
	fs.StringVar(&o.Listen, "listen", "127.0.0.1:9000", "loopback address to listen on")
	fs.StringVar(&o.Issuer, "issuer", cfg.OIDCIssuer, "issuer URL (default $OIDC_ISSUER, else http://<listen>"+config.DevIdPPath+")")
	fs.StringVar(&o.ClientID, "client-id", cfg.OIDCClientID, "the one client's id (from $OIDC_CLIENT_ID)")
	// No default value here: -h would print the secret.
	fs.StringVar(&o.ClientSecret, "client-secret", "", "the client's secret (required; default $OIDC_CLIENT_SECRET, prefer the variable: flags show in ps)")
	fs.Var(redirects, "redirect", "allowed redirect URI, repeatable or comma-separated (from $PLEIN_BASE_URL)")
	fs.Var(postLogout, "post-logout", "allowed post-logout redirect URI, repeatable or comma-separated (from $PLEIN_BASE_URL)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: plein devidp [flags]\n\nRuns the development OpenID provider alone, so that several Plein\ninstances (OIDC_ISSUER=<issuer>) share one. Development only.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("devidp: unexpected arguments %q", fs.Args())
	}
	host, _, err := net.SplitHostPort(o.Listen)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return nil, errors.New("devidp: -listen must be a loopback address (e.g. 127.0.0.1:9000): the development provider logs anyone in without a password")
	}
	if o.ClientSecret == "" {
		o.ClientSecret = strings.TrimSpace(getenv("OIDC_CLIENT_SECRET"))
	}
	if o.ClientSecret == "" {
		return nil, errors.New("devidp: a client secret is required (-client-secret or OIDC_CLIENT_SECRET); give the instances the same one")
	}
	if o.ClientID == "" {
		return nil, errors.New("devidp: -client-id must not be empty")
	}
	o.Issuer = strings.TrimSuffix(o.Issuer, "/")
	o.Redirects, o.PostLogout = redirects.vals, postLogout.vals
	if len(o.Redirects) == 0 {
		return nil, errors.New("devidp: at least one -redirect URI is required")
	}
	return o, nil
}

// runDevIdP serves the development identity provider alone on a loopback
// address until ctx ends. Its state (signing key, codes, tokens) is in
// memory: restarting it ends logins in progress, not Plein sessions.
func runDevIdP(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	if cfg.Mode == config.Production {
		return errors.New("devidp: the development identity provider never runs in production (PLEIN_MODE=production)")
	}
	o, err := parseDevIdP(args, getenv, cfg, stdout)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return err
	}
	defer ln.Close()
	if o.Issuer == "" {
		// From the real address, so -listen 127.0.0.1:0 works too.
		o.Issuer = "http://" + ln.Addr().String() + config.DevIdPPath
	}
	iu, err := url.Parse(o.Issuer)
	if err != nil {
		return fmt.Errorf("devidp: -issuer: %w", err)
	}
	h, err := devidp.New(devidp.Config{
		Issuer: o.Issuer, ClientID: o.ClientID, ClientSecret: o.ClientSecret,
		RedirectURIs: o.Redirects, PostLogoutRedirectURIs: o.PostLogout,
		Users: app.DemoUsers(cfg), AllowInsecure: iu.Scheme == "http",
	})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	prefix := strings.TrimSuffix(iu.Path, "/")
	mux.Handle(prefix+"/", h)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"ok"}`)
	})
	log := newLogger(stdout, cfg.LogLevel)
	srv := newHTTPServer(mux, log)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("development identity provider ready", "issuer", o.Issuer, "listen", ln.Addr().String(),
		"clientId", o.ClientID, "redirects", o.Redirects, "postLogout", o.PostLogout)
	select {
	case err = <-errc:
	case <-ctx.Done():
		log.Info("shutting down")
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if serr := srv.Shutdown(sctx); serr != nil {
		log.Warn("shutdown", "err", serr)
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
