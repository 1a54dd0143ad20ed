// Package apptest runs the whole Plein server for tests: the embedded store
// over the wire, the development identity provider, a real TCP listener, and
// clients that log in through the real OIDC flow in one line.
package apptest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/accesslog"
	"github.com/plein/plein/server/app"
	"github.com/plein/plein/server/config"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/storetest"
)

// Server is a running test server.
type Server struct {
	URL string
	App *app.App
}

// Start builds the app (development mode, demo seed, its own fresh database
// on the package's shared embedded store) and serves it on 127.0.0.1. Extra
// environment variables override the defaults.
func Start(t testing.TB, env ...string) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	vars := map[string]string{
		"PLEIN_MODE": "development", "PLEIN_BASE_URL": base, "PLEIN_LISTEN": ln.Addr().String(),
		"MONGODB_URI": storetest.URI(t), "MONGODB_DATABASE": "app" + strings.ReplaceAll(ln.Addr().String()[10:], ":", "") + "x" + randomHex(4),
		// PLEIN_TEST_NOW=2028-01-15 go test ./server/app/ runs every app test
		// with the calendar moved: tests take dates from srv.Now(), never
		// from a literal, so they pass on any day.
		"PLEIN_TEST_NOW": os.Getenv("PLEIN_TEST_NOW"),
	}
	for i := 0; i+1 < len(env); i += 2 {
		vars[env[i]] = env[i+1]
	}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(&tbWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	a, err := app.New(context.Background(), cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: a.Handler()}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		checkScans(t, a.Store.Scans.Snapshot())
		_ = srv.Close()
		_ = a.Store.DB.Drop(context.Background())
		a.Close(context.Background())
	})
	return &Server{URL: base, App: a}
}

// randomHex names a database apart from any other test's: the store may be
// shared by the test binaries of several packages (make test serves it from
// one process, see .ci/with-store.sh), and a port is reused.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// AccessEntries returns the access log's entries of the last day (wall
// clock, as the log records), newest first, for tests that check what was
// recorded.
func (s *Server) AccessEntries(t testing.TB) []accesslog.Entry {
	t.Helper()
	now := time.Now()
	p, err := s.App.Access.List(context.Background(), accesslog.Query{From: now.Add(-24 * time.Hour), To: now.Add(time.Minute), Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	return p.Items
}

// Now is the server's calendar: today, or the moved date under PLEIN_TEST_NOW.
func (s *Server) Now() time.Time { return s.App.Now() }

// boundedScans are the collections a request may read whole on the
// embedded store, because they do not grow with time. Any other collection
// read whole on a request's context fails the test that made the request:
// growing collections (chat, posts, notifications, sessions, confirmations,
// documents, …) are read by _id or from memory (docs/architecture.md, "The
// store"). The access log's day collections (access_log_YYYYMMDD) are bounded
// by one day each. Scans marked store.Rare (a personal-data export or an
// erasure: rate-limited, a few a year per person) are counted apart.
var boundedScans = map[string]string{
	"teams":             "the organisation, reloaded whole after an administrator's change",
	"regions":           "the organisation, reloaded whole after an administrator's change",
	"memberships":       "the organisation, reloaded whole after an administrator's change",
	"dashboard_imports": "one document per import, reloaded after an import",
	"notify_users":      "one state document per user, replaced with a version check ({_id, v})",
	"privacy_jobs":      "one document per erased person, listed on the privacy page",
	"push_users":        "one document per person with push devices, replaced with a version check ({_id, v})",
}

func checkScans(t testing.TB, scans map[store.ScanKey]int64) {
	t.Helper()
	for _, v := range scanViolations(scans) {
		t.Error(v)
	}
}

// scanViolations lists the request scans of growing collections.
func scanViolations(scans map[store.ScanKey]int64) []string {
	var out []string
	for k, n := range scans {
		if !k.Request || k.Rare || boundedScans[k.Collection] != "" || strings.HasPrefix(k.Collection, "access_log_") {
			continue
		}
		out = append(out, fmt.Sprintf("a request read the growing collection %q whole (%s, %d times): make it a point lookup by _id or an in-memory read (docs/architecture.md, \"The store\")", k.Collection, k.Command, n))
	}
	sort.Strings(out)
	return out
}

type tbWriter struct{ t testing.TB }

func (w *tbWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// Client is a browser-like HTTP client with a cookie jar.
type Client struct {
	t    testing.TB
	srv  *Server
	HTTP *http.Client
	CSRF string
}

// NewClient returns an anonymous client that follows redirects.
func (s *Server) NewClient(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, srv: s, HTTP: &http.Client{Jar: jar}}
}

var (
	reqIDRE  = regexp.MustCompile(`name="id" value="([^"]+)"`)
	actionRE = regexp.MustCompile(`<form method="post" action="([^"]+)"`)
)

// On returns a client that sends the same cookies (the same session) to
// another server of a cluster: cookies are per host, not per port.
func (c *Client) On(s *Server) *Client {
	cp := *c
	cp.srv = s
	return &cp
}

// TryLogin walks the login flow like LoginAs but reports instead of
// failing: the final status and path, and on success the client is logged
// in (CSRF token set).
func (c *Client) TryLogin(sub string) (status int, path string) {
	c.t.Helper()
	resp, err := c.HTTP.Get(c.srv.URL + "/auth/login")
	if err != nil {
		c.t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id, action := reqIDRE.FindSubmatch(page), actionRE.FindSubmatch(page)
	if id == nil || action == nil {
		return resp.StatusCode, resp.Request.URL.Path
	}
	resp, err = c.HTTP.PostForm(c.srv.URL+string(action[1]), url.Values{"id": {string(id[1])}, "sub": {sub}})
	if err != nil {
		c.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == 200 && resp.Request.URL.Path == "/" {
		var sess struct {
			CSRFToken string `json:"csrfToken"`
		}
		if st := c.JSON("GET", "/api/v1/session", nil, &sess); st == 200 {
			c.CSRF = sess.CSRFToken
		}
	}
	return resp.StatusCode, resp.Request.URL.Path
}

// Login returns a client logged in as the demo person with this subject,
// through the whole OIDC flow over HTTP.
func (s *Server) Login(t testing.TB, sub string) *Client {
	t.Helper()
	c := s.NewClient(t)
	c.LoginAs(sub)
	return c
}

// LoginAs walks /auth/login → provider login page → choose user → callback
// (TryLogin), and fails the test unless it ends logged in.
func (c *Client) LoginAs(sub string) {
	c.t.Helper()
	c.CSRF = ""
	if st, path := c.TryLogin(sub); st != 200 || path != "/" || c.CSRF == "" {
		c.t.Fatalf("login as %s: status %d at %s (session read: %t)", sub, st, path, c.CSRF != "")
	}
}

// Do sends a request with JSON body (raw bytes, a string, or a value to
// marshal) and the CSRF header; it returns status and body.
func (c *Client) Do(method, path string, body any, headers ...string) (int, []byte) {
	c.t.Helper()
	r := c.Send(c.t, method, path, body, headers...)
	return r.Status, r.Body
}

// Upload posts a multipart form to path (Multipart): the fields (name,
// value pairs), then the file (name, data) in the field "file".
func (c *Client) Upload(path, name string, data []byte, fields ...string) (int, []byte) {
	c.t.Helper()
	body, ct := Multipart(c.t, "file", name, data, fields...)
	return c.Do("POST", path, body, "Content-Type", ct)
}

// Multipart is a multipart/form-data body: the form fields (name, value
// pairs), then the file (name, data) in the field named file. It returns
// the body and its Content-Type.
func Multipart(t testing.TB, file, name string, data []byte, fields ...string) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := w.WriteField(fields[i], fields[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := w.CreateFormFile(file, name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), w.FormDataContentType()
}

// Response is what Send got back.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Send sends one request as c and fails t (the client's test or one of its
// subtests) when it cannot. body is nil, raw bytes, a string, an io.Reader
// (streamed without Content-Length) or a value to encode as JSON; any body
// is sent as application/json, with c's CSRF token. headers are name, value
// pairs that override; an empty value removes the header.
func (c *Client) Send(t testing.TB, method, path string, body any, headers ...string) Response {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	case string:
		r = strings.NewReader(b)
	case io.Reader:
		r = struct{ io.Reader }{b} // hide the length: chunked transfer
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.srv.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.CSRF != "" {
		req.Header.Set("X-CSRF-Token", c.CSRF)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: out}
}

// JSON is Do that decodes a 2xx response body into out.
func (c *Client) JSON(method, path string, body, out any) int {
	c.t.Helper()
	st, b := c.Do(method, path, body)
	if st/100 == 2 && out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: decode %.200s: %v", method, path, b, err)
		}
	}
	return st
}

// Problem decodes a problem document.
type Problem struct {
	Type   string `json:"type"`
	Code   string `json:"code"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string         `json:"field"`
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Params  map[string]any `json:"params"`
	} `json:"errors"`
}

// ParseProblem decodes b as a problem document or fails the test.
func ParseProblem(t testing.TB, b []byte) Problem {
	t.Helper()
	var p Problem
	if err := json.Unmarshal(b, &p); err != nil || p.Status == 0 || p.Title == "" {
		t.Fatalf("not a problem document: %.300s", b)
	}
	// The app translates codes, never the English text: every refusal has one.
	if p.Code == "" {
		t.Fatalf("problem without a code: %.300s", b)
	}
	for _, e := range p.Errors {
		if e.Code == "" {
			t.Fatalf("field error without a code: %.300s", b)
		}
	}
	return p
}

// FieldErrors lists "field: message" of a problem.
func (p Problem) FieldErrors() string {
	var s []string
	for _, e := range p.Errors {
		s = append(s, fmt.Sprintf("%s: %s", e.Field, e.Message))
	}
	return strings.Join(s, "; ")
}
