//go:build frontend

package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Files returns the web app's files, index.html at the root.
func Files() fs.FS {
	f, _ := fs.Sub(dist, "dist")
	return f
}

// Built reports whether the real app is embedded.
const Built = true
