package arch_test

import (
	"go/ast"
	"strings"
	"testing"
)

// errorWriters may call httpapi.Error themselves: middlewares, which stop a
// request before any handler runs. Every handler returns its error and
// httpapi.Handle maps it (issue 13 §4: one adapter, not a call per refusal).
var errorWriters = map[string]bool{
	"server/identity/http.go": true, // Authenticate and RequireUser
}

// TestHandlersReturnErrors fails where a file outside server/httpapi writes
// an error response with httpapi.Error instead of returning the error.
func TestHandlersReturnErrors(t *testing.T) {
	fset, files := sources(t, 0)
	calls := 0
	for _, f := range files {
		if strings.HasPrefix(f.Path, "server/httpapi/") || strings.HasSuffix(f.Path, "_test.go") {
			continue
		}
		ast.Inspect(f.AST, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Error" {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "httpapi" {
				calls++
				if !errorWriters[f.Path] {
					t.Errorf("%s: httpapi.Error in a handler: return the error and register the handler with httpapi.Handle", fset.Position(sel.Pos()))
				}
			}
			return true
		})
	}
	if calls == 0 {
		t.Fatal("found no httpapi.Error at all: is the walk looking in the right place?")
	}
}
