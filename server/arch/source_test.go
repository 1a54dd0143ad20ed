package arch_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"

	"github.com/plein/plein/server/internal/gosource"
)

// sources parses the Go files under server/ and chat/ (mode as go/parser
// takes it) with one file set, for the checks in this package.
func sources(t *testing.T, mode parser.Mode) (*token.FileSet, []gosource.File) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	files, err := gosource.Parse(fset, root, []string{"server", "chat"}, nil, mode)
	if err != nil {
		t.Fatal(err)
	}
	return fset, files
}
