package apperr_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/plein/plein/server/internal/gosource"
)

// A code is translated as problem.<code> (a whole refusal) or field.<code>
// (one field's error) in frontend/src/i18n/{nl,en}.json.
const (
	problemNS = "problem"
	fieldNS   = "field"
)

// codeCalls are the functions that take a code: which argument it is and
// how it is translated. A new function with an apperr.Code parameter must be
// listed here (the test says so), so that no code escapes the check.
var codeCalls = map[string]struct {
	arg int
	ns  string
}{
	"Conflict":   {0, problemNS},
	"NotFound":   {0, problemNS},
	"Forbidden":  {0, problemNS},
	"CodeOf":     {1, problemNS},
	"errorFrame": {1, problemNS}, // chat's websocket error frame
	"Invalid":    {1, fieldNS},
	"Add":        {1, fieldNS}, // Validator.Add
	"Check":      {2, fieldNS}, // Validator.Check
}

// codeStructs are the types with a Code field and how it is translated.
var codeStructs = map[string]string{
	"Problem":    problemNS, // httpapi.Problem
	"FieldError": fieldNS,   // apperr.FieldError
	"FrameError": problemNS, // chat.FrameError
}

// codePosition is where Code stands in an unkeyed literal of a codeStructs type.
var codePosition = map[string]int{"FrameError": 0}

type codeUse struct {
	ns, code, pos string
}

// TestCodesAreTranslated walks server/ and chat/, collects every code
// literal, and checks that nl.json and en.json translate each one.
func TestCodesAreTranslated(t *testing.T) {
	root := filepath.Join("..", "..")
	uses, problems := collectCodes(t, root)
	for _, p := range problems {
		t.Error(p)
	}
	if len(uses) < 50 {
		t.Fatalf("found only %d code literals; is the walk broken?", len(uses))
	}
	for _, lang := range []string{"nl", "en"} {
		keys := readKeys(t, filepath.Join(root, "frontend", "src", "i18n", lang+".json"))
		missing := map[string][]string{}
		for _, u := range uses {
			key := u.ns + "." + u.code
			if !keys[key] {
				missing[key] = append(missing[key], u.pos)
			}
		}
		var names []string
		for k := range missing {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			t.Errorf("%s.json has no %q (used at %s)", lang, k, strings.Join(missing[k], ", "))
		}
		for _, generic := range []string{"problem.unknown", "field.unknown_code", "fieldName.generic"} {
			if !keys[generic] {
				t.Errorf("%s.json has no fallback %q", lang, generic)
			}
		}
	}
}

func collectCodes(t *testing.T, root string) (uses []codeUse, problems []string) {
	t.Helper()
	fset := token.NewFileSet()
	parsed, err := gosource.Parse(fset, root, []string{"server", "chat"}, []string{"loadgen"}, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	files := make([]*ast.File, len(parsed))
	for i, f := range parsed {
		files[i] = f.AST
	}

	isCodeType := func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name == "Code"
		case *ast.SelectorExpr:
			return x.Sel.Name == "Code" && isIdent(x.X, "apperr")
		}
		return false
	}
	pos := func(n ast.Node) string {
		p := fset.Position(n.Pos())
		rel, _ := filepath.Rel(root, p.Filename)
		return fmt.Sprintf("%s:%d", rel, p.Line)
	}
	// record takes the code argument or field value: a literal is collected;
	// a variable, field or call passes on a code made elsewhere.
	record := func(ns string, e ast.Expr) {
		switch x := e.(type) {
		case *ast.BasicLit:
			if x.Kind != token.STRING {
				problems = append(problems, pos(x)+": a code must be a string literal")
				return
			}
			s, _ := strconv.Unquote(x.Value)
			uses = append(uses, codeUse{ns, s, pos(x)})
			if !validCode(s) {
				problems = append(problems, fmt.Sprintf("%s: code %q is not snake_case", pos(x), s))
			}
		case *ast.Ident, *ast.SelectorExpr, *ast.CallExpr:
		default:
			problems = append(problems, pos(e)+": write the code as a literal")
		}
	}

	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncDecl:
				// Every function taking a code must be known to this test.
				for _, field := range x.Type.Params.List {
					if isCodeType(field.Type) {
						if _, ok := codeCalls[x.Name.Name]; !ok {
							problems = append(problems, fmt.Sprintf("%s: %s takes a code; add it to codeCalls in this test", pos(x), x.Name.Name))
						}
					}
				}
			case *ast.CallExpr:
				var name string
				switch fn := x.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				if isCodeType(x.Fun) && len(x.Args) == 1 { // a conversion apperr.Code("…")
					if _, ok := x.Args[0].(*ast.BasicLit); !ok {
						problems = append(problems, pos(x)+": convert only literals to a code")
						return true
					}
					record(problemNS, x.Args[0])
					return true
				}
				c, ok := codeCalls[name]
				if !ok || len(x.Args) <= c.arg {
					return true
				}
				if name == "Add" || name == "Check" {
					// Common method names: only a Validator's (code, then message) count.
					if lit, ok := x.Args[c.arg].(*ast.BasicLit); !ok || lit.Kind != token.STRING || len(x.Args) < c.arg+2 {
						return true
					}
				}
				record(c.ns, x.Args[c.arg])
			case *ast.CompositeLit:
				if arr, ok := x.Type.(*ast.ArrayType); ok {
					// []FieldError{{Field: …, Code: …}}: the elements omit their type.
					for _, el := range x.Elts {
						if inner, ok := el.(*ast.CompositeLit); ok && inner.Type == nil {
							structCodes(typeName(arr.Elt), inner, record)
						}
					}
					return true
				}
				if structCodes(typeName(x.Type), x, record) == 0 && typeName(x.Type) == "Problem" && len(x.Elts) > 0 {
					problems = append(problems, pos(x)+": a Problem names its Code")
				}
			}
			return true
		})
	}
	return uses, problems
}

// structCodes records the Code of a literal of one of codeStructs and says
// how many it found.
func structCodes(name string, x *ast.CompositeLit, record func(ns string, e ast.Expr)) (n int) {
	ns, ok := codeStructs[name]
	if !ok {
		return 0
	}
	for i, el := range x.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if isIdent(kv.Key, "Code") {
				record(ns, kv.Value)
				n++
			}
		} else if p, ok := codePosition[name]; ok && i == p {
			record(ns, el)
			n++
		}
	}
	return n
}

func typeName(e ast.Expr) string {
	switch typ := e.(type) {
	case *ast.Ident:
		return typ.Name
	case *ast.SelectorExpr:
		return typ.Sel.Name
	case *ast.StarExpr:
		return typeName(typ.X)
	}
	return ""
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func validCode(s string) bool {
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

// readKeys flattens a translation file into its dotted keys.
func readKeys(t *testing.T, path string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]any
	if err := json.Unmarshal(data, &tree); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	keys := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		if m, ok := v.(map[string]any); ok {
			for k, x := range m {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				walk(p, x)
			}
			return
		}
		keys[prefix] = true
	}
	walk("", tree)
	return keys
}
