//go:build !frontend

// Package frontend exposes the built web app to the server. Without the
// "frontend" build tag (a clean clone, `go build ./...`, unit tests) it serves
// a placeholder page; `make build` builds the app with Vite and compiles the
// server with -tags frontend so the real files are embedded.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed placeholder
var placeholder embed.FS

// Files returns the web app's files, index.html at the root.
func Files() fs.FS {
	f, _ := fs.Sub(placeholder, "placeholder")
	return f
}

// Built reports whether the real app is embedded.
const Built = false
