package apptest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// WS is a test websocket client that understands batched frames.
type WS struct {
	t       testing.TB
	Conn    *websocket.Conn
	pending []map[string]any
}

// DialWS opens /api/v1/ws with the client's session cookie and the site's Origin.
func (c *Client) DialWS(t testing.TB) *WS {
	t.Helper()
	ws, resp, err := c.DialWSOrigin(c.srv.URL)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial ws: %v (status %d)", err, status)
	}
	w := &WS{t: t, Conn: ws}
	t.Cleanup(func() { _ = ws.Close() })
	return w
}

// DialWSOrigin dials with the given Origin header (for refusal tests).
func (c *Client) DialWSOrigin(origin string) (*websocket.Conn, *http.Response, error) {
	u, _ := url.Parse(c.srv.URL)
	h := http.Header{}
	var cookies []string
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	h.Set("Cookie", strings.Join(cookies, "; "))
	if origin != "" {
		h.Set("Origin", origin)
	}
	return websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(c.srv.URL, "http")+"/api/v1/ws", h)
}

// Send writes a frame.
func (w *WS) Send(frame any) {
	w.t.Helper()
	if err := w.Conn.WriteJSON(frame); err != nil {
		w.t.Fatalf("ws send: %v", err)
	}
}

// Next returns the next frame (unpacking batches), failing after 10 s.
func (w *WS) Next() map[string]any {
	w.t.Helper()
	f, err := w.NextErr(10 * time.Second)
	if err != nil {
		w.t.Fatalf("ws read: %v", err)
	}
	return f
}

// NextErr returns the next frame or the read error (e.g. a close).
func (w *WS) NextErr(timeout time.Duration) (map[string]any, error) {
	if len(w.pending) > 0 {
		f := w.pending[0]
		w.pending = w.pending[1:]
		return f, nil
	}
	_ = w.Conn.SetReadDeadline(time.Now().Add(timeout))
	_, data, err := w.Conn.ReadMessage()
	if err != nil {
		return nil, err
	}
	if len(data) > 0 && data[0] == '[' {
		var fs []map[string]any
		if err := json.Unmarshal(data, &fs); err != nil {
			return nil, err
		}
		w.pending = append(w.pending, fs...)
		return w.NextErr(timeout)
	}
	var f map[string]any
	err = json.Unmarshal(data, &f)
	return f, err
}

// Until reads frames until one has the given type (and, if given, matches
// pred), returning it; frames before it are returned as skipped.
func (w *WS) Until(typ string, pred func(map[string]any) bool) (map[string]any, []map[string]any) {
	w.t.Helper()
	var skipped []map[string]any
	for {
		f := w.Next()
		if f["type"] == typ && (pred == nil || pred(f)) {
			return f, skipped
		}
		skipped = append(skipped, f)
	}
}
