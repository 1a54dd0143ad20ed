package httpapi

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// Frontend serves the built single-page app from files: hashed assets under
// /assets/ are cached for a year, home-early.js for an hour (briefCache),
// everything else (index.html, the service
// worker sw.js, manifest.webmanifest) is revalidated on every use
// ("no-cache", answered 304 by ETag), so a new version of the service worker
// is found at once; any other GET that is not an API, auth or operational
// path falls back to index.html so client routes work on reload.
//
// The build writes a brotli (name.br) and a gzip (name.gz) copy beside each
// file worth compressing (frontend/vite.config.ts); the one the request's
// Accept-Encoding allows is served with Content-Encoding, its own length and
// its own ETag, and every response says Vary: Accept-Encoding. A Range
// request gets the uncompressed file, so byte ranges mean what they say.
// The files are looked at once, here: each gets an ETag from its content, so
// index.html is revalidated with a 304 instead of sent again.
// briefCache: unhashed files a stale copy of which does no harm, kept for a
// while instead of revalidated on every load. home-early.js only preloads
// home's first requests: an hour-old copy at worst asks for one the new
// version no longer makes, and the page still asks for its own.
var briefCache = map[string]string{"home-early.js": "public, max-age=3600"}

func Frontend(e *gin.Engine, files fs.FS) {
	st := newStaticFiles(files)
	e.NoRoute(func(c *gin.Context) {
		p := c.Request.URL.Path
		if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead ||
			strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/auth/") || strings.HasPrefix(p, "/dev-idp/") {
			WriteProblem(c, Problem{Type: "/problems/not-found", Code: "not_found", Title: "Not found", Status: http.StatusNotFound})
			return
		}
		name := strings.TrimPrefix(path.Clean(p), "/")
		if name != "" && name != "index.html" {
			if a, ok := st.assets[name]; ok {
				cache := "no-cache"
				if strings.HasPrefix(name, "assets/") {
					cache = "public, max-age=31536000, immutable"
				} else if c, ok := briefCache[name]; ok {
					cache = c
				}
				st.serve(c, a, cache)
				return
			}
			if strings.HasPrefix(name, "assets/") {
				WriteProblem(c, Problem{Type: "/problems/not-found", Code: "not_found", Title: "Not found", Status: http.StatusNotFound})
				return
			}
		}
		if a, ok := st.assets["index.html"]; ok {
			st.serve(c, a, "no-cache")
			return
		}
		WriteProblem(c, Problem{Type: "/problems/not-found", Code: "not_found", Title: "Not found", Status: http.StatusNotFound})
	})
}

// staticTypes are Content-Types the standard library's table may not know
// (it falls back to the machine's mime.types, which differs per machine).
var staticTypes = map[string]string{
	".webmanifest": "application/manifest+json",
	".js":          "text/javascript; charset=utf-8",
}

// staticEncodings are the precompressed copies looked for, best first.
var staticEncodings = []struct{ coding, suffix string }{{"br", ".br"}, {"gzip", ".gz"}}

type staticFiles struct {
	files  fs.FS
	assets map[string]*staticAsset // by path, without the compressed copies
}

type staticAsset struct {
	ctype    string
	identity staticVariant
	encoded  []staticVariant // in staticEncodings order
}

type staticVariant struct {
	coding string // "" for the file itself
	name   string
	etag   string
	size   int64
}

// newStaticFiles reads every file once to give it an ETag and a Content-Type
// and to pair it with its compressed copies. Files under a directory whose
// name starts with a dot (Vite's .vite/manifest.json) are not served.
func newStaticFiles(files fs.FS) *staticFiles {
	st := &staticFiles{files: files, assets: map[string]*staticAsset{}}
	_ = fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil //nolint:nilerr // an unreadable entry is simply not served
		}
		if d.IsDir() {
			if name != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		for _, e := range staticEncodings {
			if strings.HasSuffix(name, e.suffix) {
				if _, err := fs.Stat(files, strings.TrimSuffix(name, e.suffix)); err == nil {
					return nil // a compressed copy, served as its original's variant
				}
			}
		}
		sum, size, sniff, err := hashFile(files, name)
		if err != nil {
			return nil //nolint:nilerr
		}
		tag := base64.RawURLEncoding.EncodeToString(sum[:16])
		ctype := staticTypes[path.Ext(name)]
		if ctype == "" {
			ctype = mime.TypeByExtension(path.Ext(name))
		}
		if ctype == "" {
			ctype = http.DetectContentType(sniff)
		}
		a := &staticAsset{ctype: ctype, identity: staticVariant{name: name, etag: `"` + tag + `"`, size: size}}
		for _, e := range staticEncodings {
			if fi, err := fs.Stat(files, name+e.suffix); err == nil && !fi.IsDir() {
				a.encoded = append(a.encoded, staticVariant{coding: e.coding, name: name + e.suffix,
					etag: `"` + tag + "-" + e.coding + `"`, size: fi.Size()})
			}
		}
		st.assets[name] = a
		return nil
	})
	return st
}

func hashFile(files fs.FS, name string) (sum []byte, size int64, sniff []byte, err error) {
	f, err := files.Open(name)
	if err != nil {
		return nil, 0, nil, err
	}
	defer f.Close()
	h := sha256.New()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	h.Write(head[:n])
	rest, err := io.Copy(h, f)
	if err != nil {
		return nil, 0, nil, err
	}
	return h.Sum(nil), int64(n) + rest, head[:n], nil
}

// serve writes the asset, compressed when the request allows it. Conditional
// requests (If-None-Match), HEAD and byte ranges are http.ServeContent's.
func (st *staticFiles) serve(c *gin.Context, a *staticAsset, cache string) {
	h := c.Writer.Header()
	h.Set("Cache-Control", cache)
	if len(a.encoded) > 0 {
		h.Add("Vary", "Accept-Encoding")
	}
	v := a.identity
	if c.Request.Header.Get("Range") == "" {
		if e, ok := chooseEncoding(c.Request.Header.Values("Accept-Encoding"), a.encoded); ok {
			v = e
		}
	}
	f, err := st.files.Open(v.name)
	if err != nil {
		WriteProblem(c, Problem{Type: "/problems/internal", Code: "internal", Title: "Internal error", Status: http.StatusInternalServerError})
		return
	}
	defer f.Close()
	content, ok := f.(io.ReadSeeker)
	if !ok {
		WriteProblem(c, Problem{Type: "/problems/internal", Code: "internal", Title: "Internal error", Status: http.StatusInternalServerError})
		return
	}
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", v.etag)
	if v.coding != "" {
		// ServeContent leaves Content-Length out when Content-Encoding is
		// set (it guards against on-the-fly compressors); this copy's length is known.
		h.Set("Content-Encoding", v.coding)
		h.Set("Content-Length", strconv.FormatInt(v.size, 10))
	}
	http.ServeContent(c.Writer, c.Request, "", time.Time{}, content)
}

// chooseEncoding picks the precompressed copy the Accept-Encoding header
// values allow with the highest q (ties: the order of have, brotli first).
// A coding not named takes the q of "*", if given; q=0 refuses.
func chooseEncoding(accept []string, have []staticVariant) (staticVariant, bool) {
	if len(have) == 0 || len(accept) == 0 {
		return staticVariant{}, false
	}
	q := map[string]float64{}
	for _, line := range accept {
		for _, part := range strings.Split(line, ",") {
			coding, params, _ := strings.Cut(part, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding == "" {
				continue
			}
			w := 1.0
			for _, p := range strings.Split(params, ";") {
				k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(strings.TrimSpace(k), "q") {
					f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
					if err != nil || f < 0 || f > 1 {
						f = 0
					}
					w = f
				}
			}
			q[coding] = w
		}
	}
	best, bestQ := staticVariant{}, 0.0
	for _, v := range have {
		w, ok := q[v.coding]
		if !ok {
			w, ok = q["*"]
		}
		if ok && w > bestQ {
			best, bestQ = v, w
		}
	}
	return best, bestQ > 0
}
