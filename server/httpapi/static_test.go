package httpapi

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gin-gonic/gin"
)

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = w.Write(b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// staticEngine serves a small built app: index.html and a script with gzip
// and (fake) brotli copies beside them, an image with none, and Vite's manifest.
func staticEngine(t *testing.T) (*gin.Engine, map[string][]byte) {
	t.Helper()
	js := []byte(strings.Repeat("export const x = 'Plein';\n", 200))
	index := []byte(`<!doctype html><html lang="nl"><head><script type="module" src="/assets/index-abc.js"></script></head><body><div id="root"></div></body></html>`)
	files := map[string][]byte{
		"index.html":             index,
		"index.html.gz":          gz(t, index),
		"assets/index-abc.js":    js,
		"assets/index-abc.js.gz": gz(t, js),
		"assets/index-abc.js.br": []byte("brotli bytes"),
		"assets/logo-abc.png":    {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0},
		".vite/manifest.json":    []byte(`{}`),
		"sw.js":                  []byte(`importScripts("workbox-abc.js")`),
		"home-early.js":          []byte(`(function () {})();`),
		"manifest.webmanifest":   []byte(`{"name":"Plein","short_name":"Plein","start_url":"/","display":"standalone"}`),
	}
	m := fstest.MapFS{}
	for name, b := range files {
		m[name] = &fstest.MapFile{Data: b}
	}
	gin.SetMode(gin.TestMode)
	e := gin.New()
	Frontend(e, m)
	return e, files
}

func get(e http.Handler, method, target string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	return w
}

func TestStaticServesPrecompressedCopies(t *testing.T) {
	e, files := staticEngine(t)
	cases := []struct {
		name, path, accept, coding string
		body                       []byte
		ctype, cache               string
	}{
		{"gzip accepted", "/assets/index-abc.js", "gzip, deflate", "gzip", files["assets/index-abc.js.gz"], "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"brotli preferred", "/assets/index-abc.js", "gzip, deflate, br, zstd", "br", files["assets/index-abc.js.br"], "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"higher q wins", "/assets/index-abc.js", "br;q=0.5, gzip;q=0.9", "gzip", files["assets/index-abc.js.gz"], "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"refused with q=0", "/assets/index-abc.js", "gzip;q=0, br;q=0", "", files["assets/index-abc.js"], "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"wildcard", "/assets/index-abc.js", "*", "br", files["assets/index-abc.js.br"], "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"no Accept-Encoding", "/assets/index-abc.js", "", "", files["assets/index-abc.js"], "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"identity only", "/assets/index-abc.js", "identity", "", files["assets/index-abc.js"], "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"no copy: image as is", "/assets/logo-abc.png", "gzip, br", "", files["assets/logo-abc.png"], "image/png", "public, max-age=31536000, immutable"},
		{"index.html", "/index.html", "gzip", "gzip", files["index.html.gz"], "text/html; charset=utf-8", "no-cache"},
		{"client route falls back to index.html", "/teams/t1/berichten", "gzip", "gzip", files["index.html.gz"], "text/html; charset=utf-8", "no-cache"},
		{"root", "/", "", "", files["index.html"], "text/html; charset=utf-8", "no-cache"},
		{"service worker revalidated", "/sw.js", "", "", files["sw.js"], "text/javascript; charset=utf-8", "no-cache"},
		{"home's early script kept an hour", "/home-early.js", "", "", files["home-early.js"], "text/javascript; charset=utf-8", "public, max-age=3600"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := get(e, http.MethodGet, tc.path, "Accept-Encoding", tc.accept)
			h := w.Header()
			if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), tc.body) {
				t.Fatalf("status %d, body %d bytes, want %d", w.Code, w.Body.Len(), len(tc.body))
			}
			if h.Get("Content-Encoding") != tc.coding || h.Get("Content-Type") != tc.ctype || h.Get("Cache-Control") != tc.cache {
				t.Errorf("headers %v", h)
			}
			if h.Get("Content-Length") != strconv.Itoa(len(tc.body)) {
				t.Errorf("Content-Length %q, body %d", h.Get("Content-Length"), len(tc.body))
			}
			hasCopies := tc.path != "/assets/logo-abc.png" && tc.path != "/sw.js" && tc.path != "/home-early.js" // no .gz/.br beside them here
			if got := h.Get("Vary") == "Accept-Encoding"; got != hasCopies {
				t.Errorf("Vary %q", h.Get("Vary"))
			}
			if h.Get("ETag") == "" {
				t.Error("no ETag")
			}
		})
	}
	// The gzip copy is what it says it is.
	w := get(e, http.MethodGet, "/assets/index-abc.js", "Accept-Encoding", "gzip")
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if !bytes.Equal(plain, files["assets/index-abc.js"]) {
		t.Error("gzip copy does not decode to the file")
	}
}

func TestStaticETags(t *testing.T) {
	e, _ := staticEngine(t)
	plain := get(e, http.MethodGet, "/assets/index-abc.js").Header().Get("ETag")
	gzTag := get(e, http.MethodGet, "/assets/index-abc.js", "Accept-Encoding", "gzip").Header().Get("ETag")
	brTag := get(e, http.MethodGet, "/assets/index-abc.js", "Accept-Encoding", "br").Header().Get("ETag")
	if plain == gzTag || plain == brTag || gzTag == brTag || !strings.HasPrefix(plain, `"`) {
		t.Fatalf("each representation needs its own strong ETag: %s %s %s", plain, gzTag, brTag)
	}
	// Revalidation: a 304 without a body, for the representation the client holds.
	w := get(e, http.MethodGet, "/", "Accept-Encoding", "gzip", "If-None-Match", get(e, http.MethodGet, "/", "Accept-Encoding", "gzip").Header().Get("ETag"))
	if w.Code != http.StatusNotModified || w.Body.Len() != 0 || w.Header().Get("Content-Encoding") != "" || w.Header().Get("Cache-Control") != "no-cache" {
		t.Errorf("If-None-Match: %d %v", w.Code, w.Header())
	}
	// The identity ETag does not match the gzip representation.
	if w := get(e, http.MethodGet, "/assets/index-abc.js", "Accept-Encoding", "gzip", "If-None-Match", plain); w.Code != http.StatusOK {
		t.Errorf("identity ETag matched the gzip copy: %d", w.Code)
	}
}

func TestStaticHeadAndRange(t *testing.T) {
	e, files := staticEngine(t)
	w := get(e, http.MethodHead, "/assets/index-abc.js", "Accept-Encoding", "gzip")
	if w.Code != http.StatusOK || w.Body.Len() != 0 || w.Header().Get("Content-Encoding") != "gzip" ||
		w.Header().Get("Content-Length") != strconv.Itoa(len(files["assets/index-abc.js.gz"])) {
		t.Errorf("HEAD: %d, %d body bytes, %v", w.Code, w.Body.Len(), w.Header())
	}
	// A byte range is a range of the file itself, never of a compressed copy.
	w = get(e, http.MethodGet, "/assets/index-abc.js", "Accept-Encoding", "gzip, br", "Range", "bytes=7-12")
	if w.Code != http.StatusPartialContent || w.Body.String() != string(files["assets/index-abc.js"][7:13]) ||
		w.Header().Get("Content-Encoding") != "" || w.Header().Get("Content-Range") != "bytes 7-12/"+strconv.Itoa(len(files["assets/index-abc.js"])) ||
		w.Header().Get("Vary") != "Accept-Encoding" {
		t.Errorf("Range: %d %q %v", w.Code, w.Body.String(), w.Header())
	}
	w = get(e, http.MethodGet, "/assets/index-abc.js", "Range", "bytes=99999-")
	if w.Code != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("Range past the end: %d", w.Code)
	}
}

func TestStaticRefusals(t *testing.T) {
	e, _ := staticEngine(t)
	for _, tc := range []struct {
		method, path string
		code         int
	}{
		{http.MethodGet, "/assets/missing-xyz.js", http.StatusNotFound},
		{http.MethodGet, "/.vite/manifest.json", http.StatusOK}, // not served: the app page instead
		{http.MethodGet, "/api/v1/nothing", http.StatusNotFound},
		{http.MethodPost, "/teams", http.StatusNotFound},
	} {
		w := get(e, tc.method, tc.path)
		if w.Code != tc.code {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, w.Code, tc.code)
		}
		if tc.path == "/.vite/manifest.json" && !strings.Contains(w.Body.String(), `id="root"`) {
			t.Errorf("manifest served: %q", w.Body.String())
		}
	}
}

// The service worker and the web app manifest: never cached without a check
// (a new sw.js must be seen at the next visit), the manifest with its own
// type, both under the site's CSP like every other response of the engine.
func TestStaticServiceWorkerAndManifest(t *testing.T) {
	e, files := staticEngine(t)
	for _, tc := range []struct{ path, ctype string }{
		{"/sw.js", "text/javascript; charset=utf-8"},
		{"/manifest.webmanifest", "application/manifest+json"},
	} {
		w := get(e, http.MethodGet, tc.path)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: status %d", tc.path, w.Code)
		}
		if got := w.Header().Get("Content-Type"); got != tc.ctype {
			t.Errorf("%s: Content-Type %q, want %q", tc.path, got, tc.ctype)
		}
		if got := w.Header().Get("Cache-Control"); got != "no-cache" {
			t.Errorf("%s: Cache-Control %q, want no-cache", tc.path, got)
		}
		if w.Body.String() != string(files[strings.TrimPrefix(tc.path, "/")]) {
			t.Errorf("%s: body %q", tc.path, w.Body.String())
		}
		etag := w.Header().Get("ETag")
		if r := get(e, http.MethodGet, tc.path, "If-None-Match", etag); etag == "" || r.Code != http.StatusNotModified {
			t.Errorf("%s: revalidation with ETag %q answered %d, want 304", tc.path, etag, r.Code)
		}
	}
	// A hashed asset keeps its year-long cache.
	if got := get(e, http.MethodGet, "/assets/index-abc.js").Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("asset Cache-Control %q", got)
	}
}
