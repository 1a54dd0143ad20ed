package httpapi

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

// Frontend serves the built single-page app from files: hashed assets under
// /assets/ are cached for a year, index.html never, and any other GET that is
// not an API, auth or operational path falls back to index.html so client
// routes work on reload.
func Frontend(e *gin.Engine, files fs.FS) {
	index, _ := fs.ReadFile(files, "index.html")
	server := http.FileServer(http.FS(files))
	e.NoRoute(func(c *gin.Context) {
		p := c.Request.URL.Path
		if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead ||
			strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/auth/") || strings.HasPrefix(p, "/dev-idp/") {
			WriteProblem(c, Problem{Type: "/problems/not-found", Code: "not_found", Title: "Not found", Status: http.StatusNotFound})
			return
		}
		name := strings.TrimPrefix(path.Clean(p), "/")
		if name != "" && name != "index.html" {
			if st, err := fs.Stat(files, name); err == nil && !st.IsDir() {
				if strings.HasPrefix(name, "assets/") {
					c.Header("Cache-Control", "public, max-age=31536000, immutable")
				} else {
					c.Header("Cache-Control", "no-cache")
				}
				server.ServeHTTP(c.Writer, c.Request)
				return
			}
			if strings.HasPrefix(name, "assets/") {
				WriteProblem(c, Problem{Type: "/problems/not-found", Code: "not_found", Title: "Not found", Status: http.StatusNotFound})
				return
			}
		}
		c.Header("Cache-Control", "no-cache")
		c.Data(http.StatusOK, "text/html; charset=utf-8", index)
	})
}
