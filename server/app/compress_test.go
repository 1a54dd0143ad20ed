package app_test

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/plein/plein/server/app/apptest"
)

// The API's large JSON answers travel gzipped when the browser accepts it;
// the session (which carries the CSRF token) never does, and the chat
// websocket is untouched by compression.
func TestAPIResponsesCompressed(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	anouk := srv.Login(t, "anouk.devries")
	fetch := func(path string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br") // set by hand: the transport does not decode it
		res, err := anouk.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}

	st, plain := anouk.Do(http.MethodGet, "/api/v1/teams", nil, "Accept-Encoding", "identity")
	res, body := fetch("/api/v1/teams")
	if st != 200 || res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("teams: %d/%d %v", st, res.StatusCode, res.Header)
	}
	zr, err := gzip.NewReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, _ := io.ReadAll(zr)
	if string(unzipped) != string(plain) || len(body)*3 > len(plain) {
		t.Fatalf("teams: %d bytes gzipped, %d plain, equal after decoding: %v", len(body), len(plain), string(unzipped) == string(plain))
	}

	if res, _ := fetch("/api/v1/session"); res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "" {
		t.Fatalf("session: %d %v", res.StatusCode, res.Header)
	}

	// A websocket upgrade that accepts gzip is served as before.
	u, _ := url.Parse(srv.URL)
	h := http.Header{"Origin": {srv.URL}, "Accept-Encoding": {"gzip, deflate, br"}}
	for _, ck := range anouk.HTTP.Jar.Cookies(u) {
		h.Add("Cookie", ck.Name+"="+ck.Value)
	}
	ws, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/api/v1/ws", h)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer ws.Close()
	if resp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("upgrade: %v", resp.Header)
	}
	_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, data, err := ws.ReadMessage()
	if err != nil {
		t.Fatalf("first frame: %v", err)
	}
	var first map[string]any
	if data[0] == '[' {
		var batch []map[string]any
		if err := json.Unmarshal(data, &batch); err == nil && len(batch) > 0 {
			first = batch[0]
		}
	} else {
		_ = json.Unmarshal(data, &first)
	}
	if first["type"] != "ready" {
		t.Fatalf("first frame %.200s", data)
	}
}
