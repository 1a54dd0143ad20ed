package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/config"
)

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func mustLoad(t *testing.T, getenv func(string) string) *config.Config {
	t.Helper()
	cfg, err := config.Load(getenv)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestParseDevIdP(t *testing.T) {
	env := envMap(map[string]string{"OIDC_CLIENT_SECRET": "s3cret", "PLEIN_BASE_URL": "http://127.0.0.1:8080"})
	cfg := mustLoad(t, env)

	t.Run("defaults from the environment", func(t *testing.T) {
		o, err := parseDevIdP(nil, env, cfg, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if o.Listen != "127.0.0.1:9000" || o.Issuer != "" || o.ClientID != "plein" || o.ClientSecret != "s3cret" {
			t.Fatalf("%+v", o)
		}
		if !slices.Equal(o.Redirects, []string{"http://127.0.0.1:8080/auth/callback"}) || !slices.Equal(o.PostLogout, []string{"http://127.0.0.1:8080/"}) {
			t.Fatalf("redirects %q post-logout %q", o.Redirects, o.PostLogout)
		}
	})

	t.Run("repeated and comma-separated redirects replace the default", func(t *testing.T) {
		o, err := parseDevIdP([]string{"-redirect", "http://a:1/auth/callback, http://b:2/auth/callback", "-redirect", "http://c:3/auth/callback",
			"-post-logout", "http://a:1/", "-issuer", "http://127.0.0.1:9000/dev-idp/", "-client-secret", "other"}, env, cfg, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"http://a:1/auth/callback", "http://b:2/auth/callback", "http://c:3/auth/callback"}
		if !slices.Equal(o.Redirects, want) || !slices.Equal(o.PostLogout, []string{"http://a:1/"}) {
			t.Fatalf("redirects %q post-logout %q", o.Redirects, o.PostLogout)
		}
		if o.Issuer != "http://127.0.0.1:9000/dev-idp" || o.ClientSecret != "other" {
			t.Fatalf("%+v", o)
		}
	})

	t.Run("issuer defaults to OIDC_ISSUER", func(t *testing.T) {
		env := envMap(map[string]string{"OIDC_CLIENT_SECRET": "s", "OIDC_ISSUER": "http://127.0.0.1:9000/dev-idp"})
		o, err := parseDevIdP(nil, env, mustLoad(t, env), io.Discard)
		if err != nil || o.Issuer != "http://127.0.0.1:9000/dev-idp" {
			t.Fatalf("%+v %v", o, err)
		}
	})

	refusals := map[string][]string{
		"non-loopback listen": {"-listen", "0.0.0.0:9000"},
		"host name listen":    {"-listen", "example.nl:9000"},
		"no port":             {"-listen", "127.0.0.1"},
		"empty redirects":     {"-redirect", ","},
		"empty client id":     {"-client-id", ""},
		"stray argument":      {"extra"},
	}
	for name, args := range refusals {
		t.Run("refuses "+name, func(t *testing.T) {
			if _, err := parseDevIdP(args, env, cfg, io.Discard); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	t.Run("refuses a missing secret", func(t *testing.T) {
		env := envMap(nil)
		if _, err := parseDevIdP(nil, env, mustLoad(t, env), io.Discard); err == nil || !strings.Contains(err.Error(), "secret") {
			t.Fatalf("err %v", err)
		}
	})
}

func TestDevIdPRefusesProduction(t *testing.T) {
	env := envMap(map[string]string{"PLEIN_MODE": "production", "PLEIN_BASE_URL": "https://plein.example.nl",
		"OIDC_ISSUER": "https://login.example.nl", "OIDC_CLIENT_SECRET": "s"})
	err := run(context.Background(), []string{"devidp", "-listen", "127.0.0.1:0"}, env, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "production") {
		t.Fatalf("err %v", err)
	}
}

// TestDevIdPServes runs `plein devidp` in process on a free loopback port,
// starts an authorization request as the Plein server would, checks that the
// login page lists the demo users, and stops it through its context.
func TestDevIdPServes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	env := envMap(map[string]string{"OIDC_CLIENT_SECRET": "s3cret"})
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"devidp", "-listen", "127.0.0.1:0", "-redirect", "http://127.0.0.1:8080/auth/callback"}, env, pw)
		pw.Close()
	}()

	// The ready line names the issuer (the port is chosen by the kernel).
	issuer := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			var line struct{ Msg, Issuer string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Issuer != "" {
				issuer <- line.Issuer
				break
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	var iss string
	select {
	case iss = <-issuer:
	case err := <-done:
		t.Fatalf("devidp stopped: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("devidp did not report ready")
	}
	if !strings.HasPrefix(iss, "http://127.0.0.1:") || !strings.HasSuffix(iss, "/dev-idp") {
		t.Fatalf("issuer %q", iss)
	}

	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(iss + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	var disc struct {
		Issuer                string `json:"issuer"`
		AuthorizationEndpoint string `json:"authorization_endpoint"`
	}
	err = json.NewDecoder(resp.Body).Decode(&disc)
	resp.Body.Close()
	if err != nil || disc.Issuer != iss || !strings.HasPrefix(disc.AuthorizationEndpoint, iss+"/") {
		t.Fatalf("discovery %+v %v", disc, err)
	}

	q := url.Values{"client_id": {"plein"}, "redirect_uri": {"http://127.0.0.1:8080/auth/callback"}, "response_type": {"code"},
		"scope": {"openid profile email"}, "state": {"st"}, "nonce": {"n"},
		"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, "code_challenge_method": {"S256"}}
	resp, err = c.Get(disc.AuthorizationEndpoint + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Request.URL.Path, "/dev-idp/login") {
		t.Fatalf("authorize ended at %s with %d", resp.Request.URL, resp.StatusCode)
	}
	for _, want := range []string{`action="/dev-idp/login"`, `name="id"`, `value="anouk.devries"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("login page lacks %s", want)
		}
	}

	// A redirect URI that was not configured is refused.
	q.Set("redirect_uri", "http://evil.example/auth/callback")
	resp, err = c.Get(disc.AuthorizationEndpoint + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if strings.HasPrefix(resp.Request.URL.Path, "/dev-idp/login") && resp.StatusCode == 200 {
		t.Fatal("unknown redirect URI reached the login page")
	}

	resp, err = c.Get(strings.TrimSuffix(iss, "/dev-idp") + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("healthz %d", resp.StatusCode)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("stop: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("devidp did not stop")
	}
}

func TestDevIdPHelpHidesTheSecret(t *testing.T) {
	var out strings.Builder
	env := envMap(map[string]string{"OIDC_CLIENT_SECRET": "do-not-print-me"})
	if err := run(context.Background(), []string{"devidp", "-h"}, env, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "-client-secret") || strings.Contains(out.String(), "do-not-print-me") {
		t.Fatalf("help:\n%s", out.String())
	}
}
