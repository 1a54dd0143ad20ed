package httpapi

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/websocket"
)

// compressEngine is the real engine (all middleware) with a few routes
// shaped like Plein's.
func compressEngine(t *testing.T) *gin.Engine {
	t.Helper()
	e, err := NewEngine(Options{})
	if err != nil {
		t.Fatal(err)
	}
	items := make([]gin.H, 200)
	for i := range items {
		items[i] = gin.H{"id": "team-" + strconv.Itoa(i), "name": "Wijkteam " + strconv.Itoa(i)}
	}
	e.GET("/api/v1/big", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"items": items}) })
	e.POST("/api/v1/big", func(c *gin.Context) { c.JSON(http.StatusCreated, gin.H{"items": items}) })
	e.DELETE("/api/v1/big", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	e.PUT("/api/v1/big", func(c *gin.Context) { c.AbortWithStatus(http.StatusAccepted) })
	e.GET("/api/v1/small", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"ok": true}) })
	e.GET("/api/v1/session", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"csrfToken": "secret", "items": items}) })
	e.GET("/api/v1/export", func(c *gin.Context) {
		c.Header("Content-Disposition", `attachment; filename="export.json"`)
		c.JSON(http.StatusOK, gin.H{"items": items})
	})
	e.GET("/api/v1/image", func(c *gin.Context) {
		c.Data(http.StatusOK, "image/png", []byte(strings.Repeat("p", 4096)))
	})
	e.GET("/api/v1/missing", func(c *gin.Context) {
		WriteProblem(c, Problem{Type: "/problems/not-found", Title: "Not found", Status: http.StatusNotFound, Detail: strings.Repeat("x", 2000)})
	})
	e.GET("/auth/page", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"items": items}) })
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	e.GET("/api/v1/ws", func(c *gin.Context) {
		ws, err := up.Upgrade(c.Writer, c.Request, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		for {
			mt, b, err := ws.ReadMessage()
			if err != nil {
				return
			}
			if err := ws.WriteMessage(mt, []byte(strings.Repeat(string(b), 500))); err != nil {
				return
			}
		}
	})
	return e
}

func TestAPICompression(t *testing.T) {
	e := compressEngine(t)
	cases := []struct {
		name, method, path string
		status             int
		gzipped            bool
	}{
		{"large JSON", http.MethodGet, "/api/v1/big", 200, true},
		{"status kept", http.MethodPost, "/api/v1/big", 201, true},
		{"large problem", http.MethodGet, "/api/v1/missing", 404, true},
		{"no body", http.MethodDelete, "/api/v1/big", 204, false},
		{"aborted without a body", http.MethodPut, "/api/v1/big", 202, false},
		{"below the threshold", http.MethodGet, "/api/v1/small", 200, false},
		{"carries the CSRF token (BREACH)", http.MethodGet, "/api/v1/session", 200, false},
		{"download", http.MethodGet, "/api/v1/export", 200, false},
		{"image", http.MethodGet, "/api/v1/image", 200, false},
		{"not the API", http.MethodGet, "/auth/page", 200, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plain := get(e, tc.method, tc.path, "X-Request-ID", "r1")
			w := get(e, tc.method, tc.path, "Accept-Encoding", "gzip, deflate, br", "X-Request-ID", "r1")
			if w.Code != tc.status || plain.Code != tc.status {
				t.Fatalf("status %d / %d, want %d", w.Code, plain.Code, tc.status)
			}
			body := w.Body.Bytes()
			if tc.gzipped {
				if w.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
					t.Fatalf("not gzipped: %v", w.Header())
				}
				zr, err := gzip.NewReader(w.Body)
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
				if w.Body.Len() >= len(body)/2 {
					t.Errorf("gzip %d bytes for %d", w.Body.Len(), len(body))
				}
			} else if w.Header().Get("Content-Encoding") != "" {
				t.Fatalf("compressed: %v", w.Header())
			}
			if string(body) != plain.Body.String() || plain.Header().Get("Content-Encoding") != "" {
				t.Errorf("the bodies differ (%d and %d bytes)", len(body), plain.Body.Len())
			}
			if w.Header().Get("Content-Type") != plain.Header().Get("Content-Type") || w.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("headers %v", w.Header())
			}
		})
	}
}

// A websocket upgrade that says it accepts gzip is passed by untouched, over
// a real socket.
func TestAPICompressionLeavesWebsocketsAlone(t *testing.T) {
	srv := httptest.NewServer(compressEngine(t))
	defer srv.Close()
	h := http.Header{"Accept-Encoding": {"gzip"}}
	ws, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/api/v1/ws", h)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer ws.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols || resp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("upgrade: %d %v", resp.StatusCode, resp.Header)
	}
	for i := range 3 {
		if err := ws.WriteMessage(websocket.TextMessage, []byte("ab")); err != nil {
			t.Fatal(err)
		}
		_, b, err := ws.ReadMessage()
		if err != nil || string(b) != strings.Repeat("ab", 500) {
			t.Fatalf("message %d: %v, %d bytes", i, err, len(b))
		}
	}
	// And over the same real server, JSON still arrives gzipped.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/big", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	zr, err := gzip.NewReader(res.Body)
	if err != nil || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("over a socket: %v %v", err, res.Header)
	}
	var v struct{ Items []map[string]string }
	if err := json.NewDecoder(zr).Decode(&v); err != nil || len(v.Items) != 200 {
		t.Fatalf("decode: %v, %d items", err, len(v.Items))
	}
}
