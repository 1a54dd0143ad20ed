package notify

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
)

// server runs the routes behind a fake authentication middleware: the
// X-Test-User header names the logged-in user (none: not logged in).
func server(t *testing.T, svc *Service) *httptest.Server {
	t.Helper()
	gin.SetMode(gin.TestMode)
	e := gin.New()
	api := e.Group("/api/v1", func(c *gin.Context) {
		if u := c.GetHeader("X-Test-User"); u != "" {
			a := &identity.Actor{UserID: u, Name: u, Roles: []identity.Role{identity.RoleZorgmedewerker}}
			c.Request = c.Request.WithContext(identity.WithActor(c.Request.Context(), a))
		}
		c.Next()
	})
	NewHTTP(svc).Routes(api)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

type client struct {
	t    *testing.T
	base string
	user string
}

// do sends a request; body is sent as JSON unless it is a string.
func (c client) do(method, path string, body any) (int, http.Header, []byte) {
	c.t.Helper()
	var r io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		r = strings.NewReader(string(j))
	}
	req, err := http.NewRequest(method, c.base+"/api/v1"+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if r != nil {
		req.Header.Set("Content-Type", ct)
	}
	if c.user != "" {
		req.Header.Set("X-Test-User", c.user)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, out
}

func (c client) json(method, path string, body any, want int, into any) {
	c.t.Helper()
	code, _, out := c.do(method, path, body)
	if code != want {
		c.t.Fatalf("%s %s: %d %s, want %d", method, path, code, out, want)
	}
	if into != nil {
		if err := json.Unmarshal(out, into); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, path, err, out)
		}
	}
}

type problem struct {
	Status int `json:"status"`
	Errors []struct {
		Field string `json:"field"`
	} `json:"errors"`
}

// problemOf asserts a problem+json answer with the status and (when given) the first field.
func (c client) problem(method, path string, body any, status int, field string) {
	c.t.Helper()
	code, h, out := c.do(method, path, body)
	if code != status || !strings.HasPrefix(h.Get("Content-Type"), httpapi.ProblemContentType) {
		c.t.Fatalf("%s %s %v: %d %s %s, want %d problem", method, path, body, code, h.Get("Content-Type"), out, status)
	}
	var p problem
	if err := json.Unmarshal(out, &p); err != nil || p.Status != status {
		c.t.Fatalf("%s %s: %s", method, path, out)
	}
	if field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != field) {
		c.t.Fatalf("%s %s %v: errors %s, want field %s", method, path, body, out, field)
	}
}

func TestHTTPListReadPreferences(t *testing.T) {
	svc, _, _ := newTest(t)
	srv := server(t, svc)
	bram := client{t, srv.URL, "u-bram"}
	for i := 1; i <= 35; i++ {
		svc.Notify(ctx, []string{"u-bram"}, notice(fmt.Sprint("n", i)))
	}

	var page struct {
		Items  []map[string]any `json:"items"`
		Unread int              `json:"unread"`
		Next   string           `json:"next"`
	}
	bram.json("GET", "/notifications", nil, 200, &page)
	if len(page.Items) != DefaultPage || page.Unread != 35 || page.Next == "" {
		t.Fatalf("first page: %d items, unread %d, next %q", len(page.Items), page.Unread, page.Next)
	}
	first := page.Items[0]
	for _, k := range []string{"id", "kind", "title", "text", "link", "actor", "createdAt", "read"} {
		if _, ok := first[k]; !ok {
			t.Fatalf("item lacks %s: %v", k, first)
		}
	}
	if first["id"] != "u-bram:35" || first["read"] != false || first["actor"].(map[string]any)["name"] != "Anouk de Vries" {
		t.Fatalf("first item %v", first)
	}
	before := page.Next
	page.Next = ""
	bram.json("GET", "/notifications?limit=10&before="+before, nil, 200, &page)
	if len(page.Items) != 5 || page.Next != "" || page.Items[0]["title"] != "n5" {
		t.Fatalf("second page: %v next %q", page.Items, page.Next)
	}

	var unread struct{ Unread int }
	bram.json("POST", "/notifications/read", map[string]any{"ids": []string{"u-bram:35", "u-bram:1"}}, 200, &unread)
	if unread.Unread != 33 {
		t.Fatalf("unread %d", unread.Unread)
	}
	bram.json("POST", "/notifications/read", map[string]any{"all": true}, 200, &unread)
	if unread.Unread != 0 || svc.Unread("u-bram") != 0 {
		t.Fatalf("after all: %d", unread.Unread)
	}

	var prefs Prefs
	bram.json("GET", "/notifications/preferences", nil, 200, &prefs)
	if len(prefs.Kinds) != len(Kinds) || !prefs.Live || !prefs.Kinds[KindPost] {
		t.Fatalf("prefs %+v", prefs)
	}
	bram.json("PUT", "/notifications/preferences", map[string]any{"kinds": map[string]bool{"post": false}, "live": false}, 200, &prefs)
	if prefs.Kinds[KindPost] || prefs.Live || !prefs.Kinds[KindMention] {
		t.Fatalf("put prefs %+v", prefs)
	}
	bram.json("GET", "/notifications/preferences", nil, 200, &prefs)
	if prefs.Kinds[KindPost] || prefs.Live {
		t.Fatalf("prefs not kept %+v", prefs)
	}
}

func TestHTTPOwnerOnlyAndBadInput(t *testing.T) {
	svc, _, _ := newTest(t)
	srv := server(t, svc)
	svc.Notify(ctx, []string{"u-bram", "u-chris"}, notice("a"))
	svc.Notify(ctx, []string{"u-chris"}, notice("b"))
	bram := client{t, srv.URL, "u-bram"}

	// Another user's notification, or one that does not exist: 404, nothing changed.
	bram.problem("POST", "/notifications/read", map[string]any{"ids": []string{"u-chris:2"}}, 404, "")
	bram.problem("POST", "/notifications/read", map[string]any{"ids": []string{"u-bram:1", "u-chris:1"}}, 404, "")
	bram.problem("POST", "/notifications/read", map[string]any{"ids": []string{"u-bram:9"}}, 404, "")
	if svc.Unread("u-bram") != 1 || svc.Unread("u-chris") != 2 {
		t.Fatal("a refused request changed read state")
	}
	// Nobody else's notifications in the list.
	var page Page
	bram.json("GET", "/notifications", nil, 200, &page)
	if len(page.Items) != 1 || page.Items[0].ID != "u-bram:1" {
		t.Fatalf("list %+v", page)
	}

	many := make([]string, MaxReadIDs+1)
	for i := range many {
		many[i] = "u-bram:1"
	}
	for _, c := range []struct {
		method, path string
		body         any
		status       int
		field        string
	}{
		{"GET", "/notifications?limit=0", nil, 422, "limit"},
		{"GET", "/notifications?limit=101", nil, 422, "limit"},
		{"GET", "/notifications?limit=ten", nil, 422, "limit"},
		{"GET", "/notifications?before=abc", nil, 422, "before"},
		{"GET", "/notifications?before=", nil, 422, "before"},
		{"POST", "/notifications/read", map[string]any{}, 422, "ids"},
		{"POST", "/notifications/read", map[string]any{"ids": []string{}}, 422, "ids"},
		{"POST", "/notifications/read", map[string]any{"all": false}, 422, "ids"},
		{"POST", "/notifications/read", map[string]any{"ids": many}, 422, "ids"},
		{"POST", "/notifications/read", map[string]any{"ids": []string{"u-bram:1", "u-bram:x"}}, 422, "ids[1]"},
		{"POST", "/notifications/read", map[string]any{"ids": []string{"u-bram:1"}, "all": true}, 422, "ids"},
		{"POST", "/notifications/read", map[string]any{"ids": "u-bram:1"}, 422, "ids"},
		{"POST", "/notifications/read", map[string]any{"ids": []any{map[string]any{"$ne": ""}}}, 422, "ids"},
		{"POST", "/notifications/read", map[string]any{"all": true, "user": "u-chris"}, 422, "user"},
		{"POST", "/notifications/read", `{"all": true`, 400, ""},
		{"PUT", "/notifications/preferences", map[string]any{"kinds": map[string]bool{"gossip": false}}, 422, "kinds.gossip"},
		{"PUT", "/notifications/preferences", map[string]any{"kinds": map[string]string{"post": "off"}}, 422, "kinds"},
		{"PUT", "/notifications/preferences", map[string]any{"live": "yes"}, 422, "live"},
	} {
		bram.problem(c.method, c.path, c.body, c.status, c.field)
	}
	// Not JSON: 415.
	code, _, _ := bram.doRaw("POST", "/notifications/read", "text/plain", `{"all":true}`)
	if code != http.StatusUnsupportedMediaType {
		t.Fatalf("text/plain: %d", code)
	}
	// Not logged in: 401 everywhere.
	anon := client{t, srv.URL, ""}
	for _, r := range [][2]string{{"GET", "/notifications"}, {"POST", "/notifications/read"}, {"GET", "/notifications/preferences"}, {"PUT", "/notifications/preferences"}} {
		anon.problem(r[0], r[1], map[string]any{"all": true}, 401, "")
	}
	if svc.Unread("u-bram") != 1 {
		t.Fatal("bad input changed read state")
	}
}

func (c client) doRaw(method, path, contentType, body string) (int, http.Header, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+"/api/v1"+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Test-User", c.user)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, out
}
