// Package gosource reads the repository's own Go files, for the tests that
// check rules across the code (problem codes are translated, imports run one
// way).
package gosource

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
)

// File is one parsed non-test Go file.
type File struct {
	Path string // relative to the root, with slashes
	Dir  string // its folder, relative to the root, with slashes
	AST  *ast.File
}

// Parse parses every non-test Go file below root's top folders (e.g.
// "server", "chat"), skipping testdata and the folders named in skip, with
// the parser mode asked for (parser.ImportsOnly for imports alone).
func Parse(fset *token.FileSet, root string, tops []string, skip []string, mode parser.Mode) ([]File, error) {
	var out []File
	for _, top := range tops {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules" || contains(skip, d.Name())) {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, mode)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			out = append(out, File{Path: rel, Dir: filepath.ToSlash(filepath.Dir(rel)), AST: f})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
