package arch_test

import (
	"go/ast"
	"sort"
	"strings"
	"testing"
)

// maxFuncLines is the longest a function may be, from its signature to its
// closing brace (issue 13: a new engineer reads a function in one screen).
const maxFuncLines = 80

// longFunctions are today's functions over the limit, each with its way out.
// The list only shrinks: a function that is no longer too long fails the test
// until it is deleted here. Demo data is not counted: server/demo (the demo
// organisation and content, development only), which generates the demo
// documents and loads them through the domains' import entry points.
var longFunctions = map[string]string{
	"server/app/app.go build":           "wire each domain in a function of its own",
	"server/app/app.go StartBackground": "one background loop per domain, started from a list",
	"server/teamspace/state.go apply":   "one function per change kind",
	"server/notify/deliver.go deliver":  "split the fan-out from the job hand-off",
	"chat/send.go Append":               "split the claim, the entry and the completion",
}

// TestFunctionsFitOnAScreen fails on a function over maxFuncLines lines that
// is not in longFunctions, and on an entry there that no longer needs to be.
// The same count from the shell: go test -run TestFunctionsFitOnAScreen -v ./server/arch/
func TestFunctionsFitOnAScreen(t *testing.T) {
	fset, files := sources(t, 0)
	var found []string
	long := map[string]int{}
	for _, f := range files {
		if demoData(f.Path) {
			continue
		}
		for _, d := range f.AST.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			n := fset.Position(fd.End()).Line - fset.Position(fd.Pos()).Line + 1
			if n > maxFuncLines {
				key := f.Path + " " + fd.Name.Name
				long[key] = n
				found = append(found, key)
			}
		}
	}
	if len(files) < 100 {
		t.Fatalf("parsed only %d files: is the walk looking in the right place?", len(files))
	}
	sort.Strings(found)
	for _, key := range found {
		if _, ok := longFunctions[key]; !ok {
			t.Errorf("%s has %d lines (at most %d): split it along its seams", key, long[key], maxFuncLines)
		}
	}
	for key := range longFunctions {
		if _, ok := long[key]; !ok {
			t.Errorf("%s is no longer over %d lines: delete it from longFunctions", key, maxFuncLines)
		}
	}
	t.Logf("%d functions over %d lines, not counting demo data", len(found), maxFuncLines)
}

// demoData reports whether a file holds demo data: server/demo.
func demoData(file string) bool {
	return strings.HasPrefix(file, "server/demo/")
}
